import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes, routePath } from "hono/route";
import { createDb, RequestIo, withRequestIo } from "../db/client";
import type { CostMeter } from "../db/cost-meter";
import { meteredStub } from "../durable/stubs";
import type { AppEnv } from "./app-env";

/** What a D1 bookmark looks like (hex groups and dashes); anything else is ignored rather than handed to D1. */
const BOOKMARK = /^[0-9a-f-]{1,128}$/i;

const on = (flag: string | undefined) => flag === "on" || flag === "true" || flag === "1";

/**
 * Gives each request its RequestIo (the isolate's database handle runs the request's
 * statements through it: cost, D1 session, gate) and its metered Durable Object stubs.
 * A client that sends back an `x-d1-bookmark` is served at least as fresh as it (any
 * route); a response that read through a D1 session hands its bookmark back. Once
 * answered, adds the `Server-Timing` cost header (when SERVER_TIMING is on) and writes one JSON log line:
 * method, route pattern (never the raw path: paths may carry document numbers), status,
 * duration, tenant and request id. Never secrets, tokens, bodies or card UIDs.
 */
/** Work for after the answer (`ctx.waitUntil`), its Durable Object calls counted as deferred. */
export const afterResponse =
  (c: Context<AppEnv>) =>
  (work: () => Promise<void>): void =>
    c.executionCtx.waitUntil(c.get("io").meter.defer(work));

export const observe: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  const io = new RequestIo(c.env.DB);
  const meter = io.meter;
  const bookmark = c.req.header("x-d1-bookmark");
  if (bookmark && BOOKMARK.test(bookmark)) io.readAfter(bookmark);
  c.set("io", io);
  c.set("db", createDb(c.env.DB));
  c.set("locks", (name) => meteredStub(c.env.CARD_LOCK, name, meter));
  await withRequestIo(io, next);
  const served = io.bookmark();
  if (served) c.res.headers.set("x-d1-bookmark", served);
  const ms = performance.now() - started;
  if (on(c.env.SERVER_TIMING)) c.res.headers.set("Server-Timing", serverTiming(meter, ms, io.sessionConstraint()));
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
export function serverTiming(meter: CostMeter, totalMs: number, session: string | null = null): string {
  const ms = (value: number) => value.toFixed(1);
  return [
    `total;dur=${ms(totalMs)}`,
    `d1;dur=${ms(meter.d1Ms)};desc="${meter.d1RoundTrips}"`,
    `d1-rows-read;desc="${meter.rowsRead}"`,
    `d1-rows-written;desc="${meter.rowsWritten}"`,
    `do;dur=${ms(meter.durableMs)};desc="${meter.durableCalls}"`,
    `do-deferred;desc="${meter.deferredDurableCalls}"`,
    ...(session ? [`d1-session;desc="${session}"`] : []),
  ].join(", ");
}
