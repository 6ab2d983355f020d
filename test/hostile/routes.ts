import { assetPath } from "../../src/console/static";
import { ADMIN_TOKEN } from "../helpers";
import { adminHeaders, hit, issueCredential, issuedSecrets, type Req, setDestination } from "./client";
import type { Surface } from "./envelopes";
import { fresh, type Ids, type World } from "./world";

/**
 * One fixture per operation of /openapi.json: how to build a request that succeeds, which
 * authentication it needs, which envelope it answers in, and (for routes that name an
 * object) how to aim it at the objects of a given id set. The inventory test fails when
 * the OpenAPI document has an operation this table lacks, or the other way round.
 */

export type Auth = "public" | "bearer" | "kiosk" | "admin";

/** What a request is aimed at: a tenant's identifiers and row ids. */
export interface Target {
  ids: Ids;
  clientId: number;
  parkingCustomerId: number;
  endpointId: number;
  eventId: string;
}

export interface RouteFixture {
  surface: Surface;
  auth: Auth;
  /** Status of the valid request. */
  ok: number;
  /** A request that succeeds for the world's tenant; creates first whatever it consumes. */
  valid(w: World): Promise<Req>;
  /** The operation, by the world's tenant, on the objects `target` names (tenant isolation). */
  aimed?(w: World, target: Target): Req;
}

const json = (method: string, path: string, headers: Record<string, string>, body: unknown): Req => ({ method, path, headers, body });
const get = (path: string, headers: Record<string, string>): Req => ({ method: "GET", path, headers });
const q = encodeURIComponent;

async function must(req: Req, status: number): Promise<any> {
  const res = await hit(req);
  if (res.status !== status) throw new Error(`fixture ${req.method} ${req.path}: ${res.status} ${res.text}`);
  return res.body;
}

/** A valid `POST /api/clientes` body with a fresh code and DNI. */
export function clientBody() {
  const n = fresh();
  return { nombre: `Persona ${n}`, tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: String(30_000_000 + n), codigoCliente: `H${n}` };
}

export function salesClientBody() {
  const n = fresh();
  return { nombre: `Cliente ${n}`, id_tipo_cliente: 1, id_tipo_documento: 1, documento: `H-${n}`, telefono: "300 123 4567" };
}

export function registration(overrides: Record<string, unknown> = {}) {
  const n = fresh();
  return {
    codigoClienteVLT: 900_000 + n,
    correo: `kiosk${n}@example.com`,
    tarjeta: `HCARD${n}`,
    enviarWhatsApp: true,
    enviarCorreo: false,
    enviarSms: true,
    dni: String(50_000_000 + n),
    nombre: `Nombre ${n}`,
    ...overrides,
  };
}

export function couponBody(w: World, overrides: Record<string, unknown> = {}) {
  return {
    type: "POINTS COUPON",
    code: `hc-${fresh()}`,
    description: "Cupón",
    total: 5,
    customer: { externalId: w.ids.loyaltyExt, name: "Cliente", data: {} },
    ...overrides,
  };
}

export function checkbookBody(w: World, externalId = w.ids.loyaltyExt) {
  return {
    type: "POINTS ORDER",
    customer: { externalId, name: "Cliente" },
    code: `hb-${fresh()}`,
    externalId: "123",
    total: 100,
    earnedRedeemed: 2,
    store: { externalId: "S1", name: "Centro" },
    detail: { name: "Twister", externalId: "39535", total: 10, earnedRedeemed: 2 },
  };
}

/** Yesterday to tomorrow (UTC tenants): today's activity, whatever the hour. */
function reportRange(): string {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return `startDate=${day(-1)}&endDate=${day(1)}`;
}

const coupon = async (w: World) => (await must(json("POST", "/api/transaction", w.t.auth, couponBody(w)), 200)).data.code as string;

/**
 * Room for another webhook endpoint of the world's tenant: fuzzed creations that succeed
 * add up, so once it holds 15, all but the world's own are deleted (20 is the limit).
 */
async function roomForEndpoint(w: World): Promise<void> {
  const held = (await must(get("/v1/webhook-endpoints", w.t.auth), 200)).data as { id: number }[];
  if (held.length < 15) return;
  for (const { id } of held) if (id !== w.endpointId) await must({ method: "DELETE", path: `/v1/webhook-endpoints/${id}`, headers: w.t.auth }, 204);
}

/** A new webhook endpoint of the world's tenant (its secret is recorded for the secrets-at-rest check). */
async function freshEndpoint(w: World): Promise<number> {
  await roomForEndpoint(w);
  const created = await must(json("POST", "/v1/webhook-endpoints", w.t.auth, { url: `https://hooks.example.com/h${fresh()}` }), 201);
  issuedSecrets.push(created.secret);
  return created.id;
}

