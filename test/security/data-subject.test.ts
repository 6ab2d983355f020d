import { env } from "cloudflare:workers";
import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { PersonalDataExport } from "../../src/surfaces/admin/schemas";
import { admin, call, countRows, newTenant, type TestTenant } from "../helpers";
import { destinationTenant, register } from "../kiosk/support";

/**
 * Data-subject rights over one person met by every surface: registered at a kiosk (two
 * cards), credited and debited by the loyalty partner by document, sold an apartment by
 * the sales back office, and registered again by the parking operator (with a vehicle
 * tag) before an operator merged that duplicate in.
 */

const person = {
  dni: "74658993",
  nombre: "Brandonia",
  apellidoPaterno: "Mamanix",
  correo: "brandonia.mamanix@example.com",
  telefono: "928570056",
  codigoClienteVLT: 424_242,
  card: "E1A5ED01",
  card2: "E1A5ED02",
  refId: "PKREF-BRANDONIA",
  tag: "TAGBRANDONIA",
  plate: "BRND42",
};

const kioskBody = (card: string, sms: boolean) => ({
  tipoDocumento: 1,
  dni: person.dni,
  nombre: person.nombre,
  apellidoPaterno: person.apellidoPaterno,
  correo: person.correo,
  telefono: person.telefono,
  codigoClienteVLT: person.codigoClienteVLT,
  enviarWhatsApp: true,
  enviarCorreo: true,
  enviarSms: sms,
  tarjeta: card,
});

/** The export document, typed by the schema OpenAPI documents it with. */
type Export = z.infer<typeof PersonalDataExport>;

async function ok(res: Promise<{ status: number; text: string; body: unknown }>, status = 200): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

/** The person on every surface; returns the kiosk customer's id (the survivor) and the parking duplicate's. */
async function meetEverywhere(t: TestTenant): Promise<{ id: number; duplicate: number }> {
  const first = await ok(register(kioskBody(person.card, false)), 201);
  await ok(register(kioskBody(person.card2, true)), 201);
  const credit = {
    type: "POINTS COUPON",
    code: "ds-1",
    description: "Bienvenida",
    total: 100,
    customer: { externalId: person.dni, name: person.nombre, data: { referredBy: "amigo-99" } },
  };
  await ok(call("POST", "/api/transaction", { headers: t.auth, body: credit }));
  await ok(call("POST", "/api/transaction", { headers: t.auth, body: { ...credit, type: "POINTS REDEEM", code: "ds-2", total: 10 } }));
  await ok(
    call("POST", "/api/sales/ventas", {
      headers: t.auth,
      body: { documento: person.dni, apartamento: "Torre 2 - 704", monto: 3500, tipo: "venta", fecha: "2024-01-15" },
    }),
    201,
  );
  const parking = await ok(
    call("POST", "/api/v3/business/customer/add", {
      headers: t.auth,
      body: {
        email: person.correo,
        phone: person.telefono,
        name: person.nombre,
        lastname: person.apellidoPaterno,
        isUnlimited: true,
        refId: person.refId,
        tags: [{ code: person.tag, plate: person.plate }],
      },
    }),
    201,
  );
  await ok(admin("POST", `/admin/tenants/${t.id}/customers/${first.id}/merge`, { from: parking.customer }));
  return { id: first.id, duplicate: parking.customer };
}

async function reportCounters(tenantId: number) {
  const stores = await env.DB.prepare("SELECT * FROM report_store_days WHERE tenant_id = ? ORDER BY day, store_id").bind(tenantId).all();
  const products = await env.DB.prepare("SELECT * FROM report_product_days WHERE tenant_id = ? ORDER BY day, store_id, product_id").bind(tenantId).all();
  const strip = (rows: Record<string, unknown>[]) => rows.map(({ id: _id, ...rest }) => rest);
  return { stores: strip(stores.results), products: strip(products.results) };
}

async function ledgerTotals(tenantId: number) {
  return env.DB.prepare(
    "SELECT (SELECT total(balance) FROM ledger_accounts WHERE tenant_id = ?1) AS balances, (SELECT count(*) || ':' || total(amount) FROM ledger_transactions WHERE tenant_id = ?1) AS transactions, (SELECT total(remaining) FROM ledger_lots WHERE tenant_id = ?1) AS lots, (SELECT count(*) || ':' || total(amount) FROM sales WHERE tenant_id = ?1) AS sales",
  )
    .bind(tenantId)
    .first();
}

