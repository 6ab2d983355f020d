import { type Placeholder, type Query, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { render, rendered, reusableList, rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import {
  customers,
  identifiers,
  type LedgerDirection,
  type LedgerUnit,
  ledgerAccounts,
  ledgerGroups,
  ledgerLots,
  ledgerStores,
  ledgerTransactions,
  tenants,
} from "../../db/schema";
import { NotFound } from "../errors";

export type { Channel, LedgerUnit } from "../../db/schema";

import { holderOf, normalise } from "../registry/identifiers";
import { addDays, formatLocalDateTime, localToInstant } from "../time";
import { tiersOf } from "./catalogue";
import { lastTransactionId } from "./statements";

/**
 * Read models of the loyalty ledger: transactions with their customer (totals and
 * tier) and store, a customer's history page, open lots, tiers. Every query filters by
 * tenant; another tenant's customer or code is answered as missing.
 *
 * A customer is named by a partner value resolved as the loyalty surface resolves it
 * (registry/resolution.ts): the customer holding it as loyalty id, else the primary
 * holder of it as a document number; a deactivated holder is not found.
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
  /** The partner id the request named the customer by, else the customer's first loyalty id. */
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

const t = ledgerTransactions;
const acc = ledgerAccounts;
const g = ledgerGroups;

/** A tenant named by its id, or by a placeholder in a statement rendered once (db/batch.ts `reusable`). */
type TenantRef = number | Placeholder;

/** SQL naming the active customer a partner value names in the tenant (see above), or NULL. */
export function ledgerCustomerOf(tenantId: number, externalId: string): SQL<number | null> {
  return ledgerCustomerBy(tenantId, normalise("loyalty_id", externalId), normalise("document", externalId));
}

/** `ledgerCustomerOf` by the partner value normalised as a loyalty id and as a document number. */
function ledgerCustomerBy(tenantId: TenantRef, loyaltyId: string | Placeholder, document: string | Placeholder): SQL<number | null> {
  const holder = sql`coalesce(${holderOf(tenantId, "loyalty_id", loyaltyId)}, ${holderOf(tenantId, "document", document)})`;
  return sql<number | null>`(SELECT ${customers.id} FROM ${customers} WHERE ${customers.id} = ${holder} AND ${customers.active} = 1)`;
}

const zoneSql = (tenantId: TenantRef) => sql`SELECT ${tenants.timezone} AS "timezone" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`;

const tenantZone = (tenantId: number) => rows<{ timezone: string }>(zoneSql(tenantId));

export interface GroupRow {
  id: number;
  rank: number;
  name: string;
  description: string;
  minEarned: number;
}

/** The tenant's tiers (its own, else the defaults), lowest first. */
export const tenantGroups = (tenantId: number) => rows<GroupRow>(groupsSql(tenantId));

const groupsSql = (tenantId: TenantRef) =>
  sql`SELECT ${g.id} AS "id", ${g.rank} AS "rank", ${g.name} AS "name", ${g.description} AS "description", ${g.minEarned} AS "minEarned"
    FROM ${g} WHERE ${tiersOf(tenantId)} ORDER BY ${g.rank}`;

interface CustomerRow {
  id: number;
  externalId: string | null;
  name: string | null;
}

/** The customer's first loyalty id (they are never cancelled: one range of the customer's index entries). */
const firstLoyaltyId = sql`(SELECT ${identifiers.value} FROM ${identifiers}
  WHERE ${identifiers.customerId} = ${customers.id} AND ${identifiers.status} = 'active' AND ${identifiers.kind} = 'loyalty_id' ORDER BY ${identifiers.id} LIMIT 1)`;

const customersSql = (customerIds: SQL) =>
  sql`SELECT ${customers.id} AS "id", ${firstLoyaltyId} AS "externalId", ${customers.name} AS "name" FROM ${customers} WHERE ${customers.id} IN ${customerIds}`;
const customersWhere = (customerIds: SQL) => rows<CustomerRow>(customersSql(customerIds));

interface AccountRow {
  id: number;
  customerId: number;
  unit: LedgerUnit;
  balance: number;
  earned: number;
}

const accountsSql = (customerIds: SQL) =>
  sql`SELECT ${acc.id} AS "id", ${acc.customerId} AS "customerId", ${acc.unit} AS "unit", ${acc.balance} AS "balance", ${acc.earned} AS "earned"
    FROM ${acc} WHERE ${acc.customerId} IN ${customerIds} ORDER BY ${acc.customerId}, ${acc.unit} DESC`;
const accountsWhere = (customerIds: SQL) => rows<AccountRow>(accountsSql(customerIds));

/** The tier that lifetime POINTS earned reach. */
export function groupFor(groups: GroupRow[], earned: number): GroupView | null {
  let reached: GroupRow | undefined;
  for (const group of groups) if (earned >= group.minEarned) reached = group;
  return reached ? { id: reached.id, name: reached.name, description: reached.description } : null;
}

function customerViews(found: CustomerRow[], accounts: AccountRow[], groups: GroupRow[], knownAs?: string): Map<number, CustomerView> {
  const views = new Map<number, CustomerView>();
  for (const c of found) {
    const own = accounts.filter((account) => account.customerId === c.id);
    const earned = own.find((account) => account.unit === "POINTS")?.earned ?? 0;
    views.set(c.id, {
      id: c.id,
      externalId: knownAs ?? c.externalId ?? "",
      name: c.name,
      totals: own.map((account) => ({ id: account.id, unit: account.unit, balance: account.balance })),
      group: groupFor(groups, earned),
    });
  }
  return views;
}

interface TransactionRow {
  id: number;
  title: string;
  description: string | null;
  code: string | null;
  direction: LedgerDirection;
  unit: LedgerUnit;
  amount: number;
  createdAt: number;
  customerId: number;
  storeId: number | null;
  storeExternalId: string | null;
  storeName: string | null;
}

/** What a transaction query selects: rows of `t` matching `where`, in `orderBy`, at most `limit`, and the customers they involve. */
export interface TransactionQuery {
  where: SQL;
  orderBy: SQL;
  limit: number;
  /** A parenthesised subquery or list naming the customers involved (for their totals). */
  customerIds: SQL;
  /** The partner id the request named its one customer by (rendered as that customer's `externalId`). */
  knownAs?: string;
}

/** The alias of ledger_transactions that `TransactionQuery.where` and `orderBy` refer to. */
export const tx = alias(ledgerTransactions, "t");
const s = ledgerStores;

/**
 * The statements that load transactions with their customers and store (one round trip
 * with whatever else shares the batch), so a write batch can end with them and answer
 * with what it wrote; `readTransactionViews` reads their results.
 */
export function transactionViewStatements(tenantId: number, query: TransactionQuery) {
  return viewStatements(transactionViewSql(tenantId, query).map(render));
}

function transactionViewSql(tenantId: TenantRef, query: Omit<TransactionQuery, "knownAs">): SQL[] {
  return [
    zoneSql(tenantId),
    sql`SELECT ${tx.id} AS "id", ${tx.title} AS "title", ${tx.description} AS "description", ${tx.code} AS "code",
        ${tx.direction} AS "direction", ${tx.unit} AS "unit", ${tx.amount} AS "amount", ${tx.createdAt} AS "createdAt", ${tx.customerId} AS "customerId",
        ${s.id} AS "storeId", ${s.externalId} AS "storeExternalId", ${s.name} AS "storeName"
      FROM ${ledgerTransactions} ${tx} LEFT JOIN ${s} ON ${s.id} = ${tx.storeId}
      WHERE ${tx.tenantId} = ${tenantId} AND ${query.where} ORDER BY ${query.orderBy} LIMIT ${query.limit}`,
    customersSql(query.customerIds),
    accountsSql(query.customerIds),
    groupsSql(tenantId),
  ];
}

/** The statements of `transactionViewSql`, rendered, typed by what each returns. */
function viewStatements([zone, page, involved, accounts, groups]: Query[]) {
  return [
    rendered<{ timezone: string }>(zone!),
    rendered<TransactionRow>(page!),
    rendered<CustomerRow>(involved!),
    rendered<AccountRow>(accounts!),
    rendered<GroupRow>(groups!),
  ] as const satisfies readonly Statement<unknown>[];
}

/** The view statements of the transaction a write batch inserted last, rendered once per isolate. */
const lastTransactionViews = reusableList(
  () => "last transaction",
  () =>
    transactionViewSql(sql.placeholder("tenantId"), {
      where: sql`${tx.id} = ${lastTransactionId}`,
      orderBy: sql`${tx.id}`,
      limit: 1,
      customerIds: sql`(SELECT ${t.customerId} FROM ${t} WHERE ${t.id} = ${lastTransactionId})`,
    }),
);

/** `transactionViewStatements` of the transaction the write batch inserted last: a posting's read-back. */
export function lastTransactionViewStatements(tenantId: number) {
  return viewStatements(lastTransactionViews(undefined, { tenantId }));
}

type ViewResults = [{ timezone: string }[], TransactionRow[], CustomerRow[], AccountRow[], GroupRow[]];

export function readTransactionViews([zone, found, involved, accounts, groups]: ViewResults, knownAs?: string): TransactionView[] {
  const timezone = zone[0]?.timezone ?? "UTC";
  const views = customerViews(involved, accounts, groups, knownAs);
  return found.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    code: r.code,
    direction: r.direction,
    unit: r.unit,
    amount: r.amount,
    createdAt: formatLocalDateTime(r.createdAt, timezone),
    customer: views.get(r.customerId)!,
    store: r.storeId === null ? null : { id: r.storeId, externalId: r.storeExternalId ?? "", name: r.storeName },
  }));
}

