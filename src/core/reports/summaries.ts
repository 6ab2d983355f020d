import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { rendered, reusable, runBatch } from "../../db/batch";
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

// Each summary is one statement rendered once per isolate (db/batch.ts `reusable`) whose
// rows are read as D1 returns them, named by their aliases: a report returns up to 20,000
// rows, and Drizzle's per-cell row mapping would cost more than the read itself.
// The ORDER BY terms are the `…_report` indexes' columns, expression included, so SQLite walks the index in order and sorts nothing.
const s = reportStoreDays;
const p = reportProductDays;

/** `table.counter AS "counter", …` */
function aliased<T extends Record<C, AnyColumn>, C extends string>(table: T, names: readonly C[]): SQL {
  return sql.join(
    names.map((name) => sql`${table[name]} AS ${sql.identifier(name)}`),
    sql`, `,
  );
}

const inRange = (table: typeof s | typeof p) =>
  sql`${table.tenantId} = ${sql.placeholder("tenantId")} AND ${table.day} BETWEEN ${sql.placeholder("from")} AND ${sql.placeholder("to")}`;

const storeDays = reusable(
  () => "store days",
  () => sql`SELECT ${s.day} AS "date", ${s.storeName} AS "store", ${aliased(s, storeCounters)} FROM ${s} WHERE ${inRange(s)}
    ORDER BY ${s.day}, ${s.storeName} IS NULL, ${s.storeName}, ${s.storeId} LIMIT ${REPORT_ROW_LIMIT + 1}`,
);

const productDays = reusable(
  () => "product days",
  () => sql`SELECT ${p.day} AS "date", ${p.storeName} AS "store", ${p.productCode} AS "product", ${aliased(p, productCounters)} FROM ${p} WHERE ${inRange(p)}
    ORDER BY ${p.day}, ${p.storeName} IS NULL, ${p.storeName}, ${p.storeId}, ${p.productCode} LIMIT ${REPORT_ROW_LIMIT + 1}`,
);

function tooMany(): never {
  throw new RuleViolation("too_many_rows", { limit: REPORT_ROW_LIMIT });
}

/** The (day, store) counter rows of `[startDate, endDate]` (local `YYYY-MM-DD`, inclusive), by date then store. */
export async function dailyStoreSummary(db: Db, tenantId: number, startDate: string, endDate: string): Promise<StoreDayRow[]> {
  const [found] = await runBatch(db, [
    rendered<{ date: string; store: string | null } & Record<StoreCounter, number>>(storeDays(undefined, { tenantId, from: startDate, to: endDate })),
  ]);
  if (found.length > REPORT_ROW_LIMIT) tooMany();
  return found.map(({ date, store, ...counters }) => ({ date, store, counters }));
}

/** The (day, store, product) counter rows of `[startDate, endDate]`, by date, store, then product code. */
export async function dailyProductSummary(db: Db, tenantId: number, startDate: string, endDate: string): Promise<ProductDayRow[]> {
  const [found] = await runBatch(db, [
    rendered<{ date: string; store: string | null; product: string } & Record<ProductCounter, number>>(
      productDays(undefined, { tenantId, from: startDate, to: endDate }),
    ),
  ]);
  if (found.length > REPORT_ROW_LIMIT) tooMany();
  return found.map(({ date, store, product, ...counters }) => ({ date, store, product, counters }));
}
