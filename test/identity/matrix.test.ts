import { describe, expect, it } from "vitest";
import { admin, call, newTenant, type TestTenant } from "../helpers";
import { post } from "../loyalty/fixtures";

/**
 * One registry under five contracts: a customer registered on any surface is the same
 * customer (the same id) on every other surface that can find, update, credit or list it
 * by a key that surface names. Each row of the matrix registers on one surface and checks
 * every other one.
 */

let serial = 0;
const next = () => ++serial;

async function kioskTenant(): Promise<TestTenant> {
  const t = await newTenant();
  expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
  return t;
}

function registration(n: number, overrides: Record<string, unknown> = {}) {
  return {
    codigoClienteVLT: 7000 + n,
    correo: `m${n}@example.com`,
    enviarWhatsApp: true,
    enviarCorreo: true,
    enviarSms: false,
    tarjeta: `MX${n.toString(16).padStart(6, "0").toUpperCase()}`,
    tipoDocumento: 1,
    dni: String(60_000_000 + n),
    nombre: `Jugador ${n}`,
    ...overrides,
  };
}

const kioskRegister = (body: unknown) => call("POST", "/api/clientes/register", { body, headers: { "cf-connecting-ip": `203.0.113.${(next() % 250) + 1}` } });
const lobby = (t: TestTenant, card: string) =>
  call("POST", "/api/lobby/authenticate", { body: { cardIdentifier: card }, headers: { "x-client-secret": t.kiosk.clientSecret } });
const clientById = (t: TestTenant, id: number) => call("GET", `/api/clientes/${id}`, { headers: t.auth });
const clientIds = async (t: TestTenant) => (await call("GET", "/api/clientes?size=100", { headers: t.auth })).body.content.map((c: { id: number }) => c.id);
const credit = async (t: TestTenant, externalId: string, total = 10, code = `m-${next()}`) =>
  call("POST", "/api/transaction", {
    headers: t.auth,
    body: { type: "POINTS COUPON", code, description: "Bienvenida", total, customer: { externalId, name: "Cliente", data: {} } },
  });
const findByExternalId = (t: TestTenant, externalId: string) =>
  call("GET", `/api/customer/findByExternalId?externalId=${encodeURIComponent(externalId)}`, { headers: t.auth });
const salesClient = (t: TestTenant, documento: string) => call("GET", `/api/sales/clientes/${encodeURIComponent(documento)}`, { headers: t.auth });
const salesRename = (t: TestTenant, documento: string, nombre: string) =>
  call("PUT", `/api/sales/clientes/${encodeURIComponent(documento)}`, { headers: t.auth, body: { nombre, id_tipo_cliente: 1, id_tipo_documento: 1 } });

/** The checks every surface that names `keys` makes of customer `id`. */
async function expectOneCustomer(t: TestTenant, id: number, keys: { document?: string; card?: string; vltCode?: number; externalId?: string; refId?: string }) {
  expect((await clientById(t, id)).body.id).toBe(id);
  expect(await clientIds(t)).toContain(id);
  expect((await call("PUT", `/api/clientes/${id}`, { headers: t.auth, body: { telefono: "999000111" } })).body).toMatchObject({ id, telefono: "999000111" });
  // (Before the kiosk checks below, which register new cards: each replaces the active one.)
  if (keys.card !== undefined) expect((await lobby(t, keys.card)).body.id).toBe(id);
  if (keys.document !== undefined) {
    // Loyalty: a partner value equal to the document credits this customer (and the value then finds it as its externalId too).
    const credited = await credit(t, keys.document);
    expect(credited.status).toBe(200);
    expect(credited.body.data.customer.id).toBe(String(id));
    expect((await findByExternalId(t, keys.document)).body.data).toMatchObject({ exists: true, id });
    // Sales: the document is this customer (a rename through sales shows through the clients surface).
    expect((await salesClient(t, keys.document)).status).toBe(200);
    expect((await salesRename(t, keys.document, `Vía ventas ${id}`)).status).toBe(200);
    expect((await clientById(t, id)).body.nombre).toBe(`Vía ventas ${id}`);
    // Kiosk: the dni matches this customer.
    const tapped = await kioskRegister(registration(next(), { dni: keys.document, codigoClienteVLT: keys.vltCode ?? 9_000_000 + next() }));
    expect(tapped.body).toMatchObject({ id, mensaje: "tarjeta agregada al cliente existente" });
  }
  if (keys.vltCode !== undefined) {
    const tapped = await kioskRegister(registration(next(), { codigoClienteVLT: keys.vltCode, dni: undefined }));
    expect(tapped.body).toMatchObject({ id, mensaje: "tarjeta agregada al cliente existente" });
  }
  if (keys.externalId !== undefined) {
    expect((await findByExternalId(t, keys.externalId)).body.data).toMatchObject({ exists: true, id });
    expect((await credit(t, keys.externalId)).body.data.customer.id).toBe(String(id));
    const history = await call("GET", `/api/transaction/history?customerId=${encodeURIComponent(keys.externalId)}`, { headers: t.auth });
    expect(history.body.data[0].customer).toMatchObject({ id: String(id), externalId: keys.externalId });
  }
  if (keys.refId !== undefined) {
    const tags = await call("POST", "/api/v3/business/tag/list", { headers: t.auth, body: { refId: keys.refId, customerId: id } });
    expect(tags.status).toBe(200);
  }
}

