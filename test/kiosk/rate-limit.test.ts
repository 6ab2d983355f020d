import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { cardsOf, destinationTenant, freshIp, newRegistration, register } from "./support";

const LIMIT = Number(env.KIOSK_RATE_LIMIT);
const WINDOW_SECONDS = Number(env.KIOSK_RATE_WINDOW_SECONDS);

/** The limit is a fixed window: start a burst well inside one, so it is not split over two. */
async function awayFromWindowEdge(): Promise<void> {
  const windowMs = WINDOW_SECONDS * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe("POST /api/clientes/register: per-IP rate limit", () => {
  it("admits exactly 60 of 200 parallel requests from one IP, whatever X-Forwarded-For says; other IPs are unaffected", async () => {
    expect([LIMIT, WINDOW_SECONDS]).toEqual([60, 60]);
    const tenant = await destinationTenant();
    const body = newRegistration();
    const ip = freshIp();
    await awayFromWindowEdge();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => register(body, { ip, headers: { "x-forwarded-for": `203.0.113.${i % 250}` } })));
    const limited = results.filter((r) => r.status === 429);
    const admitted = results.filter((r) => r.status !== 429);
    expect(admitted).toHaveLength(60);
    expect(limited).toHaveLength(140);
    expect(admitted.filter((r) => r.status === 201)).toHaveLength(1);
    expect(admitted.filter((r) => r.status === 200)).toHaveLength(59);
    expect(await cardsOf(tenant.id)).toHaveLength(1);

    for (const res of limited) {
      expect(res.body).toEqual({ message: "Too Many Attempts." });
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
      expect(res.headers.get("ratelimit-policy")).toBe('"default";q=60;w=60');
      expect(res.headers.get("ratelimit")).toBe(`"default";r=0;t=${retryAfter}`);
    }

    const otherIp = await register(newRegistration());
    expect(otherIp.status).toBe(201);
    expect(otherIp.headers.get("ratelimit")).toMatch(/^"default";r=59;t=\d+$/);
  });

  it("counts refused and invalid requests too, and sends the policy headers on every answer", async () => {
    await destinationTenant();
    const ip = freshIp();
    const invalid = await register({}, { ip });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("ratelimit-policy")).toBe('"default";q=60;w=60');
    expect(invalid.headers.get("ratelimit")).toMatch(/^"default";r=59;t=\d+$/);
    const valid = await register(newRegistration(), { ip });
    expect(valid.status).toBe(201);
    expect(valid.headers.get("ratelimit")).toMatch(/^"default";r=58;t=\d+$/);
  });

  it("lets registrations through when the limiter cannot be reached (fail open)", async () => {
    const tenant = await destinationTenant();
    // The real app with a RateLimiter namespace whose objects cannot be reached.
    const unreachable = {
      idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
      get: () => ({ consume: () => Promise.reject(new Error("Network connection lost.")) }),
    };
    const app = createApp();
    const body = newRegistration();
    const ctx = createExecutionContext();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await app.fetch(
      new Request("https://ficha.test/api/clientes/register", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "cf-connecting-ip": freshIp() },
        body: JSON.stringify(body),
      }),
      { ...env, RATE_LIMITER: unreachable },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    logged.mockRestore();
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: expect.any(Number), tarjeta: body.tarjeta, mensaje: "cliente nuevo", esDuplicado: false });
    expect(response.headers.get("ratelimit")).toBeNull();
    expect(lines, "the fail-open is logged").toEqual([
      { level: "warn", msg: "rate limiter unreachable; request let through", requestId: expect.any(String), error: "Error: Network connection lost." },
    ]);
    expect(await cardsOf(tenant.id)).toHaveLength(1);
  });
});
