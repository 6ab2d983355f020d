import type { CustomerView, GroupView, LotView, TransactionView } from "../../core/ledger-queries";
import type { LedgerUnit } from "../../db/schema";

/**
 * Seed 003's renderings: ids as strings, absent values as the string "null", units as
 * `{id, name, sign}`, balances with two decimals ("250.00") and transaction amounts as
 * plain numbers when whole ("100") and with two decimals otherwise ("12.50").
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

const renderGroup = (group: GroupView | null) => (group ? { id: String(group.id), name: group.name, description: group.description } : ("null" as const));

export function renderCustomer(customer: CustomerView) {
  return {
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
    group: renderGroup(customer.group),
  };
}

export function renderTransaction(t: TransactionView) {
  return {
    id: String(t.id),
    title: t.title,
    description: orNull(t.description),
    code: orNull(t.code),
    external_entity_id: orNull(t.code),
    type: t.direction,
    total: renderAmount(t.amount),
    created_at: t.createdAt,
    unit: renderUnit(t.unit),
    customer: renderCustomer(t.customer),
    store: t.store ? { id: String(t.store.id), externalId: t.store.externalId, name: orNull(t.store.name) } : ("null" as const),
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

export { renderGroup };
