import type { Context, MiddlewareHandler } from "hono";
import type { AuditActor } from "../core/audit";
import { constantTimeEqual, sha256Hex } from "../core/crypto";
import { liveCredentialCheck } from "../core/tenants/credentials";
import { type Keyring, KeyringError, parseKeyring, verifyAccessToken } from "../core/tenants/tokens";
import type { AppEnv } from "./app-env";
import { RequestError, unauthenticated } from "./errors";
import { countPerCredential } from "./rate-limit";
import { isSafeMethod, readSession, requireCsrf, type Session } from "./session";

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/;

let parsedRing: { keys: string | undefined; secret: string | undefined; ring: Keyring } | undefined;

/**
 * The deployment's signing keys (`JWT_KEYS`, else `JWT_SECRET` as a one-key ring), parsed
 * once per isolate and again whenever the secrets change. A configuration that gives no
 * usable ring answers 503 in the caller's envelope (and says why in the log).
 */
export function signingKeys(env: Env): Keyring {
  const keys = env.JWT_KEYS || undefined;
  const secret = env.JWT_SECRET || undefined;
  if (parsedRing && parsedRing.keys === keys && parsedRing.secret === secret) return parsedRing.ring;
  try {
    parsedRing = { keys, secret, ring: parseKeyring({ keys, secret }) };
    return parsedRing.ring;
  } catch (err) {
    if (!(err instanceof KeyringError)) throw err;
    console.error(JSON.stringify({ level: "error", msg: "token signing keys unusable", error: err.message }));
    throw new RequestError("unavailable", "Service Unavailable");
  }
}

/**
 * Partner routes: a ficha access token (HS256, unexpired, signed by a key still in the
 * ring) whose credential is still live in D1 — one indexed read, so revoking a credential
 * stops its tokens at once — then the credential's rate limit, counted in its RateLimiter
 * (one Durable Object call). The liveness read is the request's gate (db/io.ts): it rides
 * in the route's first D1 round trip (alone before it when that trip writes), the limiter
 * call runs meanwhile, and nothing the route read is used, nor anything written, until
 * both have passed. A route that answers without D1 (a refused body) checks them after
 * its handler, so a revoked or limited caller always gets 401 / 429. Sets `principal`;
 * every query downstream filters by `principal.tenantId`.
 *
 * A tenant that lets partner reads use replicas (`partner_replica_reads`) has its GET
 * routes served by the nearest replica. The setting comes with the liveness read, which
 * must ride the session the request reads on, so each isolate remembers it from the
 * tenant's previous request (`replicaTenants`): a change applies from the second request
 * an isolate serves.
 */
export const bearerAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
  const claims = token ? await verifyAccessToken(token, signingKeys(c.env)) : null;
  if (!claims) throw unauthenticated();
  c.set("principal", { tenantId: claims.tenantId, credentialId: claims.credentialId, kind: "partner" });
  // A partner's own audited changes (its webhook endpoints) are recorded under its credential.
  c.set("actor", `credential:${claims.credentialId}`);
  const decideLimit = countPerCredential(c, claims.credentialId);
  const io = c.get("io");
  if (c.req.method === "GET" && replicaTenants.has(claims.tenantId)) io.preferReplica();
  io.guard({
    statement: liveCredentialCheck(c.get("db"), claims.credentialId, claims.tenantId),
    admit: async (credential) => {
      if (!credential) throw unauthenticated();
      if (credential.replicaReads) replicaTenants.add(claims.tenantId);
      else replicaTenants.delete(claims.tenantId);
      await decideLimit(credential.rateLimit);
    },
  });
  await next();
  await io.settle();
};

/** The tenants this isolate last saw allowing replica reads for partners (see `bearerAuth`). */
const replicaTenants = new Set<number>();

let adminFingerprint: { token: string; actor: string } | undefined;

/** `admin:` + the first 16 hex digits of the token's SHA-256: tells entries made with different admin tokens apart and reveals nothing of them. */
async function adminActor(token: string): Promise<string> {
  if (adminFingerprint?.token !== token) adminFingerprint = { token, actor: `admin:${(await sha256Hex(token)).slice(0, 16)}` };
  return adminFingerprint.actor;
}

/** A console session's actor: the token's fingerprint and which session (8 hex digits of its nonce's SHA-256). */
export async function consoleActor(token: string, session: Session): Promise<string> {
  return `${await adminActor(token)}/console:${(await sha256Hex(session.nonce)).slice(0, 8)}`;
}

/** The operator and the request an action is recorded under in the audit log (`actor` is set by `adminAuth` or the console's session check). */
export const auditedAs = (c: Context<AppEnv>): AuditActor => ({ actor: c.get("actor"), requestId: c.get("requestId") });

/**
 * Operator routes: `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time, or,
 * when the request has no Authorization header, the operator console's session cookie
 * (http/session.ts), with its CSRF token in `X-CSRF-Token` on state-changing methods.
 * Sets `actor` for the audit log (`adminActor`, `consoleActor`).
 */
export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new RequestError("unavailable", "ADMIN_TOKEN is not configured");
  const header = c.req.header("authorization");
  if (header === undefined) {
    const session = await readSession(c);
    if (typeof session === "string") throw unauthenticated();
    if (!isSafeMethod(c.req.method)) await requireCsrf(c, session, c.req.header("x-csrf-token"));
    c.set("actor", await consoleActor(expected, session));
    return next();
  }
  const given = /^Bearer +(\S+) *$/.exec(header)?.[1];
  if (!given || !(await constantTimeEqual(given, expected))) throw unauthenticated();
  c.set("actor", await adminActor(expected));
  await next();
};
