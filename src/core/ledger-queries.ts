import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { LedgerDirection, LedgerUnit } from "../db/schema";
import { notFound } from "./errors";
import { runBatch, type BatchStatement } from "./ledger-statements";
import { addDays, formatLocalDateTime, localToInstant } from "./local-time";

/**
 * Read models of the loyalty ledger: transactions with their customer (totals and
 * tier) and store, a customer's history page, open lots, tiers. Every query filters by
 * tenant; another tenant's customer or code is answered as missing.
 */

export interface AccountView {
  id: number;
  unit: LedgerUnit;
  /** Hundredths. */
  balance: number;
}

export interface GroupView {
  id: number;
  name: string;
  description: string;
}

export interface CustomerView {
  id: number;
  externalId: string;
  name: string | null;
  totals: AccountView[];
  group: GroupView | null;
}

export interface TransactionView {
  id: number;
  title: string;
  description: string | null;
  code: string | null;
  direction: LedgerDirection;
  unit: LedgerUnit;
  /** Hundredths. */
  amount: number;
  /** `YYYY-MM-DD HH:mm:ss` in the tenant's zone. */
  createdAt: string;
  customer: CustomerView;
  store: { id: number; externalId: string; name: string | null } | null;
}

/** Transactions per history page. */
export const HISTORY_PAGE_SIZE = 20;
/** Most transactions a by-customer date-range query returns (newest first). */
export const RANGE_QUERY_LIMIT = 1000;

const tenantZone = (tenantId: number) => sql`SELECT timezone FROM tenants WHERE id = ${tenantId}`;

/** The tenant's tiers (its own, else the defaults), lowest first. */
const tenantGroups = (tenantId: number) =>
  sql`SELECT id, rank, name, description, min_earned FROM ledger_groups
    WHERE tenant_id = (CASE WHEN EXISTS (SELECT 1 FROM ledger_groups WHERE tenant_id = ${tenantId}) THEN ${tenantId} ELSE 0 END)
    ORDER BY rank`;

const customersWhere = (customerIds: SQL) =>
  sql`SELECT id, loyalty_external_id AS external_id, name FROM customers WHERE id IN ${customerIds}`;

const accountsWhere = (customerIds: SQL) =>
  sql`SELECT id, customer_id, unit, balance, earned FROM ledger_accounts WHERE customer_id IN ${customerIds} ORDER BY customer_id, unit DESC`;

type Row = Record<string, unknown>;

/** The tier that lifetime POINTS earned reach. */
function groupFor(groups: Row[], earned: number): GroupView | null {
  let reached: Row | undefined;
  for (const group of groups) if (earned >= Number(group.min_earned)) reached = group;
  return reached ? { id: Number(reached.id), name: String(reached.name), description: String(reached.description) } : null;
}

function customerViews(customers: Row[], accounts: Row[], groups: Row[]): Map<number, CustomerView> {
  const views = new Map<number, CustomerView>();
  for (const c of customers) {
    const own = accounts.filter((a) => Number(a.customer_id) === Number(c.id));
    const earned = Number(own.find((a) => a.unit === "POINTS")?.earned ?? 0);
    views.set(Number(c.id), {
      id: Number(c.id),
      externalId: String(c.external_id),
      name: (c.name as string | null) ?? null,
      totals: own.map((a) => ({ id: Number(a.id), unit: a.unit as LedgerUnit, balance: Number(a.balance) })),
      group: groupFor(groups, earned),
    });
  }
  return views;
}

/**
 * Transactions matching `where` (over alias `t`), in `orderBy`, at most `limit`, each
 * with its customer and store; `customerIds` is a parenthesised subquery or list naming
 * the customers involved (for their totals). One D1 round trip.
 */
export async function loadTransactionViews(
  db: Db,
  tenantId: number,
  query: { where: SQL; orderBy: SQL; limit: number; customerIds: SQL },
): Promise<TransactionView[]> {
  return toTransactionViews(await runBatch(db, transactionViewStatements(tenantId, query)));
}

/**
 * The statements `loadTransactionViews` sends, so a write batch can end with them and
 * answer with what it wrote in the same round trip; `toTransactionViews` reads their
 * results (the last five of that batch).
 */
export function transactionViewStatements(tenantId: number, query: { where: SQL; orderBy: SQL; limit: number; customerIds: SQL }): BatchStatement[] {
  return [
    tenantZone(tenantId),
    sql`SELECT t.id, t.title, t.description, t.code, t.direction, t.unit, t.amount, t.created_at, t.customer_id,
        s.id AS store_id, s.external_id AS store_external_id, s.name AS store_name
      FROM ledger_transactions t LEFT JOIN ledger_stores s ON s.id = t.store_id
      WHERE t.tenant_id = ${tenantId} AND ${query.where} ORDER BY ${query.orderBy} LIMIT ${query.limit}`,
    customersWhere(query.customerIds),
    accountsWhere(query.customerIds),
    tenantGroups(tenantId),
  ];
}

