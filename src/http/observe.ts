import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes, routePath } from "hono/route";
import { createDb, withMeter } from "../db/client";
import { CostMeter } from "../db/cost-meter";
import { meteredStub } from "../durable/stubs";
import type { AppEnv } from "./app-env";

const on = (flag: string | undefined) => flag === "on" || flag === "true" || flag === "1";

/**
 * Gives each request its cost meter (the isolate's database handle records into it while
 * the request is served) and its metered Durable Object stubs, then, once answered, adds the
 * `Server-Timing` cost header (when SERVER_TIMING is on) and writes one JSON log line:
 * method, route pattern (never the raw path: paths may carry document numbers), status,
 * duration, tenant and request id. Never secrets, tokens, bodies or card UIDs.
 */
export const observe: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const meter = new CostMeter();
  c.set("meter", meter);
  c.set("db", createDb(c.env.DB));
  c.set("locks", (name) => meteredStub(c.env.CARD_LOCK, name, meter));
  await withMeter(meter, next);
  const ms = performance.now() - started;
  if (on(c.env.SERVER_TIMING)) c.res.headers.set("Server-Timing", serverTiming(meter, ms));
  if (on(c.env.LOG_REQUESTS)) {
    console.log(
      JSON.stringify({
        level: "info",
        msg: "request",
        method: c.req.method,
        route: answeringRoute(c),
        status: c.res.status,
        ms: Math.round(ms * 10) / 10,
        tenant: c.var.principal?.tenantId ?? null,
        requestId: c.get("requestId"),
      }),
    );
  }
};

/**
 * The pattern of the route that answered (`/api/clientes/:id`), for per-route dashboards.
 * Middleware and each surface's 404 fallback are registered for every method ("ALL") on
 * the surface's prefixes, so the operation is the first matched route with a method of its
 * own; with none (an unknown path) the last match names the surface's prefix, or `*`.
 */
function answeringRoute(c: Context<AppEnv>): string {
  return matchedRoutes(c).find((route) => route.method !== "ALL")?.path ?? routePath(c, -1);
}

/** Renders the request's cost as Server-Timing metrics; counts travel in `desc`. */
export function serverTiming(meter: CostMeter, totalMs: number): string {
  const ms = (value: number) => value.toFixed(1);
  return [
    `total;dur=${ms(totalMs)}`,
    `d1;dur=${ms(meter.d1Ms)};desc="${meter.d1RoundTrips}"`,
    `d1-rows-read;desc="${meter.rowsRead}"`,
    `d1-rows-written;desc="${meter.rowsWritten}"`,
    `do;dur=${ms(meter.durableMs)};desc="${meter.durableCalls}"`,
  ].join(", ");
}
