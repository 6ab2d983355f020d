import { and, eq, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { type Customer, customers, type IdentifierKind, type IdentifierStatus, identifiers, type LedgerUnit, ledgerAccounts } from "../../db/schema";
import { NotFound } from "../errors";
import { entriesStatement, type LedgerEntry, readEntries } from "../ledger/entries";
import { type GroupView, groupFor, type LotRow, openLotsStatement, tenantGroups } from "../ledger/queries";

/**
 * The customer 360: everything the registry holds about one customer, in one round trip,
 * for an operator answering "why can't this player log in?" or "how many points do I
 * have?": the whole profile (every surface's fields), every identifier it ever held with
 * its status (cards and tags: active, replaced, cancelled, and when), the customers merged
 * into it, its ledger accounts, open lots, tier and latest entries. Any customer of the
 * tenant, active or not (an absorbed one shows whom it was merged into).
 */

export interface IdentifierHistory {
  kind: IdentifierKind;
  value: string;
  qualifier: string | null;
  status: IdentifierStatus;
  /** True while the row holds its value exclusively (for a shared document: its primary holder). */
  primary: boolean;
  createdAt: number;
  statusChangedAt: number;
}

export interface AccountBalance {
  unit: LedgerUnit;
  /** Hundredths. */
  balance: number;
  /** Lifetime amount earned by earning types (the tier measure), hundredths. */
  earned: number;
}

export interface CustomerOverview {
  customer: Customer;
  identifiers: IdentifierHistory[];
  /** Customers merged into this one. */
  absorbedIds: number[];
  accounts: AccountBalance[];
  lots: LotRow[];
  tier: GroupView | null;
  entries: LedgerEntry[];
  /** `beforeSeq` of the next page of entries, null when `entries` are all of them. */
  nextEntries: number | null;
}

/** Entries the 360 shows (the rest page through the customer's transactions). */
export const OVERVIEW_ENTRIES = 10;

const c = customers;
const i = identifiers;
const a = ledgerAccounts;

const customerById = prepared((db) =>
  db
    .select()
    .from(c)
    .where(and(eq(c.id, sql.placeholder("id")), eq(c.tenantId, sql.placeholder("tenantId"))))
    .prepare(),
);

/** The customer 360 of the tenant's customer `customerId`; not_found when the tenant has none (another tenant's included). */
export async function customerOverview(db: Db, tenantId: number, customerId: number): Promise<CustomerOverview> {
  const [found, held, absorbed, accounts, groups, lots, entries] = await runBatch(db, [
    bound(customerById(db), { id: customerId, tenantId }),
    // `+`: the customer's own index entries, not the tenant's whole (tenant, kind, value) index walked for its order.
    rows<Omit<IdentifierHistory, "primary"> & { primary: number | null }>(sql`SELECT ${i.kind} AS "kind", ${i.value} AS "value", ${i.qualifier} AS "qualifier",
        ${i.status} AS "status", ${i.exclusive} AS "primary", ${i.createdAt} AS "createdAt", ${i.statusChangedAt} AS "statusChangedAt"
      FROM ${i} WHERE ${i.customerId} = ${customerId} AND +${i.tenantId} = ${tenantId} ORDER BY ${i.kind}, ${i.createdAt}, ${i.id}`),
    rows<{ id: number }>(sql`SELECT ${c.id} AS "id" FROM ${c} WHERE ${c.mergedIntoId} = ${customerId} AND ${c.tenantId} = ${tenantId} ORDER BY ${c.id}`),
    rows<AccountBalance>(sql`SELECT ${a.unit} AS "unit", ${a.balance} AS "balance", ${a.earned} AS "earned"
      FROM ${a} WHERE ${a.customerId} = ${customerId} AND ${a.tenantId} = ${tenantId} ORDER BY ${a.unit} DESC`),
    tenantGroups(tenantId),
    openLotsStatement(tenantId, customerId),
    entriesStatement(tenantId, customerId, null, OVERVIEW_ENTRIES),
  ]);
  const row = found[0];
  if (!row) throw new NotFound("customer");
  const page = readEntries(entries, OVERVIEW_ENTRIES);
  return {
    customer: row,
    identifiers: held.map((h) => ({ ...h, primary: h.primary === 1 })),
    absorbedIds: absorbed.map((r) => r.id),
    accounts,
    lots,
    tier: groupFor(groups, accounts.find((acc) => acc.unit === "POINTS")?.earned ?? 0),
    entries: page.entries,
    nextEntries: page.next,
  };
}
