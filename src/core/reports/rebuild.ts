import { type SQL, sql } from "drizzle-orm";
import { rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import {
  type Channel,
  customers,
  type LedgerCategory,
  type LedgerDirection,
  type LedgerUnit,
  ledgerLotMovements,
  ledgerLots,
  ledgerOrderLines,
  ledgerTransactions,
  reportProductDays,
  reportStoreDays,
  tenants,
} from "../../db/schema";
import { columns } from "../../db/sql";
import { type AuditActor, auditStatement } from "../audit";
import { Busy, NotFound } from "../errors";
import { localDate } from "../time";
import {
  amountCounter,
  isFrontend,
  type ProductCounter,
  productCounterColumns,
  productCounters,
  productDeltas,
  referredSql,
  registrationCounter,
  type StoreCounter,
  storeCounterColumns,
  storeCounters,
} from "./counters";

/**
 * Recomputes a tenant's report counters from its ledger, by the same rules the
 * incremental counters follow (counters.ts), and replaces them in one batch.
 *
 * The ledger is read in pages of the tenant's transactions up to a snapshot (its highest
 * transaction id when the rebuild starts), in the tenant's current time zone. The final
 * batch replaces the counters only if no transaction of the tenant was written since the
 * snapshot (a guard in every statement); otherwise the rebuild starts over, and after
 * `attempts` tries gives up (Busy) rather than lose a concurrent write's counts.
 */

const PAGE = 5_000;
/** Rows per INSERT: each statement carries its rows as one JSON parameter. */
const INSERT_CHUNK = 1_000;

export interface RebuildResult {
  transactions: number;
  storeRows: number;
  productRows: number;
}

interface Aggregates {
  stores: Map<string, Record<StoreCounter, number>>;
  products: Map<string, Record<ProductCounter, number>>;
  transactions: number;
}

interface EntryRow {
  id: number;
  customerId: number;
  unit: LedgerUnit;
  direction: LedgerDirection;
  amount: number;
  category: LedgerCategory;
  reversal: number;
  storeId: number;
  channel: Channel | null;
  registeredChannel: Channel | null;
  createdAt: number;
  customerChannel: Channel;
  referred: number;
  lotStoreId: number | null;
}

const zeroStore = () => Object.fromEntries(storeCounters.map((c) => [c, 0])) as Record<StoreCounter, number>;
const zeroProduct = () => Object.fromEntries(productCounters.map((c) => [c, 0])) as Record<ProductCounter, number>;

const t = ledgerTransactions;
const latestTransaction = (tenantId: number) => sql`SELECT coalesce(max(${t.id}), 0) AS "id" FROM ${t} WHERE ${t.tenantId} = ${tenantId}`;

/** The store an expiration counts at: where the expiring points were earned. */
function lotStore(): SQL {
  const m = ledgerLotMovements;
  const l = ledgerLots;
  const o = sql.identifier("o");
  return sql`(SELECT coalesce(${o}.${sql.identifier(t.storeId.name)}, 0) FROM ${m} JOIN ${l} ON ${l.id} = ${m.lotId}
    JOIN ${t} AS ${o} ON ${o}.${sql.identifier(t.id.name)} = ${l.transactionId}
    WHERE ${m.transactionId} = ${t.id} LIMIT 1)`;
}

async function aggregate(db: Db, tenantId: number, snapshot: number, timeZone: string): Promise<Aggregates> {
  const stores = new Map<string, Record<StoreCounter, number>>();
  const products = new Map<string, Record<ProductCounter, number>>();
  const subscribed = new Set<number>();
  const storeRow = (day: string, storeId: number) => {
    const key = `${day}|${storeId}`;
    let row = stores.get(key);
    if (!row) stores.set(key, (row = zeroStore()));
    return row;
  };
  let after = 0;
  let transactions = 0;
  for (;;) {
    const [page] = await runBatch(db, [
      rows<EntryRow>(sql`SELECT ${t.id} AS "id", ${t.customerId} AS "customerId", ${t.unit} AS "unit", ${t.direction} AS "direction", ${t.amount} AS "amount",
          ${t.category} AS "category", ${t.reversesId} IS NOT NULL AS "reversal", coalesce(${t.storeId}, 0) AS "storeId", ${t.channel} AS "channel",
          ${t.registeredChannel} AS "registeredChannel", ${t.createdAt} AS "createdAt", ${customers.channel} AS "customerChannel",
          ${referredSql(customers.loyaltyData)} AS "referred",
          CASE WHEN ${t.category} = 'expiration' AND ${t.reversesId} IS NULL THEN ${lotStore()} END AS "lotStoreId"
        FROM ${t} JOIN ${customers} ON ${customers.id} = ${t.customerId}
        WHERE ${t.tenantId} = ${tenantId} AND ${t.id} > ${after} AND ${t.id} <= ${snapshot}
        ORDER BY ${t.id} LIMIT ${PAGE}`),
    ]);
    if (page.length === 0) break;
    const first = page[0]!.id;
    const last = page[page.length - 1]!.id;
    const o = ledgerOrderLines;
    const [lines] = await runBatch(db, [
      rows<{
        transactionId: number;
        productId: number;
        earnedRedeemed: number;
      }>(sql`SELECT ${o.transactionId} AS "transactionId", ${o.productId} AS "productId",
          ${o.earnedRedeemed} AS "earnedRedeemed"
        FROM ${o} WHERE ${o.transactionId} BETWEEN ${first} AND ${last} AND ${o.tenantId} = ${tenantId} ORDER BY ${o.id}`),
    ]);
    const linesOf = new Map<number, { product: number; earnedRedeemed: number }[]>();
    for (const line of lines) {
      if (!linesOf.has(line.transactionId)) linesOf.set(line.transactionId, []);
      linesOf.get(line.transactionId)!.push({ product: line.productId, earnedRedeemed: line.earnedRedeemed });
    }
    for (const entry of page) {
      transactions++;
      const day = localDate(entry.createdAt, timeZone);
      const kind = { unit: entry.unit, category: entry.category, direction: entry.direction, reversal: Boolean(entry.reversal) };
      const storeId = entry.lotStoreId ?? entry.storeId;
      const moved = amountCounter(kind);
      if (moved) storeRow(day, storeId)[moved.counter] += moved.sign * entry.amount;
      const registration = entry.registeredChannel ? registrationCounter(entry.registeredChannel) : null;
      if (registration) {
        storeRow(day, storeId)[registration]++;
        storeRow(day, storeId).referrals += entry.referred;
      } else if (!entry.registeredChannel && isFrontend(entry.channel) && entry.customerChannel === "loyalty" && !subscribed.has(entry.customerId)) {
        storeRow(day, storeId).subscribedAfterPos++;
      }
      if (isFrontend(entry.channel)) subscribed.add(entry.customerId);
      for (const [product, delta] of productDeltas(kind, linesOf.get(entry.id) ?? [])) {
        const key = `${day}|${storeId}|${product}`;
        let row = products.get(key);
        if (!row) products.set(key, (row = zeroProduct()));
        for (const c of productCounters) row[c] += delta[c];
      }
    }
    after = last;
    if (page.length < PAGE) break;
  }
  return { stores, products, transactions };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `INSERT … SELECT` of rows given as one JSON array of arrays (key columns first), guarded. */
function insertRows(
  table: typeof reportStoreDays | typeof reportProductDays,
  target: { name: string }[],
  values: unknown[][],
  tenantId: number,
  guard: SQL,
): SQL {
  const picks = sql.join(
    target.map((_, i) => sql.raw(`json_extract(j.value, '$[${i}]')`)),
    sql`, `,
  );
  return sql`INSERT INTO ${table} (${columns(table.tenantId, ...target)})
    SELECT ${tenantId}, ${picks} FROM json_each(${JSON.stringify(values)}) j WHERE ${guard}`;
}

/** Splits a `day|store[|product]` key into its values. */
const keyValues = (key: string) => key.split("|").map((part, i) => (i === 0 ? part : Number(part)));

/** Recomputes the tenant's report counters from its ledger and replaces them (see above); the audit entry is written with the replacement. */
export async function rebuildReportCounters(db: Db, tenantId: number, by: AuditActor, options: { attempts?: number } = {}): Promise<RebuildResult> {
  const attempts = options.attempts ?? 3;
  const s = reportStoreDays;
  const p = reportProductDays;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const [tenant, latest] = await runBatch(db, [
      rows<{ timezone: string }>(sql`SELECT ${tenants.timezone} AS "timezone" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`),
      rows<{ id: number }>(latestTransaction(tenantId)),
    ]);
    if (!tenant[0]) throw new NotFound("tenant");
    const snapshot = latest[0]!.id;
    const { stores, products, transactions } = await aggregate(db, tenantId, snapshot, tenant[0].timezone);

    const guard = sql`(${latestTransaction(tenantId)}) = ${snapshot}`;
    const storeTarget = [s.day, s.storeId, ...storeCounters.map((c) => storeCounterColumns[c])];
    const storeValues = [...stores].map(([key, row]) => [...keyValues(key), ...storeCounters.map((c) => row[c])]);
    const productTarget = [p.day, p.storeId, p.productId, ...productCounters.map((c) => productCounterColumns[c])];
    const productValues = [...products].map(([key, row]) => [...keyValues(key), ...productCounters.map((c) => row[c])]);
    const result = { transactions, storeRows: storeValues.length, productRows: productValues.length };
    const statements: Statement<unknown>[] = [
      auditStatement(by, { action: "reports.rebuilt", tenantId, target: `tenant:${tenantId}`, summary: { ...result } }, guard),
      rows(sql`DELETE FROM ${s} WHERE ${s.tenantId} = ${tenantId} AND ${guard}`),
      rows(sql`DELETE FROM ${p} WHERE ${p.tenantId} = ${tenantId} AND ${guard}`),
      ...chunks(storeValues, INSERT_CHUNK).map((values) => rows(insertRows(s, storeTarget, values, tenantId, guard))),
      ...chunks(productValues, INSERT_CHUNK).map((values) => rows(insertRows(p, productTarget, values, tenantId, guard))),
      rows<{ id: number }>(latestTransaction(tenantId)),
    ];
    const results = await runBatch(db, statements);
    if ((results[results.length - 1] as { id: number }[])[0]!.id === snapshot) return result;
  }
  throw new Busy("ledger");
}