/** Every row of the tenant outside the audit log, as text. */
async function tenantText(tenantId: number): Promise<string> {
  const tables = (
    await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'd1%' AND name <> 'audit_log'",
    ).all<{ name: string }>()
  ).results;
  const parts: unknown[] = [];
  for (const { name } of tables) {
    const columns = (await env.DB.prepare(`PRAGMA table_info(${name})`).all<{ name: string }>()).results;
    if (columns.some((c) => c.name === "tenant_id"))
      parts.push((await env.DB.prepare(`SELECT * FROM ${name} WHERE tenant_id = ?`).bind(tenantId).all()).results);
  }
  return JSON.stringify(parts);
}

describe("GET /admin/tenants/{tenantId}/customers/{customerId}/export", () => {
  it("returns one document with everything about the person, from every surface (a merged id exports its survivor)", async () => {
    const t = await destinationTenant();
    const { id, duplicate } = await meetEverywhere(t);
    const res = await admin("GET", `/admin/tenants/${t.id}/customers/${duplicate}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const doc: Export = res.body;
    expect(doc).toMatchObject({ tenantId: t.id, customerId: id, exportedAt: expect.any(String) });
    expect(doc.records.map((r) => [r.id, r.active, r.mergedIntoId])).toEqual([
      [id, true, null],
      [duplicate, false, id],
    ]);
    expect(doc.records[0]!.profile).toMatchObject({
      name: person.nombre,
      paternalSurname: person.apellidoPaterno,
      email: person.correo,
      phone: person.telefono,
    });
    expect(doc.records[0]!.consents).toMatchObject({ whatsapp: { granted: true }, email: { granted: true }, sms: { granted: true } });
    expect(doc.records[1]!.profile).toMatchObject({ name: person.nombre, lastName: person.apellidoPaterno });
    const keys = doc.identifiers.map((i) => [i.kind, i.value, i.status]);
    expect(keys).toEqual(
      expect.arrayContaining([
        ["document", person.dni, "active"],
        ["vlt_code", String(person.codigoClienteVLT), "active"],
        ["loyalty_id", person.dni, "active"],
        ["parking_ref", person.refId, "active"],
      ]),
    );
    expect(doc.cards.map((c) => [c.uid, c.status])).toEqual([
      [person.card, "replaced"],
      [person.card2, "active"],
    ]);
    expect(doc.tags).toEqual([expect.objectContaining({ code: person.tag, plate: person.plate, status: "active", customerId: id })]);
    expect(doc.consentHistory.map((h) => [h.kind, h.granted, h.channel])).toEqual([
      ["whatsapp", true, "kiosk"],
      ["email", true, "kiosk"],
      ["sms", false, "kiosk"],
      ["sms", true, "kiosk"],
    ]);
    expect(doc.ledger.accounts).toEqual([
      expect.objectContaining({ unit: "POINTS", balance: 90, lots: [expect.objectContaining({ amount: 100, remaining: 90 })] }),
    ]);
    expect(doc.ledger.transactions.map((x) => [x.code, x.direction, x.amount])).toEqual([
      ["ds-1", "CREDIT", 100],
      ["ds-2", "DEBIT", 10],
    ]);
    expect(doc.sales).toEqual([expect.objectContaining({ apartment: "Torre 2 - 704", amount: 3500, kind: "venta", date: "2024-01-15" })]);
    // The events about both records, as the feed serves them.
    expect(doc.events.map((e) => e.type)).toEqual([
      "customer.created",
      "card.bound",
      "customer.updated",
      "card.replaced",
      "customer.updated",
      "ledger.posted",
      "ledger.posted",
      "sale.recorded",
      "customer.created",
      "tag.added",
      "customer.merged",
    ]);
    expect(doc.events[0]).toMatchObject({ id: `evt_${t.id}_1`, data: { customer: { id, identifiers: expect.any(Array) } } });
  });

  it("answers 404 for an unknown customer, another tenant's, or an unknown tenant, and writes nothing", async () => {
    const a = await destinationTenant();
    const { id } = await meetEverywhere(a);
    const b = await newTenant();
    const entries = await countRows("audit_log");
    for (const path of [
      `/admin/tenants/${b.id}/customers/${id}/export`,
      `/admin/tenants/${a.id}/customers/987654321/export`,
      `/admin/tenants/987654321/customers/${id}/export`,
    ]) {
      const res = await admin("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ code: "not_found", message: "Customer not found" });
    }
    expect(await countRows("audit_log")).toBe(entries);
  });
});

describe("POST /admin/tenants/{tenantId}/customers/{customerId}/erase", () => {
  it("removes the person from every surface, keeps ledger amounts and report counters (a rebuild agrees), and is idempotent", async () => {
    const t = await destinationTenant();
    const { id, duplicate } = await meetEverywhere(t);
    const countersBefore = await reportCounters(t.id);
    const ledgerBefore = await ledgerTotals(t.id);

    const res = await admin("POST", `/admin/tenants/${t.id}/customers/${id}/erase`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ customerId: id, erasedAt: expect.any(String), erasedNow: true });

    // Nothing that identifies the person is left in any of the tenant's rows.
    const stored = await tenantText(t.id);
    for (const value of [
      person.dni,
      person.nombre,
      person.apellidoPaterno,
      person.correo,
      person.telefono,
      person.card,
      person.card2,
      person.refId,
      person.tag,
      person.plate,
    ]) {
      expect(stored, value).not.toContain(value);
    }
    const vltCodes = env.DB.prepare("SELECT count(*) AS n FROM identifiers WHERE tenant_id = ? AND value = ?").bind(t.id, String(person.codigoClienteVLT));
    expect(await vltCodes.first("n")).toBe(0);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM consent_history WHERE customer_id IN (?, ?)").bind(id, duplicate).first("n")).toBe(0);

    // Accounting is untouched, and a rebuild of the reports gives the same counters.
    expect(await ledgerTotals(t.id)).toEqual(ledgerBefore);
    expect(await reportCounters(t.id)).toEqual(countersBefore);
    expect((await admin("POST", `/admin/tenants/${t.id}/reports/rebuild`)).status).toBe(200);
    expect(await reportCounters(t.id)).toEqual(countersBefore);

    // Every surface answers the person as not found.
    expect((await call("GET", `/api/clientes/${id}`, { headers: t.auth })).status).toBe(404);
    expect((await call("GET", `/api/clientes/${duplicate}`, { headers: t.auth })).status).toBe(404);
    const lobby = await call("POST", "/api/lobby/authenticate", {
      headers: { "x-client-secret": t.kiosk.clientSecret },
      body: { cardIdentifier: person.card2 },
    });
    expect(lobby.status).toBe(404);
    expect((await call("POST", "/api/v3/business/tag/list", { headers: t.auth, body: { refId: person.refId } })).status).toBe(404);
    expect((await call("GET", `/api/transaction/history?customerId=${person.dni}`, { headers: t.auth })).status).toBe(404);
    const found = await call("GET", `/api/customer/findByExternalId?externalId=${person.dni}`, { headers: t.auth });
    expect(found.body.data).toEqual({ exists: false, id: null, external_id: null, name: null, data: null });
    expect((await call("GET", `/api/sales/clientes/${person.dni}`, { headers: t.auth })).status).toBe(404);
    expect((await call("GET", `/api/sales/clientes/${person.dni}/ventas`, { headers: t.auth })).status).toBe(404);
    // A ledger view that must still show the person's transaction shows an anonymous holder.
    const byCode = await call("GET", "/api/transaction/transactionByCode?type=POINTS%20COUPON&code=ds-1", { headers: t.auth });
    expect(byCode.status).toBe(200);
    expect(byCode.body.data[0].customer).toMatchObject({ id: String(id), externalId: "", name: "null" });

    // Repeating changes nothing and answers the first erasure.
    const again = await admin("POST", `/admin/tenants/${t.id}/customers/${duplicate}/erase`);
    expect(again.body).toEqual({ customerId: id, erasedAt: res.body.erasedAt, erasedNow: false });
    expect(await tenantText(t.id)).toBe(stored);

    // What is left, as the export shows it: an anonymous record with its ledger.
    const left: Export = (await admin("GET", `/admin/tenants/${t.id}/customers/${id}/export`)).body;
    expect(left.records[0]!.erasedAt).toBe(res.body.erasedAt);
    expect(Object.values(left.records[0]!.profile).every((v) => v === null)).toBe(true);
    expect(left.identifiers.every((i) => i.value.startsWith("erased:") && i.status !== "active" && i.qualifier === null)).toBe(true);
    expect(left.consentHistory).toEqual([]);
    expect(left.ledger.accounts[0]!.balance).toBe(90);
    // The person's events keep their place and lose their data; the last one tells partners to erase their copies.
    const forgotten = { customer: { id: expect.any(Number), identifiers: [] } };
    expect(left.events.slice(0, -1).map((e) => e.data)).toEqual(left.events.slice(0, -1).map(() => ({ ...forgotten, redacted: true })));
    expect(left.events.at(-1)).toMatchObject({ type: "customer.erased", data: { ...forgotten, erased_at: res.body.erasedAt } });

    // The same person registering again is a new customer: the card's lock forgot its holder.
    const anew = await register(kioskBody(person.card2, true));
    expect(anew.status).toBe(201);
    expect(anew.body.mensaje).toBe("cliente nuevo");
    expect(anew.body.id).not.toBe(id);
  });

  it("the registrations and referrals of an erased person still count when the reports are rebuilt", async () => {
    const t = await newTenant();
    const referred = {
      type: "POINTS COUPON",
      code: "rf-1",
      description: "Alta",
      total: 5,
      customer: { externalId: "REF-PERSON-1", name: "Referida", data: { referredBy: "amigo-99" } },
    };
    await ok(call("POST", "/api/transaction", { headers: { ...t.auth, platform: "web" }, body: referred }));
    const id = Number((await ok(call("GET", "/api/customer/findByExternalId?externalId=REF-PERSON-1", { headers: t.auth }))).data.id);
    const before = await reportCounters(t.id);
    expect(before.stores[0]).toMatchObject({ referrals: 1, registered_web: 1 });
    await ok(admin("POST", `/admin/tenants/${t.id}/customers/${id}/erase`));
    expect(await tenantText(t.id)).not.toContain("amigo-99");
    await ok(admin("POST", `/admin/tenants/${t.id}/reports/rebuild`));
    expect(await reportCounters(t.id)).toEqual(before);
  });

  it("a document the person shared passes to its next holder", async () => {
    const t = await destinationTenant();
    const { id } = await meetEverywhere(t);
    const company = await ok(
      call("POST", "/api/clientes", {
        headers: t.auth,
        body: { nombre: "Empresa Compartida", tipoCliente: "EMPRESA", tipoDocumento: "DNI", numeroDocumento: person.dni, codigoCliente: "EMP-DS" },
      }),
      201,
    );
    expect((await call("GET", `/api/sales/clientes/${person.dni}`, { headers: t.auth })).body.data.nombre).toBe(`${person.nombre} ${person.apellidoPaterno}`);
    await ok(admin("POST", `/admin/tenants/${t.id}/customers/${id}/erase`));
    const now = await call("GET", `/api/sales/clientes/${person.dni}`, { headers: t.auth });
    expect(now.status).toBe(200);
    expect(now.body.data.nombre).toBe("Empresa Compartida");
    expect((await call("GET", `/api/clientes/${company.id}`, { headers: t.auth })).body.numeroDocumento).toBe(person.dni);
  });

  it("answers 404 for another tenant's customer and writes nothing", async () => {
    const a = await destinationTenant();
    const { id } = await meetEverywhere(a);
    const b = await newTenant();
    const before = await tenantText(a.id);
    const res = await admin("POST", `/admin/tenants/${b.id}/customers/${id}/erase`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: "not_found", message: "Customer not found" });
    expect(await tenantText(a.id)).toBe(before);
    expect((await call("GET", `/api/clientes/${id}`, { headers: a.auth })).status).toBe(200);
  });
});

describe("consent history", () => {
  it("keeps every change of a consent with its value, time and channel, written with the registration", async () => {
    const t = await destinationTenant();
    const first = await ok(register({ ...kioskBody("C0FFEE01", false), codigoClienteVLT: 5151, dni: "41414141" }), 201);
    // Same consents with a new card: no change, no history row.
    await ok(register({ ...kioskBody("C0FFEE02", false), codigoClienteVLT: 5151, dni: "41414141" }), 201);
    await ok(register({ ...kioskBody("C0FFEE03", true), codigoClienteVLT: 5151, dni: "41414141", enviarCorreo: false }), 201);
    const rows = await env.DB.prepare("SELECT kind, granted, channel, created_at FROM consent_history WHERE customer_id = ? ORDER BY id").bind(first.id).all();
    expect(rows.results.map((r) => [r.kind, r.granted, r.channel])).toEqual([
      ["whatsapp", 1, "kiosk"],
      ["email", 1, "kiosk"],
      ["sms", 0, "kiosk"],
      ["email", 0, "kiosk"],
      ["sms", 1, "kiosk"],
    ]);
    const customer = await env.DB.prepare("SELECT consent_email, consent_email_at FROM customers WHERE id = ?").bind(first.id).first();
    expect(customer).toEqual({ consent_email: 0, consent_email_at: rows.results[3]!.created_at });
    expect(t.id).toBeGreaterThan(0);
  });
});
