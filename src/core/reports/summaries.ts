import { and, asc, between, eq, isNull, sql } from "drizzle-orm";
import { prepared } from "../../db/batch";
import type { Db } from "../../db/client";
import { ledgerProducts, ledgerStores, reportProductDays, reportStoreDays } from "../../db/schema";
import { RuleViolation } from "../errors";
import { type ProductCounter, productCounters, type StoreCounter, storeCounters } from "./counters";

/**
 * The daily summaries, answered from the counters (counters.ts): one index range of the
 * tenant's counter rows for the date range, each joined to its store (and product) by
 * primary key, so the rows read follow the rows returned, never the number of
 * transactions those days hold.
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

const storeName = sql<string | null>`CASE WHEN ${reportStoreDays.storeId} = 0 THEN NULL ELSE coalesce(${ledgerStores.name}, ${ledgerStores.externalId}) END`;
const productStoreName = sql<
  string | null
>`CASE WHEN ${reportProductDays.storeId} = 0 THEN NULL ELSE coalesce(${ledgerStores.name}, ${ledgerStores.externalId}) END`;

const storeDays = prepared((db) =>
  db
    .select({
      date: reportStoreDays.day,
      store: storeName.as("store"),
      ...pick(reportStoreDays, storeCounters),
    })
    .from(reportStoreDays)
    .leftJoin(ledgerStores, eq(ledgerStores.id, reportStoreDays.storeId))
    .where(and(eq(reportStoreDays.tenantId, sql.placeholder("tenantId")), between(reportStoreDays.day, sql.placeholder("from"), sql.placeholder("to"))))
    .orderBy(asc(reportStoreDays.day), asc(isNull(storeName)), asc(storeName), asc(reportStoreDays.storeId))
    .limit(REPORT_ROW_LIMIT + 1)
    .prepare(),
);

const productDays = prepared((db) =>
  db
    .select({
      date: reportProductDays.day,
      store: productStoreName.as("store"),
      product: sql<string>`${ledgerProducts.externalId}`.as("product"),
      ...pick(reportProductDays, productCounters),
    })
    .from(reportProductDays)
    .innerJoin(ledgerProducts, eq(ledgerProducts.id, reportProductDays.productId))
    .leftJoin(ledgerStores, eq(ledgerStores.id, reportProductDays.storeId))
    .where(and(eq(reportProductDays.tenantId, sql.placeholder("tenantId")), between(reportProductDays.day, sql.placeholder("from"), sql.placeholder("to"))))
    .orderBy(asc(reportProductDays.day), asc(isNull(productStoreName)), asc(productStoreName), asc(reportProductDays.storeId), asc(ledgerProducts.externalId))
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
