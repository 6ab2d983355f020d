import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, countRows, newTenant, type TestTenant } from "../helpers";
import { seedExample } from "../kiosk/support";
import { seedCustomer, customerRow as storedCustomer } from "../registry";
import { cc, createClient, juan, laravel422, nit, personaJuridica, personaNatural, recordSale, TIMESTAMP } from "./fixtures";

const clientes = "/api/sales/clientes";
const path = (documento: string) => `${clientes}/${encodeURIComponent(documento)}`;

const juanRendered = {
  documento: "1234567890",
  nombre: "Juan Pérez",
  id_tipo_cliente: 1,
  id_tipo_documento: 1,
  direccion: "Calle 123 #45-67, Bogotá",
  telefono: "+57 300 123 4567",
  correo: "juan.perez@example.com",
  created_at: expect.stringMatching(TIMESTAMP),
  updated_at: expect.stringMatching(TIMESTAMP),
  tipo_cliente: personaNatural,
  tipo_documento: cc,
};

async function customerRow(tenantId: number, documento: string) {
  const holder = await env.DB.prepare("SELECT customer_id AS id FROM identifiers WHERE tenant_id = ? AND kind = 'document' AND value = ? ORDER BY id DESC")
    .bind(tenantId, documento)
    .first<{ id: number }>();
  return holder ? storedCustomer(holder.id) : null;
}

async function activeCustomers(tenantId: number) {
  const row = await env.DB.prepare("SELECT active_customers AS n FROM tenants WHERE id = ?").bind(tenantId).first<{ n: number }>();
  return row!.n;
}

/** A customer registered by another surface (the kiosk: document number, no sales catalogue ids). */
async function kioskCustomer(t: TestTenant, documento: string) {
  await seedCustomer(t.id, { channel: "kiosk", name: "Ana", documentType: "DNI", documentNumber: documento });
}

