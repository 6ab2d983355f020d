import type { Db } from "../../db/client";
import { addDays } from "../time";
import { type ProductCounter, productCounters, type StoreCounter, storeCounters } from "./counters";
import { dailyProductSummary, dailyStoreSummary } from "./summaries";

/**
 * The operators' report: the same counter rows as `/api/report/dailySummary/*`
 * (summaries.ts), summed per day for the charts and over the range per store and per
 * product for the tables. Amounts are POINTS hundredths.
 */

export interface DayTotals {
  date: string;
  /** Points earned by orders, coupons and balance credits. */
  earned: number;
  redeemed: number;
  expired: number;
  /** Registrations by channel: the partner's POS (no `Platform`), the app, the web. */
  registrations: { pos: number; app: number; web: number };
}

export interface StoreTotals {
  /** Null: activity without a store. */
  store: string | null;
  counters: Record<StoreCounter, number>;
}

export interface ProductTotals {
  product: string;
  counters: Record<ProductCounter, number>;
}

export interface ReportOverview {
  /** Every day of the range, days without activity included (zeros). */
  days: DayTotals[];
  stores: StoreTotals[];
  products: ProductTotals[];
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function addInto<K extends string>(into: Record<K, number>, from: Record<K, number>, keys: readonly K[]): void {
  for (const key of keys) into[key] += from[key];
}

/** The report of `[from, to]` (the tenant's local `YYYY-MM-DD` days, both included; the caller bounds the range). */
export async function reportOverview(db: Db, tenantId: number, from: string, to: string): Promise<ReportOverview> {
  const [storeRows, productRows] = await Promise.all([dailyStoreSummary(db, tenantId, from, to), dailyProductSummary(db, tenantId, from, to)]);
  const days = new Map<string, DayTotals>();
  for (let date = from; date <= to; date = addDays(date, 1)) {
    days.set(date, { date, earned: 0, redeemed: 0, expired: 0, registrations: { pos: 0, app: 0, web: 0 } });
  }
  const stores = new Map<string | null, StoreTotals>();
  for (const row of storeRows) {
    const day = days.get(row.date);
    const k = row.counters;
    if (day) {
      day.earned += k.pointEarnedOrders + k.pointEarnedCoupons + k.pointEarnedBalance;
      day.redeemed += k.pointRedeemed;
      day.expired += k.pointExpired;
      day.registrations.pos += k.preregisteredPos;
      day.registrations.app += k.registeredApp;
      day.registrations.web += k.registeredWeb;
    }
    const store = stores.get(row.store) ?? { store: row.store, counters: zeros(storeCounters) };
    addInto(store.counters, k, storeCounters);
    stores.set(row.store, store);
  }
  const products = new Map<string, ProductTotals>();
  for (const row of productRows) {
    const product = products.get(row.product) ?? { product: row.product, counters: zeros(productCounters) };
    addInto(product.counters, row.counters, productCounters);
    products.set(row.product, product);
  }
  return { days: [...days.values()], stores: [...stores.values()], products: [...products.values()] };
}