/** Transactions with their customer and store, in one round trip. */
export async function loadTransactionViews(db: Db, tenantId: number, query: TransactionQuery): Promise<TransactionView[]> {
  return readTransactionViews(await runBatch(db, transactionViewStatements(tenantId, query)), query.knownAs);
}

/** The given transactions of the tenant, in the order of `ids`. */
export async function transactionsByIds(db: Db, tenantId: number, ids: readonly number[], knownAs?: string): Promise<TransactionView[]> {
  const list = sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;
  const views = await loadTransactionViews(db, tenantId, {
    where: sql`${tx.id} IN ${list}`,
    orderBy: sql`${tx.id}`,
    limit: ids.length,
    customerIds: sql`(SELECT ${t.customerId} FROM ${t} WHERE ${t.id} IN ${list} AND ${t.tenantId} = ${tenantId})`,
    knownAs,
  });
  return ids.map((id) => views.find((v) => v.id === id)!).filter(Boolean);
}

/** A customer (as a partner value names it) with totals and tier; not_found when the tenant has no such active customer. */
export async function customerByExternalId(db: Db, tenantId: number, externalId: string): Promise<CustomerView> {
  const ids = sql`(${ledgerCustomerOf(tenantId, externalId)})`;
  const [found, accounts, groups] = await runBatch(db, [customersWhere(ids), accountsWhere(ids), tenantGroups(tenantId)]);
  const view = customerViews(found, accounts, groups, externalId).values().next().value;
  if (!view) throw new NotFound("customer");
  return view;
}

