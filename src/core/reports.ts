import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { invalid } from "./errors";
import { productCounterColumns, productCounters, storeCounterColumns, storeCounters, type ProductCounter, type StoreCounter } from "./report-counters";
import { runBatch } from "./ledger-statements";

/**
 * The daily summaries, answered from the counters (report-counters.ts): one index range
 * of the tenant's counter rows for the date range, each joined to its store (and
 * product) by primary key, so the rows read follow the rows returned, never the number
 * of transactions those days hold.
 */

/** Longest range a report covers, in days (both ends included). */
export const REPORT_MAX_DAYS = 366;
/** Most rows one report returns; a range holding more is refused (ask for a shorter one). */
export const REPORT_ROW_LIMIT = 20_000;

export interface StoreDayRow {
  date: string;
  week: number;
  store: string | null;
  counters: Record<StoreCounter, number>;
}

export interface ProductDayRow {
  date: string;
  week: number;
  store: string | null;
  product: string;
  counters: Record<ProductCounter, number>;
}

/**
 * The week number the seed's examples show (2018-07-12 -> 27, 2018-07-20 -> 28): MySQL's
 * `WEEK(date)` in its default mode, i.e. weeks start on Sunday and week 1 is the one with
 * the year's first Sunday (days before it are week 0), range 0–53. (ISO-8601 would say 28
 * and 29.)
 */
export function reportWeek(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const dayOfYear = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000;
  const firstSunday = (7 - new Date(Date.UTC(y, 0, 1)).getUTCDay()) % 7;
  return dayOfYear < firstSunday ? 0 : Math.floor((dayOfYear - firstSunday) / 7) + 1;
}

function tooMany(): never {
  throw invalid({ endDate: [`The report holds more than ${REPORT_ROW_LIMIT} rows; ask for a shorter date range.`] });
}

const columnsOf = (columns: Record<string, string>) => sql.raw(Object.values(columns).map((c) => `r.${c}`).join(", "));
const storeName = sql`CASE WHEN r.store_id = 0 THEN NULL ELSE coalesce(s.name, s.external_id) END`;

/** The (day, store) counter rows of `[startDate, endDate]` (local `YYYY-MM-DD`, inclusive), by date then store. */
export async function dailyStoreSummary(db: Db, tenantId: number, startDate: string, endDate: string): Promise<StoreDayRow[]> {
  const [rows] = await runBatch(db, [
    sql`SELECT r.day, ${storeName} AS store, ${columnsOf(storeCounterColumns)}
      FROM report_store_days r LEFT JOIN ledger_stores s ON s.id = r.store_id
      WHERE r.tenant_id = ${tenantId} AND r.day BETWEEN ${startDate} AND ${endDate}
      ORDER BY r.day, store IS NULL, store, r.store_id
      LIMIT ${REPORT_ROW_LIMIT + 1}`,
  ]);
  if (rows!.length > REPORT_ROW_LIMIT) tooMany();
  return rows!.map((row) => ({
    date: String(row.day),
    week: reportWeek(String(row.day)),
    store: (row.store as string | null) ?? null,
    counters: Object.fromEntries(storeCounters.map((c) => [c, Number(row[storeCounterColumns[c]])])) as Record<StoreCounter, number>,
  }));
}

/** The (day, store, product) counter rows of `[startDate, endDate]`, by date, store, then product code. */
export async function dailyProductSummary(db: Db, tenantId: number, startDate: string, endDate: string): Promise<ProductDayRow[]> {
  const [rows] = await runBatch(db, [
    sql`SELECT r.day, ${storeName} AS store, p.external_id AS product, ${columnsOf(productCounterColumns)}
      FROM report_product_days r JOIN ledger_products p ON p.id = r.product_id LEFT JOIN ledger_stores s ON s.id = r.store_id
      WHERE r.tenant_id = ${tenantId} AND r.day BETWEEN ${startDate} AND ${endDate}
      ORDER BY r.day, store IS NULL, store, r.store_id, p.external_id
      LIMIT ${REPORT_ROW_LIMIT + 1}`,
  ]);
  if (rows!.length > REPORT_ROW_LIMIT) tooMany();
  return rows!.map((row) => ({
    date: String(row.day),
    week: reportWeek(String(row.day)),
    store: (row.store as string | null) ?? null,
    product: String(row.product),
    counters: Object.fromEntries(productCounters.map((c) => [c, Number(row[productCounterColumns[c]])])) as Record<ProductCounter, number>,
  }));
}
