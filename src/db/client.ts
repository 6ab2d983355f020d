import { drizzle } from "drizzle-orm/d1";
import type { CostMeter } from "./cost-meter";
import { meteredD1 } from "./cost-meter";

/**
 * The one way to get a Drizzle handle: metered when a CostMeter is given. Built per
 * request, so without `{ schema }`: ficha uses the query builder, not relational queries,
 * and the relational config costs a walk over every table each time it is built.
 */
export function createDb(d1: D1Database, meter?: CostMeter) {
  return drizzle(meter ? meteredD1(d1, meter) : d1);
}

export type Db = ReturnType<typeof createDb>;
