import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { type Channel, customers, type LedgerCategory, type LedgerDirection, type LedgerUnit, ledgerStores, ledgerTransactions } from "../../db/schema";
import { NotFound } from "../errors";

export { channels, ledgerCategories, ledgerDirections, ledgerUnits } from "../../db/schema";

/**
 * A customer's ledger history as operators read it: every entry with what the partner
 * sent, and reversals linked both ways (an entry names what it reverses and what reversed
 * it). Pages are ranges of the customer's transaction numbers, newest first, so a page
 * reads its own rows (and one index probe each for its store and its reversal).
 */

export interface LedgerEntry {
  id: number;
  /** The customer's transaction number (1 = its first). */
  seq: number;
  createdAt: number;
  unit: LedgerUnit;
  direction: LedgerDirection;
  /** Hundredths. */
  amount: number;
  type: string;
  category: LedgerCategory;
  title: string;
  partnerTitle: string | null;
  description: string | null;
  code: string | null;
  externalId: string | null;
  store: { externalId: string; name: string | null } | null;
  channel: Channel | null;
  /** The entry this one reverses. */
  reversesId: number | null;
  /** The reversal of this entry, once reversed. */
  reversedById: number | null;
  /** The other half of a transfer. */
  counterpartId: number | null;
}

interface EntryRow extends Omit<LedgerEntry, "store"> {
  storeExternalId: string | null;
  storeName: string | null;
}

const t = ledgerTransactions;
const reversal = alias(ledgerTransactions, "reversal");
const s = ledgerStores;

/** The statement reading up to `limit + 1` of the customer's entries before transaction number `beforeSeq` (all when null), newest first. */
export function entriesStatement(tenantId: number, customerId: number, beforeSeq: number | null, limit: number): Statement<EntryRow[]> {
  return rows<EntryRow>(sql`SELECT ${t.id} AS "id", ${t.customerSeq} AS "seq", ${t.createdAt} AS "createdAt", ${t.unit} AS "unit",
      ${t.direction} AS "direction", ${t.amount} AS "amount", ${t.type} AS "type", ${t.category} AS "category", ${t.title} AS "title",
      ${t.partnerTitle} AS "partnerTitle", ${t.description} AS "description", ${t.code} AS "code", ${t.externalId} AS "externalId",
      ${t.channel} AS "channel", ${t.reversesId} AS "reversesId", ${reversal.id} AS "reversedById", ${t.counterpartId} AS "counterpartId",
      ${s.externalId} AS "storeExternalId", ${s.name} AS "storeName"
    FROM ${t} LEFT JOIN ${s} ON ${s.id} = ${t.storeId} LEFT JOIN ${t} ${reversal} ON ${reversal.reversesId} = ${t.id}
    WHERE ${t.customerId} = ${customerId} AND ${t.tenantId} = ${tenantId} ${beforeSeq === null ? sql`` : sql`AND ${t.customerSeq} < ${beforeSeq}`}
    ORDER BY ${t.customerSeq} DESC LIMIT ${limit + 1}`);
}

/** A page of entries from what `entriesStatement` read, and the `beforeSeq` of the next page (null when this is the last). */
export function readEntries(found: EntryRow[], limit: number): { entries: LedgerEntry[]; next: number | null } {
  const page = found.slice(0, limit).map(({ storeExternalId, storeName, ...entry }) => ({
    ...entry,
    store: storeExternalId === null ? null : { externalId: storeExternalId, name: storeName },
  }));
  return { entries: page, next: found.length > limit ? (page.at(-1)?.seq ?? null) : null };
}

/** A page of the tenant's customer's entries (any status of customer); not_found when the tenant has no such customer. */
export async function customerEntries(
  db: Db,
  tenantId: number,
  customerId: number,
  page: { beforeSeq: number | null; limit: number },
): Promise<{ entries: LedgerEntry[]; next: number | null }> {
  const [found, entries] = await runBatch(db, [
    rows<{ id: number }>(sql`SELECT ${customers.id} AS "id" FROM ${customers} WHERE ${customers.id} = ${customerId} AND ${customers.tenantId} = ${tenantId}`),
    entriesStatement(tenantId, customerId, page.beforeSeq, page.limit),
  ]);
  if (found.length === 0) throw new NotFound("customer");
  return readEntries(entries, page.limit);
}
