import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminOk, freshIp, hit, newTenant, type Res } from "./client";
import { envelopeProblem } from "./envelopes";
import { summary } from "./summary";

const KIOSK_LIMIT = Number(env.KIOSK_RATE_LIMIT);
const KIOSK_WINDOW = Number(env.KIOSK_RATE_WINDOW_SECONDS);
const LOBBY_LIMIT = Number(env.LOBBY_RATE_LIMIT);
const OAUTH_LIMIT = Number(env.OAUTH_FAILURE_LIMIT);

const limiter = (key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));

/** Fixed windows: start a burst well inside one, so it is not split over two. */
async function awayFromWindowEdge(windowSeconds: number, marginMs = 8_000): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Fires `count` registrations at once from `ip` (invalid bodies: the limit counts before the body is read, and they cost no D1 write). */
async function burst(ip: string, count: number): Promise<Res[]> {
  summary.limiterRequests += count;
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      hit({
        method: "POST",
        path: "/api/clientes/register",
        body: {},
        headers: {
          "cf-connecting-ip": ip,
          "x-forwarded-for": `203.0.113.${i % 250}, ${ip}`,
          "x-real-ip": `198.18.0.${i % 250}`,
          forwarded: `for=192.0.2.${i % 250}`,
        },
      }),
    ),
  );
}

const admitted = (results: Res[]) => results.filter((r) => r.status !== 429).length;

describe("rate limiters are exact", () => {
  it(`kiosk register: 500 parallel requests from one IP admit exactly ${KIOSK_LIMIT}, X-Forwarded-For changes nothing, eviction mid-window resets nothing, the next window admits again`, async () => {
    expect(KIOSK_LIMIT).toBe(60);
    const ip = freshIp();
    await awayFromWindowEdge(KIOSK_WINDOW);
    const first = await burst(ip, 250);
    await evictDurableObject(limiter(`kiosk-register:${ip}`));
    const second = await burst(ip, 250);
    expect(admitted(first)).toBe(KIOSK_LIMIT);
    expect(admitted(second)).toBe(0);
    for (const res of [...first, ...second]) {
      expect([422, 429]).toContain(res.status);
      expect(envelopeProblem("kiosk", res)).toBeNull();
    }
    expect(second[0]!.body).toEqual({ message: "Too Many Attempts." });
    expect(Number(second[0]!.headers.get("retry-after"))).toBeGreaterThan(0);

    // The next window: the stored count is made the previous window's, as time passing would.
    const stub = limiter(`kiosk-register:${ip}`);
    await runInDurableObject(stub, (_instance, state) => {
      const window = state.storage.kv.get<{ start: number; count: number }>("window")!;
      state.storage.kv.put("window", { start: window.start - KIOSK_WINDOW * 1000, count: window.count });
    });
    expect(admitted(await burst(ip, 100))).toBe(KIOSK_LIMIT);
  });

  it(`kiosk register: 10 IPs x 100 parallel requests -> each IP gets exactly its own ${KIOSK_LIMIT}`, async () => {
    const ips = Array.from({ length: 10 }, freshIp);
    await awayFromWindowEdge(KIOSK_WINDOW);
    const results = await Promise.all(ips.map((ip) => burst(ip, 100)));
    expect(results.map(admitted)).toEqual(ips.map(() => KIOSK_LIMIT));
  });

  it(`lobby authenticate: 300 parallel requests of one kiosk credential from many IPs admit exactly ${LOBBY_LIMIT}`, async () => {
    const t = await newTenant();
    await awayFromWindowEdge(Number(env.LOBBY_RATE_WINDOW_SECONDS));
    summary.limiterRequests += 300;
    const results = await Promise.all(
      Array.from({ length: 300 }, () => hit({ method: "POST", path: "/api/lobby/authenticate", headers: t.kioskAuth, body: { cardIdentifier: "UNKNOWN" } })),
    );
    expect(results.filter((r) => r.status === 404)).toHaveLength(LOBBY_LIMIT);
    expect(results.filter((r) => r.status === 429)).toHaveLength(300 - LOBBY_LIMIT);
    for (const res of results) expect(envelopeProblem("kiosk", res)).toBeNull();
  });

  it("partner Bearer routes: 300 parallel requests of one credential, spread over every surface, admit exactly the tenant's 100; 429s in each surface's envelope", async () => {
    const t = await newTenant();
    await adminOk("PATCH", `/admin/tenants/${t.id}`, { partnerRateLimit: 100 });
    await awayFromWindowEdge(60);
    const routes = [
      { surface: "clients", method: "GET", path: "/api/clientes?page=0&size=1" },
      { surface: "parking", method: "POST", path: "/api/v3/business/tag/list", body: { refId: "nobody" } },
      { surface: "loyalty", method: "GET", path: "/api/group/default" },
      { surface: "sales", method: "GET", path: "/api/sales/tipos-documento" },
    ] as const;
    summary.limiterRequests += 300;
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => {
        const route = routes[i % routes.length]!;
        return hit({ method: route.method, path: route.path, body: "body" in route ? route.body : undefined, headers: t.auth }).then((res) => ({ route, res }));
      }),
    );
    expect(results.filter(({ res }) => res.status !== 429)).toHaveLength(100);
    for (const { route, res } of results.filter(({ res }) => res.status === 429)) {
      expect(envelopeProblem(route.surface, res)).toBeNull();
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // Every hit is counted, the refused ones too: the limit is learned with the first D1 round trip, while the count runs (RateLimiter.hit).
    const state = await runInDurableObject(limiter(`partner:${t.partner.clientId}`), (_instance, s) => s.storage.kv.get<{ count: number }>("window"));
    expect(state?.count).toBe(300);
  });

  it(`oauth token: 40 parallel failed attempts from one IP -> exactly ${OAUTH_LIMIT} answered, then even the right secret waits; another IP is unaffected`, async () => {
    const t = await newTenant();
    const ip = freshIp();
    await awayFromWindowEdge(Number(env.OAUTH_FAILURE_WINDOW_SECONDS));
    const attempt = (secret: string, from: string) =>
      hit({
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: secret },
        headers: { "cf-connecting-ip": from, "x-forwarded-for": freshIp() },
      });
    summary.limiterRequests += 42;
    const results = await Promise.all(Array.from({ length: 40 }, () => attempt("wrong", ip)));
    // Each failure is counted after its secret check, and only counted ones are answered 401.
    expect(results.filter((r) => r.status === 401)).toHaveLength(OAUTH_LIMIT);
    expect(results.filter((r) => r.status === 429)).toHaveLength(40 - OAUTH_LIMIT);
    const state = await runInDurableObject(limiter(`oauth-failures:${ip}`), (_instance, s) => s.storage.kv.get<{ count: number }>("window"));
    expect(state?.count).toBe(OAUTH_LIMIT);
    expect((await attempt(t.partner.clientSecret, ip)).status).toBe(429);
    expect((await attempt(t.partner.clientSecret, freshIp())).status).toBe(200);
  });
});
