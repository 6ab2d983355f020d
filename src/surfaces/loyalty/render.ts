import type { CustomerView, GroupView, LedgerUnit, LotView, TransactionView } from "../../core/ledger/queries";
import type { ProductDayRow, StoreDayRow } from "../../core/reports/summaries";

/**
 * Seed 003's renderings: ids as strings, absent values as the string "null", units as
 * `{id, name, sign}`, balances with two decimals ("250.00"); transactions as each endpoint
 * shows them (`transactionShapes`).
 */

const units: Record<LedgerUnit, { id: string; name: string; sign: string }> = {
  POINTS: { id: "1", name: "POINTS", sign: "PTS" },
  COINS: { id: "2", name: "COINS", sign: "$" },
};

export const renderUnit = (unit: LedgerUnit) => units[unit];

/** Hundredths as "250.00" (exact for any integer amount). */
export function renderBalance(hundredths: number): string {
  const sign = hundredths < 0 ? "-" : "";
  const abs = Math.abs(hundredths);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Hundredths as "100" when whole, else "12.50". */
export function renderAmount(hundredths: number): string {
  return hundredths % 100 === 0 ? String(hundredths / 100) : renderBalance(hundredths);
}

const orNull = (value: string | number | null | undefined) => (value === null || value === undefined ? "null" : String(value));

export const renderGroup = (group: GroupView | null) =>
  group ? { id: String(group.id), name: group.name, description: group.description } : ("null" as const);

/**
 * Where seed 003's endpoints disagree, each endpoint follows its own example and schema:
 * `store` is the string "null" where the endpoint's schema declares a string (even when
 * the transaction has a store) and an object where it declares one ({id, externalId,
 * name}, each "null" when the transaction has no store); `total` keeps two decimals
 * where the endpoint's example shows them ("20.00"), else it is whole when whole ("100").
 */
export const transactionShapes = {
  "POST /api/transaction": { store: "string", total: "whole when whole" },
  "POST /api/transaction/checkbook": { store: "object", total: "whole when whole" },
  "POST /api/transaction/reverse": { store: "object", total: "two decimals" },
  "POST /api/transaction/reverseMany": { store: "object", total: "two decimals" },
  "POST /api/transaction/transfer": { store: "string", total: "two decimals" },
  "GET /api/transaction/history": { store: "string", total: "two decimals" },
  "GET /api/transaction/transactionByCode": { store: "string", total: "whole when whole" },
  "GET /api/transaction/reloadsByCustomer": { store: "string", total: "whole when whole" },
  "GET /api/transaction/pointsByCustomer": { store: "string", total: "whole when whole" },
} as const satisfies Record<string, { store: "string" | "object"; total: "whole when whole" | "two decimals" }>;

export type TransactionEndpoint = keyof typeof transactionShapes;

const storeWording = { string: '`"null"` (the string, always)', object: '`{id, externalId, name}` (each `"null"` without a store)' };
const totalWording = { "whole when whole": '`"100"` when whole, else `"12.50"`', "two decimals": 'always two decimals (`"20.00"`, `"1.00"`)' };

/** `transactionShapes` as the Markdown table the OpenAPI descriptions carry. */
export const transactionShapesTable = [
  "| endpoint | `store` | `total` |",
  "|---|---|---|",
  ...Object.entries(transactionShapes).map(([endpoint, shape]) => `| \`${endpoint}\` | ${storeWording[shape.store]} | ${totalWording[shape.total]} |`),
].join("\n");

/** What a response adds to the seed's customer block when the caller opts in (`include=group`). */
export interface CustomerExtras {
  group: boolean;
}

/** The seed's customer block `{id, externalId, name, totals}`; the tier (`group`) only when asked for. */
export function renderCustomer(customer: CustomerView, extras: CustomerExtras) {
  const block = {
    id: String(customer.id),
    externalId: customer.externalId,
    name: orNull(customer.name),
    totals: customer.totals.map((account) => ({
      id: String(account.id),
      total_amount: renderBalance(account.balance),
      unit: renderUnit(account.unit),
      batch: "null",
      set_name: "null",
    })),
  };
  return extras.group ? { ...block, group: renderGroup(customer.group) } : block;
}

const noStore = { id: "null", externalId: "null", name: "null" };

type StoreOf<E extends TransactionEndpoint> = (typeof transactionShapes)[E]["store"] extends "string"
  ? "null"
  : { id: string; externalId: string; name: string };

function renderStore(t: TransactionView, shape: "string" | "object") {
  if (shape === "string") return "null";
  return t.store ? { id: String(t.store.id), externalId: t.store.externalId, name: orNull(t.store.name) } : noStore;
}

/** A transaction in the shape `endpoint` answers it (see `transactionShapes`). */
export function renderTransaction<E extends TransactionEndpoint>(t: TransactionView, endpoint: E, extras: CustomerExtras) {
  const shape = transactionShapes[endpoint];
  return {
    id: String(t.id),
    title: t.title,
    description: orNull(t.description),
    code: orNull(t.code),
    external_entity_id: orNull(t.code),
    type: t.direction,
    total: shape.total === "two decimals" ? renderBalance(t.amount) : renderAmount(t.amount),
    created_at: t.createdAt,
    unit: renderUnit(t.unit),
    customer: renderCustomer(t.customer, extras),
    store: renderStore(t, shape.store) as StoreOf<E>,
  };
}

export function renderLot(lot: LotView) {
  return {
    id: String(lot.id),
    total_amount: renderBalance(lot.remaining),
    unit: renderUnit(lot.unit),
    "batch object": { id: String(lot.transactionId), start_date: lot.createdAt, end_date: "null", expiration_date: orNull(lot.expiresAt) },
    set_name: lot.setName,
  };
}

/** Weeks of the days reports have shown in this isolate: a report repeats each day on every one of its rows. */
const knownWeeks = new Map<string, number>();

/**
 * The week number the seed's examples show (2018-07-12 -> 27, 2018-07-20 -> 28): MySQL's
 * `WEEK(date)` in its default mode, i.e. weeks start on Sunday and week 1 is the one with
 * the year's first Sunday (days before it are week 0), range 0–53. (ISO-8601 would say 28
 * and 29.)
 */
export function reportWeek(date: string): number {
  let week = knownWeeks.get(date);
  if (week === undefined) {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const dayOfYear = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000;
    const firstSunday = (7 - new Date(Date.UTC(y, 0, 1)).getUTCDay()) % 7;
    week = dayOfYear < firstSunday ? 0 : Math.floor((dayOfYear - firstSunday) / 7) + 1;
    if (knownWeeks.size >= 4096) knownWeeks.clear();
    knownWeeks.set(date, week);
  }
  return week;
}

/** The entry tier with the units whose earnings count towards tiers, and the tier above it ("null" at the top). */
export function renderDefaultGroup(group: GroupView, next: GroupView | null) {
  return { id: String(group.id), name: group.name, description: group.description, group_rules: [renderUnit("POINTS")], next_group: renderGroup(next) };
}

/** `findByExternalId`'s data: the customer with its stored `data` block, or `exists:false` and nulls. */
export function renderFoundCustomer(found: { id: number; externalId: string; name: string | null; data: unknown } | null) {
  return found
    ? { exists: true, id: found.id, external_id: found.externalId, name: found.name, data: found.data }
    : { exists: false, id: null, external_id: null, name: null, data: null };
}

/** Hundredths as a number of points (two decimals at most). */
const inPoints = (hundredths: number) => hundredths / 100;

export function renderStoreDay({ date, store, counters: n }: StoreDayRow) {
  return {
    date,
    week: reportWeek(date),
    store: store ?? "null",
    preregisteredPos: n.preregisteredPos,
    subscribedAfterPos: n.subscribedAfterPos,
    registeredApp: n.registeredApp,
    registeredWeb: n.registeredWeb,
    referrals: n.referrals,
    pointEarnedOrders: inPoints(n.pointEarnedOrders),
    pointEarnedCoupons: inPoints(n.pointEarnedCoupons),
    pointEarnedBalance: inPoints(n.pointEarnedBalance),
    pointRedeemed: inPoints(n.pointRedeemed),
    pointExpired: inPoints(n.pointExpired),
    pointReversedCoupon: inPoints(n.pointReversedCoupon),
    pointReversedOrder: inPoints(n.pointReversedOrder),
  };
}

export function renderProductDay({ date, store, product, counters: n }: ProductDayRow) {
  return {
    date,
    week: reportWeek(date),
    store: store ?? "null",
    codProduct: product,
    numOrders: n.numOrders,
    numProducts: n.numProducts,
    pointRedeemed: inPoints(n.pointRedeemed),
    pointEarnedOrders: inPoints(n.pointEarnedOrders),
    pointEarnedCoupons: inPoints(n.pointEarnedCoupons),
    pointEarnedBalance: inPoints(n.pointEarnedBalance),
    numRedeemed: n.numRedeemed,
  };
}
