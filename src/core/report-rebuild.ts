import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Channel, LedgerCategory, LedgerDirection, LedgerUnit } from "../db/schema";
import { DomainError, notFound } from "./errors";
import { runBatch, type BatchStatement } from "./ledger-statements";
import { localDate } from "./local-time";
import {
  amountCounter,
  isFrontend,
  productCounterColumns,
  productCounters,
  productDeltas,
  referredSql,
  registrationCounter,
  storeCounterColumns,
  storeCounters,
  type ProductCounter,
  type StoreCounter,
} from "./report-counters";

/**
 * Recomputes a tenant's report counters from its ledger, by the same rules the
 * incremental counters follow (report-counters.ts), and replaces them in one batch.
 *
 * The ledger is read in pages of the tenant's transactions up to a snapshot (its highest
 * transaction id when the rebuild starts), in the tenant's current time zone. The final
 * batch replaces the counters only if no transaction of the tenant was written since the
 * snapshot (a guard in every statement); otherwise the rebuild starts over, and after
 * `attempts` tries gives up (unavailable) rather than lose a concurrent write's counts.
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

const zeroStore = () => Object.fromEntries(storeCounters.map((c) => [c, 0])) as Record<StoreCounter, number>;
const zeroProduct = () => Object.fromEntries(productCounters.map((c) => [c, 0])) as Record<ProductCounter, number>;

const latestTransaction = (tenantId: number) => sql`SELECT coalesce(max(id), 0) AS id FROM ledger_transactions WHERE tenant_id = ${tenantId}`;

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
      sql`SELECT t.id, t.customer_id, t.customer_seq, t.unit, t.direction, t.amount, t.category, t.reverses_id IS NOT NULL AS reversal,
          coalesce(t.store_id, 0) AS store_id, t.channel, t.created_at, c.channel AS customer_channel, ${referredSql(sql`c.loyalty_data`)} AS referred,
          CASE WHEN t.category = 'expiration' AND t.reverses_id IS NULL THEN
            (SELECT coalesce(o.store_id, 0) FROM ledger_lot_movements m JOIN ledger_lots l ON l.id = m.lot_id JOIN ledger_transactions o ON o.id = l.transaction_id
             WHERE m.transaction_id = t.id LIMIT 1)
          END AS lot_store_id
        FROM ledger_transactions t JOIN customers c ON c.id = t.customer_id
        WHERE t.tenant_id = ${tenantId} AND t.id > ${after} AND t.id <= ${snapshot}
        ORDER BY t.id LIMIT ${PAGE}`,
    ]);
    if (page!.length === 0) break;
    const first = Number(page![0]!.id);
    const last = Number(page![page!.length - 1]!.id);
    const [lines] = await runBatch(db, [
      sql`SELECT transaction_id, product_id, earned_redeemed FROM ledger_order_lines
        WHERE transaction_id BETWEEN ${first} AND ${last} AND tenant_id = ${tenantId} ORDER BY id`,
    ]);
    const linesOf = new Map<number, { product: number; earnedRedeemed: number }[]>();
    for (const line of lines!) {
      const id = Number(line.transaction_id);
      if (!linesOf.has(id)) linesOf.set(id, []);
      linesOf.get(id)!.push({ product: Number(line.product_id), earnedRedeemed: Number(line.earned_redeemed) });
    }
    for (const t of page!) {
      transactions++;
      const id = Number(t.id);
      const day = localDate(Number(t.created_at), timeZone);
      const kind = {
        unit: t.unit as LedgerUnit,
        category: t.category as LedgerCategory,
        direction: t.direction as LedgerDirection,
        reversal: Boolean(t.reversal),
      };
      const storeId = t.lot_store_id === null || t.lot_store_id === undefined ? Number(t.store_id) : Number(t.lot_store_id);
      const moved = amountCounter(kind);
      if (moved) storeRow(day, storeId)[moved.counter] += moved.sign * Number(t.amount);
      const customerId = Number(t.customer_id);
      const channel = (t.channel as Channel | null) ?? null;
      if (Number(t.customer_seq) === 1) {
        const registration = registrationCounter(t.customer_channel as Channel);
        if (registration) {
          storeRow(day, storeId)[registration]++;
          storeRow(day, storeId).referrals += Number(t.referred);
        }
      } else if (isFrontend(channel) && t.customer_channel === "loyalty" && !subscribed.has(customerId)) {
        storeRow(day, storeId).subscribedAfterPos++;
      }
      if (isFrontend(channel)) subscribed.add(customerId);
      for (const [product, delta] of productDeltas(kind, linesOf.get(id) ?? [])) {
        const key = `${day}|${storeId}|${product}`;
        let row = products.get(key);
        if (!row) products.set(key, (row = zeroProduct()));
        for (const c of productCounters) row[c] += delta[c];
      }
    }
    after = last;
    if (page!.length < PAGE) break;
  }
  return { stores, products, transactions };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `INSERT … SELECT` of rows given as one JSON array of arrays (key columns first), guarded. */
function insertRows(table: "report_store_days" | "report_product_days", columns: string[], rows: unknown[][], tenantId: number, guard: ReturnType<typeof sql>) {
  const picks = sql.raw(columns.map((_, i) => `json_extract(j.value, '$[${i}]')`).join(", "));
  return sql`INSERT INTO ${sql.identifier(table)} (tenant_id, ${sql.raw(columns.join(", "))})
    SELECT ${tenantId}, ${picks} FROM json_each(${JSON.stringify(rows)}) j WHERE ${guard}`;
}

/** Recomputes the tenant's report counters from its ledger and replaces them (see above). */
export async function rebuildReportCounters(db: Db, tenantId: number, options: { attempts?: number } = {}): Promise<RebuildResult> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const [tenant, latest] = await runBatch(db, [sql`SELECT timezone FROM tenants WHERE id = ${tenantId}`, latestTransaction(tenantId)]);
    if (!tenant![0]) throw notFound("Tenant not found");
    const snapshot = Number(latest![0]!.id);
    const { stores, products, transactions } = await aggregate(db, tenantId, snapshot, String(tenant![0].timezone));

    const guard = sql`(${latestTransaction(tenantId)}) = ${snapshot}`;
    const storeColumns = ["day", "store_id", ...storeCounters.map((c) => storeCounterColumns[c])];
    const storeRows = [...stores].map(([key, row]) => [...key.split("|").map((part, i) => (i === 0 ? part : Number(part))), ...storeCounters.map((c) => row[c])]);
    const productColumns = ["day", "store_id", "product_id", ...productCounters.map((c) => productCounterColumns[c])];
    const productRows = [...products].map(([key, row]) => [...key.split("|").map((part, i) => (i === 0 ? part : Number(part))), ...productCounters.map((c) => row[c])]);
    const statements: BatchStatement[] = [
      sql`DELETE FROM report_store_days WHERE tenant_id = ${tenantId} AND ${guard}`,
      sql`DELETE FROM report_product_days WHERE tenant_id = ${tenantId} AND ${guard}`,
      ...chunks(storeRows, INSERT_CHUNK).map((rows) => insertRows("report_store_days", storeColumns, rows, tenantId, guard)),
      ...chunks(productRows, INSERT_CHUNK).map((rows) => insertRows("report_product_days", productColumns, rows, tenantId, guard)),
      latestTransaction(tenantId),
    ];
    const results = await runBatch(db, statements);
    if (Number(results[results.length - 1]![0]!.id) === snapshot) return { transactions, storeRows: storeRows.length, productRows: productRows.length };
  }
  throw new DomainError("unavailable", "The tenant's ledger kept changing during the rebuild; try again.");
}