/**
 * Page `page` (1-based) of a customer's transactions, newest first. Pages are ranges of
 * the customer's transaction numbers (one index range, whatever the customer's total);
 * with `asOf` (a transaction id seen on an earlier page) pages count from that
 * transaction, so a client paging while new transactions arrive sees no row twice.
 */
export async function customerHistory(db: Db, tenantId: number, externalId: string, page: number, asOf?: number): Promise<TransactionView[]> {
  const values = {
    tenantId,
    loyaltyId: normalise("loyalty_id", externalId),
    document: normalise("document", externalId),
    skipped: (page - 1) * HISTORY_PAGE_SIZE,
    asOf: asOf ?? null,
  };
  const [customer, ...views] = historyPage(asOf !== undefined, values);
  const [found, ...results] = await runBatch(db, [rendered<{ id: number | null }>(customer!), ...viewStatements(views)]);
  if (found[0]?.id === null || found[0]?.id === undefined) throw new NotFound("customer");
  return readTransactionViews(results, externalId);
}

/**
 * A history page's statements, rendered once per isolate for each of its two shapes
 * (paging from the newest transaction, or `asOf` one). One round trip: the customer's
 * look-up and the page that names it by the same subquery (SQLite evaluates it once).
 */
const historyPage = reusableList(
  (asOf: boolean) => (asOf ? "as of" : "latest"),
  (asOf) => {
    const tenantId = sql.placeholder("tenantId");
    const customer = sql`(${ledgerCustomerBy(tenantId, sql.placeholder("loyaltyId"), sql.placeholder("document"))})`;
    const top = asOf
      ? sql`(SELECT ${t.customerSeq} FROM ${t} WHERE ${t.id} = ${sql.placeholder("asOf")} AND ${t.customerId} = ${customer})`
      : sql`(SELECT max(${t.customerSeq}) FROM ${t} WHERE ${t.customerId} = ${customer})`;
    return [
      sql`SELECT ${customer} AS "id"`,
      ...transactionViewSql(tenantId, {
        where: sql`${tx.customerId} = ${customer} AND ${tx.customerSeq} <= ${top} - ${sql.placeholder("skipped")}`,
        orderBy: sql`${tx.customerSeq} DESC`,
        limit: HISTORY_PAGE_SIZE,
        customerIds: customer,
      }),
    ];
  },
);