export const routes: Record<string, RouteFixture> = {
  "GET /health": { surface: "platform", auth: "public", ok: 200, valid: async () => get("/health", {}) },

  // Kiosk (seed 000)
  "POST /api/clientes/register": {
    surface: "kiosk",
    auth: "public",
    ok: 201,
    valid: async (w) => {
      await setDestination(w.t.id);
      return json("POST", "/api/clientes/register", {}, registration());
    },
    aimed: (_w, t) => json("POST", "/api/clientes/register", {}, registration({ tarjeta: t.ids.cardUid, codigoClienteVLT: t.ids.vltCode, dni: t.ids.dni })),
  },
  "POST /api/lobby/authenticate": {
    surface: "kiosk",
    auth: "kiosk",
    ok: 200,
    valid: async (w) => json("POST", "/api/lobby/authenticate", w.t.kioskAuth, { cardIdentifier: w.ids.cardUid }),
    aimed: (w, t) => json("POST", "/api/lobby/authenticate", w.t.kioskAuth, { cardIdentifier: t.ids.cardUid }),
  },

  // Clients (seed 001)
  "GET /api/clientes": { surface: "clients", auth: "bearer", ok: 200, valid: async (w) => get("/api/clientes?page=0&size=50", w.t.auth) },
  "POST /api/clientes": {
    surface: "clients",
    auth: "bearer",
    ok: 201,
    valid: async (w) => json("POST", "/api/clientes", w.t.auth, clientBody()),
    aimed: (w, t) =>
      json("POST", "/api/clientes", w.t.auth, {
        ...clientBody(),
        tipoCliente: "EMPRESA",
        tipoDocumento: "RUC",
        numeroDocumento: t.ids.clientDoc,
        codigoCliente: t.ids.clientCode,
      }),
  },
  "GET /api/clientes/{id}": {
    surface: "clients",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/clientes/${w.clientId}`, w.t.auth),
    aimed: (w, t) => get(`/api/clientes/${t.clientId}`, w.t.auth),
  },
  "PUT /api/clientes/{id}": {
    surface: "clients",
    auth: "bearer",
    ok: 200,
    valid: async (w) => json("PUT", `/api/clientes/${w.clientId}`, w.t.auth, { telefono: "987654321" }),
    aimed: (w, t) => json("PUT", `/api/clientes/${t.clientId}`, w.t.auth, { telefono: "987654321" }),
  },
  "DELETE /api/clientes/{id}": {
    surface: "clients",
    auth: "bearer",
    ok: 200,
    valid: async (w) => ({
      method: "DELETE",
      path: `/api/clientes/${(await must(json("POST", "/api/clientes", w.t.auth, clientBody()), 201)).id}`,
      headers: w.t.auth,
    }),
    aimed: (w, t) => ({ method: "DELETE", path: `/api/clientes/${t.clientId}`, headers: w.t.auth }),
  },

  // Parking (seed 002)
  "POST /api/v3/business/customer/add": {
    surface: "parking",
    auth: "bearer",
    ok: 201,
    valid: async (w) => {
      const n = fresh();
      return json("POST", "/api/v3/business/customer/add", w.t.auth, {
        email: `p${n}@example.com`,
        phone: "+56975880800",
        name: "John",
        lastname: "Doe",
        isUnlimited: true,
        refId: `href-${n}`,
        tags: [{ code: `HT${n}`, plate: "JPKJ21" }],
      });
    },
    aimed: (w, t) =>
      json("POST", "/api/v3/business/customer/add", w.t.auth, {
        email: "p@example.com",
        phone: "+56975880800",
        isUnlimited: true,
        refId: t.ids.parkingRef,
        tags: [{ code: t.ids.tagCode, plate: "PLT001" }],
      }),
  },
  "POST /api/v3/business/tag/list": {
    surface: "parking",
    auth: "bearer",
    ok: 200,
    valid: async (w) => json("POST", "/api/v3/business/tag/list", w.t.auth, { refId: w.ids.parkingRef }),
    aimed: (w, t) => json("POST", "/api/v3/business/tag/list", w.t.auth, { refId: t.ids.parkingRef, customerId: t.parkingCustomerId }),
  },
  "POST /api/v3/business/tag/add": {
    surface: "parking",
    auth: "bearer",
    ok: 201,
    valid: async (w) =>
      json("POST", "/api/v3/business/tag/add", w.t.auth, { customer: { refId: w.ids.parkingRef }, tags: [{ code: `HA${fresh()}`, plate: "JPKJ20" }] }),
    aimed: (w, t) =>
      json("POST", "/api/v3/business/tag/add", w.t.auth, {
        customer: { refId: t.ids.parkingRef, id: t.parkingCustomerId },
        tags: [{ code: t.ids.tagCode, plate: "PLT001" }],
      }),
  },
  "PUT /api/v3/business/tag/cancel": {
    surface: "parking",
    auth: "bearer",
    ok: 200,
    valid: async (w) => {
      const code = `HC${fresh()}`;
      await must(json("POST", "/api/v3/business/tag/add", w.t.auth, { customer: { refId: w.ids.parkingRef }, tags: [{ code, plate: "JPKJ20" }] }), 201);
      return json("PUT", "/api/v3/business/tag/cancel", w.t.auth, { customer: { refId: w.ids.parkingRef }, tags: [{ code, plate: "JPKJ20" }] });
    },
    aimed: (w, t) =>
      json("PUT", "/api/v3/business/tag/cancel", w.t.auth, { customer: { refId: t.ids.parkingRef }, tags: [{ code: t.ids.tagCode, plate: "PLT001" }] }),
  },

  // Loyalty (seed 003)
  "POST /oauth/token": {
    surface: "loyalty",
    auth: "public",
    ok: 200,
    valid: async (w) =>
      json("POST", "/oauth/token", {}, { grant_type: "client_credentials", client_id: w.t.partner.clientId, client_secret: w.t.partner.clientSecret }),
  },
  "POST /api/transaction": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => json("POST", "/api/transaction", w.t.auth, couponBody(w)),
    aimed: (w, t) =>
      json("POST", "/api/transaction", w.t.auth, couponBody(w, { code: t.ids.txCode, customer: { externalId: t.ids.loyaltyExt, name: "X", data: {} } })),
  },
  "POST /api/transaction/checkbook": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => json("POST", "/api/transaction/checkbook", w.t.auth, checkbookBody(w)),
    aimed: (w, t) => json("POST", "/api/transaction/checkbook", w.t.auth, { ...checkbookBody(w, t.ids.loyaltyExt), code: t.ids.txCode }),
  },
  "POST /api/transaction/reverse": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => json("POST", "/api/transaction/reverse", w.t.auth, { type: "POINTS COUPON", code: await coupon(w) }),
    aimed: (w, t) => json("POST", "/api/transaction/reverse", w.t.auth, { type: "POINTS COUPON", code: t.ids.txCode }),
  },
  "POST /api/transaction/reverseMany": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => json("POST", "/api/transaction/reverseMany", w.t.auth, { type: "POINTS COUPON", codes: [await coupon(w), await coupon(w)] }),
    aimed: (w, t) => json("POST", "/api/transaction/reverseMany", w.t.auth, { type: "POINTS COUPON", codes: [t.ids.txCode, `${t.ids.txCode}-2`] }),
  },
  "POST /api/transaction/transfer": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) =>
      json("POST", "/api/transaction/transfer", w.t.auth, {
        type: "BALANCE TRANSFER DEBIT",
        total: 1,
        code: `ht-${fresh()}`,
        customerFrom: { externalId: w.ids.loyaltyExt, name: "David" },
        customerTo: { externalId: w.ids.loyaltyExt2, name: "Santiago" },
      }),
    aimed: (w, t) =>
      json("POST", "/api/transaction/transfer", w.t.auth, {
        type: "BALANCE TRANSFER DEBIT",
        total: 1,
        customerFrom: { externalId: t.ids.loyaltyExt, name: "David" },
        customerTo: { externalId: t.ids.loyaltyExt2, name: "Santiago" },
      }),
  },
  "POST /api/transaction/redeemFullBalance": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    // A customer of its own: redeeming the main customer's whole balance would starve the transfers.
    valid: async (w) => json("POST", "/api/transaction/redeemFullBalance", w.t.auth, checkbookBody(w, `hv-${fresh()}`)),
    aimed: (w, t) => json("POST", "/api/transaction/redeemFullBalance", w.t.auth, { ...checkbookBody(w, t.ids.loyaltyExt2), code: t.ids.txCode }),
  },
  "GET /api/transaction/history": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/transaction/history?customerId=${q(w.ids.loyaltyExt)}`, w.t.auth),
    aimed: (w, t) => get(`/api/transaction/history?customerId=${q(t.ids.loyaltyExt)}`, w.t.auth),
  },
  "GET /api/transaction/transactionByCode": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/transaction/transactionByCode?type=POINTS%20COUPON&code=${q(w.ids.txCode)}`, w.t.auth),
    aimed: (w, t) => get(`/api/transaction/transactionByCode?type=POINTS%20COUPON&code=${q(t.ids.txCode)}`, w.t.auth),
  },
  "GET /api/transaction/reloadsByCustomer": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/transaction/reloadsByCustomer?document=${q(w.ids.loyaltyExt)}&from=2000-01-01&to=2100-12-31`, w.t.auth),
    aimed: (w, t) => get(`/api/transaction/reloadsByCustomer?document=${q(t.ids.loyaltyExt)}&from=2000-01-01&to=2100-12-31`, w.t.auth),
  },
  "GET /api/transaction/pointsByCustomer": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/transaction/pointsByCustomer?document=${q(w.ids.loyaltyExt)}&from=2000-01-01&to=2100-12-31`, w.t.auth),
    aimed: (w, t) => get(`/api/transaction/pointsByCustomer?document=${q(t.ids.loyaltyExt)}&from=2000-01-01&to=2100-12-31`, w.t.auth),
  },
  "GET /api/batch/expiration": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/batch/expiration?customerId=${q(w.ids.loyaltyExt)}`, w.t.auth),
    aimed: (w, t) => get(`/api/batch/expiration?customerId=${q(t.ids.loyaltyExt)}`, w.t.auth),
  },
  "GET /api/report/dailySummary/stores": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/report/dailySummary/stores?${reportRange()}`, w.t.auth),
  },
  "GET /api/report/dailySummary/products": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/report/dailySummary/products?${reportRange()}`, w.t.auth),
  },
  "GET /api/group/default": { surface: "loyalty", auth: "bearer", ok: 200, valid: async (w) => get("/api/group/default", w.t.auth) },
  "GET /api/customer/findByExternalId": {
    surface: "loyalty",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/customer/findByExternalId?externalId=${q(w.ids.loyaltyExt)}`, w.t.auth),
    aimed: (w, t) => get(`/api/customer/findByExternalId?externalId=${q(t.ids.loyaltyExt)}`, w.t.auth),
  },

  // Sales (seed 004)
  "GET /api/sales/clientes": { surface: "sales", auth: "bearer", ok: 200, valid: async (w) => get("/api/sales/clientes?per_page=100", w.t.auth) },
  "POST /api/sales/clientes": {
    surface: "sales",
    auth: "bearer",
    ok: 201,
    valid: async (w) => json("POST", "/api/sales/clientes", w.t.auth, salesClientBody()),
    aimed: (w, t) => json("POST", "/api/sales/clientes", w.t.auth, { ...salesClientBody(), documento: t.ids.salesDoc }),
  },
  "GET /api/sales/clientes/{documento}": {
    surface: "sales",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/sales/clientes/${q(w.ids.salesDoc)}`, w.t.auth),
    aimed: (w, t) => get(`/api/sales/clientes/${q(t.ids.salesDoc)}`, w.t.auth),
  },
  "PUT /api/sales/clientes/{documento}": {
    surface: "sales",
    auth: "bearer",
    ok: 200,
    valid: async (w) =>
      json("PUT", `/api/sales/clientes/${q(w.ids.salesDoc)}`, w.t.auth, { nombre: `Juan ${w.marker}`, id_tipo_cliente: 1, id_tipo_documento: 1 }),
    aimed: (w, t) => json("PUT", `/api/sales/clientes/${q(t.ids.salesDoc)}`, w.t.auth, { nombre: "Otro", id_tipo_cliente: 1, id_tipo_documento: 1 }),
  },
  "DELETE /api/sales/clientes/{documento}": {
    surface: "sales",
    auth: "bearer",
    ok: 204,
    valid: async (w) => {
      const body = salesClientBody();
      await must(json("POST", "/api/sales/clientes", w.t.auth, body), 201);
      return { method: "DELETE", path: `/api/sales/clientes/${q(body.documento)}`, headers: w.t.auth };
    },
    aimed: (w, t) => ({ method: "DELETE", path: `/api/sales/clientes/${q(t.ids.salesDoc)}`, headers: w.t.auth }),
  },
  "GET /api/sales/clientes/{documento}/ventas": {
    surface: "sales",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/api/sales/clientes/${q(w.ids.salesDoc)}/ventas`, w.t.auth),
    aimed: (w, t) => get(`/api/sales/clientes/${q(t.ids.salesDoc)}/ventas`, w.t.auth),
  },
  "POST /api/sales/ventas": {
    surface: "sales",
    auth: "bearer",
    ok: 201,
    valid: async (w) =>
      json("POST", "/api/sales/ventas", w.t.auth, {
        documento: w.ids.salesDoc,
        apartamento: "Torre 2 - 704",
        monto: 3500,
        tipo: "separacion",
        fecha: "2024-02-29",
      }),
    aimed: (w, t) =>
      json("POST", "/api/sales/ventas", w.t.auth, { documento: t.ids.salesDoc, apartamento: "Torre 2 - 704", monto: 3500, tipo: "venta", fecha: "2024-01-15" }),
  },
  "GET /api/sales/tipos-cliente": { surface: "sales", auth: "bearer", ok: 200, valid: async (w) => get("/api/sales/tipos-cliente", w.t.auth) },
  "GET /api/sales/tipos-documento": { surface: "sales", auth: "bearer", ok: 200, valid: async (w) => get("/api/sales/tipos-documento", w.t.auth) },

  // ficha-native (/v1)
  "GET /v1/events": { surface: "v1", auth: "bearer", ok: 200, valid: async (w) => get("/v1/events?after=0&limit=50", w.t.auth) },
  "POST /v1/events/{id}/redeliver": {
    surface: "v1",
    auth: "bearer",
    ok: 202,
    valid: async (w) => ({ method: "POST", path: `/v1/events/${w.eventId}/redeliver`, headers: w.t.auth }),
    aimed: (w, t) => ({ method: "POST", path: `/v1/events/${t.eventId}/redeliver`, headers: w.t.auth }),
  },
  "POST /v1/webhook-endpoints": {
    surface: "v1",
    auth: "bearer",
    ok: 201,
    valid: async (w) => {
      await roomForEndpoint(w);
      return json("POST", "/v1/webhook-endpoints", w.t.auth, { url: `https://hooks.example.com/n${fresh()}`, events: ["ledger.posted"] });
    },
  },
  "GET /v1/webhook-endpoints": { surface: "v1", auth: "bearer", ok: 200, valid: async (w) => get("/v1/webhook-endpoints", w.t.auth) },
  "DELETE /v1/webhook-endpoints/{id}": {
    surface: "v1",
    auth: "bearer",
    ok: 204,
    valid: async (w) => ({ method: "DELETE", path: `/v1/webhook-endpoints/${await freshEndpoint(w)}`, headers: w.t.auth }),
    aimed: (w, t) => ({ method: "DELETE", path: `/v1/webhook-endpoints/${t.endpointId}`, headers: w.t.auth }),
  },
  "POST /v1/webhook-endpoints/{id}/rotate-secret": {
    surface: "v1",
    auth: "bearer",
    ok: 200,
    valid: async (w) => ({ method: "POST", path: `/v1/webhook-endpoints/${await freshEndpoint(w)}/rotate-secret`, headers: w.t.auth }),
    aimed: (w, t) => ({ method: "POST", path: `/v1/webhook-endpoints/${t.endpointId}/rotate-secret`, headers: w.t.auth }),
  },
  "GET /v1/webhook-endpoints/{id}/deliveries": {
    surface: "v1",
    auth: "bearer",
    ok: 200,
    valid: async (w) => get(`/v1/webhook-endpoints/${w.endpointId}/deliveries?limit=10`, w.t.auth),
    aimed: (w, t) => get(`/v1/webhook-endpoints/${t.endpointId}/deliveries?limit=10`, w.t.auth),
  },

  // Operator
  "POST /admin/tenants": {
    surface: "admin",
    auth: "admin",
    ok: 201,
    valid: async () => json("POST", "/admin/tenants", adminHeaders, { name: `Tenant ${fresh()}` }),
  },
  "POST /admin/tenants/{id}/credentials": {
    surface: "admin",
    auth: "admin",
    ok: 201,
    valid: async (w) => json("POST", `/admin/tenants/${w.t.id}/credentials`, adminHeaders, { kind: "kiosk", name: "Lobby" }),
  },
  "POST /admin/tenants/{tenantId}/customers/{survivorId}/merge": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => {
      const survivor = (await must(json("POST", "/api/clientes", w.t.auth, clientBody()), 201)).id;
      const absorbed = (await must(json("POST", "/api/clientes", w.t.auth, clientBody()), 201)).id;
      return json("POST", `/admin/tenants/${w.t.id}/customers/${survivor}/merge`, adminHeaders, { from: absorbed });
    },
    aimed: (w, t) => json("POST", `/admin/tenants/${w.t.id}/customers/${t.clientId}/merge`, adminHeaders, { from: t.parkingCustomerId }),
  },
  "POST /admin/tenants/{id}/reports/rebuild": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => ({ method: "POST", path: `/admin/tenants/${w.t.id}/reports/rebuild`, headers: adminHeaders }),
  },
  "DELETE /admin/credentials/{client_id}": {
    surface: "admin",
    auth: "admin",
    ok: 204,
    valid: async (w) => ({ method: "DELETE", path: `/admin/credentials/${(await issueCredential(w.t.id, "kiosk")).clientId}`, headers: adminHeaders }),
  },
  "PUT /admin/settings/vlt-destination": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => json("PUT", "/admin/settings/vlt-destination", adminHeaders, { tenantId: w.t.id }),
  },
  "DELETE /admin/settings/vlt-destination": {
    surface: "admin",
    auth: "admin",
    ok: 204,
    valid: async () => ({ method: "DELETE", path: "/admin/settings/vlt-destination", headers: adminHeaders }),
  },
  // Operator reads and the tenant update (the console's API)
  "GET /admin/tenants": { surface: "admin", auth: "admin", ok: 200, valid: async () => get("/admin/tenants?limit=100", adminHeaders) },
  "GET /admin/tenants/{id}": { surface: "admin", auth: "admin", ok: 200, valid: async (w) => get(`/admin/tenants/${w.t.id}`, adminHeaders) },
  // A tenant of its own each time: a fuzzed body must never lower the world's rate limit.
  "PATCH /admin/tenants/{id}": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async () => {
      const tenant = (await must(json("POST", "/admin/tenants", adminHeaders, { name: `Tenant ${fresh()}` }), 201)).id;
      return json("PATCH", `/admin/tenants/${tenant}`, adminHeaders, { name: `Renamed ${fresh()}`, timezone: "America/Lima", partnerRateLimit: 5000 });
    },
  },
  "POST /admin/credentials/{client_id}/rotate": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) =>
      json("POST", `/admin/credentials/${(await issueCredential(w.t.id, "kiosk")).clientId}/rotate`, adminHeaders, { grace_period_seconds: 60 }),
  },
  "GET /admin/audit": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/audit?tenantId=${w.t.id}&limit=10`, adminHeaders),
  },
  "GET /admin/tenants/{tenantId}/customers/{customerId}/export": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/customers/${w.clientId}/export`, adminHeaders),
    aimed: (w, t) => get(`/admin/tenants/${w.t.id}/customers/${t.clientId}/export`, adminHeaders),
  },
  "POST /admin/tenants/{tenantId}/customers/{customerId}/erase": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    // A customer of its own each time: the world's objects must outlive the erasure.
    valid: async (w) => ({
      method: "POST",
      path: `/admin/tenants/${w.t.id}/customers/${(await must(json("POST", "/api/clientes", w.t.auth, clientBody()), 201)).id}/erase`,
      headers: adminHeaders,
    }),
    aimed: (w, t) => ({ method: "POST", path: `/admin/tenants/${w.t.id}/customers/${t.clientId}/erase`, headers: adminHeaders }),
  },
  "GET /admin/tenants/{id}/credentials": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/credentials`, adminHeaders),
  },
  "GET /admin/tenants/{id}/customers": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/customers?q=${q(w.ids.cardUid)}`, adminHeaders),
    aimed: (w, t) => get(`/admin/tenants/${w.t.id}/customers?q=${q(t.ids.cardUid)}`, adminHeaders),
  },
  "GET /admin/tenants/{tenantId}/customers/{customerId}": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/customers/${w.clientId}`, adminHeaders),
    aimed: (w, t) => get(`/admin/tenants/${w.t.id}/customers/${t.clientId}`, adminHeaders),
  },
  "GET /admin/tenants/{tenantId}/customers/{customerId}/transactions": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/customers/${w.clientId}/transactions`, adminHeaders),
    aimed: (w, t) => get(`/admin/tenants/${w.t.id}/customers/${t.clientId}/transactions`, adminHeaders),
  },
  // Webhooks (the console's view of the tenant's endpoints)
  "GET /admin/tenants/{tenantId}/webhook-endpoints": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/webhook-endpoints?limit=50`, adminHeaders),
  },
  "GET /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/webhook-endpoints/${w.endpointId}`, adminHeaders),
    aimed: (w, t) => get(`/admin/tenants/${w.t.id}/webhook-endpoints/${t.endpointId}`, adminHeaders),
  },
  "GET /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => get(`/admin/tenants/${w.t.id}/webhook-endpoints/${w.endpointId}/deliveries?limit=10`, adminHeaders),
    aimed: (w, t) => get(`/admin/tenants/${w.t.id}/webhook-endpoints/${t.endpointId}/deliveries?limit=10`, adminHeaders),
  },
  // (The world's first event is older than its endpoint: accepted, and nothing is queued.)
  "POST /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/redeliver": {
    surface: "admin",
    auth: "admin",
    ok: 202,
    valid: async (w) => json("POST", `/admin/tenants/${w.t.id}/webhook-endpoints/${w.endpointId}/redeliver`, adminHeaders, { eventId: w.eventId }),
    aimed: (w, t) => json("POST", `/admin/tenants/${w.t.id}/webhook-endpoints/${t.endpointId}/redeliver`, adminHeaders, { eventId: t.eventId }),
  },
  "POST /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/enable": {
    surface: "admin",
    auth: "admin",
    ok: 200,
    valid: async (w) => ({ method: "POST", path: `/admin/tenants/${w.t.id}/webhook-endpoints/${w.endpointId}/enable`, headers: adminHeaders }),
    aimed: (w, t) => ({ method: "POST", path: `/admin/tenants/${w.t.id}/webhook-endpoints/${t.endpointId}/enable`, headers: adminHeaders }),
  },
};

