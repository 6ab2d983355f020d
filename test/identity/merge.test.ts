import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, countRows, newTenant, type TestTenant } from "../helpers";
import { post } from "../loyalty/fixtures";

const merge = (tenantId: number, survivorId: number, from: unknown) => admin("POST", `/admin/tenants/${tenantId}/customers/${survivorId}/merge`, { from });

/** Every ledger fact a merge must keep: balances per unit, open lots with their expirations, report counters. */
async function ledgerState(t: TestTenant) {
  const totals = await env.DB.prepare(
    "SELECT unit, SUM(balance) AS balance, SUM(earned) AS earned FROM ledger_accounts WHERE tenant_id = ? GROUP BY unit ORDER BY unit",
  )
    .bind(t.id)
    .all();
  const lots = await env.DB.prepare("SELECT amount, remaining, expires_at, set_name FROM ledger_lots WHERE tenant_id = ? ORDER BY id").bind(t.id).all();
  const stores = await env.DB.prepare("SELECT * FROM report_store_days WHERE tenant_id = ? ORDER BY day, store_id").bind(t.id).all();
  const day = new Date().toISOString().slice(0, 10);
  const report = await call("GET", `/api/report/dailySummary/stores?startDate=${day}&endDate=${day}`, { headers: t.auth });
  return { totals: totals.results, lots: lots.results, counters: stores.results, report: report.body.data };
}

const history = async (t: TestTenant, externalId: string) =>
  (await call("GET", `/api/transaction/history?customerId=${externalId}`, { headers: t.auth })).body.data.map((x: { code: string }) => x.code);

