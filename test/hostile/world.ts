import { hit, issuedSecrets, newTenant, type Req, setDestination, type Tenant } from "./client";

/** The identifiers a tenant's objects are reached by, on every surface. */
export interface Ids {
  clientDoc: string;
  clientCode: string;
  salesDoc: string;
  parkingRef: string;
  tagCode: string;
  loyaltyExt: string;
  loyaltyExt2: string;
  txCode: string;
  cardUid: string;
  vltCode: number;
  dni: string;
}

/** A tenant with one object of each kind, reached by `ids`; every text it stored contains `marker`. */
export interface World {
  t: Tenant;
  ids: Ids;
  marker: string;
  /** Row ids the tenant's objects got (never shared between tenants). */
  clientId: number;
  parkingCustomerId: number;
  /** The tenant's webhook endpoint, and its first event. */
  endpointId: number;
  eventId: string;
}

let serial = 0;
/** A number no other call of the run returned. */
export function fresh(): number {
  serial += 1;
  return serial;
}

/** Letters only, so it cannot appear by accident inside numbers, dates or ids. */
export function marker(): string {
  const letters = "bcdfghjklmnpqrstvwxz";
  return `mk${Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => letters[b % letters.length]).join("")}`;
}

/** Identifiers shaped like real ones, unique in the run (`prefix` keeps sets apart). */
export function idSet(prefix: string): Ids {
  const n = fresh();
  const digits = (len: number) => String(n).padStart(len, "0").slice(-len);
  return {
    clientDoc: `20${prefix === "shared" ? "1" : prefix === "bonly" ? "2" : "3"}${digits(8)}`,
    clientCode: `${prefix}-code-${n}`,
    salesDoc: `${prefix}-doc-${n}`,
    parkingRef: `${prefix}-ref-${n}`,
    tagCode: `${prefix}TAG${n}`.toUpperCase(),
    loyaltyExt: `${prefix}-ext-${n}`,
    loyaltyExt2: `${prefix}-ext2-${n}`,
    txCode: `${prefix}-tx-${n}`,
    cardUid: `${prefix}CARD${n}`.toUpperCase(),
    vltCode: 700_000 + n,
    dni: `7${digits(7)}`,
  };
}

async function ok(req: Req, expected: number): Promise<any> {
  const res = await hit(req);
  if (res.status !== expected) throw new Error(`${req.method} ${req.path}: ${res.status} ${res.text}`);
  return res.body;
}

/** Builds a tenant's objects on every surface through the API. */
export async function buildWorld(t: Tenant | null, ids: Ids, mark = marker()): Promise<World> {
  t ??= await newTenant();
  const auth = t.auth;
  const client = await ok(
    {
      method: "POST",
      path: "/api/clientes",
      headers: auth,
      body: {
        nombre: `Empresa ${mark}`,
        tipoCliente: "EMPRESA",
        tipoDocumento: "RUC",
        numeroDocumento: ids.clientDoc,
        codigoCliente: ids.clientCode,
        direccion: `Calle ${mark}`,
        email: `${mark}@empresa.pe`,
      },
    },
    201,
  );
  await ok(
    {
      method: "POST",
      path: "/api/sales/clientes",
      headers: auth,
      body: {
        nombre: `Juan ${mark}`,
        id_tipo_cliente: 1,
        id_tipo_documento: 1,
        documento: ids.salesDoc,
        correo: `${mark}@ventas.co`,
        direccion: `Carrera ${mark}`,
      },
    },
    201,
  );
  await ok(
    {
      method: "POST",
      path: "/api/sales/ventas",
      headers: auth,
      body: { documento: ids.salesDoc, apartamento: `Torre ${mark}`, monto: 100, tipo: "venta", fecha: "2024-01-15" },
    },
    201,
  );
  const parking = await ok(
    {
      method: "POST",
      path: "/api/v3/business/customer/add",
      headers: auth,
      body: {
        email: `${mark}@parking.cl`,
        phone: "+56975880800",
        name: `John ${mark}`,
        lastname: mark,
        isUnlimited: true,
        refId: ids.parkingRef,
        tags: [{ code: ids.tagCode, plate: "PLT001" }],
      },
    },
    201,
  );
  const loyaltyCustomer = { externalId: ids.loyaltyExt, name: `Cliente ${mark}`, data: { note: mark } };
  await ok(
    {
      method: "POST",
      path: "/api/transaction",
      headers: auth,
      body: {
        type: "POINTS COUPON",
        code: ids.txCode,
        description: `Bienvenida ${mark}`,
        total: 1000,
        customer: loyaltyCustomer,
        store: { externalId: "S1", name: `Tienda ${mark}` },
      },
    },
    200,
  );
  await ok(
    {
      method: "POST",
      path: "/api/transaction",
      headers: auth,
      body: { type: "BALANCE RELOAD", code: `${ids.txCode}-r`, description: `Recarga ${mark}`, total: 50, customer: loyaltyCustomer },
    },
    200,
  );
  await ok(
    {
      method: "POST",
      path: "/api/transaction",
      headers: auth,
      body: {
        type: "POINTS COUPON",
        code: `${ids.txCode}-2`,
        description: `Bienvenida ${mark}`,
        total: 10,
        customer: { externalId: ids.loyaltyExt2, name: `Otro ${mark}`, data: {} },
      },
    },
    200,
  );
  await setDestination(t.id);
  await ok(
    {
      method: "POST",
      path: "/api/clientes/register",
      body: {
        codigoClienteVLT: ids.vltCode,
        correo: `${mark}@kiosk.pe`,
        tarjeta: ids.cardUid,
        enviarWhatsApp: true,
        enviarCorreo: true,
        enviarSms: false,
        dni: ids.dni,
        nombre: `Brandon ${mark}`,
      },
    },
    201,
  );
  // One webhook endpoint per tenant (a world built again for the same tenant reuses it).
  const endpoints = await ok({ method: "GET", path: "/v1/webhook-endpoints", headers: auth }, 200);
  let endpointId = endpoints.data[0]?.id as number | undefined;
  if (endpointId === undefined) {
    const endpoint = await ok({ method: "POST", path: "/v1/webhook-endpoints", headers: auth, body: { url: `https://hooks.example.com/${mark}` } }, 201);
    issuedSecrets.push(endpoint.secret);
    endpointId = endpoint.id as number;
  }
  return { t, ids, marker: mark, clientId: client.id, parkingCustomerId: parking.customer, endpointId, eventId: `evt_${t.id}_1` };
}
