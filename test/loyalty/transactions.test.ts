import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, cost, countRows, newTenant } from "../helpers";
import { balanceOf, ID, LOCAL_TIME, ledgerFootprint, POINTS, post, seed, total } from "./fixtures";

const validation = (field: string, value: string | RegExp = expect.any(String)) => ({
  code: 422,
  status: "error",
  message: "Error de Validacion",
  warning: { code: "null", field, value: typeof value === "string" ? value : expect.stringMatching(value) },
  error: [],
});

describe("POST /api/transaction", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    const res = await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: {
        id: ID,
        title: "Cupón",
        description: "Beneficio de puntos por Bienvenida",
        code: "Bienvenido",
        external_entity_id: "Bienvenido",
        type: "CREDIT",
        total: "100",
        created_at: LOCAL_TIME,
        unit: POINTS,
        customer: { id: ID, externalId: "0100037894", name: "Santiago", totals: [total("100.00")] },
        // The seed's schema declares a string here, and its example answers "null" though the request names a store.
        store: "null",
      },
      warning: [],
      error: [],
    });
    const customer = await env.DB.prepare("SELECT channel, name, loyalty_data FROM customers WHERE tenant_id = ?").bind(t.id).first();
    expect(customer).toEqual({ channel: "loyalty", name: "Santiago", loyalty_data: JSON.stringify(seed.transaction.customer.data) });
    const row = await env.DB.prepare(
      "SELECT external_id, partner_title, checkbook_id, transfer_transaction_id, vendor_id IS NOT NULL AS has_vendor FROM ledger_transactions WHERE tenant_id = ?",
    )
      .bind(t.id)
      .first();
    expect(row).toEqual({ external_id: "123", partner_title: "Titulo", checkbook_id: "12240", transfer_transaction_id: "5446", has_vendor: 1 });
    // The shared registry's counter moved with the customer.
    expect(await env.DB.prepare("SELECT active_customers AS n FROM tenants WHERE id = ?").bind(t.id).first("n")).toBe(1);
  });

  it("renders created_at in the tenant's time zone and the expiration date as a local end of day", async () => {
    const t = await newTenant({ timezone: "America/Guayaquil" });
    const before = Date.now();
    const res = await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    const local = new Date(before - 5 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(res.body.data.created_at.slice(0, 16)).toBe(local);
    const lot = await env.DB.prepare("SELECT expires_at FROM ledger_lots WHERE tenant_id = ?").bind(t.id).first<number>("expires_at");
    expect(lot).toBe(Date.UTC(2018, 5, 4, 4, 59, 59));
  });

  it("replays the original transaction on a retry with the same type, code and body", async () => {
    const t = await newTenant();
    const first = await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    const again = await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await ledgerFootprint(t.id)).toMatchObject({ ledger_transactions: 1, ledger_lots: 1, customers: 1 });
  });

  it("costs two D1 round trips: one read (the token check riding in it), and one batch that writes and reads back what it wrote", async () => {
    const t = await newTenant();
    const first = await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    expect(cost(first.headers).d1RoundTrips).toBe(2);
    // A replay renders the original with one more read instead of the write batch.
    const again = await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    expect(again.body).toEqual(first.body);
    expect(cost(again.headers).d1RoundTrips).toBe(2);
  });

  it("refuses the same type and code with a different body (422 on code), writing nothing", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    const before = await ledgerFootprint(t.id);
    const res = await call("POST", "/api/transaction", { headers: t.auth, body: { ...seed.transaction, total: 101 } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(validation("code", "The code was already used by a different transaction of this type."));
    expect(await ledgerFootprint(t.id)).toEqual(before);
    expect(await balanceOf(t.id, "0100037894")).toBe(10000);
  });

  it("applies concurrent retries of one (type, code) exactly once", async () => {
    const t = await newTenant();
    const results = await Promise.all(Array.from({ length: 8 }, () => call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.body.data.id)).size).toBe(1);
    expect(await ledgerFootprint(t.id)).toMatchObject({ ledger_transactions: 1, customers: 1, ledger_accounts: 1 });
    expect(await balanceOf(t.id, "0100037894")).toBe(10000);
  });

  it("debits with a debit type and refuses an overdraft with nothing written", async () => {
    const t = await newTenant();
    await post(t, "c1", "POINTS COUPON", 50);
    const debit = await post(t, "c1", "POINTS REDEEM", 20.5, "r1");
    expect(debit.status).toBe(200);
    expect(debit.body.data).toMatchObject({ type: "DEBIT", total: "20.50", title: "Canje", customer: { totals: [total("29.50")] } });
    const before = await ledgerFootprint(t.id);
    const overdraft = await post(t, "c1", "POINTS REDEEM", 29.51, "r2");
    expect(overdraft.status).toBe(422);
    expect(overdraft.body).toEqual(validation("total", "The customer's balance does not cover this amount."));
    expect(await ledgerFootprint(t.id)).toEqual(before);
    // A new customer's first debit overdraws too: not even the customer is created.
    const stranger = await post(t, "nobody", "POINTS REDEEM", 1, "r3");
    expect(stranger.status).toBe(422);
    expect(await ledgerFootprint(t.id)).toEqual(before);
  });

  it("serialises concurrent debits of one customer: no overdraft slips through", async () => {
    const t = await newTenant();
    await post(t, "c1", "POINTS COUPON", 100);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => post(t, "c1", "POINTS REDEEM", 10, `d${i}`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 422)).toHaveLength(2);
    expect(await balanceOf(t.id, "c1")).toBe(0);
  });

  it("credits COINS with BALANCE RELOAD and keeps units apart", async () => {
    const t = await newTenant();
    await post(t, "c1", "POINTS COUPON", 5);
    const res = await post(t, "c1", "BALANCE RELOAD", 250);
    expect(res.body.data).toMatchObject({
      title: "Recarga",
      type: "CREDIT",
      total: "250",
      unit: { id: "2", name: "COINS", sign: "$" },
      customer: { totals: [total("5.00"), total("250.00", { id: "2", name: "COINS", sign: "$" })] },
    });
    expect((await post(t, "c1", "BALANCE REDEEM", 250.01)).status).toBe(422);
    expect((await post(t, "c1", "BALANCE REDEEM", 250)).body.data.customer.totals[1].total_amount).toBe("0.00");
  });

  it("records the Platform header as the channel of customers it creates", async () => {
    const t = await newTenant();
    for (const [platform, id] of [
      ["web", "w"],
      ["IOS", "i"],
      ["android", "a"],
      ["mobile", "m"],
      ["fax", "f"],
    ] as const) {
      await call("POST", "/api/transaction", {
        headers: { ...t.auth, platform },
        body: { ...seed.transaction, code: id, customer: { ...seed.transaction.customer, externalId: id } },
      });
    }
    const rows = await env.DB.prepare(
      "SELECT (SELECT value FROM identifiers WHERE customer_id = customers.id AND kind = 'loyalty_id') AS id, channel FROM customers WHERE tenant_id = ? ORDER BY customers.id",
    )
      .bind(t.id)
      .all();
    expect(rows.results).toEqual([
      { id: "w", channel: "web" },
      { id: "i", channel: "ios" },
      { id: "a", channel: "android" },
      { id: "m", channel: "mobile" },
      { id: "f", channel: "loyalty" },
    ]);
  });

  it("stores injection strings verbatim", async () => {
    const t = await newTenant();
    const evil = "'; DROP TABLE ledger_transactions; --";
    const res = await call("POST", "/api/transaction", {
      headers: t.auth,
      body: { ...seed.transaction, code: evil, description: evil, customer: { externalId: evil, name: evil, data: { x: evil } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ code: evil, description: evil, customer: { externalId: evil, name: evil } });
    const found = await call("GET", `/api/customer/findByExternalId?externalId=${encodeURIComponent(evil)}`, { headers: t.auth });
    expect(found.body.data).toMatchObject({ exists: true, external_id: evil, data: { x: evil } });
  });

  it.each([
    ["missing type", { type: undefined }, "type", "The type field is required."],
    ["unknown type", { type: "POINTS GIFT" }, "type", "The selected type is invalid."],
    ["the system expiration type", { type: "POINTS EXPIRATION" }, "type", "The selected type is invalid."],
    ["the transfer type", { type: "BALANCE TRANSFER DEBIT" }, "type", "The selected type is invalid."],
    ["missing description", { description: undefined }, "description", "The description field is required."],
    ["missing total", { total: undefined }, "total", "The total field is required."],
    ["string total", { total: "100" }, "total", "The total field must be a number."],
    ["zero total", { total: 0 }, "total", "The total field must be at least 0.01."],
    ["three decimals", { total: 1.005 }, "total", "The amount must have at most two decimals."],
    ["huge total", { total: 1e12 }, "total", "The total field must not be greater than 1000000000."],
    ["missing customer", { customer: undefined }, "customer", "The customer field is required."],
    ["customer without data", { customer: { externalId: "1", name: "x" } }, "customer.data", "The customer.data field is required."],
    ["customer without externalId", { customer: { name: "x", data: {} } }, "customer.externalId", "The customer.externalId field is required."],
    ["bad expiration", { expirationDate: "2018-02-30" }, "expirationDate", /valid date/],
    ["over-long code", { code: "x".repeat(192) }, "code", "The code field must not be greater than 191 characters."],
    ["over-long description", { description: "x".repeat(1001) }, "description", "The description field must not be greater than 1000 characters."],
  ])("refuses %s with 422 naming the field", async (_, change, field, value) => {
    const t = await newTenant();
    const res = await call("POST", "/api/transaction", { headers: t.auth, body: { ...seed.transaction, ...change } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(validation(field, value));
    expect(await ledgerFootprint(t.id)).toMatchObject({ customers: 0, ledger_transactions: 0 });
  });

  it("answers malformed JSON, a non-JSON body and a 100 KiB body in the envelope", async () => {
    const t = await newTenant();
    const malformed = await call("POST", "/api/transaction", { headers: { ...t.auth, "content-type": "application/json" }, rawBody: "{" });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toMatchObject({ code: 422, status: "error", message: "Error de Validacion" });
    const big = await call("POST", "/api/transaction", {
      headers: t.auth,
      body: { ...seed.transaction, description: "x".repeat(100 * 1024) },
    });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ code: 413, status: "error", message: "Payload Too Large", warning: [], error: [] });
    expect(await ledgerFootprint(t.id)).toMatchObject({ customers: 0, ledger_transactions: 0 });
  });

  it("answers 401 without a valid token", async () => {
    const res = await call("POST", "/api/transaction", { body: seed.transaction, headers: { authorization: "Bearer a.b.c" } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 401, status: "error", message: "Unauthenticated", warning: [], error: [] });
  });

  it("keeps tenants apart: the same customer id and code are distinct per tenant", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const ra = await call("POST", "/api/transaction", { headers: a.auth, body: seed.transaction });
    const rb = await call("POST", "/api/transaction", { headers: b.auth, body: { ...seed.transaction, total: 7 } });
    expect(rb.status).toBe(200);
    expect(rb.body.data.id).not.toBe(ra.body.data.id);
    expect(rb.body.data.customer.id).not.toBe(ra.body.data.customer.id);
    expect(rb.body.data.customer.totals).toEqual([total("7.00")]);
    expect(await balanceOf(a.id, "0100037894")).toBe(10000);
  });

  it("refuses a deactivated customer", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction });
    await env.DB.prepare("UPDATE customers SET active = 0 WHERE tenant_id = ?").bind(t.id).run();
    const res = await call("POST", "/api/transaction", { headers: t.auth, body: { ...seed.transaction, code: "other" } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(validation("customer.externalId", "The customer is inactive."));
  });
});

