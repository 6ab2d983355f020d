import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, newTenant, runCron, type TestTenant } from "../helpers";
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