describe("one customer across the five surfaces", () => {
  it("registered at the kiosk (the seed's player): clients, sales, loyalty and the lobby find the same customer", async () => {
    const t = await kioskTenant();
    const body = registration(next(), { dni: "74658993", nombre: "Brandon" });
    const created = await kioskRegister(body);
    expect(created.status).toBe(201);
    await expectOneCustomer(t, created.body.id, { document: "74658993", card: body.tarjeta, vltCode: body.codigoClienteVLT });
    // The case the registry was rebuilt for: no second "Brandon".
    expect(await clientIds(t)).toEqual([created.body.id]);
  });

  it("registered by the clients surface: the kiosk, sales and loyalty find it by its document", async () => {
    const t = await kioskTenant();
    const n = next();
    const res = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: `Empresa ${n}`, tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: String(20_100_000_000 + n), codigoCliente: `M${n}` },
    });
    expect(res.status).toBe(201);
    await expectOneCustomer(t, res.body.id, { document: String(20_100_000_000 + n) });
  });

  it("registered by the parking surface: the clients surface finds and updates it by id, parking by refId and id", async () => {
    const t = await newTenant();
    const res = await call("POST", "/api/v3/business/customer/add", {
      headers: t.auth,
      body: {
        email: "p@example.com",
        phone: "+56975880800",
        name: "John",
        lastname: "Doe",
        isUnlimited: true,
        refId: "MATRIX-REF",
        tags: [{ code: "MX1", plate: "AB12" }],
      },
    });
    expect(res.status).toBe(201);
    await expectOneCustomer(t, res.body.customer, { refId: "MATRIX-REF" });
  });

  it("registered by the loyalty ledger: the clients surface finds it by id, loyalty by its externalId", async () => {
    const t = await newTenant();
    const res = await post(t, "w0vww4g1ek", "POINTS COUPON", 5, "m-l");
    expect(res.status).toBe(200);
    await expectOneCustomer(t, Number(res.body.data.customer.id), { externalId: "w0vww4g1ek" });
  });

  it("registered by the sales back office: the kiosk, loyalty and the clients surface find it by its document", async () => {
    const t = await kioskTenant();
    const created = await call("POST", "/api/sales/clientes", {
      headers: t.auth,
      body: { nombre: "Juan Pérez", id_tipo_cliente: 1, id_tipo_documento: 1, documento: "1234567890" },
    });
    expect(created.status).toBe(201);
    const tapped = await kioskRegister(registration(next(), { dni: "1234567890" }));
    expect(tapped.body.mensaje).toBe("tarjeta agregada al cliente existente");
    await expectOneCustomer(t, tapped.body.id, { document: "1234567890" });
    expect((await clientById(t, tapped.body.id)).body).toMatchObject({ numeroDocumento: "1234567890", tipoDocumento: "OTRO" });
  });
});