/** The transaction of (type, code) and its reversal, if any; not_found when the tenant has none. */
export async function transactionsByCode(db: Db, tenantId: number, type: string, code: string): Promise<TransactionView[]> {
  // The original through the partial unique index (its conditions repeated, or SQLite scans the tenant's ledger), its reversal by `reverses_id`.
  const original = sql`(SELECT ${t.id} FROM ${t} WHERE ${t.tenantId} = ${tenantId} AND ${t.type} = ${type} AND ${t.code} = ${code}
    AND ${t.code} IS NOT NULL AND ${t.reversesId} IS NULL AND ${t.counterpartId} IS NULL)`;
  const views = await loadTransactionViews(db, tenantId, {
    where: sql`(${tx.id} = ${original} OR ${tx.reversesId} = ${original}) AND ${tx.type} = ${type} AND ${tx.code} = ${code}`,
    orderBy: sql`${tx.id}`,
    limit: 10,
    customerIds: sql`(SELECT ${t.customerId} FROM ${t} WHERE ${t.id} = ${original} OR ${t.reversesId} = ${original})`,
  });
  if (views.length === 0) throw new NotFound("transaction");
  return views;
}

/** The zone each tenant had when this isolate last read it: the guess a date-range query is built on (see below). */
const knownZones = new Map<number, string>();

/**
 * A customer's transactions of one kind between two local dates (both inclusive, in the
 * tenant's zone), newest first. `document` names the customer as any partner value does
 * (loyalty id, else document number), so the answer is the same before and after other
 * surfaces register the same document.
 *
 * One round trip: the range's instants depend on the tenant's zone, so the query is built
 * on the zone this isolate last saw (UTC at first) and reads the zone with the page; when
 * the zone read is another (the first time, or after a change), it runs again with it.
 */
