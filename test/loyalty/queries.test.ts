import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { call, cost, newTenant, runCron, type TestTenant } from "../helpers";
import { seedDocument } from "../registry";
import { AMIGO, balanceOf, COINS, ID, LOCAL_TIME, POINTS, post, seed, total } from "./fixtures";

const notFound = { code: 404, status: "error", message: "404 Not Found", warning: [], error: [] };

/** Writes `n` transactions for a customer straight into D1 (bulk seeding for cost checks). */
async function seedHistory(t: TestTenant, externalId: string, n: number) {
  await post(t, externalId, "POINTS COUPON", 1, `seed-${externalId}`);
  const ids = await env.DB.prepare(
    "SELECT c.id AS customer_id, a.id AS account_id FROM customers c JOIN ledger_accounts a ON a.customer_id = c.id WHERE c.tenant_id = ? AND c.id = (SELECT customer_id FROM identifiers WHERE tenant_id = c.tenant_id AND kind = 'loyalty_id' AND value = ?)",
  )
    .bind(t.id, externalId)
    .first<{ customer_id: number; account_id: number }>();
  const now = Date.now();
  for (let start = 0; start < n; start += 500) {
    const count = Math.min(500, n - start);
    await env.DB.prepare(
      `WITH RECURSIVE seq(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM seq WHERE k < ?)
       INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, title, created_at)
       SELECT ?, ?, 1 + ? + k, ?, 'POINTS', 'CREDIT', 0, 'POINTS COUPON', 'coupon', 'Cupón', ? FROM seq`,
    )
      .bind(count, t.id, ids!.customer_id, start, ids!.account_id, now)
      .run();
  }
}

describe("GET /api/transaction/history", () => {
  it("answers the seed's example shape, newest first, with the seed's quoted customerId", async () => {
    const t = await newTenant();
    await post(t, "1716583941", "POINTS COUPON", 10, "a");
    await call("POST", "/api/transaction/transfer", { headers: t.auth, body: seed.transfer });
    const res = await call("GET", "/api/transaction/history?customerId='1716583941'&page='1'", { headers: t.auth });
    expect(res.status).toBe(200);
    const customer = { id: ID, externalId: "1716583941", name: "Customer 1716583941", totals: [total("9.00")] };
    expect(res.body).toEqual({
      data: [
        {
          id: ID,
          title: "Transferencia",
          description: "Santiago",
          code: "null",
          external_entity_id: "null",
          type: "DEBIT",
          total: "1.00",
          created_at: LOCAL_TIME,
          unit: POINTS,
          customer,
          store: "null",
        },
        {
          id: ID,
          title: "Cupón",
          description: "test",
          code: "a",
          external_entity_id: "a",
          type: "CREDIT",
          total: "10.00",
          created_at: LOCAL_TIME,
          unit: POINTS,
          customer,
          store: "null",
        },
      ],
    });
  });

  it("pages by 20, and `asOf` keeps pages stable while transactions arrive", async () => {
    const t = await newTenant();
    for (let i = 1; i <= 25; i++) await post(t, "c", "POINTS COUPON", i, `k${i}`);
    const page = (p: number, asOf?: string) =>
      call("GET", `/api/transaction/history?customerId=c&page=${p}${asOf ? `&asOf=${asOf}` : ""}`, { headers: t.auth }).then((r) =>
        r.body.data.map((x: any) => x.code),
      );
    const first = await page(1);
    expect(first).toEqual(Array.from({ length: 20 }, (_, i) => `k${25 - i}`));
    expect(await page(2)).toEqual(["k5", "k4", "k3", "k2", "k1"]);
    expect(await page(3)).toEqual([]);
    const anchor = (await call("GET", "/api/transaction/history?customerId=c&page=1", { headers: t.auth })).body.data[0].id;
    await Promise.all([post(t, "c", "POINTS COUPON", 1, "new1"), post(t, "c", "POINTS COUPON", 1, "new2")]);
    expect(await page(2, anchor)).toEqual(["k5", "k4", "k3", "k2", "k1"]);
    expect((await page(1))[0]).toMatch(/^new/);
  });

  it("reads the same rows per page at 100 and 5,000 transactions", async () => {
    const t = await newTenant();
    await seedHistory(t, "small", 100);
    await seedHistory(t, "large", 5000);
    const rowsRead = async (customer: string, page: number) => {
      const res = await call("GET", `/api/transaction/history?customerId=${customer}&page=${page}`, { headers: t.auth });
      expect(res.body.data).toHaveLength(20);
      return cost(res.headers).rowsRead;
    };
    const small = await rowsRead("small", 1);
    const large = await rowsRead("large", 1);
    // A range scan reads the index entry that ends it when one follows: one row, by where the customer's rows sit in the index.
    expect(Math.abs(large - small)).toBeLessThanOrEqual(1);
    expect(await rowsRead("large", 200)).toBe(large);
    expect(small).toBeLessThan(80);
  });

  it("answers 404 for an unknown or another tenant's customer, 422 without customerId", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await post(a, "c", "POINTS COUPON", 1);
    for (const res of [
      await call("GET", "/api/transaction/history?customerId=zz", { headers: a.auth }),
      await call("GET", "/api/transaction/history?customerId=c", { headers: b.auth }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound);
    }
    const missing = await call("GET", "/api/transaction/history", { headers: a.auth });
    expect(missing.body.warning).toEqual({ code: "null", field: "customerId", value: "The customerId field is required." });
  });
});