describe("POST /admin/tenants/{tenantId}/customers/{survivorId}/merge", () => {
  it("moves identifiers, cards, sales and ledger accounts to the survivor, keeping balances, lots and report totals", async () => {
    const t = await newTenant();
    await post(t, "A", "POINTS COUPON", 100, "a1", { store: { externalId: "S1", name: "Centro" }, expirationDate: "2099-12-31" });
    await post(t, "A", "BALANCE RELOAD", 20, "a2");
    await post(t, "B", "POINTS COUPON", 50, "b1", { store: { externalId: "S1", name: "Centro" } });
    await post(t, "B", "POINTS REDEEM", 10, "b2");
    const survivor = Number((await post(t, "A", "POINTS COUPON", 1, "a3")).body.data.customer.id);
    const absorbed = Number((await post(t, "B", "POINTS COUPON", 1, "b3")).body.data.customer.id);
    const before = await ledgerState(t);

    const res = await merge(t.id, survivor, absorbed);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: survivor,
      identifiers: [
        { kind: "loyalty_id", value: "A" },
        { kind: "loyalty_id", value: "B" },
      ],
    });

    const after = await ledgerState(t);
    expect(after.totals).toEqual(before.totals);
    expect(after.lots).toEqual(before.lots);
    expect(after.counters).toEqual(before.counters);
    expect(after.report).toEqual(before.report);
    // One account per unit, every lot on it, one history numbered by time.
    const accounts = await env.DB.prepare("SELECT customer_id, unit, balance FROM ledger_accounts WHERE tenant_id = ? ORDER BY unit").bind(t.id).all();
    expect(accounts.results).toEqual([
      { customer_id: survivor, unit: "COINS", balance: 2000 },
      { customer_id: survivor, unit: "POINTS", balance: 14200 },
    ]);
    expect(await history(t, "A")).toEqual(["b3", "a3", "b2", "b1", "a2", "a1"]);
    expect(await history(t, "B")).toEqual(await history(t, "A"));
    const seqs = await env.DB.prepare("SELECT customer_seq FROM ledger_transactions WHERE tenant_id = ? ORDER BY created_at, id")
      .bind(t.id)
      .all<{ customer_seq: number }>();
    expect(seqs.results.map((r) => r.customer_seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // Both externalIds find the survivor; the lots pay as one account.
    const lots = await call("GET", "/api/batch/expiration?customerId=B", { headers: t.auth });
    // First-expiring-first: the three lots of the default lifetime, then a1's (2099), then the COINS.
    expect(lots.body.data.map((lot: { total_amount: string }) => lot.total_amount)).toEqual(["40.00", "1.00", "1.00", "100.00", "20.00"]);
    const spend = await post(t, "B", "POINTS REDEEM", 142, "spend-all");
    expect(spend.body.data.customer).toMatchObject({ id: String(survivor), externalId: "B" });
    // A rebuild from the merged ledger gives the same counters as before.
    expect((await admin("POST", `/admin/tenants/${t.id}/reports/rebuild`)).status).toBe(200);
    const rebuilt = await env.DB.prepare("SELECT * FROM report_store_days WHERE tenant_id = ? ORDER BY day, store_id").bind(t.id).all();
    expect(rebuilt.results.map(({ id: _id, ...row }) => row)).toEqual((await ledgerState(t)).counters.map(({ id: _id, ...row }) => row));
  });

  it("keeps one copy of a document both held, the survivor's profile, and both customers' cards", async () => {
    const t = await newTenant();
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
    const tap = (body: Record<string, unknown>) => call("POST", "/api/clientes/register", { body, headers: { "cf-connecting-ip": "203.0.113.77" } });
    const kiosk = await tap({
      codigoClienteVLT: 501,
      correo: "a@x.pe",
      enviarWhatsApp: true,
      enviarCorreo: true,
      enviarSms: true,
      tarjeta: "MERGE01",
      nombre: "Ana",
    });
    const client = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: "Ana Díaz", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "44556677", codigoCliente: "ANA", telefono: "999" },
    });
    const sale = await call("POST", "/api/sales/ventas", {
      headers: t.auth,
      body: { documento: "44556677", apartamento: "T1-101", monto: 100, tipo: "venta" },
    });
    expect(sale.status).toBe(201);
    const res = await merge(t.id, kiosk.body.id, client.body.id);
    expect(res.status).toBe(200);
    const survivor = await call("GET", `/api/clientes/${kiosk.body.id}`, { headers: t.auth });
    // The survivor's own name stays; what it lacked comes from the absorbed customer.
    expect(survivor.body).toMatchObject({ id: kiosk.body.id, nombre: "Ana", numeroDocumento: "44556677", codigoCliente: "ANA", telefono: "999" });
    expect((await call("GET", "/api/sales/clientes/44556677/ventas", { headers: t.auth })).body.data).toHaveLength(1);
    expect((await call("DELETE", "/api/sales/clientes/44556677", { headers: t.auth })).status).toBe(409);
    const lobby = await call("POST", "/api/lobby/authenticate", { body: { cardIdentifier: "MERGE01" }, headers: { "x-client-secret": t.kiosk.clientSecret } });
    expect(lobby.body).toMatchObject({ id: kiosk.body.id, dni: "44556677", codigoClienteVLT: 501 });
    // A repeated tap of the survivor's card still answers it.
    expect(
      (await tap({ codigoClienteVLT: 501, correo: "a@x.pe", enviarWhatsApp: true, enviarCorreo: true, enviarSms: true, tarjeta: "MERGE01" })).body.id,
    ).toBe(kiosk.body.id);
    const documents = await env.DB.prepare("SELECT customer_id, status, exclusive FROM identifiers WHERE tenant_id = ? AND kind = 'document'").bind(t.id).all();
    expect(documents.results).toEqual([{ customer_id: kiosk.body.id, status: "active", exclusive: 1 }]);
    expect(await countRows("customers")).toBeGreaterThan(0);
    const counters = await env.DB.prepare("SELECT active_customers AS active, documented_customers AS documented FROM tenants WHERE id = ?").bind(t.id).first();
    expect(counters).toEqual({ active: 1, documented: 1 });
  });

  it("keeps the survivor's name with its own surnames: a name never comes out doubled", async () => {
    const t = await newTenant();
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
    const client = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: "Ana Díaz", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "40506070", codigoCliente: "AD" },
    });
    const kiosk = await call("POST", "/api/clientes/register", {
      body: {
        codigoClienteVLT: 901,
        correo: "d@x.pe",
        enviarWhatsApp: true,
        enviarCorreo: true,
        enviarSms: true,
        tarjeta: "NAMES01",
        nombre: "Ana",
        apellidoPaterno: "Díaz",
      },
      headers: { "cf-connecting-ip": "203.0.113.79" },
    });
    expect((await merge(t.id, client.body.id, kiosk.body.id)).status).toBe(200);
    expect((await call("GET", `/api/clientes/${client.body.id}`, { headers: t.auth })).body.nombre).toBe("Ana Díaz");
  });

  it("a card the absorbed customer registered still answers a repeated tap as the survivor", async () => {
    const t = await newTenant();
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
    const tap = (vlt: number, card: string) =>
      call("POST", "/api/clientes/register", {
        body: { codigoClienteVLT: vlt, correo: "a@x.pe", enviarWhatsApp: true, enviarCorreo: true, enviarSms: true, tarjeta: card },
        headers: { "cf-connecting-ip": "203.0.113.78" },
      });
    const survivor = (await tap(601, "KEEP01")).body.id;
    const absorbed = (await tap(602, "GONE01")).body.id;
    expect((await merge(t.id, survivor, absorbed)).status).toBe(200);
    const again = await tap(602, "GONE01");
    expect(again.body).toMatchObject({ id: survivor, mensaje: "registro duplicado" });
    // Both cards stay active: the player may carry either.
    for (const card of ["KEEP01", "GONE01"]) {
      const lobby = await call("POST", "/api/lobby/authenticate", { body: { cardIdentifier: card }, headers: { "x-client-secret": t.kiosk.clientSecret } });
      expect(lobby.body.id).toBe(survivor);
    }
  });

  it("answers a repeated merge as the first, follows earlier merges, and refuses itself, other tenants and unknown ids", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const id = async (tenant: TestTenant, externalId: string) => Number((await post(tenant, externalId, "POINTS COUPON", 1, externalId)).body.data.customer.id);
    const [a, b, c] = [await id(t, "a"), await id(t, "b"), await id(t, "c")];
    const foreign = await id(other, "x");
    expect((await merge(t.id, b, c)).status).toBe(200);
    expect((await merge(t.id, b, c)).status).toBe(200);
    // c was absorbed into b; absorbing b into a makes c answer as a too.
    expect((await merge(t.id, a, b)).status).toBe(200);
    expect((await call("GET", `/api/clientes/${c}`, { headers: t.auth })).body.id).toBe(a);
    const self = await merge(t.id, a, a);
    expect(self.status).toBe(422);
    expect(self.body).toEqual({ code: "invalid", message: "Invalid input", errors: { from: ["A customer cannot be merged into itself."] } });
    const notFound = { code: "not_found", message: "Customer not found" };
    for (const [tenantId, survivor, from] of [
      [t.id, a, foreign],
      [other.id, foreign, a],
      [t.id, a, 999_999],
      [t.id, 999_999, a],
      [t.id, b, a],
    ] as const) {
      const res = await merge(tenantId, survivor, from);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound);
    }
    expect((await call("GET", `/api/clientes/${foreign}`, { headers: other.auth })).status).toBe(200);
  });

  it("merges two customers racing each other into one survivor exactly once", async () => {
    const t = await newTenant();
    const a = Number((await post(t, "ra", "POINTS COUPON", 10, "ra")).body.data.customer.id);
    const b = Number((await post(t, "rb", "POINTS COUPON", 5, "rb")).body.data.customer.id);
    const results = await Promise.all([merge(t.id, a, b), merge(t.id, b, a), merge(t.id, a, b), merge(t.id, b, a)]);
    const survivors = new Set(results.filter((r) => r.status === 200).map((r) => r.body.id));
    expect(survivors.size).toBe(1);
    for (const r of results) expect([200, 404]).toContain(r.status);
    const balances = await env.DB.prepare("SELECT customer_id, balance FROM ledger_accounts WHERE tenant_id = ?").bind(t.id).all();
    expect(balances.results).toEqual([{ customer_id: [...survivors][0], balance: 1500 }]);
  });
});
