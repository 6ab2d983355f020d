import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addDays, localDate } from "../../src/core/time";
import { admin, call, cost, newTenant, runCron, type TestTenant } from "../helpers";
import { post, seed } from "./fixtures";

/** Replayable pseudo-random numbers (mulberry32). */
function prng(seedValue: number) {
  let a = seedValue >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

/** A tenant's counter rows, keyed and without ids. */
async function counters(tenantId: number) {
  const stores = await env.DB.prepare("SELECT * FROM report_store_days WHERE tenant_id = ? ORDER BY day, store_id").bind(tenantId).all();
  const products = await env.DB.prepare("SELECT * FROM report_product_days WHERE tenant_id = ? ORDER BY day, store_id, product_id").bind(tenantId).all();
  const strip = (rows: Record<string, unknown>[]) => rows.map(({ id: _id, ...row }) => row);
  return { stores: strip(stores.results), products: strip(products.results) };
}

const rebuild = (tenantId: number) => admin("POST", `/admin/tenants/${tenantId}/reports/rebuild`);

/** A randomized (seeded) workload of every kind of ledger write, fired 10 at a time. */
async function workload(t: TestTenant, seedValue: number, operations: number) {
  const random = prng(seedValue);
  const customers = Array.from({ length: 8 }, (_, i) => `c${i}`);
  const stores = ["S1", "S2", "S3"];
  const platforms = [null, null, "web", "ios", "android", "mobile"] as const;
  const posted: { type: string; code: string }[] = [];
  let n = 0;
  const operation = () => {
    const i = n++;
    const customer = random.pick(customers);
    const store = { externalId: random.pick(stores), name: "Tienda" };
    const platform = random.pick(platforms);
    const headers = platform ? { ...t.auth, platform } : t.auth;
    const data = random.int(6) === 0 ? { referredBy: "c0" } : {};
    const kind = random.int(10);
    if (kind <= 2) {
      const type = random.pick(["POINTS COUPON", "POINTS ORDER", "POINTS BALANCE", "BALANCE RELOAD"]);
      const code = `w${i}`;
      posted.push({ type, code });
      const expirationDate = random.int(4) === 0 ? "2020-01-01" : undefined;
      return call("POST", "/api/transaction", {
        headers,
        body: { type, code, description: "w", total: 1 + random.int(50), customer: { externalId: customer, name: customer, data }, store, expirationDate },
      });
    }
    if (kind === 3) {
      const code = `w${i}`;
      posted.push({ type: "POINTS REDEEM", code });
      return call("POST", "/api/transaction", {
        headers,
        body: { type: "POINTS REDEEM", code, description: "w", total: 1 + random.int(10), customer: { externalId: customer, name: customer, data }, store },
      });
    }
    if (kind <= 5) {
      const lines = Array.from({ length: 1 + random.int(3) }, () => ({
        name: "P",
        externalId: `P${random.int(4)}`,
        total: 1,
        earnedRedeemed: random.int(3) === 0 ? -1 : 1 + random.int(5),
      }));
      const earnedRedeemed = lines.reduce((sum, line) => sum + line.earnedRedeemed, 0);
      const code = `w${i}`;
      posted.push({ type: "POINTS ORDER", code });
      return call("POST", "/api/transaction/checkbook", {
        headers,
        body: { ...seed.checkbook, customer: { externalId: customer, name: customer }, code, earnedRedeemed, store, detail: lines },
      });
    }
    if (kind === 6 && posted.length > 0) return call("POST", "/api/transaction/reverse", { headers: t.auth, body: random.pick(posted) });
    if (kind === 7) {
      const to = random.int(4) === 0 ? `new${i}` : random.pick(customers);
      return call("POST", "/api/transaction/transfer", {
        headers,
        body: { ...seed.transfer, total: 1, customerFrom: { externalId: customer, name: customer }, customerTo: { externalId: to, name: to } },
      });
    }
    if (kind === 8) {
      return call("POST", "/api/transaction/redeemFullBalance", {
        headers,
        body: { ...seed.redeemFullBalance, customer: { externalId: customer, name: customer }, code: `v${i}`, store },
      });
    }
    return post(t, customer, "POINTS COUPON", 1 + random.int(5), `x${i}`, { store });
  };
  let ok = 0;
  while (n < operations) {
    const results = await Promise.all(Array.from({ length: Math.min(10, operations - n) }, operation));
    ok += results.filter((r) => r.status === 200).length;
    if (n % 50 === 0) await runCron(Date.now());
  }
  await runCron(Date.now());
  return ok;
}

describe("POST /admin/tenants/{id}/reports/rebuild", () => {
  it("recomputes exactly the incremental counters after a randomized workload, and repairs damaged ones", async () => {
    const t = await newTenant({ timezone: "America/Guayaquil" });
    const other = await newTenant();
    await post(other, "o", "POINTS COUPON", 5, "o", { store: { externalId: "S1", name: "Otra" } });
    const otherBefore = await counters(other.id);

    const succeeded = await workload(t, 20241123, 300);
    expect(succeeded).toBeGreaterThan(150);
    const incremental = await counters(t.id);
    expect(incremental.stores.length).toBeGreaterThan(1);
    expect(incremental.products.length).toBeGreaterThan(4);
    const moved = (column: string) => incremental.stores.reduce((sum, row) => sum + Number(row[column]), 0);
    for (const column of [
      "preregistered_pos",
      "registered_app",
      "registered_web",
      "subscribed_after_pos",
      "referrals",
      "point_earned_orders",
      "point_earned_coupons",
      "point_earned_balance",
      "point_redeemed",
      "point_expired",
      "point_reversed_coupon",
      "point_reversed_order",
    ]) {
      expect(moved(column), column).not.toBe(0);
    }

    const res = await rebuild(t.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ transactions: expect.any(Number), storeRows: incremental.stores.length, productRows: incremental.products.length });
    expect(await counters(t.id)).toEqual(incremental);

    // Damage: a lost row, a wrong value, a stray row; the rebuild restores the incremental truth.
    await env.DB.prepare("DELETE FROM report_store_days WHERE id = (SELECT min(id) FROM report_store_days WHERE tenant_id = ?)").bind(t.id).run();
    await env.DB.prepare("UPDATE report_product_days SET num_orders = num_orders + 7 WHERE tenant_id = ?").bind(t.id).run();
    await env.DB.prepare("INSERT INTO report_store_days (tenant_id, day, store_id, referrals) VALUES (?, '2001-01-01', 0, 3)").bind(t.id).run();
    expect(await counters(t.id)).not.toEqual(incremental);
    expect((await rebuild(t.id)).status).toBe(200);
    expect(await counters(t.id)).toEqual(incremental);
    // Idempotent, and the other tenant is untouched.
    expect((await rebuild(t.id)).status).toBe(200);
    expect(await counters(t.id)).toEqual(incremental);
    expect(await counters(other.id)).toEqual(otherBefore);
  });

  it("answers 404 for an unknown tenant and 401 without the admin token", async () => {
    const missing = await rebuild(999_999);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: "not_found", message: "Tenant not found" });
    const anonymous = await call("POST", "/admin/tenants/1/reports/rebuild");
    expect(anonymous.status).toBe(401);
  });
});

