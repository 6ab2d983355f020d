// Clients surface (seed 001): a page of 20 and one client, at 100 and at 100,000 active
// clients, to show that the first page (totalElements included) reads O(page size) rows.
// The large registry is seeded in one INSERT … SELECT through D1 (the tenant's counters
// follow by trigger).

/** A tenant of its own with `count` active clients; returns its auth headers and a mid-registry id. */
async function tenantWithClients(ctx, name, count) {
  const tenant = await ctx.admin("POST", "/admin/tenants", { name });
  const partner = await ctx.admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "partner" });
  const token = await ctx.call("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: partner.client_id, client_secret: partner.client_secret },
  });
  const now = Date.now();
  await ctx.db.batch([
    ctx.db
      .prepare(
        `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?2)
         INSERT INTO customers (tenant_id, active, channel, name, client_type, phone, created_at, updated_at)
         SELECT ?1, 1, 'clients', 'Cliente ' || n, 'PERSONA', '999888777', ?3, ?3 FROM seq`,
      )
      .bind(tenant.id, count, now),
    // Each client's document and client code, as the clients surface registers them.
    ctx.db
      .prepare(
        `INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, status, exclusive, created_at, status_changed_at)
         SELECT ?1, id, 'document', printf('%08d', id), 'DNI', 'active', 1, ?2, ?2 FROM customers WHERE tenant_id = ?1
         UNION ALL SELECT ?1, id, 'client_code', 'CLI' || id, NULL, 'active', 1, ?2, ?2 FROM customers WHERE tenant_id = ?1`,
      )
      .bind(tenant.id, now),
  ]);
  const middle = await ctx.db
    .prepare("SELECT id FROM customers WHERE tenant_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2")
    .bind(tenant.id, Math.floor(count / 2))
    .first();
  return { auth: { authorization: `Bearer ${token.access_token}` }, floorIds: `t=${tenant.id}&c=${partner.client_id}`, middleId: middle.id };
}

export default async function (ctx) {
  const small = await tenantWithClients(ctx, "clients-100", 100);
  const large = await tenantWithClients(ctx, "clients-100k", 100_000);
  const writer = await tenantWithClients(ctx, "clients-writes", 0);
  const run = Date.now().toString(36);
  const page = (tenant, n) => ({
    request: () => ({ method: "GET", path: `/api/clientes?page=${n}&size=20`, headers: tenant.auth }),
    floor: () => ({ method: "GET", path: `/__floor/clientes?${tenant.floorIds}&page=${n}&size=20` }),
  });
  const one = (tenant) => ({
    request: () => ({ method: "GET", path: `/api/clientes/${tenant.middleId}`, headers: tenant.auth }),
    floor: () => ({ method: "GET", path: `/__floor/clientes/${tenant.middleId}?${tenant.floorIds}` }),
  });
  const client = (i) => ({ nombre: `Bench ${i}`, tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `B${run}${i}`, codigoCliente: `B${run}${i}` });
  const contact = (i) => ({ telefono: String(900000000 + (i % 99999999)), email: `c${i % 1000}@example.pe` });
  return [
    { name: "GET /api/clientes (page of 20, 100 clients)", ...page(small, 0) },
    { name: "GET /api/clientes (page of 20, 100,000 clients)", ...page(large, 0) },
    { name: "GET /api/clientes (page 2500 of 5000, 100,000 clients)", ...page(large, 2500) },
    { name: "GET /api/clientes/{id} (100 clients)", ...one(small) },
    { name: "GET /api/clientes/{id} (100,000 clients)", ...one(large) },
    {
      name: "POST /api/clientes",
      request: (i) => ({ method: "POST", path: "/api/clientes", headers: writer.auth, body: client(i) }),
      floor: (i) => ({ method: "POST", path: `/__floor/clientes?${writer.floorIds}`, body: client(i) }),
    },
    {
      name: "PUT /api/clientes/{id} (telefono, email)",
      request: (i) => ({ method: "PUT", path: `/api/clientes/${small.middleId}`, headers: small.auth, body: contact(i) }),
      floor: (i) => ({ method: "PUT", path: `/__floor/clientes/${small.middleId}?${small.floorIds}`, body: contact(i) }),
    },
  ];
}
