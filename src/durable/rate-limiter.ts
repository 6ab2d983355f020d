import { DurableObject } from "cloudflare:workers";

/** The outcome of one `consume` call. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends and the count starts again. */
  resetSeconds: number;
}

interface WindowState {
  start: number;
  count: number;
}

/**
 * A fixed-window counter for one key (a client IP or a credential): one object per key.
 * `consume` reads and writes synchronous storage with no await in between, so concurrent
 * calls are applied one at a time and a burst admits exactly `limit`. The count lives in
 * the object's storage, so evicting the object mid-window does not reset it.
 */
export class RateLimiter extends DurableObject<Env> {
  /** Counts `cost` hits against `limit` per `windowSeconds`; cost 0 only asks. A refused hit is not counted. */
  consume(limit: number, windowSeconds: number, cost = 1): RateDecision {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    const state = this.ctx.storage.kv.get<WindowState>("window");
    let count = state && state.start === start ? state.count : 0;
    const allowed = cost === 0 ? count < limit : count + cost <= limit;
    if (allowed && cost > 0) {
      count += cost;
      this.ctx.storage.kv.put<WindowState>("window", { start, count });
    }
    return { allowed, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.ceil((start + windowMs - now) / 1000) };
  }
}