export function toTransactionViews(results: Record<string, unknown>[][]): TransactionView[] {
  const [zone, rows, customers, accounts, groups] = results.slice(-5);
  const timezone = String(zone![0]?.timezone ?? "UTC");
  const views = customerViews(customers!, accounts!, groups!);
  return rows!.map((r) => ({
    id: Number(r.id),
    title: String(r.title),
    description: (r.description as string | null) ?? null,
    code: (r.code as string | null) ?? null,
    direction: r.direction as LedgerDirection,
    unit: r.unit as LedgerUnit,
    amount: Number(r.amount),
    createdAt: formatLocalDateTime(Number(r.created_at), timezone),
    customer: views.get(Number(r.customer_id))!,
    store: r.store_id === null ? null : { id: Number(r.store_id), externalId: String(r.store_external_id), name: (r.store_name as string | null) ?? null },
  }));
}

/** The given transactions of the tenant, in the order of `ids`. */
export async function transactionsByIds(db: Db, tenantId: number, ids: readonly number[]): Promise<TransactionView[]> {
  const list = sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;
  const views = await loadTransactionViews(db, tenantId, {
    where: sql`t.id IN ${list}`,
    orderBy: sql`t.id`,
    limit: ids.length,
    customerIds: sql`(SELECT customer_id FROM ledger_transactions WHERE id IN ${list} AND tenant_id = ${tenantId})`,
  });
  return ids.map((id) => views.find((v) => v.id === id)!).filter(Boolean);
}

const activeCustomerId = (tenantId: number, externalId: string) =>
  sql`(SELECT id FROM customers WHERE tenant_id = ${tenantId} AND loyalty_external_id = ${externalId} AND active = 1)`;

/** A customer (by loyalty `externalId`) with totals and tier; not_found when the tenant has no such active customer. */
export async function customerByExternalId(db: Db, tenantId: number, externalId: string): Promise<CustomerView> {
  const ids = sql`(${activeCustomerId(tenantId, externalId)})`;
  const [customers, accounts, groups] = await runBatch(db, [customersWhere(ids), accountsWhere(ids), tenantGroups(tenantId)]);
  const view = customerViews(customers!, accounts!, groups!).values().next().value;
  if (!view) throw notFound("Customer not found");
  return view;
}

/**
 * Page `page` (1-based) of a customer's transactions, newest first. Pages are ranges of
 * the customer's transaction numbers (one index range, whatever the customer's total);
 * with `asOf` (a transaction id seen on an earlier page) pages count from that
 * transaction, so a client paging while new transactions arrive sees no row twice.
 */
export async function customerHistory(db: Db, tenantId: number, externalId: string, page: number, asOf?: number): Promise<TransactionView[]> {
  const customer = activeCustomerId(tenantId, externalId);
  const [found] = await runBatch(db, [sql`SELECT ${customer} AS id`]);
  const customerId = found![0]?.id;
  if (customerId === null || customerId === undefined) throw notFound("Customer not found");
  const top =
    asOf === undefined
      ? sql`(SELECT max(customer_seq) FROM ledger_transactions WHERE customer_id = ${customerId})`
      : sql`(SELECT customer_seq FROM ledger_transactions WHERE id = ${asOf} AND customer_id = ${customerId})`;
  return loadTransactionViews(db, tenantId, {
    where: sql`t.customer_id = ${customerId} AND t.customer_seq <= ${top} - ${(page - 1) * HISTORY_PAGE_SIZE}`,
    orderBy: sql`t.customer_seq DESC`,
    limit: HISTORY_PAGE_SIZE,
    customerIds: sql`(${customerId})`,
  });
}

/** The transaction of (type, code) and its reversal, if any; not_found when the tenant has none. */
export async function transactionsByCode(db: Db, tenantId: number, type: string, code: string): Promise<TransactionView[]> {
  const match = sql`t.type = ${type} AND t.code = ${code}`;
  const views = await loadTransactionViews(db, tenantId, {
    where: match,
    orderBy: sql`t.id`,
    limit: 10,
    customerIds: sql`(SELECT t.customer_id FROM ledger_transactions t WHERE t.tenant_id = ${tenantId} AND ${match})`,
  });
  if (views.length === 0) throw notFound("Transaction not found");
  return views;
}

