import { sql, type SQL } from "drizzle-orm";
import { frontendChannelList, frontendChannels, type Channel, type LedgerCategory, type LedgerDirection, type LedgerUnit } from "../db/schema";
import { lastTransactionAmount, lastTransactionId, type BatchStatement, type LedgerEntry, type OrderLine } from "./ledger-statements";
import { localDate } from "./local-time";

/**
 * The daily report counters and what moves them. Every ledger entry upserts its
 * (tenant, local day, store) row and, for orders, one (tenant, local day, store, product)
 * row per product, in the entry's own batch (registered below as a ledger listener), so
 * the counters are exactly as committed as the ledger. The same rules drive the rebuild
 * (report-rebuild.ts), so rebuilt counters equal incremental ones.
 *
 * What counts (POINTS only; COINS and transfers move no report counter):
 * - a credit of category order / coupon / balance adds its amount to pointEarnedOrders /
 *   pointEarnedCoupons / pointEarnedBalance; any other POINTS debit (redemptions, checkbooks
 *   that redeem, full-balance vouchers) adds to pointRedeemed; an expiration to pointExpired
 *   (at the store where the expiring points were earned);
 * - reversals count on the day they happen: reversing a coupon or an order credit adds to
 *   pointReversedCoupon / pointReversedOrder; the seed has no column for other reversals,
 *   so reversing a balance credit subtracts from pointEarnedBalance and reversing a
 *   redemption subtracts from pointRedeemed;
 * - registrations count once per customer, on the day and at the store of the ledger entry
 *   that first saw it, by channel: no `Platform` header (the partner's POS) ->
 *   preregisteredPos, `web` -> registeredWeb, `mobile`/`ios`/`android` -> registeredApp;
 *   a POS-registered customer's first call from a frontend (`Platform` header) ->
 *   subscribedAfterPos; a new customer whose `data.referredBy` is set -> referrals (on
 *   top of its channel's count).
 */

export const storeCounterColumns = {
  preregisteredPos: "preregistered_pos",
  subscribedAfterPos: "subscribed_after_pos",
  registeredApp: "registered_app",
  registeredWeb: "registered_web",
  referrals: "referrals",
  pointEarnedOrders: "point_earned_orders",
  pointEarnedCoupons: "point_earned_coupons",
  pointEarnedBalance: "point_earned_balance",
  pointRedeemed: "point_redeemed",
  pointExpired: "point_expired",
  pointReversedCoupon: "point_reversed_coupon",
  pointReversedOrder: "point_reversed_order",
} as const;
export type StoreCounter = keyof typeof storeCounterColumns;
export const storeCounters = Object.keys(storeCounterColumns) as StoreCounter[];

export const productCounterColumns = {
  numOrders: "num_orders",
  numProducts: "num_products",
  pointRedeemed: "point_redeemed",
  pointEarnedOrders: "point_earned_orders",
  pointEarnedCoupons: "point_earned_coupons",
  pointEarnedBalance: "point_earned_balance",
  numRedeemed: "num_redeemed",
} as const;
export type ProductCounter = keyof typeof productCounterColumns;
export const productCounters = Object.keys(productCounterColumns) as ProductCounter[];


/** True for a customer's `loyalty_data` that names who referred it (SQL, so incremental and rebuild agree). */
export const referredSql = (loyaltyData: SQL) =>
  sql`coalesce(json_valid(${loyaltyData}) AND trim(coalesce(json_extract(${loyaltyData}, '$.referredBy'), '')) <> '', 0)`;

/** What a ledger entry is, as far as the counters care. */
export interface EntryKind {
  unit: LedgerUnit;
  category: LedgerCategory;
  direction: LedgerDirection;
  reversal: boolean;
}

const earnedCounter: Partial<Record<LedgerCategory, StoreCounter & ProductCounter>> = {
  order: "pointEarnedOrders",
  coupon: "pointEarnedCoupons",
  balance: "pointEarnedBalance",
};

/** The store counter an entry's amount moves, and in which direction (null: none). */
export function amountCounter(entry: EntryKind): { counter: StoreCounter; sign: 1 | -1 } | null {
  if (entry.unit !== "POINTS" || entry.category === "transfer") return null;
  if (entry.category === "expiration") return entry.reversal ? null : { counter: "pointExpired", sign: 1 };
  if (!entry.reversal) {
    if (entry.direction === "DEBIT") return { counter: "pointRedeemed", sign: 1 };
    const earned = earnedCounter[entry.category];
    return earned ? { counter: earned, sign: 1 } : null;
  }
  // A reversal's direction is the opposite of the original's.
  if (entry.direction === "CREDIT") return { counter: "pointRedeemed", sign: -1 };
  if (entry.category === "coupon") return { counter: "pointReversedCoupon", sign: 1 };
  if (entry.category === "order") return { counter: "pointReversedOrder", sign: 1 };
  const earned = earnedCounter[entry.category];
  return earned ? { counter: earned, sign: -1 } : null;
}

/** The registration counter of a customer created through `channel` (null: not a loyalty channel). */
export function registrationCounter(channel: Channel): StoreCounter | null {
  if (channel === "loyalty") return "preregisteredPos";
  if (channel === "web") return "registeredWeb";
  if (channel === "mobile" || channel === "ios" || channel === "android") return "registeredApp";
  return null;
}

