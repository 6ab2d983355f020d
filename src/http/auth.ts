import type { MiddlewareHandler } from "hono";
import { constantTimeEqual } from "../core/crypto";
import { isCredentialLive } from "../core/tenants/credentials";
import { verifyAccessToken } from "../core/tenants/tokens";
import type { AppEnv } from "./app-env";
import { RequestError, unauthenticated } from "./errors";
import { isSafeMethod, readSession, requireCsrf } from "./session";

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/;

/**
 * Partner routes: a ficha access token (HS256, unexpired) whose credential is still live
 * in D1 — one indexed read, so revoking a credential stops its tokens at once. Sets
 * `principal`; every query downstream filters by `principal.tenantId`.
 */
export const bearerAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
  const claims = token ? await verifyAccessToken(token, c.env.JWT_SECRET) : null;
  if (!claims || !(await isCredentialLive(c.get("db"), claims.credentialId, claims.tenantId))) throw unauthenticated();
  c.set("principal", { tenantId: claims.tenantId, credentialId: claims.credentialId, kind: "partner" });
  await next();
};

/**
 * Operator routes: `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time, or,
 * when the request has no Authorization header, the operator console's session cookie
 * (http/session.ts), with its CSRF token in `X-CSRF-Token` on state-changing methods.
 */
export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new RequestError("unavailable", "ADMIN_TOKEN is not configured");
  const header = c.req.header("authorization");
  if (header === undefined) {
    const session = await readSession(c);
    if (typeof session === "string") throw unauthenticated();
    if (!isSafeMethod(c.req.method)) await requireCsrf(c, session, c.req.header("x-csrf-token"));
    return next();
  }
  const given = /^Bearer +(\S+) *$/.exec(header)?.[1];
  if (!given || !(await constantTimeEqual(given, expected))) throw unauthenticated();
  await next();
};
