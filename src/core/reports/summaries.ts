import { and, asc, between, eq, isNull, sql } from "drizzle-orm";
import { prepared } from "../../db/batch";
import type { Db } from "../../db/client";
import { reportProductDays, reportStoreDays } from "../../db/schema";
import { RuleViolation } from "../errors";
import { type ProductCounter, productCounters, type StoreCounter, storeCounters } from "./counters";

/**
 * The daily summaries, answered from the counters (counters.ts): one range of the tenant's
 * `…_report` index for the date range, in the report's order, each row carrying its store
 * name and product code (schema.ts), so the rows read are the rows returned (plus the index
 * entry that ends the range), never the number of transactions those days hold.
 */

/** Longest range a report covers, in days (both ends included). */
export const REPORT_MAX_DAYS = 366;
/** Most rows one report returns; a range holding more is refused (ask for a shorter one). */
export const REPORT_ROW_LIMIT = 20_000;

export interface StoreDayRow {
  /** The tenant's local day, `YYYY-MM-DD`. */
  date: string;
  /** The store's name (its partner id when it has none); null for activity without a store. */
  store: string | null;
  counters: Record<StoreCounter, number>;
}

export interface ProductDayRow {
  date: string;
  store: string | null;
  /** The product's partner id. */
  product: string;
  counters: Record<ProductCounter, number>;
}

/** The named properties of an object (a table's columns). */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;
}

// The ORDER BY terms are the `…_report` indexes' columns, expression included, so SQLite walks the index in order and sorts nothing.
const s = reportStoreDays;
const storeDays = prepared((db) =>
  db
    .select({ date: s.day, store: s.storeName, ...pick(s, storeCounters) })
    .from(s)
    .where(and(eq(s.tenantId, sql.placeholder("tenantId")), between(s.day, sql.placeholder("from"), sql.placeholder("to"))))
    .orderBy(asc(s.day), asc(isNull(s.storeName)), asc(s.storeName), asc(s.storeId))
    .limit(REPORT_ROW_LIMIT + 1)
    .prepare(),
);

const p = reportProductDays;
const productDays = prepared((db) =>
  db
    .select({ date: p.day, store: p.storeName, product: p.productCode, ...pick(p, productCounters) })
    .from(p)
    .where(and(eq(p.tenantId, sql.placeholder("tenantId")), between(p.day, sql.placeholder("from"), sql.placeholder("to"))))
    .orderBy(asc(p.day), asc(isNull(p.storeName)), asc(p.storeName), asc(p.storeId), asc(p.productCode))
    .limit(REPORT_ROW_LIMIT + 1)
    .prepare(),
);

function tooMany(): never {
  throw new RuleViolation("too_many_rows", { limit: REPORT_ROW_LIMIT });
}

/** The (day, store) counter rows of `[startDate, endDate]` (local `YYYY-MM-DD`, inclusive), by date then store. */
export async function dailyStoreSummary(db: Db, tenantId: number, startDate: string, endDate: string): Promise<StoreDayRow[]> {
  const found = await storeDays(db).all({ tenantId, from: startDate, to: endDate });
  if (found.length > REPORT_ROW_LIMIT) tooMany();
  return found.map((row) => ({
    date: row.date,
    store: row.store,
    counters: pick(row, storeCounters),
  }));
}

/** The (day, store, product) counter rows of `[startDate, endDate]`, by date, store, then product code. */
export async function dailyProductSummary(db: Db, tenantId: number, startDate: string, endDate: string): Promise<ProductDayRow[]> {
  const found = await productDays(db).all({ tenantId, from: startDate, to: endDate });
  if (found.length > REPORT_ROW_LIMIT) tooMany();
  return found.map((row) => ({
    date: row.date,
    store: row.store,
    product: row.product,
    counters: pick(row, productCounters),
  }));
}
