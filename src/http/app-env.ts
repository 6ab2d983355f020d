import type { LockOpener } from "../core/cards/locks";
import type { Principal } from "../core/tenants/credentials";
import type { Db } from "../db/client";
import type { RequestIo } from "../db/io";

/** What every handler can read from the Hono context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    /** The request's D1 traffic: cost meter, D1 session, gate (db/io.ts). */
    io: RequestIo;
    /** The CardLock Durable Objects, metered with the request. */
    locks: LockOpener;
    requestId: string;
    /** Set by the auth middleware of a protected route. */
    principal: Principal;
    /** Who an operator route acts as, for the audit log (set by `adminAuth`, or by the console's session). */
    actor: string;
  };
}