describe("POST /api/transaction/checkbook", () => {
  it("answers the seed's example and stores the order line", async () => {
    const t = await newTenant();
    const res = await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: seed.checkbook });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: {
        id: ID,
        title: "Orden",
        description: "Centro",
        code: "Bienvenido",
        external_entity_id: "Bienvenido",
        type: "CREDIT",
        total: "20",
        created_at: LOCAL_TIME,
        unit: POINTS,
        customer: { id: ID, externalId: "0100037894", name: "Santiago", totals: [total("20.00")] },
        store: { id: ID, externalId: "1200037894", name: "Centro" },
      },
      warning: [],
      error: [],
    });
    const line = await env.DB.prepare(
      "SELECT p.external_id, p.name, l.total, l.earned_redeemed, t.order_total FROM ledger_order_lines l JOIN ledger_products p ON p.id = l.product_id JOIN ledger_transactions t ON t.id = l.transaction_id WHERE l.tenant_id = ?",
    )
      .bind(t.id)
      .first();
    expect(line).toEqual({ external_id: "39535", name: "Twister", total: 1000, earned_redeemed: 2000, order_total: 10000 });
  });

  it("accepts an array of detail lines, and a redemption (negative earnedRedeemed) as a debit", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction/checkbook", {
      headers: t.auth,
      body: { ...seed.checkbook, code: "o1", detail: [seed.checkbook.detail, { ...seed.checkbook.detail, externalId: "2" }] },
    });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_order_lines WHERE tenant_id = ?").bind(t.id).first("n")).toBe(2);
    const redeem = await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: { ...seed.checkbook, code: "o2", earnedRedeemed: -15 } });
    expect(redeem.body.data).toMatchObject({ type: "DEBIT", total: "15", customer: { totals: [total("5.00")] } });
    const over = await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: { ...seed.checkbook, code: "o3", earnedRedeemed: -6 } });
    expect(over.status).toBe(422);
    expect(over.body).toEqual(validation("earnedRedeemed", "The customer's balance does not cover this amount."));
  });

  it.each([
    ["missing store", { store: undefined }, "store"],
    ["missing code", { code: undefined }, "code"],
    ["missing externalId", { externalId: undefined }, "externalId"],
    ["detail without externalId", { detail: { name: "x", total: 1 } }, "detail"],
    ["negative total", { total: -1 }, "total"],
  ])("refuses %s", async (_, change, field) => {
    const t = await newTenant();
    const res = await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: { ...seed.checkbook, ...change } });
    expect(res.status).toBe(422);
    expect(res.body.warning.field.startsWith(field)).toBe(true);
    expect(await ledgerFootprint(t.id)).toMatchObject({ customers: 0, ledger_transactions: 0 });
  });
});

