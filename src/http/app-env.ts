import type { Principal } from "../core/credentials";
import type { Db } from "../db/client";
import type { CostMeter } from "../db/cost-meter";

/** What every handler can read from the Hono context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    meter: CostMeter;
    requestId: string;
    /** Set by the auth middleware of a protected route. */
    principal: Principal;
  };
}
