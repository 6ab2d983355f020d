import { DurableObject } from "cloudflare:workers";

/** A window's count after one `hit`. */
export interface WindowCount {
  count: number;
  /** Seconds until the current window ends and the count starts again. */
  resetSeconds: number;
}

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
    const { start, count: counted, resetSeconds } = this.window(windowSeconds);
    let count = counted;
    const allowed = cost === 0 ? count < limit : count + cost <= limit;
    if (allowed && cost > 0) {
      count += cost;
      this.ctx.storage.kv.put<WindowState>("window", { start, count });
    }
    return { allowed, limit, remaining: Math.max(0, limit - count), resetSeconds };
  }

  /**
   * Counts one hit, whatever the limit, and answers the window's count: for a caller that
   * learns its limit only later (a Bearer route reads it with its first D1 round trip,
   * while this call runs). In a fixed window that admits the hits numbered up to the
   * limit, exactly as `consume` does; the refused ones are counted too, which changes
   * nothing but the count, since the window's end resets it either way.
   */
  hit(windowSeconds: number): WindowCount {
    const { start, count, resetSeconds } = this.window(windowSeconds);
    this.ctx.storage.kv.put<WindowState>("window", { start, count: count + 1 });
    return { count: count + 1, resetSeconds };
  }

  private window(windowSeconds: number): { start: number; count: number; resetSeconds: number } {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    const state = this.ctx.storage.kv.get<WindowState>("window");
    return { start, count: state && state.start === start ? state.count : 0, resetSeconds: Math.ceil((start + windowMs - now) / 1000) };
  }
}