describe("POST /api/sales/clientes", () => {
  it("creates the seed's example client (201, {data} with its catalogue entries, Location, shared registry row)", async () => {
    const t = await newTenant();
    const res = await call("POST", clientes, { headers: t.auth, body: juan });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ data: juanRendered });
    expect(res.body.data.created_at).toBe(res.body.data.updated_at);
    expect(res.headers.get("location")).toBe("/api/sales/clientes/1234567890");

    const row = await customerRow(t.id, "1234567890");
    expect(row).toMatchObject({
      channel: "sales",
      active: 1,
      name: "Juan Pérez",
      document_type: "CC",
      sales_client_type_id: 1,
      sales_document_type_id: 1,
      address: juan.direccion,
      phone: juan.telefono,
      email: juan.correo,
    });
    expect(await activeCustomers(t.id)).toBe(1);

    const got = await call("GET", path("1234567890"), { headers: t.auth });
    expect(got.body).toEqual(res.body);
  });

  it("stores omitted, null and empty optional fields as null and trims strings", async () => {
    const t = await newTenant();
    const res = await call("POST", clientes, {
      headers: t.auth,
      body: { nombre: "  ACME S.A.S.  ", id_tipo_cliente: "2", id_tipo_documento: 2, documento: " 900123456-7 ", direccion: "", telefono: null },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        documento: "900123456-7",
        nombre: "ACME S.A.S.",
        id_tipo_cliente: 2,
        id_tipo_documento: 2,
        direccion: null,
        telefono: null,
        correo: null,
        created_at: expect.stringMatching(TIMESTAMP),
        updated_at: expect.stringMatching(TIMESTAMP),
        tipo_cliente: personaJuridica,
        tipo_documento: nit,
      },
    });
    expect((await customerRow(t.id, "900123456-7"))!.document_type).toBe("NIT");
  });

  it.each([
    ["nombre", 150, "The nombre field must not be greater than 150 characters."],
    ["documento", 40, "The documento field must not be greater than 40 characters."],
    ["direccion", 200, "The direccion field must not be greater than 200 characters."],
    ["telefono", 30, "The telefono field must not be greater than 30 characters."],
  ])("accepts %s of %i characters and refuses one more", async (field, max, message) => {
    const t = await newTenant();
    const ok = await call("POST", clientes, { headers: t.auth, body: { ...juan, [field]: "x".repeat(max) } });
    expect(ok.status).toBe(201);
    expect(ok.body.data[field]).toBe("x".repeat(max));

    const before = await countRows("customers");
    const tooLong = await call("POST", clientes, { headers: t.auth, body: { ...juan, documento: "other", [field]: "y".repeat(max + 1) } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toEqual(laravel422({ [field]: [message] }));
    expect(await countRows("customers")).toBe(before);
  });

  it("accepts a correo of 150 characters and refuses 151", async () => {
    const t = await newTenant();
    const email = (length: number) => `${"a".repeat(length - "@example.com".length)}@example.com`;
    const ok = await call("POST", clientes, { headers: t.auth, body: { ...juan, correo: email(150) } });
    expect(ok.status).toBe(201);
    expect(ok.body.data.correo).toBe(email(150));

    const tooLong = await call("POST", clientes, { headers: t.auth, body: { ...juan, documento: "other", correo: email(151) } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toEqual(laravel422({ correo: ["The correo field must not be greater than 150 characters."] }));
  });

  it.each(["juan", "juan@", "@example.com", "juan perez@example.com", "juan@example", 42])("refuses the correo %j", async (correo) => {
    const t = await newTenant();
    const before = await countRows("customers");
    const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, correo } });
    expect(res.status).toBe(422);
    const message = typeof correo === "string" ? "The correo field must be a valid email address." : "The correo field must be a string.";
    expect(res.body).toEqual(laravel422({ correo: [message] }));
    expect(await countRows("customers")).toBe(before);
  });

  it("lists every missing required field, in the seed's rule order", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    for (const body of [{}, { nombre: "", id_tipo_cliente: null, id_tipo_documento: "", documento: "   " }]) {
      const res = await call("POST", clientes, { headers: t.auth, body });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        message: "The nombre field is required. (and 3 more errors)",
        errors: {
          nombre: ["The nombre field is required."],
          id_tipo_cliente: ["The id_tipo_cliente field is required."],
          id_tipo_documento: ["The id_tipo_documento field is required."],
          documento: ["The documento field is required."],
        },
      });
    }
    expect(await countRows("customers")).toBe(before);
  });

  it.each([99, 0, -1, 1.5, "abc", "", true, { id: 1 }])("refuses id_tipo_cliente / id_tipo_documento %j as not in the catalogue", async (id) => {
    const t = await newTenant();
    const before = await countRows("customers");
    const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, id_tipo_cliente: id, id_tipo_documento: id } });
    expect(res.status).toBe(422);
    const [clientType, documentType] =
      id === ""
        ? ["The id_tipo_cliente field is required.", "The id_tipo_documento field is required."]
        : ["The selected id_tipo_cliente is invalid.", "The selected id_tipo_documento is invalid."];
    expect(res.body).toEqual(laravel422({ id_tipo_cliente: [clientType], id_tipo_documento: [documentType] }));
    expect(await countRows("customers")).toBe(before);
  });

  it("refuses a document that an active customer of the tenant already holds, whatever surface registered it", async () => {
    const t = await newTenant();
    await createClient(t);
    await kioskCustomer(t, "55555555");
    const before = await countRows("customers");
    for (const documento of ["1234567890", " 1234567890 ", "55555555"]) {
      const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, documento } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ message: "The documento has already been taken.", errors: { documento: ["The documento has already been taken."] } });
    }
    expect(await countRows("customers")).toBe(before);
    expect(await activeCustomers(t.id)).toBe(2);
  });

  it("lists schema and database rule failures together, in rule order", async () => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, nombre: "", id_tipo_documento: 7, correo: "nope" } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      laravel422({
        nombre: ["The nombre field is required."],
        id_tipo_documento: ["The selected id_tipo_documento is invalid."],
        documento: ["The documento has already been taken."],
        correo: ["The correo field must be a valid email address."],
      }),
    );
  });

  it("lets another tenant use the same document, and the document be reused once its client is deleted", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(t);
    expect((await createClient(other)).documento).toBe("1234567890");
    expect((await call("DELETE", path("1234567890"), { headers: t.auth })).status).toBe(204);
    expect((await createClient(t, { nombre: "Juan Pérez (nuevo)" })).nombre).toBe("Juan Pérez (nuevo)");
    expect(await activeCustomers(t.id)).toBe(1);
  });

  it("gives one 201 and 422s to concurrent creates of one document", async () => {
    const t = await newTenant();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => call("POST", clientes, { headers: t.auth, body: { ...juan, nombre: `Juan ${i}` } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    for (const r of results.filter((r) => r.status === 422)) {
      expect(r.body).toEqual({ message: "The documento has already been taken.", errors: { documento: ["The documento has already been taken."] } });
    }
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM customers WHERE tenant_id = ?").bind(t.id).first<{ n: number }>())!;
    expect(n).toBe(1);
    expect(await activeCustomers(t.id)).toBe(1);
  });

  it("answers a relative redirect_to in Location, and never stores it", async () => {
    const t = await newTenant();
    const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, redirect_to: "/ventas/nueva?cliente=1234567890" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/ventas/nueva?cliente=1234567890");
    expect(res.body).toEqual({ data: juanRendered });
    const nullRedirect = await call("POST", clientes, { headers: t.auth, body: { ...juan, documento: "2", redirect_to: null } });
    expect(nullRedirect.headers.get("location")).toBe("/api/sales/clientes/2");
  });

  it.each([
    "https://evil.example/phish",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "evil.example",
    "/ok\r\nSet-Cookie: x=1",
  ])("refuses the redirect_to %j (never an open redirect) and creates nothing", async (redirect_to) => {
    const t = await newTenant();
    const before = await countRows("customers");
    const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, redirect_to } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(laravel422({ redirect_to: ["The redirect_to field format is invalid."] }));
    expect(res.headers.get("location")).toBeNull();
    expect(await countRows("customers")).toBe(before);
  });

  it("stores injection strings verbatim", async () => {
    const t = await newTenant();
    const hostile = { nombre: "Robert'); DROP TABLE customers;--", direccion: "<script>alert(1)</script>", telefono: "' OR 1=1 --", documento: "1' OR '1'='1" };
    const res = await call("POST", clientes, { headers: t.auth, body: { ...juan, ...hostile } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject(hostile);
    const got = await call("GET", path(hostile.documento), { headers: t.auth });
    expect(got.body.data).toMatchObject(hostile);
  });

  it("renders malformed, non-object, wrongly typed and oversized bodies in the envelope, writing nothing", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    const malformed = await call("POST", clientes, { headers: { ...t.auth, "content-type": "application/json" }, rawBody: '{"nombre": "x",' });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toEqual(laravel422({ body: ["The request body must be a valid JSON object."] }));

    const array = await call("POST", clientes, { headers: t.auth, body: [juan] });
    expect(array.status).toBe(422);
    expect(Object.keys(array.body.errors)).toEqual(["nombre", "id_tipo_cliente", "id_tipo_documento", "documento"]);

    const types = await call("POST", clientes, { headers: t.auth, body: { ...juan, nombre: 123, documento: 1234567890, direccion: ["x"] } });
    expect(types.status).toBe(422);
    expect(types.body).toEqual(
      laravel422({
        nombre: ["The nombre field must be a string."],
        documento: ["The documento field must be a string."],
        direccion: ["The direccion field must be a string."],
      }),
    );

    const text = await call("POST", clientes, { headers: { ...t.auth, "content-type": "text/plain" }, rawBody: JSON.stringify(juan) });
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ message: "Unsupported Media Type" });

    const huge = await call("POST", clientes, { headers: t.auth, body: { ...juan, direccion: "x".repeat(100 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ message: "Payload Too Large" });
    expect(await countRows("customers")).toBe(before);
  });

  it("requires a valid Bearer token", async () => {
    const before = await countRows("customers");
    for (const headers of [{}, { authorization: "Bearer nope" }, { authorization: "Basic abc" }] as Record<string, string>[]) {
      const res = await call("POST", clientes, { headers, body: juan });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: "Unauthenticated." });
    }
    expect(await countRows("customers")).toBe(before);
  });
});

