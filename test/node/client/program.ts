// A partner's program: a client generated from ficha's /openapi.json by openapi-typescript
// (the `paths` type) and called through openapi-fetch, one operation per surface. The
// generated-client test type-checks this file against the served document, then runs it.

import type { paths } from "ficha-openapi";
import createClient from "openapi-fetch";

export async function run(baseUrl: string, adminToken: string) {
  const client = createClient<paths>({ baseUrl });
  const admin = { Authorization: `Bearer ${adminToken}` };
  const must = <T>(answer: { data?: T; error?: unknown; response: Response }): T => {
    if (answer.data === undefined) throw new Error(`${answer.response.url}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
    return answer.data;
  };

  const health = must(await client.GET("/health"));

  // Operators: a tenant and a partner credential for it (path parameters are strings in OpenAPI).
  const tenant = must(await client.POST("/admin/tenants", { headers: admin, body: { name: "Generated client", timezone: "America/Lima" } }));
  const partner = must(
    await client.POST("/admin/tenants/{id}/credentials", {
      headers: admin,
      params: { path: { id: String(tenant.id) } },
      body: { kind: "partner", name: "typed" },
    }),
  );

  // Loyalty (seed 003): a token, a coupon, and a redemption the balance cannot cover.
  const token = must(
    await client.POST("/oauth/token", { body: { grant_type: "client_credentials", client_id: partner.client_id, client_secret: partner.client_secret } }),
  );
  const auth = { Authorization: `Bearer ${token.access_token}` };
  const customer = { externalId: "0100037894", name: "Santiago", data: {} };
  const coupon = must(
    await client.POST("/api/transaction", {
      headers: auth,
      body: { type: "POINTS COUPON", code: "Bienvenido", description: "Bienvenida", total: 100, customer },
    }),
  );
  const overdraft = await client.POST("/api/transaction", {
    headers: auth,
    body: { type: "POINTS REDEEM", code: "too-much", description: "Canje", total: 1_000, customer },
  });

  // Clients (seed 001), parking (seed 002), sales (seed 004).
  const created = must(
    await client.POST("/api/clientes", {
      headers: auth,
      body: { nombre: "Empresa Telecom SAC", tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "20512345678", codigoCliente: "CLI042" },
    }),
  );
  const fetched = must(await client.GET("/api/clientes/{id}", { headers: auth, params: { path: { id: String(created.id) } } }));
  const parking = must(
    await client.POST("/api/v3/business/customer/add", {
      headers: auth,
      body: { email: "ana@example.com", phone: "999888777", isUnlimited: false, refId: "TYPED-1", tags: [{ code: "TYPEDTAG", plate: "ABC123" }] },
    }),
  );
  const sales = must(
    await client.POST("/api/sales/clientes", {
      headers: auth,
      body: { nombre: "Juan Pérez", documento: "1234567890", id_tipo_cliente: 1, id_tipo_documento: 1 },
    }),
  );

  // Kiosk (seed 000): a public registration; it lands in the deployment's VLT destination.
  const registration = must(
    await client.POST("/api/clientes/register", {
      body: { codigoClienteVLT: 9_001, correo: "typed@example.com", enviarWhatsApp: true, enviarCorreo: false, enviarSms: false, tarjeta: "TYPED001" },
    }),
  );

  return {
    health: health.status,
    tenant: tenant.name,
    balance: coupon.data.customer.totals[0]?.total_amount,
    refusal: { status: overdraft.response.status, code: overdraft.error?.code, field: overdraft.error?.warning },
    client: fetched.codigoCliente,
    parkingTags: parking.tags.map((tag) => tag.status),
    salesDocument: sales.data.documento,
    registration: registration.mensaje,
  };
}
