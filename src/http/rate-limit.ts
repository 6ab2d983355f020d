import type { Context } from "hono";
import { DomainError } from "../core/errors";
import type { RateDecision } from "../durable/rate-limiter";
import { meteredStub } from "../durable/stubs";
import type { AppEnv } from "./app-env";
import { RequestError } from "./errors";

/** The client's address: `CF-Connecting-IP` only (set by Cloudflare's edge); `X-Forwarded-For` is never trusted. */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

export interface RateLimitRule {
  /** Names the counter; one RateLimiter object per key (e.g. `kiosk-register:203.0.113.7`). */
  key: string;
  limit: number;
  windowSeconds: number;
  /** 0 only asks whether the key is under its limit. */
  cost?: number;
}

/**
 * Counts one hit for `rule.key` and sets the IETF `RateLimit-Policy` / `RateLimit`
 * headers; throws `rate_limited` (with `Retry-After`) when the key is over its limit.
 * When the limiter cannot be reached the stub's error propagates: each caller decides
 * whether to fail open or closed.
 */
export async function enforceRateLimit(c: Context<AppEnv>, rule: RateLimitRule): Promise<RateDecision> {
  const limiter = meteredStub(c.env.RATE_LIMITER, rule.key, c.get("io").meter);
  return answer(c, await limiter.consume(rule.limit, rule.windowSeconds, rule.cost ?? 1), rule.windowSeconds);
}

/** Sets the `RateLimit-Policy` / `RateLimit` headers of a decision; throws `rate_limited` (with `Retry-After`) when it refuses. */
function answer(c: Context<AppEnv>, decision: RateDecision, windowSeconds: number): RateDecision {
  c.header("RateLimit-Policy", `"default";q=${decision.limit};w=${windowSeconds}`);
  c.header("RateLimit", `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
  if (!decision.allowed) {
    c.header("Retry-After", String(decision.resetSeconds));
    throw new RequestError("rate_limited", "Too Many Attempts.", {}, { retryAfterSeconds: decision.resetSeconds });
  }
  return decision;
}

/**
 * `enforceRateLimit` for limits that are a brake, not a gate: when the limiter cannot be
 * reached the request goes through (one warning is logged) instead of failing; an
 * over-limit key is still refused.
 */
export async function enforceRateLimitFailOpen(c: Context<AppEnv>, rule: RateLimitRule): Promise<void> {
  try {
    await enforceRateLimit(c, rule);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    console.error(JSON.stringify({ level: "warn", msg: "rate limiter unreachable; request let through", requestId: c.get("requestId"), error: String(err) }));
  }
}

/** The window of the per-credential limit: tenants set their limit per minute. */
const PARTNER_WINDOW_SECONDS = 60;

/**
 * Every Bearer route: PARTNER_RATE_LIMIT requests per minute per partner credential, or
 * the tenant's own limit. The limit comes with the credential's liveness read, in the
 * request's first D1 round trip, so the hit is counted at once, concurrently with it
 * (`RateLimiter.hit`), and the function returned decides once the limit is known. A
 * brake on one caller's share of the service, so an unreachable limiter lets the request
 * through rather than fail it; an over-limit credential is still refused.
 */
export function countPerCredential(c: Context<AppEnv>, credentialId: number): (tenantLimit: number | null) => void | Promise<void> {
  const limiter = meteredStub(c.env.RATE_LIMITER, `partner:${credentialId}`, c.get("io").meter);
  const counted = limiter.hit(PARTNER_WINDOW_SECONDS).then(
    (window) => window,
    (err: unknown) => {
      console.error(JSON.stringify({ level: "warn", msg: "rate limiter unreachable; request let through", requestId: c.get("requestId"), error: String(err) }));
      return null;
    },
  );
  return async (tenantLimit) => {
    const window = await counted;
    if (!window) return;
    const limit = tenantLimit ?? Number(c.env.PARTNER_RATE_LIMIT);
    answer(
      c,
      { allowed: window.count <= limit, limit, remaining: Math.max(0, limit - window.count), resetSeconds: window.resetSeconds },
      PARTNER_WINDOW_SECONDS,
    );
  };
}