describe("POST /api/transaction/reverse", () => {
  it("answers the seed's example: reverses a checkbook credit", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: seed.checkbook });
    const res = await call("POST", "/api/transaction/reverse", { headers: t.auth, body: seed.reverse });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: {
        id: ID,
        title: "Reverso de orden",
        description: "Centro",
        code: "Bienvenido",
        external_entity_id: "Bienvenido",
        type: "DEBIT",
        total: "20.00",
        created_at: LOCAL_TIME,
        unit: POINTS,
        customer: { id: ID, externalId: "0100037894", name: "Santiago", totals: [total("0.00")] },
        store: { id: ID, externalId: "1200037894", name: "Centro" },
      },
      warning: [],
      error: [],
    });
    // The lot of the reversed credit is emptied.
    expect(await env.DB.prepare("SELECT SUM(remaining) AS n FROM ledger_lots WHERE tenant_id = ?").bind(t.id).first("n")).toBe(0);
  });

  it("refuses a second reverse of the same transaction, also when racing", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: seed.checkbook });
    const results = await Promise.all(Array.from({ length: 5 }, () => call("POST", "/api/transaction/reverse", { headers: t.auth, body: seed.reverse })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(r.body).toEqual(validation("code", "The transaction has already been reversed."));
    expect(await tenantRowsOf(t.id)).toBe(2);
  });

  it("gives a reversed debit back to the lots it took from", async () => {
    const t = await newTenant();
    await post(t, "c1", "POINTS COUPON", 10, "a", { expirationDate: "2099-01-01" });
    await post(t, "c1", "POINTS COUPON", 10, "b", { expirationDate: "2098-01-01" });
    await post(t, "c1", "POINTS REDEEM", 15, "spend");
    const lots = () =>
      env.DB.prepare("SELECT remaining FROM ledger_lots WHERE tenant_id = ? ORDER BY id")
        .bind(t.id)
        .all()
        .then((r) => r.results.map((l) => l.remaining));
    expect(await lots()).toEqual([500, 0]);
    const res = await call("POST", "/api/transaction/reverse", { headers: t.auth, body: { type: "POINTS REDEEM", code: "spend" } });
    expect(res.body.data).toMatchObject({ type: "CREDIT", title: "Reverso de canje", total: "15.00", customer: { totals: [total("20.00")] } });
    expect(await lots()).toEqual([1000, 1000]);
  });

  it("refuses to reverse a credit whose points were spent, with nothing written", async () => {
    const t = await newTenant();
    await post(t, "c1", "POINTS COUPON", 10, "a");
    await post(t, "c1", "POINTS REDEEM", 5, "spend");
    const before = await ledgerFootprint(t.id);
    const res = await call("POST", "/api/transaction/reverse", { headers: t.auth, body: { type: "POINTS COUPON", code: "a" } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(validation("code", "The customer's balance no longer holds the points to take back."));
    expect(await ledgerFootprint(t.id)).toEqual(before);
  });

  it("answers 404 for an unknown code or another tenant's, and 422 for transfers", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await call("POST", "/api/transaction/checkbook", { headers: a.auth, body: seed.checkbook });
    const missing = await call("POST", "/api/transaction/reverse", { headers: a.auth, body: { ...seed.reverse, code: "nope" } });
    const foreign = await call("POST", "/api/transaction/reverse", { headers: b.auth, body: seed.reverse });
    for (const res of [missing, foreign]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 404, status: "error", message: "404 Not Found", warning: [], error: [] });
    }
    const transfer = await call("POST", "/api/transaction/reverse", { headers: a.auth, body: { type: "BALANCE TRANSFER DEBIT", code: "x" } });
    expect(transfer.body).toEqual(validation("type", "Transactions of this type cannot be reversed."));
    const missingCode = await call("POST", "/api/transaction/reverse", { headers: a.auth, body: { type: "POINTS ORDER" } });
    expect(missingCode.body).toEqual(validation("code", "The code field is required."));
  });
});

