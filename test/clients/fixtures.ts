import { env } from "cloudflare:workers";
import { call, type TestTenant } from "../helpers";
import { customerRow, type SeededCustomer, seedCustomer } from "../registry";

/** The seed's `POST /api/clientes` body, verbatim. */
export const seedClient = {
  nombre: "Empresa Telecom SAC",
  tipoCliente: "EMPRESA",
  tipoDocumento: "RUC",
  numeroDocumento: "20512345678",
  codigoCliente: "CLI042",
  direccion: "Av. Principal 123, Lima",
  telefono: "999888777",
  email: "contacto@telecomsac.pe",
  contactoRepresentante: "Carlos Mendoza",
} as const;

/** The ClienteResponse a body renders as, in the contract's field order. */
export function rendered(id: number, body: Record<string, unknown>) {
  return {
    id,
    tipoCliente: body.tipoCliente ?? null,
    nombre: body.nombre ?? null,
    tipoDocumento: body.tipoDocumento ?? null,
    codigoCliente: body.codigoCliente ?? null,
    numeroDocumento: body.numeroDocumento ?? null,
    direccion: body.direccion ?? null,
    telefono: body.telefono ?? null,
    email: body.email ?? null,
    contactoRepresentante: body.contactoRepresentante ?? null,
  };
}

let sequence = 0;

/** A valid client body with a fresh code and DNI (unique per call). */
export function person(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    nombre: `Persona ${sequence}`,
    tipoCliente: "PERSONA",
    tipoDocumento: "DNI",
    numeroDocumento: String(10_000_000 + sequence),
    codigoCliente: `P${sequence}`,
    ...overrides,
  };
}

/** Creates a client through the API; returns its id. */
export async function createClient(tenant: TestTenant, body: Record<string, unknown> = person()): Promise<number> {
  const res = await call("POST", "/api/clientes", { body, headers: tenant.auth });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
  return res.body.id;
}

/** A customer registered by another surface (kiosk, parking, loyalty, sales) straight through the core. */
export async function otherSurfaceCustomer(tenantId: number, values: SeededCustomer) {
  return seedCustomer(tenantId, values);
}

/** The stored row, for assertions the API cannot make (soft delete, untouched columns). */
export function storedCustomer(id: number) {
  return customerRow(id);
}

/** The tenant's active-customer counter. */
export async function activeCounter(tenantId: number): Promise<number> {
  const row = await env.DB.prepare("SELECT active_customers AS n FROM tenants WHERE id = ?").bind(tenantId).first<{ n: number }>();
  return row!.n;
}

export const notFound = { success: false, code: 404, message: "Cliente no encontrado", data: null };
export const badId = { success: false, code: 400, message: "El parámetro 'id' no tiene un formato válido", data: null };
export const unauthorized = { success: false, code: 401, message: "No autorizado: token ausente, inválido o expirado", data: null };
export const validation = (errors: Record<string, string[]>) => ({ success: false, code: 422, message: "Error de validación", data: null, errors });