export async function customerTransactionsBetween(
  db: Db,
  tenantId: number,
  query: { document: string; from: string; to: string; kind: "reloads" | "points" },
): Promise<TransactionView[]> {
  const customer = sql`(${ledgerCustomerOf(tenantId, query.document)})`;
  const kind = query.kind === "reloads" ? sql`${tx.category} = 'reload' AND ${tx.reversesId} IS NULL` : sql`${tx.unit} = 'POINTS'`;
  for (let guess = knownZones.get(tenantId) ?? "UTC"; ; ) {
    const start = localToInstant(query.from, "00:00:00", guess);
    const end = localToInstant(addDays(query.to, 1), "00:00:00", guess);
    const [found, ...views] = await runBatch(db, [
      rows<{ id: number | null }>(sql`SELECT ${customer} AS "id"`),
      ...transactionViewStatements(tenantId, {
        where: sql`${tx.customerId} = ${customer} AND ${tx.createdAt} >= ${start} AND ${tx.createdAt} < ${end} AND ${kind}`,
        orderBy: sql`${tx.createdAt} DESC, ${tx.id} DESC`,
        limit: RANGE_QUERY_LIMIT,
        customerIds: customer,
      }),
    ]);
    const zone = views[0][0]?.timezone ?? "UTC";
    knownZones.set(tenantId, zone);
    if (zone !== guess) {
      guess = zone;
      continue;
    }
    if (found[0]?.id === null || found[0]?.id === undefined) throw new NotFound("customer");
    return readTransactionViews(views);
  }
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

/** A lot as stored: times in ms since the epoch, amounts in hundredths. */
export interface LotRow {
  id: number;
  transactionId: number;
  unit: LedgerUnit;
  amount: number;
  remaining: number;
  createdAt: number;
  expiresAt: number | null;
  setName: string;
}

/** The statement reading a customer's open lots (something remaining), first-expiring-first, as debits consume them; at most OPEN_LOTS_LIMIT. */
export function openLotsStatement(tenantId: number, customer: number | SQL): Statement<LotRow[]> {
  const l = ledgerLots;
  return rows<LotRow>(sql`SELECT ${l.id} AS "id", ${l.transactionId} AS "transactionId", ${acc.unit} AS "unit", ${l.amount} AS "amount",
      ${l.remaining} AS "remaining", ${l.createdAt} AS "createdAt", ${l.expiresAt} AS "expiresAt", ${l.setName} AS "setName"
    FROM ${acc} JOIN ${l} ON ${l.accountId} = ${acc.id} AND ${l.remaining} > 0
    WHERE ${acc.customerId} = ${customer} AND ${acc.tenantId} = ${tenantId}
    ORDER BY ${acc.unit} DESC, ${l.expiresAt} IS NULL, ${l.expiresAt}, ${l.id} LIMIT ${OPEN_LOTS_LIMIT}`);
}

/** A customer's open lots (something remaining), first-expiring-first, as debits consume them. */
export async function openLots(db: Db, tenantId: number, externalId: string): Promise<LotView[]> {
  const customer = ledgerCustomerOf(tenantId, externalId);
  const [zone, found, lots] = await runBatch(db, [
    tenantZone(tenantId),
    rows<{ id: number | null }>(sql`SELECT ${customer} AS "id"`),
    openLotsStatement(tenantId, customer),
  ]);
  if (found[0]?.id === null || found[0]?.id === undefined) throw new NotFound("customer");
  const timezone = zone[0]?.timezone ?? "UTC";
  return lots.map((lot) => ({
    id: lot.id,
    transactionId: lot.transactionId,
    unit: lot.unit,
    remaining: lot.remaining,
    createdAt: formatLocalDateTime(lot.createdAt, timezone),
    expiresAt: lot.expiresAt === null ? null : formatLocalDateTime(lot.expiresAt, timezone),
    setName: lot.setName,
  }));
}

/** The tenant's entry tier and the one above it. */
export async function defaultGroup(db: Db, tenantId: number): Promise<{ group: GroupView; next: GroupView | null }> {
  const [groups] = await runBatch(db, [tenantGroups(tenantId)]);
  const [first, second] = groups.map((group) => ({ id: group.id, name: group.name, description: group.description }));
  if (!first) throw new NotFound("tiers");
  return { group: first, next: second ?? null };
}

/** The registry entry a partner value names, with its stored `data` block; null when none. */
export async function findLedgerCustomer(
  db: Db,
  tenantId: number,
  externalId: string,
): Promise<{ id: number; externalId: string; name: string | null; data: unknown } | null> {
  const [found] = await runBatch(db, [
    rows<{
      id: number;
      name: string | null;
      data: string | null;
    }>(sql`SELECT ${customers.id} AS "id", ${customers.name} AS "name", ${customers.loyaltyData} AS "data"
      FROM ${customers} WHERE ${customers.id} = ${ledgerCustomerOf(tenantId, externalId)}`),
  ]);
  const row = found[0];
  if (!row) return null;
  let data: unknown = null;
  try {
    data = row.data === null ? null : JSON.parse(row.data);
  } catch {
    data = null;
  }
  return { id: row.id, externalId, name: row.name, data };
}
