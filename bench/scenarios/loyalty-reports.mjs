// Loyalty reports (seed 003, "API de Reportes"): the 31-day daily summaries per store and
// per product for two tenants with the same counter rows (31 days x 10 stores, 5 products
// per store) whose ledgers hold 1,000 and 1,000,000 transactions over those days (bulk-seeded
// straight into D1, counters seeded alongside). Rows read per request must be the same for
// both: a report reads its counter rows, never the transactions.
const DAYS = 31;
const STORES = 10;
const PRODUCTS = 5;

export default async function (ctx) {
  const today = new Date().toISOString().slice(0, 10);
  const day = (d) => new Date(Date.parse(`${today}T00:00:00Z`) - d * 86_400_000).toISOString().slice(0, 10);
  const start = day(DAYS - 1);

  const tenant = async (name, transactions) => {
    const created = await ctx.admin("POST", "/admin/tenants", { name });
    const partner = await ctx.admin("POST", `/admin/tenants/${created.id}/credentials`, { kind: "partner" });
    const token = await ctx.call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: partner.client_id, client_secret: partner.client_secret },
    });
    const auth = { authorization: `Bearer ${token.access_token}` };
    await ctx.call("POST", "/api/transaction", {
      headers: auth,
      body: {
        type: "POINTS COUPON",
        code: "seed",
        description: "bench",
        total: 1,
        customer: { externalId: "R", name: "R", data: {} },
        store: { externalId: "S0", name: "Store 0" },
      },
    });
    const id = created.id;
    const { customer_id, account_id } = await ctx.db
      .prepare(
        "SELECT c.id AS customer_id, a.id AS account_id FROM customers c JOIN ledger_accounts a ON a.customer_id = c.id WHERE c.tenant_id = ? AND c.id = (SELECT customer_id FROM identifiers WHERE tenant_id = c.tenant_id AND kind = 'loyalty_id' AND value = 'R')",
      )
      .bind(id)
      .first();
    const now = Date.now();
    for (let from = 1; from < transactions; from += 10_000) {
      await ctx.db
        .prepare(
          `WITH RECURSIVE seq(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM seq WHERE k < ?)
           INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, title, created_at)
           SELECT ?, ?, ? + k, ?, 'POINTS', 'CREDIT', 100, 'POINTS COUPON', 'coupon', 'Cupón', ? - (k % ${DAYS}) * 86400000 FROM seq`,
        )
        .bind(Math.min(10_000, transactions - from), id, customer_id, from, account_id, now)
        .run();
    }
    // The counters those days would hold: one row per (day, store) and per (day, store, product).
    await ctx.db
      .prepare(
        `INSERT INTO ledger_stores (tenant_id, external_id, name, created_at)
         WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < ${STORES - 1}) SELECT ?, 'S' || k, 'Store ' || k, 0 FROM s`,
      )
      .bind(id)
      .run();
    await ctx.db
      .prepare(
        `INSERT INTO ledger_products (tenant_id, external_id, name, created_at)
         WITH RECURSIVE p(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM p WHERE k < ${PRODUCTS}) SELECT ?, 'P' || k, 'Product ' || k, 0 FROM p`,
      )
      .bind(id)
      .run();
    const dayList = Array.from({ length: DAYS }, (_, d) => `('${day(d)}')`).join(", ");
    await ctx.db
      .prepare(
        `INSERT INTO report_store_days (tenant_id, day, store_id, point_earned_coupons)
         SELECT ?, d.column1, s.id, 100 FROM (VALUES ${dayList}) d, ledger_stores s WHERE s.tenant_id = ?
         ON CONFLICT (tenant_id, day, store_id) DO UPDATE SET point_earned_coupons = point_earned_coupons + excluded.point_earned_coupons`,
      )
      .bind(id, id)
      .run();
    await ctx.db
      .prepare(
        `INSERT INTO report_product_days (tenant_id, day, store_id, product_id, num_orders, num_products, point_earned_orders)
         SELECT ?, d.column1, s.id, p.id, 1, 1, 100 FROM (VALUES ${dayList}) d, ledger_stores s, ledger_products p WHERE s.tenant_id = ? AND p.tenant_id = ?`,
      )
      .bind(id, id, id)
      .run();
    return { auth, floorIds: `t=${id}&c=${partner.client_id}` };
  };

  const thousand = await tenant("bench reports 1K", 1_000);
  const million = await tenant("bench reports 1M", 1_000_000);
  const report = (kind, tenant) => ({
    request: () => ({ method: "GET", path: `/api/report/dailySummary/${kind}?startDate=${start}&endDate=${today}`, headers: tenant.auth }),
    floor: () => ({ method: "GET", path: `/__floor/report/${kind}?${tenant.floorIds}&startDate=${start}&endDate=${today}` }),
  });
  return [
    { name: "GET /api/report/dailySummary/stores (31 days, 1,000 transactions)", ...report("stores", thousand) },
    { name: "GET /api/report/dailySummary/stores (31 days, 1,000,000 transactions)", ...report("stores", million) },
    { name: "GET /api/report/dailySummary/products (31 days, 1,000 transactions)", ...report("products", thousand) },
    { name: "GET /api/report/dailySummary/products (31 days, 1,000,000 transactions)", ...report("products", million) },
  ];
}