describe("GET /api/transaction/transactionByCode", () => {
  it("answers the seed's example, and lists the reversal after the original", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction", { headers: t.auth, body: { ...seed.transaction, code: "Bienvenido732" } });
    const res = await call("GET", "/api/transaction/transactionByCode?code='Bienvenido732'&type='POINTS COUPON'", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: [
        {
          id: ID,
          title: "Cupón",
          description: "Beneficio de puntos por Bienvenida",
          code: "Bienvenido732",
          external_entity_id: "Bienvenido732",
          type: "CREDIT",
          total: "100",
          created_at: LOCAL_TIME,
          unit: POINTS,
          customer: { id: ID, externalId: "0100037894", name: "Santiago", totals: [total("100.00")] },
          store: "null",
        },
      ],
      warning: [],
      error: [],
    });
    await call("POST", "/api/transaction/reverse", { headers: t.auth, body: { type: "POINTS COUPON", code: "Bienvenido732" } });
    const both = await call("GET", "/api/transaction/transactionByCode?code=Bienvenido732&type=POINTS%20COUPON", { headers: t.auth });
    expect(both.body.data.map((x: any) => [x.type, x.title])).toEqual([
      ["CREDIT", "Cupón"],
      ["DEBIT", "Reverso de cupón"],
    ]);
  });

  it("answers 404 for an unknown pair or another tenant's", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await call("POST", "/api/transaction", { headers: a.auth, body: seed.transaction });
    for (const [t, q] of [
      [a, "code=x&type=POINTS%20COUPON"],
      [b, "code=Bienvenido&type=POINTS%20COUPON"],
    ] as const) {
      const res = await call("GET", `/api/transaction/transactionByCode?${q}`, { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound);
    }
  });
});

