import { drizzle } from "drizzle-orm/d1";
import type { CostMeter } from "./cost-meter";
import { meteredD1 } from "./cost-meter";
import * as schema from "./schema";

/** The one way to get a Drizzle handle: metered when a CostMeter is given. */
export function createDb(d1: D1Database, meter?: CostMeter) {
  return drizzle(meter ? meteredD1(d1, meter) : d1, { schema });
}

export type Db = ReturnType<typeof createDb>;
