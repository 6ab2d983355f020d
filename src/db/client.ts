import { AsyncLocalStorage } from "node:async_hooks";
import { drizzle } from "drizzle-orm/d1";
import { RequestIo, requestD1 } from "./io";

/**
 * The one Drizzle handle per D1 binding, built once per isolate (without `{ schema }`:
 * ficha uses the query builder, not relational queries). Prepared queries hang off it
 * (db/batch.ts), so they too are built once per isolate. Every statement runs through the
 * RequestIo of the request that made it (db/io.ts), found through `withRequestIo`.
 */
const handles = new WeakMap<D1Database, ReturnType<typeof build>>();
const requests = new AsyncLocalStorage<RequestIo>();

function build(d1: D1Database) {
  return drizzle(requestD1(d1, () => requests.getStore()));
}

export function createDb(d1: D1Database) {
  let db = handles.get(d1);
  if (!db) {
    db = build(d1);
    handles.set(d1, db);
  }
  return db;
}

export type Db = ReturnType<typeof createDb>;

/** Runs `work` with `io` as the RequestIo of every D1 call made within it. */
export function withRequestIo<T>(io: RequestIo, work: () => T): T {
  return requests.run(io, work);
}

export { RequestIo };
