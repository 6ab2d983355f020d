import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { customers, tenants, type Customer } from "../db/schema";
import { createCustomer } from "./customers";
import { invalid, notFound } from "./errors";

/**
 * The field-service client registry (seed 001) over the shared customer registry: its
 * clients are the tenant's active customers, whatever surface created them. The contract
 * names fields in Spanish; `clientFieldColumns` says which customer column holds each, so
 * rule violations are reported under the names the caller sent.
 */

export const clientTypes = ["PERSONA", "EMPRESA", "OTRO"] as const;
export type ClientType = (typeof clientTypes)[number];

export const clientDocumentTypes = ["RUC", "DNI", "CE", "OTRO"] as const;
export type ClientDocumentType = (typeof clientDocumentTypes)[number];

/** The contract's fields and the customer columns they live in. */
export const clientFieldColumns = {
  tipoCliente: "clientType",
  nombre: "name",
  tipoDocumento: "documentType",
  codigoCliente: "clientCode",
  numeroDocumento: "documentNumber",
  direccion: "address",
  telefono: "phone",
  email: "email",
  contactoRepresentante: "contactPerson",
} as const satisfies Record<string, keyof Customer>;

/** The columns a client is made of (what lists and writes read back). */
export type ClientRecord = Pick<Customer, "id" | (typeof clientFieldColumns)[keyof typeof clientFieldColumns]>;

/** Values of a new client: five required fields, the optional ones null when absent. */
export interface NewClient {
  clientType: ClientType;
  name: string;
  documentType: ClientDocumentType;
  clientCode: string;
  documentNumber: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  contactPerson: string | null;
}

const clientSelection = {
  id: customers.id,
  clientType: customers.clientType,
  name: customers.name,
  documentType: customers.documentType,
  clientCode: customers.clientCode,
  documentNumber: customers.documentNumber,
  address: customers.address,
  phone: customers.phone,
  email: customers.email,
  contactPerson: customers.contactPerson,
};

/**
 * How a stored document type reads in this contract. Other surfaces record types the
 * contract has no value for (CC, NIT, PASAPORTE from sales); they read as its catch-all
 * OTRO, so a caller bound to the four-value enum never meets an unknown value.
 */
export function clientDocumentType(stored: string | null): ClientDocumentType | null {
  if (stored === null) return null;
  return (clientDocumentTypes as readonly string[]).includes(stored) ? (stored as ClientDocumentType) : "OTRO";
}

/** Why `number` is not a valid document number of `type` (null when it is). */
export function documentNumberProblem(type: ClientDocumentType, number: string): string | null {
  switch (type) {
    case "RUC":
      return /^\d{11}$/.test(number) ? null : "El RUC debe tener exactamente 11 dígitos";
    case "DNI":
      return /^\d{8}$/.test(number) ? null : "El DNI debe tener exactamente 8 dígitos";
    case "CE":
      return /^[A-Za-z0-9]{9,12}$/.test(number) ? null : "El CE debe tener entre 9 y 12 caracteres alfanuméricos";
    case "OTRO":
      return number.length >= 1 && number.length <= 20 ? null : "El documento debe tener entre 1 y 20 caracteres";
  }
}

/**
 * One page of the tenant's active clients in id order, and how many there are. The count
 * is the tenant's `active_customers` counter, read in the same round trip, so the first
 * page reads O(page size) rows however large the registry; page n walks the
 * (tenant_id, active, id) index past the n × size rows before it (OFFSET), which D1
 * bills as rows read. A page past the end reads no customer row at all: the index is
 * entered with the tenant's id only if its counter exceeds the offset (an uncorrelated
 * subquery SQLite evaluates once, as the seek key; NULL otherwise, which matches nothing).
 */
export async function listClients(db: Db, tenantId: number, page: number, size: number): Promise<{ clients: ClientRecord[]; total: number }> {
  const offset = page * size;
  const tenantWithRowsPastOffset = db
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), gt(tenants.activeCustomers, offset)));
  const [[count], clients] = await db.batch([
    db.select({ total: tenants.activeCustomers }).from(tenants).where(eq(tenants.id, tenantId)),
    db
      .select(clientSelection)
      .from(customers)
      .where(and(eq(customers.tenantId, tenantWithRowsPastOffset), eq(customers.active, true)))
      .orderBy(asc(customers.id))
      .limit(size)
      .offset(offset),
  ]);
  return { clients, total: count?.total ?? 0 };
}

/** An active client of the tenant; another tenant's or a deleted one is not_found. */
export async function getClient(db: Db, tenantId: number, id: number): Promise<ClientRecord> {
  const client = await db
    .select(clientSelection)
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), eq(customers.active, true)))
    .get();
  if (!client) throw notFound("Cliente no encontrado");
  return client;
}

/**
 * Creates an active client. The partial unique
 * indexes on client_code and document_number refuse duplicates among active customers;
 * the caller maps that failure to its conflict.
 */
export function createClient(db: Db, tenantId: number, client: NewClient): Promise<ClientRecord> {
  return createCustomer(db, tenantId, { ...client, channel: "clients" });
}

/**
 * Changes the given fields of an active client (absent fields keep their value; null
 * clears an optional one). The document type and number must agree on the merged record:
 * a pair sent whole is the caller's to check (with its other field rules); when only one
 * of them changes, the other is read first (one more round trip) and checked here, a
 * stored type this contract does not know (CC, NIT …) as OTRO. Unique-index failures
 * propagate to the caller, as in `createClient`.
 */
export async function updateClient(db: Db, tenantId: number, id: number, changes: Partial<NewClient>): Promise<ClientRecord> {
  if (("documentType" in changes) !== ("documentNumber" in changes)) {
    const stored = await getClient(db, tenantId, id);
    const type = changes.documentType ?? clientDocumentType(stored.documentType);
    const number = changes.documentNumber ?? stored.documentNumber;
    if (type === null) throw invalid({ tipoDocumento: ["El campo es obligatorio"] });
    if (number === null) throw invalid({ numeroDocumento: ["El campo es obligatorio"] });
    const problem = documentNumberProblem(type, number);
    if (problem) throw invalid({ numeroDocumento: [problem] });
  }
  const [updated] = await db
    .update(customers)
    .set({ ...changes, updatedAt: Date.now() })
    .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), eq(customers.active, true)))
    .returning(clientSelection);
  if (!updated) throw notFound("Cliente no encontrado");
  return updated;
}