/**
 * A customer's transactions of one kind between two local dates (both inclusive, in the
 * tenant's zone), newest first. The customer is the active one whose document number is
 * `document`, failing that the one whose loyalty `externalId` is.
 */
export async function customerTransactionsBetween(
  db: Db,
  tenantId: number,
  query: { document: string; from: string; to: string; kind: "reloads" | "points" },
): Promise<TransactionView[]> {
  const [zone, found] = await runBatch(db, [
    tenantZone(tenantId),
    sql`SELECT coalesce(
        (SELECT id FROM customers WHERE tenant_id = ${tenantId} AND document_number = ${query.document} AND active = 1 LIMIT 1),
        ${activeCustomerId(tenantId, query.document)}) AS id`,
  ]);
  const customerId = found![0]?.id;
  if (customerId === null || customerId === undefined) throw notFound("Customer not found");
  const timezone = String(zone![0]?.timezone ?? "UTC");
  const start = localToInstant(query.from, "00:00:00", timezone);
  const end = localToInstant(addDays(query.to, 1), "00:00:00", timezone);
  const kind = query.kind === "reloads" ? sql`t.category = 'reload' AND t.reverses_id IS NULL` : sql`t.unit = 'POINTS'`;
  return loadTransactionViews(db, tenantId, {
    where: sql`t.customer_id = ${customerId} AND t.created_at >= ${start} AND t.created_at < ${end} AND ${kind}`,
    orderBy: sql`t.created_at DESC, t.id DESC`,
    limit: RANGE_QUERY_LIMIT,
    customerIds: sql`(${customerId})`,
  });
}

export interface LotView {
  id: number;
  transactionId: number;
  unit: LedgerUnit;
  remaining: number;
  createdAt: string;
  expiresAt: string | null;
  setName: string;
}

/** Most open lots `openLots` lists. */
export const OPEN_LOTS_LIMIT = 200;

/** A customer's open lots (something remaining), first-expiring-first, as debits consume them. */
export async function openLots(db: Db, tenantId: number, externalId: string): Promise<LotView[]> {
  const customer = activeCustomerId(tenantId, externalId);
  const [zone, found, lots] = await runBatch(db, [
    tenantZone(tenantId),
    sql`SELECT ${customer} AS id`,
    sql`SELECT l.id, l.transaction_id, a.unit, l.remaining, l.created_at, l.expires_at, l.set_name
      FROM ledger_accounts a JOIN ledger_lots l ON l.account_id = a.id AND l.remaining > 0
      WHERE a.customer_id = ${customer} AND a.tenant_id = ${tenantId}
      ORDER BY a.unit DESC, l.expires_at IS NULL, l.expires_at, l.id LIMIT ${OPEN_LOTS_LIMIT}`,
  ]);
  if (found![0]?.id === null || found![0]?.id === undefined) throw notFound("Customer not found");
  const timezone = String(zone![0]?.timezone ?? "UTC");
  return lots!.map((l) => ({
    id: Number(l.id),
    transactionId: Number(l.transaction_id),
    unit: l.unit as LedgerUnit,
    remaining: Number(l.remaining),
    createdAt: formatLocalDateTime(Number(l.created_at), timezone),
    expiresAt: l.expires_at === null ? null : formatLocalDateTime(Number(l.expires_at), timezone),
    setName: String(l.set_name),
  }));
}

/** The tenant's entry tier and the one above it. */
export async function defaultGroup(db: Db, tenantId: number): Promise<{ group: GroupView; next: GroupView | null }> {
  const [groups] = await runBatch(db, [tenantGroups(tenantId)]);
  const [first, second] = groups!.map((g) => ({ id: Number(g.id), name: String(g.name), description: String(g.description) }));
  if (!first) throw notFound("No tiers configured");
  return { group: first, next: second ?? null };
}

/** The registry entry behind a loyalty `externalId`, or null. */
export async function findLoyaltyCustomer(db: Db, tenantId: number, externalId: string): Promise<{ id: number; externalId: string; name: string | null; data: unknown } | null> {
  const [rows] = await runBatch(db, [
    sql`SELECT id, loyalty_external_id, name, loyalty_data FROM customers WHERE tenant_id = ${tenantId} AND loyalty_external_id = ${externalId} AND active = 1`,
  ]);
  const row = rows![0];
  if (!row) return null;
  let data: unknown = null;
  try {
    data = row.loyalty_data === null ? null : JSON.parse(String(row.loyalty_data));
  } catch {
    data = null;
  }
  return { id: Number(row.id), externalId: String(row.loyalty_external_id), name: (row.name as string | null) ?? null, data };
}