describe("GET /api/sales/clientes", () => {
  const base = "https://ficha.test/api/sales/clientes";

  it("pages the tenant's clients in document order, Laravel-style, with catalogue entries loaded", async () => {
    const t = await newTenant();
    const documentos = Array.from({ length: 17 }, (_, i) => String(1000 + ((i * 7) % 17)));
    for (const documento of documentos) await createClient(t, { documento });
    const sorted = [...documentos].sort();

    const first = await call("GET", clientes, { headers: t.auth });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(["data", "links", "meta"]);
    expect(first.body.data.map((c: { documento: string }) => c.documento)).toEqual(sorted.slice(0, 15));
    expect(first.body.data[0]).toEqual({ ...juanRendered, documento: sorted[0] });
    expect(first.body.links).toEqual({ first: `${base}?page=1`, last: `${base}?page=2`, prev: null, next: `${base}?page=2` });
    expect(first.body.meta).toEqual({ current_page: 1, from: 1, last_page: 2, path: base, per_page: 15, to: 15, total: 17 });

    const second = await call("GET", `${clientes}?page=2`, { headers: t.auth });
    expect(second.body.data.map((c: { documento: string }) => c.documento)).toEqual(sorted.slice(15));
    expect(second.body.links).toEqual({ first: `${base}?page=1`, last: `${base}?page=2`, prev: `${base}?page=1`, next: null });
    expect(second.body.meta).toEqual({ current_page: 2, from: 16, last_page: 2, path: base, per_page: 15, to: 17, total: 17 });

    const small = await call("GET", `${clientes}?page=3&per_page=5`, { headers: t.auth });
    expect(small.body.data.map((c: { documento: string }) => c.documento)).toEqual(sorted.slice(10, 15));
    expect(small.body.links).toEqual({
      first: `${base}?page=1&per_page=5`,
      last: `${base}?page=4&per_page=5`,
      prev: `${base}?page=2&per_page=5`,
      next: `${base}?page=4&per_page=5`,
    });
    expect(small.body.meta).toEqual({ current_page: 3, from: 11, last_page: 4, path: base, per_page: 5, to: 15, total: 17 });

    const past = await call("GET", `${clientes}?page=9`, { headers: t.auth });
    expect(past.status).toBe(200);
    expect(past.body).toEqual({
      data: [],
      links: { first: `${base}?page=1`, last: `${base}?page=2`, prev: `${base}?page=2`, next: null },
      meta: { current_page: 9, from: null, last_page: 2, path: base, per_page: 15, to: null, total: 17 },
    });
  });

  it("answers an empty first page for a tenant with no clients, and never lists another tenant's", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(other);
    const res = await call("GET", clientes, { headers: t.auth });
    expect(res.body).toEqual({
      data: [],
      links: { first: `${base}?page=1`, last: `${base}?page=1`, prev: null, next: null },
      meta: { current_page: 1, from: null, last_page: 1, path: base, per_page: 15, to: null, total: 0 },
    });
  });

  it("lists customers of other surfaces that hold a document (relations null), not deleted ones nor those without a document", async () => {
    const t = await newTenant();
    await kioskCustomer(t, "55555555");
    await createClient(t, { documento: "1" });
    await createClient(t, { documento: "2" });
    await call("DELETE", path("2"), { headers: t.auth });
    await seedCustomer(t.id, { channel: "parking", name: "Sin documento" });

    const res = await call("GET", clientes, { headers: t.auth });
    expect(res.body.meta.total).toBe(2);
    expect(res.body.data.map((c: { documento: string }) => c.documento)).toEqual(["1", "55555555"]);
    expect(res.body.data[1]).toEqual({
      documento: "55555555",
      nombre: "Ana",
      id_tipo_cliente: null,
      id_tipo_documento: null,
      direccion: null,
      telefono: null,
      correo: null,
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
      tipo_cliente: null,
      tipo_documento: null,
    });
  });

  it.each(["page=0", "page=-1", "page=abc", "page=1.5", "page=", "page[]=2", "page=99999999999"])(
    "serves ?%s as page 1, as Laravel's paginator does",
    async (query) => {
      const t = await newTenant();
      await createClient(t);
      const res = await call("GET", `${clientes}?${query}`, { headers: t.auth });
      expect(res.status).toBe(200);
      expect(res.body.meta).toMatchObject({ current_page: 1, from: 1, to: 1, total: 1 });
      expect(res.body.links).toMatchObject({ prev: null, next: null });
    },
  );

  it.each([
    ["per_page=0", { per_page: ["The per_page field must be at least 1."] }],
    ["per_page=101", { per_page: ["The per_page field must not be greater than 100."] }],
  ])("refuses ?%s", async (query, errors) => {
    const t = await newTenant();
    const res = await call("GET", `${clientes}?${query}`, { headers: t.auth });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(laravel422(errors));
  });

  it("reads one page and the count in one round trip, the credential check riding in it", async () => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("GET", clientes, { headers: t.auth });
    expect(res.headers.get("server-timing")).toMatch(/d1;dur=[\d.]+;desc="1"/);
  });
});