describe("report cost", () => {
  /** Counter rows for `days` days up to today at `stores` stores (and 2 products each), as if the days had been busy. */
  async function seedCounters(t: TestTenant, days: number, stores: number) {
    const today = localDate(Date.now(), "UTC");
    for (let s = 0; s < stores; s++) {
      const store = await env.DB.prepare("INSERT INTO ledger_stores (tenant_id, external_id, name, created_at) VALUES (?, ?, ?, 0) RETURNING id")
        .bind(t.id, `S${s}`, `Store ${s}`)
        .first<number>("id");
      const products = [];
      for (let p = 0; p < 2; p++)
        products.push(
          await env.DB.prepare("INSERT INTO ledger_products (tenant_id, external_id, name, created_at) VALUES (?, ?, 'x', 0) RETURNING id")
            .bind(t.id, `P${s}-${p}`)
            .first<number>("id"),
        );
      for (let d = 0; d < days; d++) {
        const day = addDays(today, -d);
        await env.DB.prepare("INSERT INTO report_store_days (tenant_id, day, store_id, point_earned_coupons) VALUES (?, ?, ?, 100)")
          .bind(t.id, day, store)
          .run();
        for (const product of products) {
          await env.DB.prepare("INSERT INTO report_product_days (tenant_id, day, store_id, product_id, num_orders) VALUES (?, ?, ?, ?, 1)")
            .bind(t.id, day, store, product)
            .run();
        }
      }
    }
  }

  /** `n` more ledger transactions spread over the last 31 days (bulk, straight into D1). */
  async function seedTransactions(t: TestTenant, n: number) {
    await post(t, "bulk", "POINTS COUPON", 1, "bulk");
    const ids = await env.DB.prepare(
      "SELECT c.id AS customer_id, a.id AS account_id FROM customers c JOIN ledger_accounts a ON a.customer_id = c.id WHERE c.tenant_id = ? AND c.id = (SELECT customer_id FROM identifiers WHERE tenant_id = c.tenant_id AND kind = 'loyalty_id' AND value = 'bulk')",
    )
      .bind(t.id)
      .first<{ customer_id: number; account_id: number }>();
    const now = Date.now();
    for (let start = 0; start < n; start += 1000) {
      await env.DB.prepare(
        `WITH RECURSIVE seq(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM seq WHERE k < ?)
         INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, title, created_at)
         SELECT ?, ?, 1 + ? + k, ?, 'POINTS', 'CREDIT', 100, 'POINTS COUPON', 'coupon', 'Cupón', ? - (k % 31) * 86400000 FROM seq`,
      )
        .bind(Math.min(1000, n - start), t.id, ids!.customer_id, start, ids!.account_id, now)
        .run();
    }
  }

  it("reads the same D1 rows for a 31-day report whether the days hold few or many transactions", async () => {
    const small = await newTenant();
    const large = await newTenant();
    await seedCounters(small, 31, 3);
    await seedCounters(large, 31, 3);
    // The large tenant's days also hold 20,000 transactions, and 100 more posted through the API move its counters.
    await seedTransactions(large, 20_000);
    for (let i = 0; i < 100; i++) await post(large, `c${i % 5}`, "POINTS COUPON", 1, `api${i}`, { store: { externalId: "S0", name: "Store 0" } });
    await seedTransactions(small, 10);
    // A later tenant's rows follow each measured tenant's in the index (an index range scan also reads the entry that ends it).
    await seedCounters(await newTenant(), 1, 1);

    const today = localDate(Date.now(), "UTC");
    const start = addDays(today, -30);
    const measure = async (t: TestTenant, path: string) => {
      const res = await call("GET", `${path}?startDate=${start}&endDate=${today}`, { headers: t.auth });
      expect(res.status).toBe(200);
      return { rows: res.body.data.length as number, ...cost(res.headers) };
    };
    for (const [path, rows] of [
      // 31 days x 3 stores, plus today's row of the store-less "bulk" customer.
      ["/api/report/dailySummary/stores", 94],
      ["/api/report/dailySummary/products", 186],
    ] as const) {
      const few = await measure(small, path);
      const many = await measure(large, path);
      expect(few.rows).toBe(rows);
      expect(many.rows).toBe(rows);
      expect(many.rowsRead).toBe(few.rowsRead);
      expect(many.d1RoundTrips).toBe(few.d1RoundTrips);
      // Per row returned: its index entry, the counter row, its store (and product) row; plus the token check. Nothing else.
      expect(few.rowsRead).toBeLessThanOrEqual(rows * (path.endsWith("products") ? 4 : 3) + 5);
      expect(few.rowsWritten).toBe(0);
    }
  });
});
