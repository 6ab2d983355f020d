// Loyalty surface (seed 003): posting a credit (read batch + one guarded write batch +
// the rendering read) and a customer's history page, at 100 and at 100,000 transactions
// (bulk-seeded straight into D1): the page's rows read must not grow with the history.
export default async function (ctx) {
  const headers = ctx.tenant.auth;
  const credit = (customer, code, total = 10) => ({
    type: "POINTS COUPON",
    code,
    description: "bench",
    total,
    customer: { externalId: customer, name: customer, data: {} },
    store: { externalId: "bench-store", name: "Bench" },
  });
  for (const customer of ["BENCH-H100", "BENCH-H100K"]) await ctx.call("POST", "/api/transaction", { headers, body: credit(customer, `seed-${customer}`) });
  for (let c = 0; c < 50; c++) await ctx.call("POST", "/api/transaction", { headers, body: credit(`BENCH-C${c}`, `seed-c${c}`) });

  const ids = async (externalId) =>
    ctx.db
      .prepare(
        "SELECT c.id AS customer_id, a.id AS account_id FROM customers c JOIN ledger_accounts a ON a.customer_id = c.id WHERE c.tenant_id = ? AND c.id = (SELECT customer_id FROM identifiers WHERE tenant_id = c.tenant_id AND kind = 'loyalty_id' AND value = ?)",
      )
      .bind(ctx.tenant.id, externalId)
      .first();
  const seedHistory = async (externalId, n) => {
    const { customer_id, account_id } = await ids(externalId);
    for (let start = 1; start < n; start += 5000) {
      const count = Math.min(5000, n - start);
      await ctx.db
        .prepare(
          `WITH RECURSIVE seq(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM seq WHERE k < ?)
           INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, title, created_at)
           SELECT ?, ?, ? + k, ?, 'POINTS', 'CREDIT', 0, 'POINTS COUPON', 'coupon', 'Cupón', ? FROM seq`,
        )
        .bind(count, ctx.tenant.id, customer_id, start, account_id, Date.now())
        .run();
    }
  };
  await seedHistory("BENCH-H100", 100);
  await seedHistory("BENCH-H100K", 100_000);

  const floorIds = ctx.tenant.floorIds;
  const history = (customer, pages, step) => ({
    request: (i) => ({ method: "GET", path: `/api/transaction/history?customerId=${customer}&page=${1 + ((i * step) % pages)}`, headers }),
    floor: (i) => ({ method: "GET", path: `/__floor/history?${floorIds}&customerId=${customer}&page=${1 + ((i * step) % pages)}` }),
  });
  return [
    {
      name: "POST /api/transaction (credit, existing customer)",
      request: (i) => ({ method: "POST", path: "/api/transaction", headers, body: credit(`BENCH-C${i % 50}`, `bench-${i}`) }),
      floor: (i) => ({ method: "POST", path: `/__floor/transaction?${floorIds}`, body: credit(`BENCH-C${i % 50}`, `bench-${i}`) }),
    },
    { name: "GET /api/transaction/history (100 transactions)", ...history("BENCH-H100", 5, 1) },
    { name: "GET /api/transaction/history (100,000 transactions)", ...history("BENCH-H100K", 5000, 37) },
  ];
}
