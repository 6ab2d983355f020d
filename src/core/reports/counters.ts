import { getTableColumns, type SQL, sql } from "drizzle-orm";
import {
  type Channel,
  customers,
  frontendChannelList,
  frontendChannels,
  type LedgerCategory,
  type LedgerDirection,
  type LedgerUnit,
  ledgerProducts,
  ledgerStores,
  ledgerTransactions,
  reportProductDays,
  reportStoreDays,
} from "../../db/schema";
import { col, columns } from "../../db/sql";
import { type LedgerEntry, lastTransactionAmount, lastTransactionId, type OrderLine } from "../ledger/statements";
import { localDate } from "../time";

/**
 * The daily report counters and what moves them. Every ledger entry upserts its
 * (tenant, local day, store) row and, for orders, one (tenant, local day, store, product)
 * row per product, in the entry's own batch (the ledger calls `entryCounterStatements`
 * for every entry), so the counters are exactly as committed as the ledger. The same
 * rules drive the rebuild (rebuild.ts), so rebuilt counters equal incremental ones.
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

export const storeCounters = [
  "preregisteredPos",
  "subscribedAfterPos",
  "registeredApp",
  "registeredWeb",
  "referrals",
  "pointEarnedOrders",
  "pointEarnedCoupons",
  "pointEarnedBalance",
  "pointRedeemed",
  "pointExpired",
  "pointReversedCoupon",
  "pointReversedOrder",
] as const satisfies readonly (keyof typeof reportStoreDays.$inferSelect)[];
export type StoreCounter = (typeof storeCounters)[number];

export const productCounters = [
  "numOrders",
  "numProducts",
  "pointRedeemed",
  "pointEarnedOrders",
  "pointEarnedCoupons",
  "pointEarnedBalance",
  "numRedeemed",
] as const satisfies readonly (keyof typeof reportProductDays.$inferSelect)[];
export type ProductCounter = (typeof productCounters)[number];

/** The column objects of each counter. */
export const storeCounterColumns = getTableColumns(reportStoreDays);
export const productCounterColumns = getTableColumns(reportProductDays);

/** True for a customer's `loyalty_data` that names who referred it (SQL, so incremental and rebuild agree). */
export const referredSql = (loyaltyData: SQL | Column) =>
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
  externalId === null
    ? sql`0`
    : sql`coalesce((SELECT ${ledgerStores.id} FROM ${ledgerStores} WHERE ${ledgerStores.tenantId} = ${tenantId} AND ${ledgerStores.externalId} = ${externalId}), 0)`;

type CounterTable = typeof reportStoreDays | typeof reportProductDays;
type Column = { name: string };

/** `INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c` of one counter row (`values` are SQL). */
function upsert(table: CounterTable, key: [Column, SQL][], values: [Column, SQL][], where?: SQL): SQL {
  const all = [...key, ...values];
  const updates = sql.join(
    values.map(([column]) => sql`${col(column)} = ${col(column)} + ${sql.identifier("excluded")}.${col(column)}`),
    sql`, `,
  );
  // INSERT … SELECT needs a WHERE before ON CONFLICT (SQLite's upsert parsing rule).
  return sql`INSERT INTO ${table} (${columns(...all.map(([column]) => column))}) SELECT ${sql.join(
    all.map(([, value]) => value),
    sql`, `,
  )} WHERE ${where ?? sql`1`}
    ON CONFLICT (${columns(...key.map(([column]) => column))}) DO UPDATE SET ${updates}`;
}

/** The counter statements of one ledger entry. */
export function counterStatements(entry: LedgerEntry): SQL[] {
  const s = reportStoreDays;
  const day = localDate(entry.createdAt, entry.timeZone);
  const key: [Column, SQL][] = [
    [s.tenantId, sql`${entry.tenantId}`],
    [s.day, sql`${day}`],
    [s.storeId, storeIdOf(entry.tenantId, entry.storeExternalId)],
  ];
  const values: [Column, SQL][] = [];
  const moved = amountCounter({ unit: entry.type.unit, category: entry.type.category, direction: entry.direction, reversal: entry.reversal });
  if (moved) values.push([storeCounterColumns[moved.counter], moved.sign === 1 ? entry.amount : sql`-${entry.amount}`]);
  const registration = entry.customerCreated ? registrationCounter(entry.customerCreated) : null;
  if (registration) {
    values.push([storeCounterColumns[registration], sql`1`]);
    values.push([s.referrals, sql`(SELECT ${referredSql(customers.loyaltyData)} FROM ${customers} WHERE ${customers.id} = ${entry.customer})`]);
  }
  const statements: SQL[] = [];
  if (values.length > 0) statements.push(upsert(s, key, values));
  if (!entry.customerCreated && isFrontend(entry.channel)) {
    const t = ledgerTransactions;
    statements.push(
      upsert(
        s,
        key,
        [[s.subscribedAfterPos, sql`1`]],
        sql`(SELECT ${customers.channel} FROM ${customers} WHERE ${customers.id} = ${entry.customer}) = 'loyalty'
          AND NOT EXISTS (SELECT 1 FROM ${t} WHERE ${t.customerId} = ${entry.customer} AND ${t.channel} IN (${frontendChannelList}) AND ${t.id} < ${lastTransactionId})`,
      ),
    );
  }
  const lines = entry.lines.map((line: OrderLine) => ({ product: line.productExternalId, earnedRedeemed: line.earnedRedeemed }));
  const kind = { unit: entry.type.unit, category: entry.type.category, direction: entry.direction, reversal: entry.reversal };
  const p = reportProductDays;
  for (const [product, delta] of productDeltas(kind, lines)) {
    const productId = sql`(SELECT ${ledgerProducts.id} FROM ${ledgerProducts} WHERE ${ledgerProducts.tenantId} = ${entry.tenantId} AND ${ledgerProducts.externalId} = ${product})`;
    statements.push(
      upsert(
        p,
        [
          [p.tenantId, sql`${entry.tenantId}`],
          [p.day, sql`${day}`],
          [p.storeId, storeIdOf(entry.tenantId, entry.storeExternalId)],
          [p.productId, productId],
        ],
        productCounters.map((c) => [productCounterColumns[c], sql`${delta[c]}`]),
      ),
    );
  }
  return statements;
}

/** The counter statements of the ledger entry the batch has just inserted; the ledger calls this for every entry. */
export function entryCounterStatements(entry: Omit<LedgerEntry, "amount">): SQL[] {
  return counterStatements({ ...entry, amount: lastTransactionAmount });
}