async function tenantRowsOf(tenantId: number) {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM ledger_transactions WHERE tenant_id = ?").bind(tenantId).first<number>("n")) ?? 0;
}

describe("POST /api/transaction/reverseMany", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    for (const code of seed.reverseMany.codes) await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: { ...seed.checkbook, code } });
    const res = await call("POST", "/api/transaction/reverseMany", { headers: t.auth, body: seed.reverseMany });
    expect(res.status).toBe(200);
    const reversal = (code: string, left: string) => ({
      id: ID,
      title: "Reverso de orden",
      description: "Centro",
      code,
      external_entity_id: code,
      type: "DEBIT",
      total: "20.00",
      created_at: LOCAL_TIME,
      unit: POINTS,
      customer: { id: ID, externalId: "0100037894", name: "Santiago", totals: [total(left)] },
      store: { id: ID, externalId: "1200037894", name: "Centro" },
    });
    // Both rendered after the batch: totals are the final balance.
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: [reversal("Bienvenido3", "0.00"), reversal("Bienvenido4", "0.00")],
      warning: [],
      error: [],
    });
  });

  it("reverses nothing when one code is unknown, already reversed, or repeated", async () => {
    const t = await newTenant();
    for (const code of ["a", "b", "c"]) await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: { ...seed.checkbook, code } });
    await call("POST", "/api/transaction/reverse", { headers: t.auth, body: { type: "POINTS ORDER", code: "c" } });
    const before = await ledgerFootprint(t.id);
    const unknown = await call("POST", "/api/transaction/reverseMany", { headers: t.auth, body: { type: "POINTS ORDER", codes: ["a", "zzz"] } });
    expect(unknown.body).toEqual(validation("codes.1", "The transaction does not exist."));
    const reversed = await call("POST", "/api/transaction/reverseMany", { headers: t.auth, body: { type: "POINTS ORDER", codes: ["a", "b", "c"] } });
    expect(reversed.body).toEqual(validation("codes.2", "The transaction has already been reversed."));
    const repeated = await call("POST", "/api/transaction/reverseMany", { headers: t.auth, body: { type: "POINTS ORDER", codes: ["a", "a"] } });
    expect(repeated.body).toEqual(validation("codes.1", "The code is listed twice."));
    const empty = await call("POST", "/api/transaction/reverseMany", { headers: t.auth, body: { type: "POINTS ORDER", codes: [] } });
    expect(empty.body).toEqual(validation("codes", "The codes field must have at least 1 items."));
    expect(await ledgerFootprint(t.id)).toEqual(before);
    expect(await balanceOf(t.id, "0100037894")).toBe(4000);
  });

  it("reverses nothing when one reversal would overdraw", async () => {
    const t = await newTenant();
    for (const code of ["a", "b"]) await call("POST", "/api/transaction/checkbook", { headers: t.auth, body: { ...seed.checkbook, code } });
    await post(t, "0100037894", "POINTS REDEEM", 30, "spend");
    const before = await ledgerFootprint(t.id);
    const res = await call("POST", "/api/transaction/reverseMany", { headers: t.auth, body: { type: "POINTS ORDER", codes: ["a", "b"] } });
    expect(res.status).toBe(422);
    expect(res.body.warning.field).toBe("codes");
    expect(await ledgerFootprint(t.id)).toEqual(before);
  });
});