export const isFrontend = (channel: string | null | undefined): channel is (typeof frontendChannels)[number] =>
  (frontendChannels as readonly (string | null | undefined)[]).includes(channel);

/**
 * The product counters of an order (a checkbook or voucher with lines), keyed by product:
 * one order per product, one product per line. In an order that earns (a CREDIT),
 * positive line points count as earned in the type's category and negative ones as
 * redeemed; in a redemption (a DEBIT: a redeeming checkbook, a full-balance voucher) every
 * line's points count as redeemed. Reversals and non-POINTS orders move none (reversals
 * show in the stores report).
 */
export function productDeltas<K>(entry: EntryKind, lines: readonly { product: K; earnedRedeemed: number }[]): Map<K, Record<ProductCounter, number>> {
  const deltas = new Map<K, Record<ProductCounter, number>>();
  if (entry.unit !== "POINTS" || entry.reversal) return deltas;
  const earned = earnedCounter[entry.category];
  for (const line of lines) {
    let d = deltas.get(line.product);
    if (!d) {
      d = { numOrders: 1, numProducts: 0, pointRedeemed: 0, pointEarnedOrders: 0, pointEarnedCoupons: 0, pointEarnedBalance: 0, numRedeemed: 0 };
      deltas.set(line.product, d);
    }
    d.numProducts++;
    if (line.earnedRedeemed < 0 || entry.direction === "DEBIT") {
      d.pointRedeemed += Math.abs(line.earnedRedeemed);
      d.numRedeemed++;
    } else if (earned) {
      d[earned] += line.earnedRedeemed;
    }
  }
  return deltas;
}

const storeIdOf = (tenantId: number, externalId: string | null) =>
  externalId === null ? sql`0` : sql`coalesce((SELECT id FROM ledger_stores WHERE tenant_id = ${tenantId} AND external_id = ${externalId}), 0)`;

/** `INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c` of one counter row (`values` are SQL). */
function upsert(table: "report_store_days" | "report_product_days", key: Record<string, SQL>, values: Record<string, SQL>, where?: SQL): SQL {
  const keyColumns = Object.keys(key);
  const columns = [...keyColumns, ...Object.keys(values)];
  const names = sql.raw(columns.join(", "));
  const row = sql.join([...Object.values(key), ...Object.values(values)], sql`, `);
  const updates = sql.raw(
    Object.keys(values)
      .map((c) => `${c} = ${c} + excluded.${c}`)
      .join(", "),
  );
  // INSERT … SELECT needs a WHERE before ON CONFLICT (SQLite's upsert parsing rule).
  return sql`INSERT INTO ${sql.identifier(table)} (${names}) SELECT ${row} WHERE ${where ?? sql`1`}
    ON CONFLICT (${sql.raw(keyColumns.join(", "))}) DO UPDATE SET ${updates}`;
}

/** The counter statements of one ledger entry (the listener). */
export function counterStatements(entry: LedgerEntry): BatchStatement[] {
  const day = localDate(entry.createdAt, entry.timeZone);
  const key = { tenant_id: sql`${entry.tenantId}`, day: sql`${day}`, store_id: storeIdOf(entry.tenantId, entry.storeExternalId) };
  const values: Record<string, SQL> = {};
  const moved = amountCounter({ unit: entry.type.unit, category: entry.type.category, direction: entry.direction, reversal: entry.reversal });
  if (moved) values[storeCounterColumns[moved.counter]] = moved.sign === 1 ? entry.amount : sql`-${entry.amount}`;
  const registration = entry.customerCreated ? registrationCounter(entry.customerCreated) : null;
  if (registration) {
    values[storeCounterColumns[registration]] = sql`1`;
    values.referrals = sql`(SELECT ${referredSql(sql`loyalty_data`)} FROM customers WHERE id = ${entry.customer})`;
  }
  const statements: BatchStatement[] = [];
  if (Object.keys(values).length > 0) statements.push(upsert("report_store_days", key, values));
  if (!entry.customerCreated && isFrontend(entry.channel)) {
    statements.push(
      upsert(
        "report_store_days",
        key,
        { subscribed_after_pos: sql`1` },
        sql`(SELECT channel FROM customers WHERE id = ${entry.customer}) = 'loyalty'
          AND NOT EXISTS (SELECT 1 FROM ledger_transactions WHERE customer_id = ${entry.customer} AND channel IN (${frontendChannelList}) AND id < ${lastTransactionId})`,
      ),
    );
  }
  const lines = entry.lines.map((line: OrderLine) => ({ product: line.productExternalId, earnedRedeemed: line.earnedRedeemed }));
  const kind = { unit: entry.type.unit, category: entry.type.category, direction: entry.direction, reversal: entry.reversal };
  for (const [product, delta] of productDeltas(kind, lines)) {
    statements.push(
      upsert(
        "report_product_days",
        { ...key, product_id: sql`(SELECT id FROM ledger_products WHERE tenant_id = ${entry.tenantId} AND external_id = ${product})` },
        Object.fromEntries(productCounters.map((c) => [productCounterColumns[c], sql`${delta[c]}`])),
      ),
    );
  }
  return statements;
}

/** The counter statements of the ledger entry the batch has just inserted; the ledger calls this for every entry. */
export function entryCounterStatements(entry: Omit<LedgerEntry, "amount">): BatchStatement[] {
  return counterStatements({ ...entry, amount: lastTransactionAmount });
}
