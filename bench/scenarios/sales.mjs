// Sales surface (seed 004): a tenant with 1,000 clients (every tenth with a sale), then
// the list page, a lookup by document, a create, a sale and the delete guard (409).
const CLIENTS = 1000;

export default async function (ctx) {
  const now = Date.now();
  const documento = (i) => `CC${String(i).padStart(8, "0")}`;
  const statements = [];
  for (let i = 0; i < CLIENTS; i++) {
    statements.push(
      ctx.db
        .prepare(
          "INSERT INTO customers (tenant_id, active, channel, name, sales_client_type_id, sales_document_type_id, email, created_at, updated_at) VALUES (?, 1, 'sales', ?, 1, 1, ?, ?, ?)",
        )
        .bind(ctx.tenant.id, `Cliente ${i}`, `cliente${i}@example.com`, now, now),
      ctx.db
        .prepare(
          "INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, status, exclusive, created_at, status_changed_at) SELECT ?, max(id), 'document', ?, 'CC', 'active', 1, ?, ? FROM customers",
        )
        .bind(ctx.tenant.id, documento(i), now, now),
    );
  }
  for (let i = 0; i < CLIENTS; i += 10) {
    statements.push(
      ctx.db
        .prepare(
          "INSERT INTO sales (tenant_id, customer_id, apartment, amount, kind, date, created_at) SELECT tenant_id, customer_id, 'T1-101', 35000000000, 'venta', '2024-01-15', ? FROM identifiers WHERE tenant_id = ? AND kind = 'document' AND value = ?",
        )
        .bind(now, ctx.tenant.id, documento(i)),
    );
  }
  await ctx.db.batch(statements);

  const headers = ctx.tenant.auth;
  const run = Date.now().toString(36);
  const floor = (path) => `/__floor/${path}?${ctx.tenant.floorIds}`;
  const client = (i) => ({ nombre: "Juan Pérez", id_tipo_cliente: 1, id_tipo_documento: 1, documento: `B${run}-${i}`, correo: "juan.perez@example.com" });
  const sale = (i) => ({ documento: documento((i * 13) % CLIENTS), apartamento: `T2-${i % 500}`, monto: 35000000000, tipo: "separacion", fecha: "2024-01-15" });
  return [
    {
      name: "GET /api/sales/clientes (page 1 of 1,000)",
      request: () => ({ method: "GET", path: "/api/sales/clientes", headers }),
      floor: () => ({ method: "GET", path: floor("sales/clientes") }),
    },
    {
      name: "GET /api/sales/clientes/{documento}",
      request: (i) => ({ method: "GET", path: `/api/sales/clientes/${documento((i * 37) % CLIENTS)}`, headers }),
      floor: (i) => ({ method: "GET", path: floor(`sales/clientes/${documento((i * 37) % CLIENTS)}`) }),
    },
    {
      name: "POST /api/sales/clientes",
      request: (i) => ({ method: "POST", path: "/api/sales/clientes", headers, body: client(i) }),
      floor: (i) => ({ method: "POST", path: floor("sales/clientes"), body: client(i) }),
    },
    {
      name: "POST /api/sales/ventas",
      request: (i) => ({ method: "POST", path: "/api/sales/ventas", headers, body: sale(i) }),
      floor: (i) => ({ method: "POST", path: floor("sales/ventas"), body: sale(i) }),
    },
    {
      name: "DELETE /api/sales/clientes/{documento} (has sales: 409)",
      request: (i) => ({ method: "DELETE", path: `/api/sales/clientes/${documento((i % 100) * 10)}`, headers }),
      floor: (i) => ({ method: "DELETE", path: floor(`sales/clientes/${documento((i % 100) * 10)}`) }),
    },
  ];
}