describe("POST /api/transaction/transfer", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    await post(t, "1716583941", "POINTS COUPON", 10);
    const res = await call("POST", "/api/transaction/transfer", { headers: t.auth, body: seed.transfer });
    expect(res.status).toBe(200);
    const half = (type: string, description: string, customer: object) => ({
      id: ID,
      title: "Transferencia",
      description,
      code: "null",
      external_entity_id: "null",
      type,
      total: "1.00",
      created_at: LOCAL_TIME,
      unit: POINTS,
      customer,
      store: "null",
    });
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: {
        from: half("DEBIT", "Santiago", { id: ID, externalId: "1716583941", name: "Customer 1716583941", totals: [total("9.00")] }),
        to: half("CREDIT", "David", { id: ID, externalId: "1716583941001", name: "Santiago", totals: [total("1.00")] }),
      },
      warning: [],
      error: [],
    });
  });

  it("hands the receiver lots with the sender's expirations", async () => {
    const t = await newTenant();
    await post(t, "a", "POINTS COUPON", 5, "x", { expirationDate: "2090-01-01" });
    await post(t, "a", "POINTS COUPON", 5, "y", { expirationDate: "2091-01-01" });
    await call("POST", "/api/transaction/transfer", {
      headers: t.auth,
      body: { ...seed.transfer, total: 7, customerFrom: { externalId: "a", name: "A" }, customerTo: { externalId: "b", name: "B" } },
    });
    const lots = await call("GET", "/api/batch/expiration?customerId=b", { headers: t.auth });
    expect(lots.body.data.map((l: any) => [l.total_amount, l["batch object"].expiration_date])).toEqual([
      ["5.00", "2090-01-01 23:59:59"],
      ["2.00", "2091-01-01 23:59:59"],
    ]);
  });

  it("refuses an overdraft, a self-transfer and a non-transfer type, writing nothing", async () => {
    const t = await newTenant();
    await post(t, "1716583941", "POINTS COUPON", 1);
    const before = await ledgerFootprint(t.id);
    const over = await call("POST", "/api/transaction/transfer", { headers: t.auth, body: { ...seed.transfer, total: 1.01 } });
    expect(over.body).toEqual(validation("total", "The sender's balance does not cover this amount."));
    const self = await call("POST", "/api/transaction/transfer", { headers: t.auth, body: { ...seed.transfer, customerTo: seed.transfer.customerFrom } });
    expect(self.body).toEqual(validation("customerTo.externalId", "The sender and the receiver must be different customers."));
    const wrongType = await call("POST", "/api/transaction/transfer", { headers: t.auth, body: { ...seed.transfer, type: "POINTS COUPON" } });
    expect(wrongType.body).toEqual(validation("type", "The selected type is invalid."));
    expect(await ledgerFootprint(t.id)).toEqual(before);
  });

  it("is idempotent with a code", async () => {
    const t = await newTenant();
    await post(t, "1716583941", "POINTS COUPON", 10);
    const body = { ...seed.transfer, code: "tr-1" };
    const [a, b] = await Promise.all([
      call("POST", "/api/transaction/transfer", { headers: t.auth, body }),
      call("POST", "/api/transaction/transfer", { headers: t.auth, body }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.data.from.id).toBe(a.body.data.from.id);
    expect(b.body.data.to.id).toBe(a.body.data.to.id);
    expect(await balanceOf(t.id, "1716583941")).toBe(900);
  });
});