describe("the cases that showed five registries", () => {
  it("the ledger credits the kiosk's player by its dni as externalId, and findByExternalId finds it", async () => {
    const t = await kioskTenant();
    const created = await kioskRegister(registration(next(), { dni: "74658993" }));
    const before = await findByExternalId(t, "74658993");
    expect(before.body.data).toMatchObject({ exists: true, id: created.body.id, external_id: "74658993" });
    const credited = await credit(t, "74658993", 100);
    expect(credited.body.data.customer).toMatchObject({ id: String(created.body.id), externalId: "74658993" });
    expect(await clientIds(t)).toEqual([created.body.id]);
  });

  it("reloadsByCustomer and pointsByCustomer keep answering the document's ledger customer after other surfaces register the document", async () => {
    const t = await newTenant();
    await post(t, "0401591714", "BALANCE RELOAD", 50, "rl-1");
    await post(t, "0401591714", "POINTS COUPON", 5, "pt-1");
    const day = new Date().toISOString().slice(0, 10);
    const query = (path: string) => call("GET", `/api/transaction/${path}?document=0401591714&from=${day}&to=${day}`, { headers: t.auth });
    const reloads = async () => (await query("reloadsByCustomer")).body.data.map((x: { code: string }) => x.code);
    const points = async () => (await query("pointsByCustomer")).body.data.map((x: { code: string }) => x.code);
    expect([await reloads(), await points()]).toEqual([["rl-1"], ["pt-1"]]);
    const sales = await call("POST", "/api/sales/clientes", {
      headers: t.auth,
      body: { nombre: "Ana", id_tipo_cliente: 1, id_tipo_documento: 1, documento: "0401591714" },
    });
    expect(sales.status).toBe(201);
    const clients = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: "Ana", tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: "0401591714", codigoCliente: "ANA-1" },
    });
    expect(clients.status).toBe(201);
    expect([await reloads(), await points()]).toEqual([["rl-1"], ["pt-1"]]);
  });

  it("two clients share a numeroDocumento; the kiosk, sales and the ledger resolve it to the same one, its oldest holder", async () => {
    const t = await kioskTenant();
    const site = (code: string) =>
      call("POST", "/api/clientes", {
        headers: t.auth,
        body: { nombre: `Sede ${code}`, tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "20512345678", codigoCliente: code },
      });
    const first = await site("NORTE");
    const second = await site("SUR");
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await salesClient(t, "20512345678")).body.data.nombre).toBe("Sede NORTE");
    expect((await credit(t, "20512345678")).body.data.customer.id).toBe(String(first.body.id));
    expect((await kioskRegister(registration(next(), { dni: "20512345678", tipoDocumento: 6 }))).body.id).toBe(first.body.id);
    // The oldest holder gone, the document answers the next one everywhere.
    expect((await call("DELETE", `/api/clientes/${first.body.id}`, { headers: t.auth })).status).toBe(200);
    expect((await salesClient(t, "20512345678")).body.data.nombre).toBe("Sede SUR");
    expect((await kioskRegister(registration(next(), { dni: "20512345678", tipoDocumento: 6 }))).body.id).toBe(second.body.id);
    const list = await call("GET", "/api/sales/clientes", { headers: t.auth });
    expect(list.body.data.filter((c: { documento: string }) => c.documento === "20512345678")).toHaveLength(1);
  });

  it("a known dni with a new codigoClienteVLT adds the card to that client", async () => {
    await kioskTenant();
    const body = registration(next());
    const first = await kioskRegister(body);
    const again = await kioskRegister(registration(next(), { dni: body.dni }));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body.id, mensaje: "tarjeta agregada al cliente existente", esDuplicado: false });
  });
});

describe("a merge, seen from every surface", () => {
  it("every id and key of the absorbed customer answers as the survivor", async () => {
    const t = await kioskTenant();
    const body = registration(next());
    const kiosk = (await kioskRegister(body)).body.id as number;
    const ledger = Number((await post(t, "PARTNER-77", "POINTS COUPON", 30, "mg-1")).body.data.customer.id);
    const parking = await call("POST", "/api/v3/business/customer/add", {
      headers: t.auth,
      body: { email: "p@example.com", phone: "+56975880800", isUnlimited: true, refId: "MERGE-REF", tags: [] },
    });
    const merged = await admin("POST", `/admin/tenants/${t.id}/customers/${kiosk}/merge`, { from: ledger });
    expect(merged.status).toBe(200);
    expect((await admin("POST", `/admin/tenants/${t.id}/customers/${kiosk}/merge`, { from: parking.body.customer })).status).toBe(200);

    for (const absorbed of [ledger, parking.body.customer]) expect((await clientById(t, absorbed)).body.id).toBe(kiosk);
    expect(await clientIds(t)).toEqual([kiosk]);
    expect((await findByExternalId(t, "PARTNER-77")).body.data).toMatchObject({ exists: true, id: kiosk });
    expect((await credit(t, "PARTNER-77")).body.data.customer).toMatchObject({ id: String(kiosk), externalId: "PARTNER-77" });
    expect((await credit(t, body.dni)).body.data.customer.id).toBe(String(kiosk));
    expect((await lobby(t, body.tarjeta)).body.id).toBe(kiosk);
    const tags = await call("POST", "/api/v3/business/tag/list", { headers: t.auth, body: { refId: "MERGE-REF", customerId: parking.body.customer } });
    expect(tags.status).toBe(200);
    const tap = await kioskRegister(registration(next(), { codigoClienteVLT: body.codigoClienteVLT, dni: undefined }));
    expect(tap.body.id).toBe(kiosk);
  });
});
