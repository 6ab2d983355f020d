import { fillPlaceholders, type Query, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/**
 * Statements for D1 batches, typed by what they return. D1 has no interactive
 * transactions: whatever must be atomic goes in one `db.batch()`, and whatever a request
 * reads should go in as few round trips as possible. Two ways to make a statement:
 *
 * - `prepared(db => query.prepare())`: a Drizzle query built once per isolate (building
 *   one costs hundreds of µs, binding a prepared one about one), run with
 *   `sql.placeholder(...)` values through `bound(...)`;
 * - `rows<Row>(sql\`...\`)`: an `sql` template naming the schema's tables and columns,
 *   for statements whose shape depends on the request (the ledger's guarded writes).
 */

const dialect = new SQLiteAsyncDialect();

/** One statement of a batch, with how to read its result. */
export interface Statement<R> {
  readonly query: Query;
  read(result: D1Result): R;
}

/** What `bound` needs of a Drizzle prepared query. */
interface PreparedQueryLike<R> {
  getQuery(): Query;
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
  execute(placeholders?: Record<string, unknown>): Promise<R>;
}

/** A query built once per Drizzle handle, i.e. once per isolate (see db/client.ts). */
export function prepared<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const built = new WeakMap<Db, Q>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}

/** A prepared query with its placeholder values, as a batch statement read the way Drizzle reads it. */
export function bound<R>(query: PreparedQueryLike<R>, values: Record<string, unknown> = {}): Statement<R> {
  const { sql, params } = query.getQuery();
  return { query: { sql, params: fillPlaceholders(params, values) }, read: (result) => query.mapResult(result, true) as R };
}

/** Raw SQL returning rows of `Row` (column names as aliased in the SQL). */
export function rows<Row>(statement: SQL): Statement<Row[]> {
  return { query: dialect.sqlToQuery(statement), read: (result) => (result.results ?? []) as Row[] };
}

type Results<T extends readonly Statement<unknown>[]> = { -readonly [K in keyof T]: T[K] extends Statement<infer R> ? R : never };

/** Runs statements as one atomic D1 batch (one round trip) and reads each one's result. */
export async function runBatch<const T extends readonly Statement<unknown>[]>(db: Db, statements: T): Promise<Results<T>> {
  const client = db.$client;
  const results = await client.batch(statements.map((s) => client.prepare(s.query.sql).bind(...s.query.params)));
  return results.map((result, i) => statements[i]!.read(result)) as Results<T>;
}
