import { describe, expect, it } from "vitest";
import { call, countRows, newTenant } from "../helpers";
import { activeCounter, createClient, otherSurfaceCustomer, person, rendered, seedClient, storedCustomer, unauthorized, validation } from "./fixtures";

const post = (headers: Record<string, string>, body: unknown) => call("POST", "/api/clientes", { body, headers });

/** Posts a body that must be refused with these field errors, and checks nothing was written. */
async function expectRefused(body: unknown, errors: Record<string, string[]>) {
  const t = await newTenant();
  const before = await countRows("customers");
  const res = await post(t.auth, body);
  expect(res.status).toBe(422);
  expect(res.body).toEqual(validation(errors));
  expect(await countRows("customers")).toBe(before);
  expect(await activeCounter(t.id)).toBe(0);
}

describe("POST /api/clientes", () => {
  it("creates the seed's client: 201, the ClienteResponse in contract order, Location", async () => {
    const t = await newTenant();
    const res = await post(t.auth, seedClient);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(rendered(res.body.id, seedClient));
    expect(Object.keys(res.body)).toEqual([
      "id",
      "tipoCliente",
      "nombre",
      "tipoDocumento",
      "codigoCliente",
      "numeroDocumento",
      "direccion",
      "telefono",
      "email",
      "contactoRepresentante",
    ]);
    expect(res.headers.get("location")).toBe(`/api/clientes/${res.body.id}`);
    expect(await activeCounter(t.id)).toBe(1);
    const row = await storedCustomer(res.body.id);
    expect(row).toMatchObject({ tenant_id: t.id, active: 1, channel: "clients", name: "Empresa Telecom SAC", client_code: "CLI042", document_type: "RUC" });
    const fetched = await call("GET", res.headers.get("location")!, { headers: t.auth });
    expect(fetched.body).toEqual(res.body);
  });

  it("accepts only the required fields; the optional ones are null", async () => {
    const t = await newTenant();
    const body = { nombre: "Ana Díaz", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "12345678", codigoCliente: "CLI001" };
    const res = await post(t.auth, body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(rendered(res.body.id, body));
  });

  it("trims strings, stores blank optional fields as null and ignores unknown fields", async () => {
    const t = await newTenant();
    const res = await post(t.auth, {
      ...person({ nombre: "  Ana  ", codigoCliente: " C-1 " }),
      direccion: "   ",
      email: "",
      telefono: null,
      id: 999_999,
      vigente: false,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ nombre: "Ana", codigoCliente: "C-1", direccion: null, email: null, telefono: null });
    expect(res.body.id).not.toBe(999_999);
    expect((await storedCustomer(res.body.id))?.active).toBe(1);
  });

  it("stores injection strings verbatim", async () => {
    const t = await newTenant();
    const hostile = {
      nombre: "Robert'); DROP TABLE customers;--",
      direccion: "<script>alert(1)</script>",
      contactoRepresentante: "${jndi:ldap://x}",
      codigoCliente: "' OR 1=1 --",
    };
    const res = await post(t.auth, person(hostile));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(hostile);
    expect(await countRows("customers")).toBeGreaterThan(0);
  });

  it("accepts every tipoCliente and every tipoDocumento with numbers at their boundaries", async () => {
    const t = await newTenant();
    const accepted = [
      { tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "00000001" },
      { tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "20100000001" },
      { tipoCliente: "OTRO", tipoDocumento: "CE", numeroDocumento: "AB1234567" },
      { tipoCliente: "OTRO", tipoDocumento: "CE", numeroDocumento: "abc123456789" },
      { tipoCliente: "OTRO", tipoDocumento: "OTRO", numeroDocumento: "X" },
      { tipoCliente: "OTRO", tipoDocumento: "OTRO", numeroDocumento: "P-1234 5678/90.ABCDE" },
    ];
    for (const fields of accepted) {
      const res = await post(t.auth, person(fields));
      expect(res.status, JSON.stringify(fields)).toBe(201);
      expect(res.body).toMatchObject(fields);
    }
  });

  it.each([
    ["RUC", "2051234567", "El RUC debe tener exactamente 11 dígitos"],
    ["RUC", "205123456789", "El RUC debe tener exactamente 11 dígitos"],
    ["RUC", "2051234567A", "El RUC debe tener exactamente 11 dígitos"],
    ["DNI", "1234567", "El DNI debe tener exactamente 8 dígitos"],
    ["DNI", "123456789", "El DNI debe tener exactamente 8 dígitos"],
    ["DNI", "1234567X", "El DNI debe tener exactamente 8 dígitos"],
    ["DNI", "１２３４５６７８", "El DNI debe tener exactamente 8 dígitos"],
    ["CE", "AB123456", "El CE debe tener entre 9 y 12 caracteres alfanuméricos"],
    ["CE", "AB12345678901", "El CE debe tener entre 9 y 12 caracteres alfanuméricos"],
    ["CE", "AB-1234567", "El CE debe tener entre 9 y 12 caracteres alfanuméricos"],
  ])("refuses %s %s", async (tipoDocumento, numeroDocumento, message) => {
    await expectRefused(person({ tipoDocumento, numeroDocumento }), { numeroDocumento: [message] });
  });

  it("refuses a document number over 20 characters whatever its type", async () => {
    await expectRefused(person({ tipoDocumento: "OTRO", numeroDocumento: "X".repeat(21) }), { numeroDocumento: ["Debe tener como máximo 20 caracteres"] });
  });

  it("refuses missing, null and blank required fields", async () => {
    await expectRefused(
      {},
      {
        nombre: ["El campo es obligatorio"],
        tipoCliente: ["El campo es obligatorio"],
        tipoDocumento: ["El campo es obligatorio"],
        numeroDocumento: ["El campo es obligatorio"],
        codigoCliente: ["El campo es obligatorio"],
      },
    );
    await expectRefused(person({ nombre: null, codigoCliente: "   " }), { nombre: ["El campo es obligatorio"], codigoCliente: ["El campo es obligatorio"] });
    await expectRefused(person({ numeroDocumento: "" }), { numeroDocumento: ["El campo es obligatorio"] });
  });

  it("refuses unknown enum values (case-sensitive) and wrong types", async () => {
    await expectRefused(person({ tipoCliente: "persona", tipoDocumento: "PASAPORTE" }), {
      tipoCliente: ["Debe ser uno de: PERSONA, EMPRESA, OTRO"],
      tipoDocumento: ["Debe ser uno de: RUC, DNI, CE, OTRO"],
    });
    await expectRefused(person({ nombre: 42, telefono: 999888777, email: ["a@b.pe"], numeroDocumento: 12345678 }), {
      nombre: ["Debe ser un texto"],
      numeroDocumento: ["Debe ser un texto"],
      telefono: ["Debe ser un texto"],
      email: ["Debe ser un texto"],
    });
  });

  it("enforces the maximum lengths at their boundaries", async () => {
    const t = await newTenant();
    const longest = {
      nombre: "N".repeat(150),
      codigoCliente: "C".repeat(50),
      direccion: "D".repeat(200),
      telefono: "9".repeat(20),
      email: `${"e".repeat(91)}@mail.com`,
      contactoRepresentante: "R".repeat(150),
    };
    expect(longest.email).toHaveLength(100);
    const res = await post(t.auth, person(longest));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(longest);

    await expectRefused(
      person({
        nombre: "N".repeat(151),
        codigoCliente: "C".repeat(51),
        direccion: "D".repeat(201),
        telefono: "9".repeat(21),
        email: `${"e".repeat(92)}@mail.com`,
        contactoRepresentante: "R".repeat(151),
      }),
      {
        nombre: ["Debe tener como máximo 150 caracteres"],
        codigoCliente: ["Debe tener como máximo 50 caracteres"],
        direccion: ["Debe tener como máximo 200 caracteres"],
        telefono: ["Debe tener como máximo 20 caracteres"],
        email: ["Debe tener como máximo 100 caracteres"],
        contactoRepresentante: ["Debe tener como máximo 150 caracteres"],
      },
    );
  });

  it("refuses an invalid email address", async () => {
    for (const email of ["no-es-correo", "a@b", "@telecomsac.pe", "a b@c.pe"]) {
      await expectRefused(person({ email }), { email: ["Debe ser un correo electrónico válido"] });
    }
  });

  it("reports every invalid field at once, the document rule included", async () => {
    await expectRefused(
      { nombre: "", tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "123", email: "x" },
      {
        nombre: ["El campo es obligatorio"],
        codigoCliente: ["El campo es obligatorio"],
        email: ["Debe ser un correo electrónico válido"],
        numeroDocumento: ["El RUC debe tener exactamente 11 dígitos"],
      },
    );
  });

  it("refuses a body that is not a JSON object (422) or not JSON at all (400)", async () => {
    await expectRefused([seedClient], { body: ["El cuerpo debe ser un objeto JSON"] });
    await expectRefused(null, { body: ["El cuerpo debe ser un objeto JSON"] });
    const t = await newTenant();
    const before = await countRows("customers");
    for (const rawBody of ["{", '{"nombre": "x",}', "nombre=x"]) {
      const res = await call("POST", "/api/clientes", { rawBody, headers: { ...t.auth, "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ success: false, code: 400, message: "El cuerpo de la solicitud no es un JSON válido", data: null });
    }
    expect(await countRows("customers")).toBe(before);
  });

  it("refuses other content types (415) and bodies over the limit (413) in its envelope", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    const form = await call("POST", "/api/clientes", { rawBody: "nombre=x", headers: { ...t.auth, "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    expect(form.body).toEqual({ success: false, code: 415, message: "Tipo de contenido no soportado: use application/json", data: null });
    const huge = await post(t.auth, { ...seedClient, direccion: "x".repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ success: false, code: 413, message: "La solicitud es demasiado grande", data: null });
    expect(await countRows("customers")).toBe(before);
  });

  it("answers 401 in its envelope without a valid token, before reading the body", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer nope" },
      { authorization: `Basic ${btoa("a:b")}` },
      { authorization: `Bearer ${t.token}x` },
    ];
    for (const headers of attempts) {
      const res = await post(headers, { nombre: 1 });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthorized);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(await countRows("customers")).toBe(before);
  });

  it("refuses a codigoCliente already used by an active client of the tenant (409)", async () => {
    const t = await newTenant();
    await createClient(t, person({ codigoCliente: "CLI042" }));
    const res = await post(t.auth, person({ codigoCliente: "CLI042" }));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ success: false, code: 409, message: "Ya existe un cliente con ese codigoCliente", data: null });
    expect(await activeCounter(t.id)).toBe(1);
  });

  it("creates a second client with a numeroDocumento already registered and another codigoCliente (one company, two service sites)", async () => {
    const t = await newTenant();
    const kiosk = await otherSurfaceCustomer(t.id, { channel: "kiosk", name: "Jugador", documentType: "DNI", documentNumber: "44556677" });
    const res = await post(t.auth, person({ tipoDocumento: "DNI", numeroDocumento: "44556677" }));
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(kiosk.id);
    const site = await post(t.auth, { ...seedClient, codigoCliente: "CLI043" });
    const other = await post(t.auth, { ...seedClient, codigoCliente: "CLI044" });
    expect([site.status, other.status]).toEqual([201, 201]);
    expect(await activeCounter(t.id)).toBe(4);
    expect((await call("GET", `/api/clientes/${other.body.id}`, { headers: t.auth })).body).toMatchObject({
      numeroDocumento: "20512345678",
      codigoCliente: "CLI044",
    });
  });

  it("lets another tenant, or a client after the holder's deletion, use the same code and document", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const body = person();
    const first = await createClient(a, body);
    expect((await post(b.auth, body)).status).toBe(201);
    expect((await call("DELETE", `/api/clientes/${first}`, { headers: a.auth })).status).toBe(200);
    const again = await post(a.auth, body);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first);
  });

  it("creates exactly one client when the same codigoCliente is posted concurrently", async () => {
    const t = await newTenant();
    const results = await Promise.all(Array.from({ length: 6 }, () => post(t.auth, person({ codigoCliente: "RACE-1" }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await activeCounter(t.id)).toBe(1);
    const list = await call("GET", "/api/clientes", { headers: t.auth });
    expect(list.body.totalElements).toBe(1);
  });
});