describe("GET /api/transaction/reloadsByCustomer and pointsByCustomer", () => {
  it("answers the seed's example shape and cuts days in the tenant's time zone", async () => {
    const t = await newTenant({ timezone: "America/Guayaquil" });
    await post(t, "c9", "BALANCE RELOAD", 50, "r1");
    await post(t, "c9", "POINTS COUPON", 5, "p1");
    await seedDocument(t.id, "0401591714");
    // 2018-09-03 23:30 in Guayaquil (UTC-5) is 2018-09-04 04:30 UTC.
    await env.DB.prepare("UPDATE ledger_transactions SET created_at = ? WHERE tenant_id = ?")
      .bind(Date.UTC(2018, 8, 4, 4, 30), t.id)
      .run();
    const reloads = await call("GET", "/api/transaction/reloadsByCustomer?document='0401591714'&from='2018-09-03'&to='2018-09-03'", { headers: t.auth });
    expect(reloads.status).toBe(200);
    expect(reloads.body).toEqual({
      code: "200",
      status: "success",
      message: "OK",
      data: [
        {
          id: ID,
          title: "Recarga",
          description: "test",
          code: "r1",
          external_entity_id: "r1",
          type: "CREDIT",
          total: "50",
          created_at: "2018-09-03 23:30:00",
          unit: COINS,
          customer: { id: ID, externalId: "c9", name: "Customer c9", totals: [total("5.00"), total("50.00", COINS)] },
          store: "null",
        },
      ],
      warning: [],
      error: [],
    });
    const points = await call("GET", "/api/transaction/pointsByCustomer?document=0401591714&from=2018-09-01&to=2018-09-03", { headers: t.auth });
    expect(points.body.data.map((x: any) => x.code)).toEqual(["p1"]);
    // The seed's mixed quoting ('2018-09-03’) is read as the report endpoints read it.
    const mixedQuotes = await call(
      "GET",
      `/api/transaction/pointsByCustomer?document=0401591714&from=${encodeURIComponent("'2018-09-01’")}&to=${encodeURIComponent("'2018-09-03’")}`,
      {
        headers: t.auth,
      },
    );
    expect(mixedQuotes.status).toBe(200);
    expect(mixedQuotes.body.data.map((x: any) => x.code)).toEqual(["p1"]);
    const nextDay = await call("GET", "/api/transaction/pointsByCustomer?document=0401591714&from=2018-09-04&to=2018-09-30", { headers: t.auth });
    expect(nextDay.body.data).toEqual([]);
    // Without a document number match, the loyalty externalId is used.
    const byExternal = await call("GET", "/api/transaction/pointsByCustomer?document=c9&from=2018-09-03&to=2018-09-03", { headers: t.auth });
    expect(byExternal.body.data).toHaveLength(1);
  });

  it("validates the dates and answers 404 for unknown or foreign customers", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await post(a, "c", "BALANCE RELOAD", 1);
    const reversed = await call("GET", "/api/transaction/reloadsByCustomer?document=c&from=2018-09-30&to=2018-09-03", { headers: a.auth });
    expect(reversed.body.warning).toEqual({ code: "null", field: "to", value: "The to field must be a date after or equal to from." });
    const badDate = await call("GET", "/api/transaction/reloadsByCustomer?document=c&from='2018&to=2018-09-03", { headers: a.auth });
    expect(badDate.status).toBe(422);
    expect(badDate.body.warning.field).toBe("from");
    const foreign = await call("GET", "/api/transaction/reloadsByCustomer?document=c&from=2018-09-01&to=2018-09-03", { headers: b.auth });
    expect(foreign.body).toEqual(notFound);
  });
});

describe("GET /api/batch/expiration", () => {
  it("answers the seed's example shape: open lots first-expiring-first", async () => {
    const t = await newTenant();
    await post(t, "1716583941", "POINTS COUPON", 460, "a", { expirationDate: "2099-01-15 17:48:12" });
    await post(t, "1716583941", "POINTS ORDER", 10, "b", { expirationDate: "2098-01-01" });
    await post(t, "1716583941", "POINTS REDEEM", 10, "c");
    const res = await call("GET", "/api/batch/expiration?customerId='1716583941'", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        {
          id: ID,
          total_amount: "460.00",
          unit: POINTS,
          "batch object": { id: ID, start_date: LOCAL_TIME, end_date: "null", expiration_date: "2099-01-15 17:48:12" },
          set_name: "PROMOCIONAL",
        },
      ],
    });
    const foreign = await call("GET", "/api/batch/expiration?customerId=1716583941", { headers: (await newTenant()).auth });
    expect(foreign.body).toEqual(notFound);
  });
});

describe("lot expiration job", () => {
  it("expires due lots once, however often it runs", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction }); // expires 2018-06-03
    await post(t, "0100037894", "POINTS ORDER", 5, "later", { expirationDate: "2099-01-01" });
    await post(t, "0100037894", "POINTS REDEEM", 30, "spend"); // takes from the earliest lot first
    await Promise.all([runCron(Date.now()), runCron(Date.now())]);
    await runCron(Date.now());
    expect(await balanceOf(t.id, "0100037894")).toBe(500);
    const expirations = await env.DB.prepare("SELECT amount, code, title FROM ledger_transactions WHERE tenant_id = ? AND type = 'POINTS EXPIRATION'")
      .bind(t.id)
      .all();
    expect(expirations.results).toEqual([{ amount: 7000, code: expect.stringMatching(/^LOT-\d+-0$/), title: "Expiración de puntos" }]);
    const lots = await call("GET", "/api/batch/expiration?customerId=0100037894", { headers: t.auth });
    expect(lots.body.data.map((l: any) => l.total_amount)).toEqual(["5.00"]);
    // Reversing the spend gives the expired lot its 30 back; the next run expires them (once more, under a new code).
    await call("POST", "/api/transaction/reverse", { headers: t.auth, body: { type: "POINTS REDEEM", code: "spend" } });
    expect(await balanceOf(t.id, "0100037894")).toBe(3500);
    expect(await runCron(Date.now())).toEqual([{ msg: "ledger lots expired", expired: 1 }]);
    expect(await runCron(Date.now()), "nothing is left to expire").toEqual([]);
    expect(await balanceOf(t.id, "0100037894")).toBe(500);
    const codes = await env.DB.prepare("SELECT code FROM ledger_transactions WHERE tenant_id = ? AND type = 'POINTS EXPIRATION' ORDER BY id").bind(t.id).all();
    expect(codes.results.map((r) => String(r.code).replace(/^LOT-\d+-/, ""))).toEqual(["0", "7000"]);
  });

  it("is run by the Worker's cron handler, which logs what the jobs did", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction", { headers: t.auth, body: seed.transaction }); // expires 2018-06-03
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
      expect(logged.mock.calls.map(([line]) => JSON.parse(String(line)))).toContainEqual({
        level: "info",
        msg: "ledger lots expired",
        expired: expect.any(Number),
      });
    } finally {
      logged.mockRestore();
    }
  });
});

