import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, cost, newTenant, type TestTenant } from "../helpers";
import { createClient, otherSurfaceCustomer, person, rendered, seedClient, unauthorized } from "./fixtures";

const list = (tenant: TestTenant, query = "") => call("GET", `/api/clientes${query}`, { headers: tenant.auth });

/** The page body for `ids` (already rendered clients) given the page facts. */
function page(content: unknown[], totalElements: number, number: number, size: number) {
  const totalPages = Math.ceil(totalElements / size);
  return {
    content,
    totalElements,
    totalPages,
    number,
    size,
    first: number === 0,
    last: number + 1 >= totalPages,
    numberOfElements: content.length,
    empty: content.length === 0,
  };
}

describe("GET /api/clientes", () => {
  it("answers the seed's request with the page fields", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await list(t, "?page=0&size=20");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      content: [rendered(id, seedClient)],
      totalElements: 1,
      totalPages: 1,
      number: 0,
      size: 20,
      first: true,
      last: true,
      numberOfElements: 1,
      empty: false,
    });
  });

  it("answers an empty registry with an empty first page", async () => {
    const t = await newTenant();
    const res = await list(t);
    expect(res.body).toEqual({ content: [], totalElements: 0, totalPages: 0, number: 0, size: 20, first: true, last: true, numberOfElements: 0, empty: true });
  });

  it("pages by id: exactly one page, first, middle, last partial and past-the-end pages", async () => {
    const t = await newTenant();
    const bodies = Array.from({ length: 5 }, () => person());
    const ids: number[] = [];
    for (const body of bodies) ids.push(await createClient(t, body));
    const clients = ids.map((id, i) => rendered(id, bodies[i]!));

    expect((await list(t)).body).toEqual(page(clients, 5, 0, 20));
    expect((await list(t, "?size=5")).body).toEqual(page(clients, 5, 0, 5));
    expect((await list(t, "?page=0&size=2")).body).toEqual(page(clients.slice(0, 2), 5, 0, 2));
    expect((await list(t, "?page=1&size=2")).body).toEqual(page(clients.slice(2, 4), 5, 1, 2));
    const lastPage = (await list(t, "?page=2&size=2")).body;
    expect(lastPage).toEqual(page(clients.slice(4), 5, 2, 2));
    expect(lastPage).toMatchObject({ last: true, numberOfElements: 1 });
    const past = (await list(t, "?page=3&size=2")).body;
    expect(past).toEqual(page([], 5, 3, 2));
    expect(past).toMatchObject({ first: false, last: true, empty: true, totalPages: 3 });
    expect((await list(t, "?page=2147483647&size=100")).body).toEqual(page([], 5, 2147483647, 100));
  });

  it("takes the defaults for absent or empty parameters and caps size at Spring Data's 2000", async () => {
    const t = await newTenant();
    for (let i = 0; i < 3; i++) await createClient(t);
    expect((await list(t, "?page=&size=")).body).toMatchObject({ number: 0, size: 20, totalElements: 3 });
    expect((await list(t, "?size=1000")).body).toMatchObject({ size: 1000, totalPages: 1, numberOfElements: 3 });
    expect((await list(t, "?size=2000")).body).toMatchObject({ size: 2000 });
    expect((await list(t, "?size=5000")).body).toMatchObject({ size: 2000, totalPages: 1, numberOfElements: 3 });
    expect((await list(t, "?size=1")).body).toMatchObject({ size: 1, totalPages: 3, numberOfElements: 1 });
    expect((await list(t, "?size=1&page=1")).body).toMatchObject({ number: 1, first: false, last: false });
  });

  it.each([
    ["?page=-1", "La petición contiene parámetros inválidos: 'page' debe ser mayor o igual a 0"],
    ["?size=0", "La petición contiene parámetros inválidos: 'size' debe ser mayor o igual a 1"],
    ["?size=-5", "La petición contiene parámetros inválidos: 'size' debe ser mayor o igual a 1"],
    ["?page=abc", "El parámetro 'page' no tiene un formato válido"],
    ["?page=1.5", "El parámetro 'page' no tiene un formato válido"],
    ["?size=2e1", "El parámetro 'size' no tiene un formato válido"],
    ["?page=2147483648", "El parámetro 'page' no tiene un formato válido"],
    ["?page=99999999999", "El parámetro 'page' no tiene un formato válido"],
    ["?page=0;DROP%20TABLE%20customers", "El parámetro 'page' no tiene un formato válido"],
  ])("refuses %s with 400", async (query, message) => {
    const t = await newTenant();
    const res = await list(t, query);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, code: 400, message, data: null });
  });

  it("lists only active clients, deleted ones drop out and totalElements follows", async () => {
    const t = await newTenant();
    const a = await createClient(t);
    const b = await createClient(t);
    const c = await createClient(t);
    await call("DELETE", `/api/clientes/${b}`, { headers: t.auth });
    const res = await list(t);
    expect(res.body.content.map((client: { id: number }) => client.id)).toEqual([a, c]);
    expect(res.body.totalElements).toBe(2);
  });

  it("shows customers registered by other surfaces, with the fields they lack as null and foreign document types as OTRO", async () => {
    const t = await newTenant();
    const kiosk = await otherSurfaceCustomer(t.id, {
      channel: "kiosk",
      name: "Jugador",
      lastName: "Uno",
      documentType: "DNI",
      documentNumber: "11223344",
      vltCode: 7,
    });
    const sales = await otherSurfaceCustomer(t.id, {
      channel: "sales",
      name: "Compradora",
      documentType: "CC",
      documentNumber: "1020304050",
      email: "c@x.co",
      phone: "3001234567",
    });
    const parking = await otherSurfaceCustomer(t.id, { channel: "parking", parkingRefId: "P-9" });
    const res = await list(t);
    expect(res.body.content).toEqual([
      rendered(kiosk.id, { nombre: "Jugador Uno", tipoDocumento: "DNI", numeroDocumento: "11223344" }),
      rendered(sales.id, { nombre: "Compradora", tipoDocumento: "OTRO", numeroDocumento: "1020304050", email: "c@x.co", telefono: "3001234567" }),
      rendered(parking.id, {}),
    ]);
    expect(res.body.totalElements).toBe(3);
  });

  it("never shows another tenant's clients", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await createClient(a);
    await createClient(a);
    const mine = await createClient(b);
    const res = await list(b);
    expect(res.body.content.map((client: { id: number }) => client.id)).toEqual([mine]);
    expect(res.body.totalElements).toBe(1);
  });

  it("reads O(page size) rows for the first page, totalElements included", async () => {
    const t = await newTenant();
    await env.DB.batch([
      env.DB.prepare(
        `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 2000)
         INSERT INTO customers (tenant_id, active, channel, name, client_type, created_at, updated_at)
         SELECT ?1, 1, 'clients', 'Cliente ' || n, 'PERSONA', 0, 0 FROM seq`,
      ).bind(t.id),
      env.DB.prepare(
        `INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, status, exclusive, created_at, status_changed_at)
         SELECT ?1, id, 'document', 'T' || ?1 || '-' || id, 'OTRO', 'active', 1, 0, 0 FROM customers WHERE tenant_id = ?1
         UNION ALL SELECT ?1, id, 'client_code', 'C' || id, NULL, 'active', 1, 0, 0 FROM customers WHERE tenant_id = ?1`,
      ).bind(t.id),
    ]);
    await env.DB.prepare("UPDATE tenants SET active_customers = 2000 WHERE id = ?").bind(t.id).run();
    const res = await list(t, "?page=0&size=20");
    expect(res.body).toMatchObject({ totalElements: 2000, totalPages: 100, numberOfElements: 20 });
    // One round trip: the credential check, the counter (read for totalElements and again to bound the offset) and the 20 rows of the
    // page, each with its two keys (document, client code) and the index entry that ends them.
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 1, rowsRead: 20 * 4 + 3, rowsWritten: 0 });
    // The largest page, 2000 (Spring Data's maximum), costs the same per row, in the same one round trip.
    const whole = await list(t, "?page=0&size=2000");
    expect(whole.body).toMatchObject({ totalElements: 2000, totalPages: 1, numberOfElements: 2000, size: 2000, last: true });
    // (Nothing follows the tenant's last client, so no index entry past the page is read.)
    expect(cost(whole.headers)).toMatchObject({ d1RoundTrips: 1, rowsRead: 2000 * 4 + 2, rowsWritten: 0 });
    // A page past the end reads no customer row, however far past.
    const past = await list(t, "?page=2147483647&size=100");
    expect(past.body).toMatchObject({ content: [], totalElements: 2000 });
    expect(cost(past.headers).rowsRead).toBe(3);
  });

  it("honours a size above 100 as asked: a partner that stops on a short page does not stop early", async () => {
    const t = await newTenant();
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 450)
       INSERT INTO customers (tenant_id, active, channel, name, client_type, created_at, updated_at)
       SELECT ?1, 1, 'clients', 'Cliente ' || n, 'PERSONA', 0, 0 FROM seq`,
    )
      .bind(t.id)
      .run();
    await env.DB.prepare("UPDATE tenants SET active_customers = 450 WHERE id = ?").bind(t.id).run();
    const seen: number[] = [];
    for (let number = 0; ; number++) {
      const res = await list(t, `?page=${number}&size=200`);
      expect(res.body).toMatchObject({ number, size: 200, totalElements: 450, totalPages: 3 });
      seen.push(...res.body.content.map((client: { id: number }) => client.id));
      if (res.body.numberOfElements < res.body.size) break;
    }
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
  });

  it("takes totalElements from a short page, as Spring Data does, should the counter ever drift", async () => {
    const t = await newTenant();
    for (let i = 0; i < 3; i++) await createClient(t);
    await env.DB.prepare("UPDATE tenants SET active_customers = 50 WHERE id = ?").bind(t.id).run();
    expect((await list(t, "?size=20")).body).toMatchObject({ totalElements: 3, totalPages: 1, last: true });
    expect((await list(t, "?size=2&page=1")).body).toMatchObject({ totalElements: 3, totalPages: 2, last: true, numberOfElements: 1 });
    expect((await list(t, "?size=2")).body).toMatchObject({ totalElements: 50, numberOfElements: 2 });
  });

  it("answers 401 in its envelope without a valid token", async () => {
    const res = await call("GET", "/api/clientes", { headers: { authorization: "Bearer a.b.c" } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized);
  });

  it("answers paths it does not serve with 404 in its envelope (methods a path lacks: methods-and-paths.test.ts)", async () => {
    const t = await newTenant();
    for (const [method, path] of [
      ["GET", "/api/clientes/1/extra"],
      ["GET", "/api/clientes/"],
    ] as const) {
      const res = await call(method, path, { headers: t.auth });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ success: false, code: 404, message: "Recurso no encontrado", data: null });
    }
  });
});
