import { fillPlaceholders, type Query, type SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/**
 * Statements for D1 batches, typed by what they return. D1 has no interactive
 * transactions: whatever must be atomic goes in one `db.batch()`, and whatever a request
 * reads should go in as few round trips as possible. Three ways to make a statement:
 *
 * - `prepared(db => query.prepare())`: a Drizzle query built once per isolate (building
 *   one costs hundreds of µs, binding a prepared one about one), run with
 *   `sql.placeholder(...)` values through `bound(...)`;
 * - `reusable(key, build)` (`reusableList` for several): an `sql` template whose text
 *   depends on the request only through a few choices (which fields it sets, how many
 *   keys it links, whether the customer is an id or the one the batch inserts), rendered
 *   once per choice and isolate, its `sql.placeholder(...)` values filled per request;
 * - `rows<Row>(sql\`...\`)`: an `sql` template naming the schema's tables and columns,
 *   built for one request (the rarer writes: reversals, transfers' credit halves, order
 *   lines, report counters, merges).
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

/** Shapes a request-shaped statement keeps built at most (a hostile mix of optional fields cannot grow it without bound). */
const MAX_SHAPES = 256;

/** A cache of what is built per shape, bounded by MAX_SHAPES. */
function perShape<T>(): (name: string, build: () => T) => T {
  const built = new Map<string, T>();
  return (name, build) => {
    let value = built.get(name);
    if (value === undefined) {
      value = build();
      if (built.size >= MAX_SHAPES) built.clear();
      built.set(name, value);
    }
    return value;
  };
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

/**
 * `prepared`, once per shape of the request (`key`: e.g. the fields an insert sets):
 * `build` may take nothing but the shape from the request, its values being placeholders.
 */
export function preparedPer<S, Q>(key: (shape: S) => string, build: (db: Db, shape: S) => Q): (db: Db, shape: S) => Q {
  const caches = prepared(() => perShape<Q>());
  return (db, shape) => caches(db)(key(shape), () => build(db, shape));
}

/** A prepared query with its placeholder values, as a batch statement read the way Drizzle reads it. */
export function bound<R>(query: PreparedQueryLike<R>, values: Record<string, unknown> = {}): Statement<R> {
  const { sql, params } = query.getQuery();
  return { query: { sql, params: fillPlaceholders(params, values) }, read: (result) => query.mapResult(result, true) as R };
}

/**
 * An `sql` statement rendered once per shape and isolate: `key` names the shape (null: a
 * shape not worth keeping, rendered for this request only) and `build` makes its SQL,
 * naming every request value with `sql.placeholder(name)`; the returned function fills
 * them from `values`. `build` must take nothing but the shape from the request: a value
 * written into the SQL itself would be served to every later request of that shape.
 */
export function reusable<S>(key: (shape: S) => string | null, build: (shape: S) => SQL): (shape: S, values: Record<string, unknown>) => Query {
  const list = reusableList(key, (shape: S) => [build(shape)]);
  return (shape, values) => list(shape, values)[0]!;
}

/** `reusable` for statements that go together (e.g. a page and what renders it), rendered and filled as one. */
export function reusableList<S>(key: (shape: S) => string | null, build: (shape: S) => readonly SQL[]): (shape: S, values: Record<string, unknown>) => Query[] {
  const rendered = perShape<Query[]>();
  return (shape, values) => {
    const name = key(shape);
    const renderAll = () => build(shape).map(render);
    const queries = name === null ? renderAll() : rendered(name, renderAll);
    return queries.map((query) => ({ sql: query.sql, params: fillPlaceholders(query.params, values) }));
  };
}

/** An `sql` template as SQL text and values. */
export function render(statement: SQL): Query {
  return dialect.sqlToQuery(statement);
}

const fragmentKeys = new WeakMap<SQL, string | null>();

/**
 * What an SQL fragment contributes to a `reusable` statement's shape: its text when it
 * binds no value (e.g. "the customer this batch inserted"), null when it binds some (the
 * statement is then not reusable).
 */
export function fragmentKey(fragment: SQL): string | null {
  let key = fragmentKeys.get(fragment);
  if (key === undefined) {
    const query = render(fragment);
    key = query.params.length === 0 ? query.sql : null;
    fragmentKeys.set(fragment, key);
  }
  return key;
}

/**
 * A row a `reusable` statement names: an id, or SQL naming it (e.g. "the customer this
 * batch inserted"). `sql` is what the statement writes for it: the placeholder `name`
 * for an id (filled from `values`), else the SQL itself; `key` is what it adds to the
 * statement's shape (null: the SQL binds values of its own, the statement is not reusable).
 */
export interface TemplateRef {
  key: string | null;
  sql: SQL;
  values: Record<string, unknown>;
}

export function templateRef(name: string, ref: number | SQL): TemplateRef {
  if (typeof ref !== "number") return { key: fragmentKey(ref), sql: ref, values: {} };
  return { key: "?", sql: sql`${sql.placeholder(name)}`, values: { [name]: ref } };
}

/** The shape key of a statement built from `refs` and `flags` (null: not reusable). */
export function shapeOf(refs: readonly TemplateRef[], flags: readonly unknown[] = []): string | null {
  return refs.some((ref) => ref.key === null) ? null : JSON.stringify([...refs.map((ref) => ref.key), ...flags]);
}

/** Raw SQL returning rows of `Row` (column names as aliased in the SQL). */
export function rows<Row>(statement: SQL): Statement<Row[]> {
  return rendered(render(statement));
}

/** A rendered query (e.g. a `reusable` one) returning rows of `Row`. */
export function rendered<Row>(query: Query): Statement<Row[]> {
  return { query, read: (result) => (result.results ?? []) as Row[] };
}

type Results<T extends readonly Statement<unknown>[]> = { -readonly [K in keyof T]: T[K] extends Statement<infer R> ? R : never };

/** Runs statements as one atomic D1 batch (one round trip) and reads each one's result. */
export async function runBatch<const T extends readonly Statement<unknown>[]>(db: Db, statements: T): Promise<Results<T>> {
  const client = db.$client;
  const results = await client.batch(statements.map((s) => client.prepare(s.query.sql).bind(...s.query.params)));
  return results.map((result, i) => statements[i]!.read(result)) as Results<T>;
}
