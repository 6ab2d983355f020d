import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const limiter = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
const lock = (name: string) => env.CARD_LOCK.get(env.CARD_LOCK.idFromName(name));

describe("RateLimiter", () => {
  it("admits exactly the limit from a burst of 200 concurrent hits", async () => {
    const stub = limiter("burst");
    const decisions = await Promise.all(Array.from({ length: 200 }, () => stub.consume(60, 60)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(60);
    expect(decisions.at(-1)).toMatchObject({ allowed: false, limit: 60, remaining: 0 });
  });

  it("keeps its count when the object is evicted mid-window", async () => {
    const stub = limiter("evicted");
    await Promise.all(Array.from({ length: 5 }, () => stub.consume(5, 60)));
    await evictDurableObject(stub);
    expect((await limiter("evicted").consume(5, 60)).allowed).toBe(false);
  });

  it("counts each key on its own and only asks with cost 0", async () => {
    await limiter("a").consume(1, 60);
    expect((await limiter("a").consume(1, 60, 0)).allowed).toBe(false);
    expect((await limiter("b").consume(1, 60, 0)).allowed).toBe(true);
    expect((await limiter("b").consume(1, 60)).allowed).toBe(true);
  });

  it("admits again in the next window", async () => {
    const stub = limiter("windows");
    await runInDurableObject(stub, (_instance, state) => state.storage.kv.put("window", { start: 0, count: 999 }));
    expect((await stub.consume(1, 60)).allowed).toBe(true);
  });
});

describe("CardLock", () => {
  it("grants one holder at a time, in arrival order", async () => {
    const stub = lock("serial");
    const order: number[] = [];
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const grant = (await stub.acquire())!;
        inside++;
        maxInside = Math.max(maxInside, inside);
        order.push(i);
        await new Promise((r) => setTimeout(r, 2));
        inside--;
        await stub.release(grant.token!);
      }),
    );
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(10);
  });

  it("answers from its memo without locking once one is stored", async () => {
    const stub = lock("memo");
    const first = (await stub.acquire())!;
    await stub.release(first.token!, { customerId: 7 });
    expect(await stub.acquire()).toEqual({ token: null, memo: { customerId: 7 } });
  });

  it("wakes a live waiter on release even when an earlier wait timed out", async () => {
    const stub = lock("stale-waiter");
    const held = (await stub.acquire(10_000))!;
    expect(await stub.acquire(10_000, 50), "the wait times out").toBeNull();
    const started = Date.now();
    const next = stub.acquire(10_000, 5_000);
    await new Promise((r) => setTimeout(r, 20));
    await stub.release(held.token!);
    expect((await next)?.token).toEqual(expect.any(String));
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("lets a waiter in when a holder's lease expires, and does not re-grant a live lease after eviction", async () => {
    const stub = lock("lease");
    const held = (await stub.acquire(200))!;
    const started = Date.now();
    const next = (await stub.acquire(200))!;
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(next.token).not.toBe(held.token);

    const live = lock("evict");
    await live.acquire(60_000);
    await evictDurableObject(live);
    expect(await lock("evict").acquire(60_000, 100), "the live lease is not granted again").toBeNull();
  });
});
