import { and, asc, count, eq, type SQLWrapper, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { bound, prepared, rendered, reusable, rows, runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { customers, identifiers, type SaleKind, sales, salesClientTypes, salesDocumentTypes, tenants } from "../db/schema";

export { type SaleKind, saleKinds } from "../db/schema";

import { col } from "../db/sql";
import { customerUpdated, saleRecorded } from "./events/payloads";
import { createCustomer, deactivationStatements, fullName, updateSet, wholeName } from "./registry/customers";
import { holderOf, normalise, setQualifier } from "./registry/identifiers";
import type { DeactivationTarget } from "./registry/refs";

/**
 * Sales and separations (reservations) of apartments, and the clients they belong to.
 * A sales client is the primary holder of a document number in the registry (the
 * customer the kiosk matches by `dni` and the ledger by document), classified by two
 * global catalogues; its sales keep it from being deleted. A document several customers
 * share is listed once, as its primary holder: the oldest active customer holding it.
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

/** A customer as a sales client, with its catalogue entries loaded (null when unset). */
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

/** The primary holder of a document, as SQL naming its id (NULL when none). */
const holderOfDocument = (tenantId: number | SQLWrapper, documentNumber: string | SQLWrapper) => holderOf(tenantId, "document", documentNumber);

/** The global client-type catalogue, in id order. */
export function listClientTypes(db: Db): Promise<ClientType[]> {
  return db.select().from(salesClientTypes).orderBy(asc(salesClientTypes.id));
}

/** The global document-type catalogue, in id order. */
export function listDocumentTypes(db: Db): Promise<DocumentType[]> {
  return db.select().from(salesDocumentTypes).orderBy(asc(salesDocumentTypes.id));
}

/** What a form's `exists` and `unique` rules ask of the database, plus the tenant's time zone. */
export interface References {
  timezone: string;
  /** null when the id was not given or is not in the catalogue. */
  clientType: ClientType | null;
  documentType: DocumentType | null;
  /** The primary holder of the document, or null. */
  customerId: number | null;
}

/**
 * Looks up every reference a sales form names in ONE statement (scalar subqueries
 * anchored on the tenant's row): catalogue entries by id and the holder of a document
 * number. Absent inputs look up nothing.
 */
export async function lookupReferences(
  db: Db,
  tenantId: number,
  refs: { clientTypeId?: number; documentTypeId?: number; documentNumber?: string },
): Promise<References> {
  const clientTypeId = refs.clientTypeId ?? null;
  const documentTypeId = refs.documentTypeId ?? null;
  const documentNumber = refs.documentNumber === undefined ? null : normalise("document", refs.documentNumber);
  const row = await db
    .select({
      timezone: tenants.timezone,
      clientTypeName: sql<string | null>`(SELECT ${salesClientTypes.name} FROM ${salesClientTypes} WHERE ${salesClientTypes.id} = ${clientTypeId})`,
      documentTypeCode: sql<string | null>`(SELECT ${salesDocumentTypes.code} FROM ${salesDocumentTypes} WHERE ${salesDocumentTypes.id} = ${documentTypeId})`,
      documentTypeName: sql<string | null>`(SELECT ${salesDocumentTypes.name} FROM ${salesDocumentTypes} WHERE ${salesDocumentTypes.id} = ${documentTypeId})`,
      customerId: sql<number | null>`${holderOfDocument(tenantId, sql`${documentNumber}`)}`,
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

const documents = alias(identifiers, "document");

const clientColumns = {
  documentNumber: sql<string>`${documents.value}`.as("document_number"),
  name: customers.name,
  lastName: customers.lastName,
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
  documentNumber: string;
  name: string | null;
  lastName: string | null;
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
  const { clientTypeName, documentTypeCode, documentTypeName, lastName, ...client } = row;
  return {
    ...client,
    // The seed's `nombre` is one "full name or company name".
    name: fullName({ name: client.name, lastName }),
    clientType: client.clientTypeId !== null && clientTypeName !== null ? { id: client.clientTypeId, name: clientTypeName } : null,
    documentType:
      client.documentTypeId !== null && documentTypeCode !== null && documentTypeName !== null
        ? { id: client.documentTypeId, code: documentTypeCode, name: documentTypeName }
        : null,
  };
}

/** Primary holders of documents (the clients this back office lists), with their catalogue entries. */
function selectClients(db: Db) {
  return db
    .select(clientColumns)
    .from(documents)
    .innerJoin(customers, eq(customers.id, documents.customerId))
    .leftJoin(salesClientTypes, eq(salesClientTypes.id, customers.salesClientTypeId))
    .leftJoin(salesDocumentTypes, eq(salesDocumentTypes.id, customers.salesDocumentTypeId));
}

const primaryDocuments = (tenantId: SQLWrapper) => and(eq(documents.tenantId, tenantId), eq(documents.kind, "document"), eq(documents.exclusive, 1));

const clientByDocument = prepared((db) =>
  selectClients(db)
    .where(and(primaryDocuments(sql.placeholder("tenantId")), eq(documents.value, sql.placeholder("documentNumber"))))
    .prepare(),
);

/** The tenant's client holding `documentNumber`, or null (another tenant's is null too). */
export async function findSalesClient(db: Db, tenantId: number, documentNumber: string): Promise<SalesClient | null> {
  const row = await clientByDocument(db).get({ tenantId, documentNumber: normalise("document", documentNumber) });
  return row ? toSalesClient(row) : null;
}

const clientsPage = prepared((db) =>
  selectClients(db)
    .where(primaryDocuments(sql.placeholder("tenantId")))
    .orderBy(asc(documents.value))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare(),
);
const documentedCount = prepared((db) =>
  db
    .select({ total: tenants.documentedCustomers })
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder("tenantId")))
    .prepare(),
);

/**
 * One page of the tenant's clients in document order (the primary-key order of the seed's
 * table), and their total, in one round trip. The total is the tenant's trigger-kept
 * counter, so a page reads O(page) rows.
 */
export async function pageSalesClients(db: Db, tenantId: number, page: { offset: number; limit: number }): Promise<Page<SalesClient>> {
  const [rowsOfPage, [counted]] = await runBatch(db, [bound(clientsPage(db), { tenantId, ...page }), bound(documentedCount(db), { tenantId })]);
  return { items: rowsOfPage.map(toSalesClient), total: counted?.total ?? 0 };
}

function profileOf(fields: SalesClientFields) {
  return {
    ...wholeName(fields.name),
    salesClientTypeId: fields.clientTypeId,
    salesDocumentTypeId: fields.documentTypeId,
    address: fields.address,
    phone: fields.phone,
    email: fields.email,
  };
}

/**
 * Creates the client, holding its document as primary (the catalogue's code as the
 * document's type, so the other surfaces read the same type). A document that already has
 * a holder, even one that got it concurrently, is `IdentifierConflict` on the document.
 */
export async function createSalesClient(
  db: Db,
  tenantId: number,
  documentNumber: string,
  fields: SalesClientFields,
  catalogues: { clientType: ClientType; documentType: DocumentType },
): Promise<SalesClient> {
  const value = normalise("document", documentNumber);
  const customer = await createCustomer(db, tenantId, {
    channel: "sales",
    profile: profileOf(fields),
    identifiers: [{ kind: "document", value, qualifier: catalogues.documentType.code, primary: "required" }],
  });
  return {
    documentNumber: value,
    name: customer.name,
    clientTypeId: customer.salesClientTypeId,
    documentTypeId: customer.salesDocumentTypeId,
    address: customer.address,
    phone: customer.phone,
    email: customer.email,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    ...catalogues,
  };
}

/** Rewrites the fields of the client holding the document (never the document itself, whose type follows the catalogue); null when there is no such client. */
export async function updateSalesClient(
  db: Db,
  tenantId: number,
  documentNumber: string,
  fields: SalesClientFields,
  catalogues: { clientType: ClientType; documentType: DocumentType },
): Promise<SalesClient | null> {
  const now = Date.now();
  const value = normalise("document", documentNumber);
  const holder = holderOfDocument(tenantId, value);
  const profile = profileOf(fields);
  const [, , updated] = await runBatch(db, [
    rows<never>(setQualifier(holder, "document", value, catalogues.documentType.code)),
    customerUpdated(tenantId, holder, profile, [], now),
    rows<{ id: number }>(sql`UPDATE ${customers} SET ${updateSet({ ...profile, updatedAt: now })}
      WHERE ${customers.id} = ${holder} AND ${customers.active} = 1 RETURNING ${col(customers.id)}`),
  ]);
  return updated.length > 0 ? await findSalesClient(db, tenantId, value) : null;
}

/**
 * Soft-deletes a client unless it has sales, in one batch: the guarded deactivation
 * (NOT EXISTS sales; triggers move the tenant's counters, the document passes to its next
 * holder) and a re-read that tells "has sales" from "absent". D1 runs statements one at a
 * time, so a concurrent sale either lands first (and this answers has_sales) or finds the
 * client gone.
 */
export async function deleteSalesClient(db: Db, tenantId: number, documentNumber: string): Promise<"deleted" | "has_sales" | "not_found"> {
  const values = { documentNumber: normalise("document", documentNumber) };
  const [, deleted, , remaining] = await runBatch(db, [
    ...deactivationStatements(clientWithoutSales, tenantId, Date.now(), values),
    rendered<{ id: number | null }>(documentHolder(undefined, { ...values, tenantId })),
  ]);
  if (deleted.length > 0) return "deleted";
  return remaining[0]?.id != null ? "has_sales" : "not_found";
}

/** The primary holder of a document, without sales: the sales surface's delete. */
const clientWithoutSales: DeactivationTarget = {
  key: "document holder without sales",
  customer: () => holderOfDocument(sql.placeholder("tenantId"), sql.placeholder("documentNumber")),
  guard: () => sql`NOT EXISTS (SELECT 1 FROM ${sales} WHERE ${sales.tenantId} = ${sql.placeholder("tenantId")} AND ${sales.customerId} = ${customers.id})`,
};

const documentHolder = reusable(
  () => "document holder",
  () => sql`SELECT ${holderOfDocument(sql.placeholder("tenantId"), sql.placeholder("documentNumber"))} AS "id"`,
);

/**
 * Records a sale or separation for the client holding the document. The insert selects
 * the client in the same statement, so a client deleted meanwhile gets no sale (null).
 */
export async function recordSale(
  db: Db,
  tenantId: number,
  sale: { documentNumber: string; apartment: string; amount: number; kind: SaleKind; date: string },
): Promise<SaleRecord | null> {
  const createdAt = Date.now();
  const documentNumber = normalise("document", sale.documentNumber);
  const values = { tenantId, documentNumber, apartment: sale.apartment, amount: sale.amount, kind: sale.kind, date: sale.date, createdAt };
  const [[row]] = await runBatch(db, [bound(saleInsert(db), values), saleRecorded(tenantId, documentNumber, createdAt)]);
  return row ? { id: row.id, documentNumber, apartment: row.apartment, amount: row.amount, kind: row.kind, date: row.date, createdAt: row.createdAt } : null;
}

const saleInsert = prepared((db) =>
  db
    .insert(sales)
    .select(
      db
        .select({
          id: sql<number>`NULL`.as("id"),
          tenantId: customers.tenantId,
          customerId: customers.id,
          apartment: sql<string>`${sql.placeholder("apartment")}`.as("apartment"),
          amount: sql<number>`${sql.placeholder("amount")}`.as("amount"),
          kind: sql<SaleKind>`${sql.placeholder("kind")}`.as("kind"),
          date: sql<string>`${sql.placeholder("date")}`.as("date"),
          createdAt: sql<number>`${sql.placeholder("createdAt")}`.as("created_at"),
        })
        .from(customers)
        .where(and(eq(customers.id, holderOfDocument(sql.placeholder("tenantId"), sql.placeholder("documentNumber"))), eq(customers.active, true))),
    )
    .returning()
    .prepare(),
);

/** One page of the client's sales in recording order, with their total; null when there is no such client. */
export async function pageClientSales(
  db: Db,
  tenantId: number,
  documentNumber: string,
  page: { offset: number; limit: number },
): Promise<Page<SaleRecord> | null> {
  const value = normalise("document", documentNumber);
  const holder = holderOfDocument(tenantId, value);
  const ofClient = and(eq(sales.tenantId, tenantId), eq(sales.customerId, holder));
  const [client, items, [counted]] = await db.batch([
    db
      .select({ id: sql<number | null>`${holder}` })
      .from(tenants)
      .where(eq(tenants.id, tenantId)),
    db
      .select({ id: sales.id, apartment: sales.apartment, amount: sales.amount, kind: sales.kind, date: sales.date, createdAt: sales.createdAt })
      .from(sales)
      .where(ofClient)
      .orderBy(asc(sales.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(sales).where(ofClient),
  ]);
  if (client[0]?.id == null) return null;
  return { items: items.map((s) => ({ ...s, documentNumber: value })), total: counted?.total ?? 0 };
}