/** The operations /openapi.json documents, as "METHOD /path" keys. */
export async function documentedOperations(): Promise<string[]> {
  const doc = await hit({ method: "GET", path: "/openapi.json" });
  if (doc.status !== 200) throw new Error(`openapi.json: ${doc.status}`);
  return Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/*
 * The operator console (/console): HTML pages and form posts, not in /openapi.json. Each
 * fixture builds a request that succeeds with a console session (its cookie and CSRF
 * token); `aimed` names, under the world's tenant, the objects of `target` (another
 * tenant's customer and credential, or ones that do not exist). The inventory test
 * compares this table with the routes the console's router registers.
 */

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

/** What a console request is aimed at: a customer, a card, a credential and a webhook endpoint of some tenant (or of none). */
export interface ConsoleTarget {
  customerId: number;
  cardUid: string;
  credentialId: number;
  endpointId: number;
}

export interface ConsoleFixture {
  /** `public`: the sign-in page and form, and the static files; every other route needs the session. */
  auth: "public" | "session";
  ok: number;
  valid(w: World, s: ConsoleSession): Promise<Req>;
  aimed?(w: World, s: ConsoleSession, target: ConsoleTarget): Req;
}

const page = (path: string, s?: ConsoleSession): Req => ({ method: "GET", path, headers: { accept: "text/html", ...(s ? { cookie: s.cookie } : {}) } });

/** A form post of the console: urlencoded, same-origin, with the session's CSRF token. */
export function consoleForm(path: string, s: ConsoleSession | null, fields: Record<string, string> = {}): Req {
  return {
    method: "POST",
    path,
    rawBody: new URLSearchParams(s ? { _csrf: s.csrf, ...fields } : fields).toString(),
    headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded", origin: "https://ficha.test", ...(s ? { cookie: s.cookie } : {}) },
  };
}

const tenantPath = (w: World) => `/console/tenants/${w.t.id}`;

export const consoleRoutes: Record<string, ConsoleFixture> = {
  // (A redirect to the tenants page, which asks for the session.)
  "GET /console": { auth: "public", ok: 303, valid: async () => page("/console") },
  "GET /console/sign-in": { auth: "public", ok: 200, valid: async () => page("/console/sign-in") },
  "POST /console/sign-in": { auth: "public", ok: 303, valid: async () => consoleForm("/console/sign-in", null, { token: ADMIN_TOKEN }) },
  "POST /console/sign-out": { auth: "session", ok: 303, valid: async (_w, s) => consoleForm("/console/sign-out", s) },
  "GET /console/static/:version/:file": { auth: "public", ok: 200, valid: async () => page(assetPath("console.js")) },
  "GET /console/tenants": { auth: "session", ok: 200, valid: async (_w, s) => page("/console/tenants", s) },
  "POST /console/tenants": {
    auth: "session",
    ok: 303,
    valid: async (_w, s) => consoleForm("/console/tenants", s, { name: `Consola ${fresh()}`, timezone: "America/Lima" }),
  },
  "GET /console/tenants/:id": { auth: "session", ok: 200, valid: async (w, s) => page(tenantPath(w), s) },
  "POST /console/tenants/:id": {
    auth: "session",
    ok: 303,
    valid: async (w, s) => consoleForm(tenantPath(w), s, { name: `Hostile ${w.marker}`, timezone: "UTC" }),
  },
  "POST /console/tenants/:id/vlt-destination": { auth: "session", ok: 303, valid: async (w, s) => consoleForm(`${tenantPath(w)}/vlt-destination`, s) },
  "POST /console/tenants/:id/vlt-destination/unset": {
    auth: "session",
    ok: 303,
    valid: async (w, s) => consoleForm(`${tenantPath(w)}/vlt-destination/unset`, s),
  },
  "POST /console/tenants/:id/reports/rebuild": { auth: "session", ok: 303, valid: async (w, s) => consoleForm(`${tenantPath(w)}/reports/rebuild`, s) },
  "POST /console/tenants/:id/credentials": {
    auth: "session",
    ok: 201,
    valid: async (w, s) => consoleForm(`${tenantPath(w)}/credentials`, s, { kind: "kiosk", name: "Lobby" }),
  },
  "GET /console/tenants/:id/credentials/:clientId/revoke": {
    auth: "session",
    ok: 200,
    valid: async (w, s) => page(`${tenantPath(w)}/credentials/${(await issueCredential(w.t.id, "kiosk")).clientId}/revoke`, s),
    aimed: (w, s, t) => page(`${tenantPath(w)}/credentials/${t.credentialId}/revoke`, s),
  },
  "POST /console/tenants/:id/credentials/:clientId/revoke": {
    auth: "session",
    ok: 303,
    valid: async (w, s) => consoleForm(`${tenantPath(w)}/credentials/${(await issueCredential(w.t.id, "kiosk")).clientId}/revoke`, s),
    aimed: (w, s, t) => consoleForm(`${tenantPath(w)}/credentials/${t.credentialId}/revoke`, s),
  },
  "GET /console/tenants/:id/customers": {
    auth: "session",
    ok: 200,
    valid: async (w, s) => page(`${tenantPath(w)}/customers?q=${q(w.ids.cardUid)}`, s),
    aimed: (w, s, t) => page(`${tenantPath(w)}/customers?q=${q(t.cardUid)}`, s),
  },
  "GET /console/tenants/:id/customers/:customerId": {
    auth: "session",
    ok: 200,
    valid: async (w, s) => page(`${tenantPath(w)}/customers/${w.clientId}`, s),
    aimed: (w, s, t) => page(`${tenantPath(w)}/customers/${t.customerId}`, s),
  },
  "GET /console/tenants/:id/customers/:customerId/merge": {
    auth: "session",
    ok: 200,
    valid: async (w, s) => page(`${tenantPath(w)}/customers/${w.clientId}/merge?from=${w.parkingCustomerId}`, s),
    aimed: (w, s, t) => page(`${tenantPath(w)}/customers/${w.clientId}/merge?from=${t.customerId}`, s),
  },
  "POST /console/tenants/:id/customers/:customerId/merge": {
    auth: "session",
    ok: 303,
    valid: async (w, s) => {
      const survivor = (await must(json("POST", "/api/clientes", w.t.auth, clientBody()), 201)).id;
      const absorbed = (await must(json("POST", "/api/clientes", w.t.auth, clientBody()), 201)).id;
      return consoleForm(`${tenantPath(w)}/customers/${survivor}/merge`, s, { from: String(absorbed) });
    },
    aimed: (w, s, t) => consoleForm(`${tenantPath(w)}/customers/${t.customerId}/merge`, s, { from: String(w.parkingCustomerId) }),
  },
  "GET /console/tenants/:id/reports": {
    auth: "session",
    ok: 200,
    valid: async (w, s) => page(`${tenantPath(w)}/reports`, s),
  },
  "GET /console/tenants/:id/webhooks": { auth: "session", ok: 200, valid: async (w, s) => page(`${tenantPath(w)}/webhooks`, s) },
  "GET /console/tenants/:id/webhooks/:endpointId": {
    auth: "session",
    ok: 200,
    valid: async (w, s) => page(`${tenantPath(w)}/webhooks/${w.endpointId}`, s),
    aimed: (w, s, t) => page(`${tenantPath(w)}/webhooks/${t.endpointId}`, s),
  },
  // (The world's first event is older than its endpoint: accepted, and nothing is queued.)
  "POST /console/tenants/:id/webhooks/:endpointId/redeliver": {
    auth: "session",
    ok: 303,
    valid: async (w, s) => consoleForm(`${tenantPath(w)}/webhooks/${w.endpointId}/redeliver`, s, { event: w.eventId }),
    aimed: (w, s, t) => consoleForm(`${tenantPath(w)}/webhooks/${t.endpointId}/redeliver`, s, { event: w.eventId }),
  },
  "POST /console/tenants/:id/webhooks/:endpointId/enable": {
    auth: "session",
    ok: 303,
    valid: async (w, s) => consoleForm(`${tenantPath(w)}/webhooks/${w.endpointId}/enable`, s),
    aimed: (w, s, t) => consoleForm(`${tenantPath(w)}/webhooks/${t.endpointId}/enable`, s),
  },
};