describe("GET /api/group/default", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    const res = await call("GET", "/api/group/default", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "Proceso exitoso",
      data: { id: ID, name: "AMIGO", description: "AMIGO", group_rules: [POINTS], next_group: { id: ID, name: "BUEN AMIGO", description: "BUEN AMIGO" } },
      warning: [],
      error: [],
    });
    expect((await call("GET", "/api/group/default")).status).toBe(401);
  });

  it("moves a customer up by lifetime points earned, and back when the earning is reversed (the tier shown with include=group)", async () => {
    const t = await newTenant();
    const tierAfter = async (type: string, amount: number, code: string) => {
      const body = { type, code, description: "test", total: amount, customer: { externalId: "c", name: "c", data: {} } };
      return (await call("POST", "/api/transaction?include=group", { headers: t.auth, body })).body.data.customer.group;
    };
    expect(await tierAfter("POINTS COUPON", 999.99, "a")).toEqual(AMIGO);
    expect(await tierAfter("POINTS REDEEM", 500, "s")).toEqual(AMIGO);
    expect(await tierAfter("POINTS ORDER", 0.01, "b")).toEqual({ id: ID, name: "BUEN AMIGO", description: "BUEN AMIGO" });
    const back = await call("POST", "/api/transaction/reverse?include=group", { headers: t.auth, body: { type: "POINTS ORDER", code: "b" } });
    expect(back.body.data.customer.group).toEqual(AMIGO);
  });
});

describe("GET /api/customer/findByExternalId", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    const data = { vendorId: 1, giftCardType: "MONETARY", businessOwner: 2, giftCradAmount: 4 };
    await call("POST", "/api/transaction", { headers: t.auth, body: { ...seed.transaction, customer: { externalId: "c991ijco5y", name: "Santiago", data } } });
    const res = await call("GET", "/api/customer/findByExternalId?externalId='c991ijco5y'", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: "200",
      status: "success",
      message: "Ok",
      data: { exists: true, id: expect.any(Number), external_id: "c991ijco5y", name: "Santiago", data },
    });
  });

  it("answers exists:false for an unknown or another tenant's customer", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await call("POST", "/api/transaction", { headers: a.auth, body: seed.transaction });
    for (const q of ["w0vww4g1ek", "0100037894"]) {
      const res = await call("GET", `/api/customer/findByExternalId?externalId=${q}`, { headers: b.auth });
      expect(res.body).toEqual({ code: "200", status: "success", message: "Ok", data: { exists: false, id: null, external_id: null, name: null, data: null } });
    }
    const missing = await call("GET", "/api/customer/findByExternalId", { headers: b.auth });
    expect(missing.body.warning).toEqual({ code: "null", field: "externalId", value: "The externalId field is required." });
  });
});

describe("GET /openapi.json", () => {
  it("documents every loyalty operation with its ledger decisions", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    for (const path of [
      "/api/transaction",
      "/api/transaction/checkbook",
      "/api/transaction/reverse",
      "/api/transaction/reverseMany",
      "/api/transaction/transfer",
      "/api/transaction/redeemFullBalance",
      "/api/transaction/history",
      "/api/transaction/transactionByCode",
      "/api/transaction/reloadsByCustomer",
      "/api/transaction/pointsByCustomer",
      "/api/batch/expiration",
      "/api/group/default",
      "/api/customer/findByExternalId",
    ]) {
      const operation = Object.values(res.body.paths[path] ?? {})[0] as { description?: string } | undefined;
      expect(operation?.description, path).toBeTruthy();
    }
    expect(res.body.paths["/api/transaction"].post.description).toContain("CHECK (balance >= 0)");
  });
});
