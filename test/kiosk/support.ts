import { admin, call, newTenant, type TestTenant } from "../helpers";
import { cardRows, customerRows, seedCustomer } from "../registry";

/** Seed 000's request example, verbatim. */
export const seedExample = {
  tipoDocumento: 1,
  dni: "74658993",
  nombre: "Brandon",
  apellidoPaterno: "Mamani",
  apellidoMaterno: "Ayala",
  fechaNacimiento: "1995-04-23T13:47:04.200Z",
  direccion: "Av. Bolognesi 123",
  telefono: "928570056",
  ubigeo: "230101",
  sexo: 1,
  codigoClienteVLT: 70,
  correo: "cliente70@gmail.com",
  enviarWhatsApp: true,
  enviarCorreo: true,
  enviarSms: true,
  tarjeta: "A0C2BBCA",
};

let ipCounter = 0;
/** A client IP no other test has used (the per-IP limit would otherwise carry over between tests). */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

let serial = 0;
/** A valid registration with a card, VLT code and dni no other call of this file used. */
export function newRegistration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  return {
    codigoClienteVLT: 5000 + serial,
    correo: `cliente${serial}@example.com`,
    enviarWhatsApp: true,
    enviarCorreo: false,
    enviarSms: true,
    tarjeta: `C0DE${serial.toString(16).padStart(4, "0").toUpperCase()}`,
    dni: String(40000000 + serial),
    nombre: `Nombre ${serial}`,
    ...overrides,
  };
}

/** POST /api/clientes/register from a fresh client IP (or `ip`). */
export function register(body: unknown, options: { ip?: string; headers?: Record<string, string>; rawBody?: BodyInit } = {}) {
  return call("POST", "/api/clientes/register", {
    body: options.rawBody === undefined ? body : undefined,
    rawBody: options.rawBody,
    headers: { "cf-connecting-ip": options.ip ?? freshIp(), ...options.headers },
  });
}

/** A fresh tenant made the VLT destination. */
export async function destinationTenant(): Promise<TestTenant> {
  const tenant = await newTenant();
  const set = await admin("PUT", "/admin/settings/vlt-destination", { tenantId: tenant.id });
  if (set.status !== 200) throw new Error(`vlt-destination: ${set.status} ${set.text}`);
  return tenant;
}

/** The tenant's rows, straight from D1 (each key under the name of the field it stands for). */
export const customersOf = customerRows;
export const cardsOf = cardRows;

/** A customer created as another surface would (no consents), for matching tests. */
export async function insertForeignCustomer(
  tenantId: number,
  values: { documentType?: string; documentNumber?: string; vltCode?: number; active?: boolean } = {},
) {
  return (await seedCustomer(tenantId, { channel: "clients", name: "Empresa", ...values })).id;
}