describe("GET /api/sales/clientes/{documento}", () => {
  it("answers the client with its catalogue entries", async () => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("GET", path("1234567890"), { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: juanRendered });
  });

  it("finds documents with punctuation, spaces and non-ASCII characters", async () => {
    const t = await newTenant();
    for (const documento of ["900.123.456-7", "AB 12/34", "Ñ-ü#?%"]) {
      await createClient(t, { documento });
      const res = await call("GET", path(documento), { headers: t.auth });
      expect(res.status).toBe(200);
      expect(res.body.data.documento).toBe(documento);
    }
  });

  it("answers 404 client not found for an absent, deleted or other tenant's client", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(other, { documento: "777" });
    await createClient(t, { documento: "888" });
    await call("DELETE", path("888"), { headers: t.auth });
    for (const documento of ["999", "777", "888", "x".repeat(300)]) {
      const res = await call("GET", path(documento), { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: "client not found" });
    }
  });
});

describe("PUT /api/sales/clientes/{documento}", () => {
  const update = {
    nombre: "Juan P. Gómez",
    id_tipo_cliente: 2,
    id_tipo_documento: 2,
    direccion: "Carrera 7 #12-34",
    telefono: "601 555 0101",
    correo: "jp@example.co",
  };

  it("rewrites the client's fields and answers it with its catalogue entries", async () => {
    const t = await newTenant();
    const created = await createClient(t);
    const res = await call("PUT", path("1234567890"), { headers: t.auth, body: update });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        documento: "1234567890",
        ...update,
        created_at: created.created_at,
        updated_at: expect.stringMatching(TIMESTAMP),
        tipo_cliente: personaJuridica,
        tipo_documento: nit,
      },
    });
    expect((await customerRow(t.id, "1234567890"))!.document_type).toBe("NIT");
    expect((await call("GET", path("1234567890"), { headers: t.auth })).body).toEqual(res.body);
  });

  it("leaves omitted optional fields alone and clears null or empty ones", async () => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("PUT", path("1234567890"), {
      headers: t.auth,
      body: { nombre: "Juan", id_tipo_cliente: 1, id_tipo_documento: 1, telefono: null, correo: "" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ nombre: "Juan", direccion: juan.direccion, telefono: null, correo: null });
  });

  it("accepts the same documento and refuses a different one, writing nothing", async () => {
    const t = await newTenant();
    await createClient(t);
    const same = await call("PUT", path("1234567890"), { headers: t.auth, body: { ...update, documento: "1234567890" } });
    expect(same.status).toBe(200);

    const before = await customerRow(t.id, "1234567890");
    for (const documento of ["999", 1234567890, null, ""]) {
      const res = await call("PUT", path("1234567890"), { headers: t.auth, body: { ...update, nombre: "Changed", documento } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(laravel422({ documento: ["The documento field cannot be changed."] }));
    }
    expect(await customerRow(t.id, "1234567890")).toEqual(before);
    expect(await customerRow(t.id, "999")).toBeNull();
  });

  it("applies the create rules (boundaries, catalogues, required fields) and writes nothing on failure", async () => {
    const t = await newTenant();
    await createClient(t);
    const before = await customerRow(t.id, "1234567890");
    const ok = await call("PUT", path("1234567890"), { headers: t.auth, body: { ...update, nombre: "n".repeat(150), telefono: "t".repeat(30) } });
    expect(ok.status).toBe(200);
    const after = await customerRow(t.id, "1234567890");

    const bad = await call("PUT", path("1234567890"), {
      headers: t.auth,
      body: { nombre: "n".repeat(151), id_tipo_cliente: 3, direccion: "d".repeat(201), telefono: "t".repeat(31), correo: "x" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual(
      laravel422({
        nombre: ["The nombre field must not be greater than 150 characters."],
        id_tipo_cliente: ["The selected id_tipo_cliente is invalid."],
        id_tipo_documento: ["The id_tipo_documento field is required."],
        direccion: ["The direccion field must not be greater than 200 characters."],
        telefono: ["The telefono field must not be greater than 30 characters."],
        correo: ["The correo field must be a valid email address."],
      }),
    );
    expect(await customerRow(t.id, "1234567890")).toEqual(after);
    expect(after).not.toEqual(before);

    const malformed = await call("PUT", path("1234567890"), { headers: { ...t.auth, "content-type": "application/json" }, rawBody: "{" });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toEqual(laravel422({ body: ["The request body must be a valid JSON object."] }));
  });

  it("answers 404 for an absent or other tenant's client, even before validating the body", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(other);
    for (const body of [update, {}]) {
      const res = await call("PUT", path("1234567890"), { headers: t.auth, body });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: "client not found" });
    }
    expect((await call("GET", path("1234567890"), { headers: other.auth })).body.data.nombre).toBe("Juan Pérez");
  });
});

