import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, cost, countRows, newTenant, type TestTenant } from "../helpers";
import { envelopeProblem, type Surface } from "../hostile/envelopes";

/** Fixed one-minute windows: start a burst well inside one, so it is not split over two. */
async function awayFromWindowEdge(marginMs = 10_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

async function limited(limit: number | null): Promise<TestTenant> {
  const t = await newTenant();
  const res = await admin("PATCH", `/admin/tenants/${t.id}`, { partnerRateLimit: limit });
  expect(res.status).toBe(200);
  return t;
}

/** One read per surface, each answered in that surface's envelope. */
const reads: Record<Exclude<Surface, "kiosk" | "admin" | "platform" | "v1">, string> = {
  clients: "/api/clientes?page=0&size=1",
  parking: "/api/v3/business/tag/list",
  loyalty: "/api/group/default",
  sales: "/api/sales/tipos-cliente",
};
const request = (surface: keyof typeof reads, t: TestTenant) =>
  surface === "parking" ? call("POST", reads.parking, { headers: t.auth, body: { refId: "nobody" } }) : call("GET", reads[surface], { headers: t.auth });

describe("per-credential limits on every Bearer route", () => {
  it("every Bearer response carries RateLimit-Policy and RateLimit (the deployment's default unless the tenant has its own)", async () => {
    const t = await newTenant();
    for (const surface of Object.keys(reads) as (keyof typeof reads)[]) {
      const res = await request(surface, t);
      expect(res.headers.get("ratelimit-policy"), surface).toBe(`"default";q=${env.PARTNER_RATE_LIMIT};w=60`);
      expect(res.headers.get("ratelimit"), surface).toMatch(/^"default";r=\d+;t=\d+$/);
    }
    // Errors too (a 404 of the clients surface), and the tenant's own limit once set.
    await admin("PATCH", `/admin/tenants/${t.id}`, { partnerRateLimit: 900 });
    const missing = await call("GET", "/api/clientes/987654321", { headers: t.auth });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("ratelimit-policy")).toBe(`"default";q=900;w=60`);
    // Null restores the default.
    await admin("PATCH", `/admin/tenants/${t.id}`, { partnerRateLimit: null });
    expect((await request("loyalty", t)).headers.get("ratelimit-policy")).toBe(`"default";q=${env.PARTNER_RATE_LIMIT};w=60`);
  });

  it("a burst of 40 parallel calls of one credential admits exactly the tenant's limit; the rest get 429 in each surface's envelope with Retry-After", async () => {
    for (const surface of Object.keys(reads) as (keyof typeof reads)[]) {
      const t = await limited(7);
      await awayFromWindowEdge();
      const results = await Promise.all(Array.from({ length: 40 }, () => request(surface, t)));
      const refused = results.filter((r) => r.status === 429);
      expect(results.length - refused.length, surface).toBe(7);
      for (const res of refused) {
        expect(envelopeProblem(surface, res), surface).toBeNull();
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(res.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
      }
    }
  });

  it("counts per credential: another credential of the same tenant has its own allowance, and one created later takes the tenant's limit", async () => {
    const t = await limited(3);
    await awayFromWindowEdge();
    const second = await admin("POST", `/admin/tenants/${t.id}/credentials`, { kind: "partner" });
    const token = await call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: second.body.client_id, client_secret: second.body.client_secret },
    });
    const other = { ...t, auth: { authorization: `Bearer ${token.body.access_token}` } };
    const first = await Promise.all(Array.from({ length: 6 }, () => request("clients", t)));
    const next = await Promise.all(Array.from({ length: 6 }, () => request("clients", other)));
    expect(first.filter((r) => r.status === 200)).toHaveLength(3);
    expect(next.filter((r) => r.status === 200)).toHaveLength(3);
    expect(next[0]!.headers.get("ratelimit-policy")).toBe(`"default";q=3;w=60`);
  });

  it("a refused write writes nothing", async () => {
    const t = await limited(1);
    await awayFromWindowEdge();
    expect((await request("clients", t)).status).toBe(200);
    const before = await countRows("customers");
    const body = { nombre: "Over", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "11223344", codigoCliente: "OVER-1" };
    const res = await call("POST", "/api/clientes", { headers: t.auth, body });
    expect(res.status).toBe(429);
    expect(await countRows("customers")).toBe(before);
  });

  it("costs one Durable Object call, concurrent with the route's one D1 round trip, in which the credential's liveness read and its limit ride", async () => {
    const t = await newTenant();
    const created = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: "Costed", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "55667788", codigoCliente: "COST-1" },
    });
    const res = await call("GET", `/api/clientes/${created.body.id}`, { headers: t.auth });
    expect(res.status).toBe(200);
    expect(cost(res.headers)).toEqual({ d1RoundTrips: 1, rowsRead: 5, rowsWritten: 0, durableCalls: 1 });
  });

  it("PATCH /admin/tenants/{id} refuses limits out of range and unknown tenants", async () => {
    const t = await newTenant();
    for (const partnerRateLimit of [0, -5, 1_000_001, 2.5, "100"]) {
      const res = await admin("PATCH", `/admin/tenants/${t.id}`, { partnerRateLimit });
      expect(res.status, String(partnerRateLimit)).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(["partnerRateLimit"]);
    }
    expect((await admin("PATCH", "/admin/tenants/987654321", { partnerRateLimit: 10 })).status).toBe(404);
    const ok = await admin("PATCH", `/admin/tenants/${t.id}`, { name: "Renamed", partnerRateLimit: 1_000_000 });
    expect(ok.body).toEqual({ ...ok.body, id: t.id, name: "Renamed", timezone: "UTC", partnerRateLimit: 1_000_000 });
    expect(ok.body.vltDestination).toBe(false);
    // An empty body changes nothing and answers the tenant.
    expect((await admin("PATCH", `/admin/tenants/${t.id}`, {})).body).toEqual(ok.body);
  });
});
