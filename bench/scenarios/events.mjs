// ficha's event feed (/v1/events): a page of 100 from the head and from the middle of a
// 100,000-event log, to show that a page reads the rows it returns. The log is seeded in
// one INSERT … SELECT through D1. (The writes' own events are in the other scenarios'
// rows written: each event rides its write's batch, so no write gains a D1 round trip.)
export default async function (ctx) {
  const tenant = await ctx.admin("POST", "/admin/tenants", { name: "events-100k" });
  const partner = await ctx.admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "partner" });
  const token = await ctx.call("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: partner.client_id, client_secret: partner.client_secret },
  });
  await ctx.db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
       INSERT INTO events (tenant_id, seq, type, created_at, data)
       SELECT ?1, i, 'ledger.posted', ?2, '{"customer":{"id":1,"identifiers":[]},"transaction":{"id":1,"amount":100}}' FROM n`,
    )
    .bind(tenant.id, Date.now())
    .run();
  const headers = { authorization: `Bearer ${token.access_token}` };
  const page = (query) => ({
    request: () => ({ method: "GET", path: `/v1/events?${query}`, headers }),
    floor: () => ({ method: "GET", path: `/__floor/events?t=${tenant.id}&c=${partner.client_id}&${query}` }),
  });
  return [
    { name: "GET /v1/events (page of 100, 100,000 events)", ...page("limit=100") },
    { name: "GET /v1/events (page of 100 after 50,000, 100,000 events)", ...page("after=50000&limit=100") },
  ];
}