describe("DELETE /api/sales/clientes/{documento}", () => {
  it("soft-deletes a client without sales (204) and moves the tenant's counter", async () => {
    const t = await newTenant();
    await createClient(t);
    await createClient(t, { documento: "2" });
    expect(await activeCustomers(t.id)).toBe(2);

    const res = await call("DELETE", path("1234567890"), { headers: t.auth });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await customerRow(t.id, "1234567890"))!.active).toBe(0);
    expect(await activeCustomers(t.id)).toBe(1);
    expect((await call("GET", path("1234567890"), { headers: t.auth })).status).toBe(404);
    expect((await call("GET", clientes, { headers: t.auth })).body.meta.total).toBe(1);

    const again = await call("DELETE", path("1234567890"), { headers: t.auth });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ message: "client not found" });
    expect(await activeCustomers(t.id)).toBe(1);
  });

  it.each(["venta", "separacion"])("refuses (409) a client with a %s and changes nothing", async (tipo) => {
    const t = await newTenant();
    await createClient(t);
    await recordSale(t, "1234567890", { tipo });
    const before = await customerRow(t.id, "1234567890");

    const res = await call("DELETE", path("1234567890"), { headers: t.auth });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ message: "Cannot delete client with existing sales records" });
    expect(await customerRow(t.id, "1234567890")).toEqual(before);
    expect(await activeCustomers(t.id)).toBe(1);
    expect((await call("GET", path("1234567890"), { headers: t.auth })).status).toBe(200);
  });

  it("answers 404 for an absent or other tenant's client and deletes nothing", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(other);
    for (const documento of ["1234567890", "nope"]) {
      const res = await call("DELETE", path(documento), { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: "client not found" });
    }
    expect((await customerRow(other.id, "1234567890"))!.active).toBe(1);
    expect(await activeCustomers(other.id)).toBe(1);
  });

  it("orders a concurrent sale and delete: either the sale lands and the delete is refused, or the client is gone and the sale refused", async () => {
    const t = await newTenant();
    const documentos = Array.from({ length: 8 }, (_, i) => `race-${i}`);
    for (const documento of documentos) await createClient(t, { documento });
    const outcomes = await Promise.all(
      documentos.map(async (documento) => {
        const [sale, deletion] = await Promise.all([
          call("POST", "/api/sales/ventas", { headers: t.auth, body: { documento, apartamento: "101", monto: 100, tipo: "separacion" } }),
          call("DELETE", path(documento), { headers: t.auth }),
        ]);
        return { documento, sale: sale.status, deletion: deletion.status, saleBody: sale.body };
      }),
    );
    for (const o of outcomes) {
      expect(`${o.sale}/${o.deletion}`).toMatch(/^(201\/409|422\/204)$/);
      const row = (await customerRow(t.id, o.documento))!;
      const sales = (await env.DB.prepare("SELECT COUNT(*) AS n FROM sales WHERE customer_id = ?").bind(row.id).first<{ n: number }>())!.n;
      if (o.deletion === 204) {
        expect(row.active).toBe(0);
        expect(sales).toBe(0);
        expect(o.saleBody).toEqual(laravel422({ documento: ["The selected documento is invalid."] }));
      } else {
        expect(row.active).toBe(1);
        expect(sales).toBe(1);
      }
    }
    const remaining = outcomes.filter((o) => o.deletion === 409).length;
    expect(await activeCustomers(t.id)).toBe(remaining);
  });
});

