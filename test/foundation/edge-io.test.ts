import { beforeAll, describe, expect, it } from "vitest";
import { admin, call, cost, newTenant } from "../helpers";
import { hit } from "../hostile/client";
import { routes } from "../hostile/routes";
import { buildWorld, idSet, type World } from "../hostile/world";

/**
 * The I/O targets of the edge, per request, from Server-Timing (warm isolate). A Bearer
 * route's credential liveness read rides in the route's first D1 round trip (src/db/io.ts),
 * its rate limiter call runs meanwhile. The kiosk, lobby and posting targets are asserted
 * beside their contracts (test/kiosk, test/loyalty/transactions.test.ts).
 */

/** Partner operations that only read: every GET, and the parking surface's list, a POST by contract. */
const bearerReads = Object.entries(routes).filter(
  ([operation, fixture]) => fixture.auth === "bearer" && (operation.startsWith("GET ") || operation === "POST /api/v3/business/tag/list"),
);

describe("every partner Bearer read route", () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(null, idSet("io"));
  });

  it("covers the partner read operations of the OpenAPI document", () => {
    expect(bearerReads.length).toBeGreaterThanOrEqual(20);
  });

  it.each(bearerReads.map(([operation]) => operation))(
    "%s: one D1 round trip (the credential check riding in it), one rate limiter call",
    async (operation) => {
      const fixture = routes[operation]!;
      const req = await fixture.valid(w);
      await hit(req); // warms the isolate's per-route state (e.g. catalogue caches)
      const res = await hit(req);
      expect(res.status, res.text).toBe(fixture.ok);
      expect(cost(res.headers), operation).toMatchObject({ d1RoundTrips: 1, durableCalls: 1, rowsWritten: 0 });
    },
  );
});

/** The ledger's postings: each reads its context, then writes in one guarded batch that reads back what it wrote. */
const postings = Object.keys(routes).filter((operation) => operation.startsWith("POST /api/transaction"));

describe("every ledger posting", () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(null, idSet("post"));
  });

  it.each(postings)("%s: at most two D1 round trips (the credential check riding in the first), one rate limiter call", async (operation) => {
    const fixture = routes[operation]!;
    const res = await hit(await fixture.valid(w));
    expect(res.status, res.text).toBe(fixture.ok);
    expect(cost(res.headers).d1RoundTrips, operation).toBeLessThanOrEqual(2);
    expect(cost(res.headers).durableCalls, operation).toBe(1);
  });
});

describe("DELETE /admin/credentials/{client_id}: revocation is immediate", () => {
  it("stops the credential's tokens on the very next call: a read, a write, and a refused body alike answer 401", async () => {
    const t = await newTenant();
    expect((await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth })).status).toBe(200);
    expect((await admin("DELETE", `/admin/credentials/${t.partner.clientId}`)).status).toBe(204);
    const read = await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth });
    expect(read.status).toBe(401);
    const write = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: "Tarde", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "11223344", codigoCliente: "LATE-1" },
    });
    expect(write.status).toBe(401);
    // A body refused before any D1 read still meets the credential check after the handler.
    const refused = await call("POST", "/api/clientes", { headers: t.auth, body: { nombre: 7 } });
    expect(refused.status).toBe(401);
    expect((await call("GET", "/api/clientes?page=0&size=1", { headers: { ...t.auth } })).status).toBe(401);
  });
});

describe("PATCH /admin/tenants/{id} partnerReplicaReads", () => {
  const session = (res: { headers: Headers }) => /d1-session;desc="([a-z-]+)"/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? null;

  it("is off by default: partner reads use no D1 session (the primary, read-your-writes)", async () => {
    const t = await newTenant();
    const res = await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(session(res)).toBeNull();
    expect((await admin("GET", `/admin/tenants/${t.id}`)).body.partnerReplicaReads).toBe(false);
  });

  it("lets the tenant's GET routes read on the nearest replica, in one round trip; writes and POST reads stay on the primary", async () => {
    const t = await newTenant();
    const patched = await admin("PATCH", `/admin/tenants/${t.id}`, { partnerReplicaReads: true });
    expect(patched.body.partnerReplicaReads).toBe(true);
    // The isolate learns the setting with the tenant's next request, then its GETs read on a replica.
    await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth });
    const read = await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth });
    expect(session(read)).toBe("first-unconstrained");
    expect(cost(read.headers).d1RoundTrips).toBe(1);
    expect(read.headers.get("x-d1-bookmark")).toMatch(/^[0-9a-f-]+$/i);
    const write = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: "Réplica", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "22334455", codigoCliente: "REP-1" },
    });
    expect(write.status).toBe(201);
    expect(session(write)).toBeNull();
    // Turned off again: the next request learns it, the one after reads on the primary.
    await admin("PATCH", `/admin/tenants/${t.id}`, { partnerReplicaReads: false });
    await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth });
    expect(session(await call("GET", "/api/clientes?page=0&size=1", { headers: t.auth }))).toBeNull();
  });

  it("refuses a value that is not a boolean", async () => {
    const t = await newTenant();
    const res = await admin("PATCH", `/admin/tenants/${t.id}`, { partnerReplicaReads: "yes" });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(["partnerReplicaReads"]);
  });
});