describe("POST /api/transaction/redeemFullBalance", () => {
  it("answers the seed's example: the customer with zeroed totals", async () => {
    const t = await newTenant();
    await post(t, "0100037894", "POINTS COUPON", 250);
    const res = await call("POST", "/api/transaction/redeemFullBalance", { headers: t.auth, body: seed.redeemFullBalance });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: { id: ID, externalId: "0100037894", name: "Customer 0100037894", totals: [total("0.00")] },
      warning: [],
      error: [],
    });
    const voucher = await env.DB.prepare("SELECT direction, amount, order_total FROM ledger_transactions WHERE tenant_id = ? AND code = 'Bienvenido'")
      .bind(t.id)
      .first();
    expect(voucher).toEqual({ direction: "DEBIT", amount: 25000, order_total: 10000 });
    expect(await env.DB.prepare("SELECT SUM(remaining) AS n FROM ledger_lots WHERE tenant_id = ?").bind(t.id).first("n")).toBe(0);
  });

  it("creates an unknown customer with a zero redemption, and replays on retry", async () => {
    const t = await newTenant();
    const first = await call("POST", "/api/transaction/redeemFullBalance", { headers: t.auth, body: seed.redeemFullBalance });
    expect(first.body.data).toEqual({ id: ID, externalId: "0100037894", name: "0100037894", totals: [total("0.00")] });
    await post(t, "0100037894", "POINTS COUPON", 5);
    const retry = await call("POST", "/api/transaction/redeemFullBalance", { headers: t.auth, body: seed.redeemFullBalance });
    // The retry changes nothing: the points credited since stay.
    expect(retry.body.data.totals).toEqual([total("5.00")]);
  });

  it("can be reversed: every lot gets its points back", async () => {
    const t = await newTenant();
    await post(t, "0100037894", "POINTS COUPON", 30);
    await call("POST", "/api/transaction/redeemFullBalance", { headers: t.auth, body: seed.redeemFullBalance });
    const res = await call("POST", "/api/transaction/reverse", { headers: t.auth, body: seed.reverse });
    expect(res.body.data).toMatchObject({ type: "CREDIT", total: "30.00", customer: { totals: [total("30.00")] } });
  });
});

describe("loyalty surface", () => {
  it("answers unknown paths with the envelope's 404", async () => {
    const t = await newTenant();
    const res = await call("GET", "/api/transaction/nope", { headers: t.auth });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, status: "error", message: "404 Not Found", warning: [], error: [] });
    expect(await countRows("ledger_types")).toBeGreaterThanOrEqual(8);
  });
});
