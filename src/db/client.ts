import { AsyncLocalStorage } from "node:async_hooks";
import { drizzle } from "drizzle-orm/d1";
import { type CostMeter, meteredD1 } from "./cost-meter";

/**
 * The one Drizzle handle per D1 binding, built once per isolate (without `{ schema }`:
 * ficha uses the query builder, not relational queries). Prepared queries hang off it
 * (db/batch.ts), so they too are built once per isolate. Every round trip is recorded in
 * the CostMeter of the request that made it, found through `withMeter`.
 */
const handles = new WeakMap<D1Database, ReturnType<typeof build>>();
const meters = new AsyncLocalStorage<CostMeter>();

function build(d1: D1Database) {
  return drizzle(meteredD1(d1, () => meters.getStore()));
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

/** Runs `work` with `meter` as the meter that every D1 call made within it records into. */
export function withMeter<T>(meter: CostMeter, work: () => T): T {
  return meters.run(meter, work);
}