describe("GET /api/sales/clientes/{documento} of a customer registered with separate surnames", () => {
  it("answers `nombre` as the full name, and takes a `nombre` written here as the whole name", async () => {
    const t = await newTenant();
    expect(
      (await call("PUT", "/admin/settings/vlt-destination", { headers: { authorization: "Bearer test-admin-token" }, body: { tenantId: t.id } })).status,
    ).toBe(200);
    const kiosk = await call("POST", "/api/clientes/register", {
      headers: { "cf-connecting-ip": "203.0.113.40" },
      body: seedExample,
    });
    expect(kiosk.status).toBe(201);
    expect((await call("GET", path("74658993"), { headers: t.auth })).body.data.nombre).toBe("Brandon Mamani Ayala");
    expect((await call("GET", clientes, { headers: t.auth })).body.data.map((c: { nombre: string }) => c.nombre)).toEqual(["Brandon Mamani Ayala"]);
    const renamed = await call("PUT", path("74658993"), { headers: t.auth, body: { nombre: "Brandon Mamani", id_tipo_cliente: 1, id_tipo_documento: 1 } });
    expect(renamed.body.data.nombre).toBe("Brandon Mamani");
    expect((await call("GET", `/api/clientes/${kiosk.body.id}`, { headers: t.auth })).body.nombre).toBe("Brandon Mamani");
  });
});
