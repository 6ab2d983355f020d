import { and, asc, count, eq, notExists, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { customers, sales, salesClientTypes, salesDocumentTypes, tenants, type Customer, type SaleKind } from "../db/schema";
import { insertCustomer } from "./customers";

/**
 * The real-estate sales back office (seed 004) over the shared registry: a sales client
 * is an active customer of the tenant addressed by its document number (the same
 * customer the kiosk matches by `dni`), classified by two global catalogues; sales and
 * separations hang off it and keep it from being deleted.
 */

export interface ClientType {
  id: number;
  name: string;
}

export interface DocumentType {
  id: number;
  code: string;
  name: string;
}

/** A customer as the sales back office sees it, with its catalogue entries loaded (null when unset). */
export interface SalesClient {
  documentNumber: string;
  name: string | null;
  clientTypeId: number | null;
  documentTypeId: number | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  createdAt: number;
  updatedAt: number;
  clientType: ClientType | null;
  documentType: DocumentType | null;
}

/** What a sales client's form writes; `null` clears an optional field, `undefined` leaves it alone. */
export interface SalesClientFields {
  name: string;
  clientTypeId: number;
  documentTypeId: number;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface SaleRecord {
  id: number;
  documentNumber: string;
  apartment: string;
  amount: number;
  kind: SaleKind;
  date: string;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * "Active and holding a document" written with literals, so that SQLite can prove the
 * partial index customers_tenant_document applies (a bound `active = ?` would not).
 */
const activeWithDocument = sql`${customers.active} = 1 AND ${customers.documentNumber} IS NOT NULL`;
const byDocument = (tenantId: number, documentNumber: string) =>
  and(eq(customers.tenantId, tenantId), eq(customers.documentNumber, documentNumber), activeWithDocument);

/** The global client-type catalogue, in id order. */
export function listClientTypes(db: Db): Promise<ClientType[]> {
  return db.select().from(salesClientTypes).orderBy(asc(salesClientTypes.id));
}

/** The global document-type catalogue, in id order. */
export function listDocumentTypes(db: Db): Promise<DocumentType[]> {
  return db.select().from(salesDocumentTypes).orderBy(asc(salesDocumentTypes.id));
}

/** What the seed's `exists` and `unique` rules ask of the database, plus the tenant's time zone. */
export interface References {
  timezone: string;
  /** null when the id was not given or is not in the catalogue. */
  clientType: ClientType | null;
  documentType: DocumentType | null;
  /** The active customer holding the document, or null. */
  customerId: number | null;
}

/**
 * Looks up every reference a sales form names in ONE statement (scalar subqueries
 * anchored on the tenant's row): catalogue entries by id and the active customer holding
 * a document number. Absent inputs look up nothing.
 */
export async function lookupReferences(
  db: Db,
  tenantId: number,
  refs: { clientTypeId?: number; documentTypeId?: number; documentNumber?: string },
): Promise<References> {
  const clientTypeId = refs.clientTypeId ?? null;
  const documentTypeId = refs.documentTypeId ?? null;
  const documentNumber = refs.documentNumber ?? null;
  const row = await db
    .select({
      timezone: tenants.timezone,
      clientTypeName: sql<string | null>`(SELECT ${salesClientTypes.name} FROM ${salesClientTypes} WHERE ${salesClientTypes.id} = ${clientTypeId})`,
      documentTypeCode: sql<string | null>`(SELECT ${salesDocumentTypes.code} FROM ${salesDocumentTypes} WHERE ${salesDocumentTypes.id} = ${documentTypeId})`,
      documentTypeName: sql<string | null>`(SELECT ${salesDocumentTypes.name} FROM ${salesDocumentTypes} WHERE ${salesDocumentTypes.id} = ${documentTypeId})`,
      customerId: sql<number | null>`(SELECT ${customers.id} FROM ${customers} WHERE ${customers.tenantId} = ${tenantId} AND ${customers.documentNumber} = ${documentNumber} AND ${activeWithDocument})`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get();
  return {
    timezone: row?.timezone ?? "UTC",
    clientType: clientTypeId !== null && row?.clientTypeName != null ? { id: clientTypeId, name: row.clientTypeName } : null,
    documentType:
      documentTypeId !== null && row?.documentTypeCode != null && row.documentTypeName != null
        ? { id: documentTypeId, code: row.documentTypeCode, name: row.documentTypeName }
        : null,
    customerId: row?.customerId ?? null,
  };
}

const clientColumns = {
  documentNumber: customers.documentNumber,
  name: customers.name,
  clientTypeId: customers.salesClientTypeId,
  documentTypeId: customers.salesDocumentTypeId,
  address: customers.address,
  phone: customers.phone,
  email: customers.email,
  createdAt: customers.createdAt,
  updatedAt: customers.updatedAt,
  // Aliased: the metered D1 driver maps rows by column name, and three tables have a `name`.
  clientTypeName: sql<string | null>`${salesClientTypes.name}`.as("client_type_name"),
  documentTypeCode: sql<string | null>`${salesDocumentTypes.code}`.as("document_type_code"),
  documentTypeName: sql<string | null>`${salesDocumentTypes.name}`.as("document_type_name"),
};

type ClientRow = {
  documentNumber: string | null;
  name: string | null;
  clientTypeId: number | null;
  documentTypeId: number | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  createdAt: number;
  updatedAt: number;
  clientTypeName: string | null;
  documentTypeCode: string | null;
  documentTypeName: string | null;
};

function toSalesClient(row: ClientRow): SalesClient {
  const { clientTypeName, documentTypeCode, documentTypeName, ...client } = row;
  return {
    ...client,
    documentNumber: client.documentNumber ?? "",
    clientType: client.clientTypeId !== null && clientTypeName !== null ? { id: client.clientTypeId, name: clientTypeName } : null,
    documentType:
      client.documentTypeId !== null && documentTypeCode !== null && documentTypeName !== null
        ? { id: client.documentTypeId, code: documentTypeCode, name: documentTypeName }
        : null,
  };
}

function withCatalogues(customer: Customer, clientType: ClientType, documentType: DocumentType): SalesClient {
  return {
    documentNumber: customer.documentNumber ?? "",
    name: customer.name,
    clientTypeId: customer.salesClientTypeId,
    documentTypeId: customer.salesDocumentTypeId,
    address: customer.address,
    phone: customer.phone,
    email: customer.email,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    clientType,
    documentType,
  };
}

function selectClients(db: Db) {
  return db
    .select(clientColumns)
    .from(customers)
    .leftJoin(salesClientTypes, eq(salesClientTypes.id, customers.salesClientTypeId))
    .leftJoin(salesDocumentTypes, eq(salesDocumentTypes.id, customers.salesDocumentTypeId));
}

/** The tenant's active customer holding `documentNumber`, or null (another tenant's is null too). */
export async function findSalesClient(db: Db, tenantId: number, documentNumber: string): Promise<SalesClient | null> {
  const row = await selectClients(db).where(byDocument(tenantId, documentNumber)).get();
  return row ? toSalesClient(row) : null;
}

/**
 * One page of the tenant's active customers that hold a document, in document order
 * (the primary-key order of the seed's table), and their total, in one round trip. The
 * total is the tenant's trigger-kept counter, so a page reads O(page) rows.
 */
export async function pageSalesClients(db: Db, tenantId: number, page: { offset: number; limit: number }): Promise<Page<SalesClient>> {
  const inTenant = and(eq(customers.tenantId, tenantId), activeWithDocument);
  const [rows, [counted]] = await db.batch([
    selectClients(db).where(inTenant).orderBy(asc(customers.documentNumber)).limit(page.limit).offset(page.offset),
    db.select({ total: tenants.documentedCustomers }).from(tenants).where(eq(tenants.id, tenantId)),
  ]);
  return { items: rows.map(toSalesClient), total: counted?.total ?? 0 };
}

/**
 * Creates the customer. `document_type` gets the
 * catalogue's code so the other surfaces read the same document type. A concurrent
 * create of the same document fails on customers_tenant_document (D1's unique error
 * propagates; the surface renders it).
 */
export async function createSalesClient(
  db: Db,
  tenantId: number,
  documentNumber: string,
  fields: SalesClientFields,
  catalogues: { clientType: ClientType; documentType: DocumentType },
): Promise<SalesClient> {
  const [customer] = await insertCustomer(db, tenantId, {
    channel: "sales",
    documentNumber,
    documentType: catalogues.documentType.code,
    ...customerColumns(fields),
  });
  return withCatalogues(customer!, catalogues.clientType, catalogues.documentType);
}

/** Rewrites an active client's fields (never its document); null when there is no such client. */
export async function updateSalesClient(
  db: Db,
  tenantId: number,
  documentNumber: string,
  fields: SalesClientFields,
  catalogues: { clientType: ClientType; documentType: DocumentType },
): Promise<SalesClient | null> {
  const [customer] = await db
    .update(customers)
    .set({ ...customerColumns(fields), documentType: catalogues.documentType.code, updatedAt: Date.now() })
    .where(byDocument(tenantId, documentNumber))
    .returning();
  return customer ? withCatalogues(customer, catalogues.clientType, catalogues.documentType) : null;
}

function customerColumns(fields: SalesClientFields) {
  return {
    name: fields.name,
    salesClientTypeId: fields.clientTypeId,
    salesDocumentTypeId: fields.documentTypeId,
    address: fields.address,
    phone: fields.phone,
    email: fields.email,
  };
}

/**
 * Soft-deletes a client unless it has sales, in one batch: the guarded update (NOT
 * EXISTS sales; triggers move the tenant's counters) and a re-read that tells
 * "has sales" from "absent". D1 runs statements one at a time, so a concurrent
 * sale either lands first (and this answers has_sales) or finds the client gone.
 */
export async function deleteSalesClient(db: Db, tenantId: number, documentNumber: string): Promise<"deleted" | "has_sales" | "not_found"> {
  const [deleted, remaining] = await db.batch([
    db
      .update(customers)
      .set({ active: false, updatedAt: Date.now() })
      .where(
        and(
          byDocument(tenantId, documentNumber),
          notExists(
            db
              .select({ one: sql`1` })
              .from(sales)
              .where(and(eq(sales.tenantId, tenantId), eq(sales.customerId, customers.id))),
          ),
        ),
      )
      .returning({ id: customers.id }),
    db.select({ id: customers.id }).from(customers).where(byDocument(tenantId, documentNumber)),
  ]);
  if (deleted.length > 0) return "deleted";
  return remaining.length > 0 ? "has_sales" : "not_found";
}

/**
 * Records a sale or separation for the active client holding the document. The insert
 * selects the client in the same statement, so a client deleted meanwhile gets no sale
 * (null is returned).
 */
export async function recordSale(
  db: Db,
  tenantId: number,
  sale: { documentNumber: string; apartment: string; amount: number; kind: SaleKind; date: string },
): Promise<SaleRecord | null> {
  const createdAt = Date.now();
  const [row] = await db
    .insert(sales)
    .select(
      db
        .select({
          id: sql<number>`NULL`.as("id"),
          tenantId: customers.tenantId,
          customerId: customers.id,
          apartment: sql<string>`${sale.apartment}`.as("apartment"),
          amount: sql<number>`${sale.amount}`.as("amount"),
          kind: sql<SaleKind>`${sale.kind}`.as("kind"),
          date: sql<string>`${sale.date}`.as("date"),
          createdAt: sql<number>`${createdAt}`.as("created_at"),
        })
        .from(customers)
        .where(byDocument(tenantId, sale.documentNumber)),
    )
    .returning();
  return row ? { id: row.id, documentNumber: sale.documentNumber, apartment: row.apartment, amount: row.amount, kind: row.kind, date: row.date, createdAt: row.createdAt } : null;
}

/** One page of a client's sales in recording order, with their total; null when there is no such client. */
export async function pageClientSales(
  db: Db,
  tenantId: number,
  documentNumber: string,
  page: { offset: number; limit: number },
): Promise<Page<SaleRecord> | null> {
  const ofClient = and(eq(sales.tenantId, tenantId), byDocument(tenantId, documentNumber));
  const [client, rows, [counted]] = await db.batch([
    db.select({ id: customers.id }).from(customers).where(byDocument(tenantId, documentNumber)),
    db
      .select({
        id: sales.id,
        documentNumber: sql<string>`${customers.documentNumber}`.as("document_number"),
        apartment: sales.apartment,
        amount: sales.amount,
        kind: sales.kind,
        date: sales.date,
        createdAt: sql<number>`${sales.createdAt}`.as("sale_created_at"),
      })
      .from(sales)
      .innerJoin(customers, eq(customers.id, sales.customerId))
      .where(ofClient)
      .orderBy(asc(sales.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(sales).innerJoin(customers, eq(customers.id, sales.customerId)).where(ofClient),
  ]);
  if (client.length === 0) return null;
  return { items: rows, total: counted?.total ?? 0 };
}
