import { and, asc, eq, getTableColumns, gt, inArray, type SQL, sql } from "drizzle-orm";
import { bound, rows, runBatch, type Statement } from "../db/batch";
import type { Db } from "../db/client";
import {
  type Customer,
  consentHistory,
  customers,
  type Event,
  events,
  type Identifier,
  identifiers,
  type LedgerTransaction,
  ledgerAccounts,
  ledgerLots,
  ledgerStores,
  ledgerTransactions,
  type Sale,
  sales,
} from "../db/schema";
import { col } from "../db/sql";

import { type AuditActor, auditStatement } from "./audit";
import { type LockOpener, rfidLockName } from "./cards/locks";
import { NotFound } from "./errors";
import { customerErased } from "./events/payloads";
import { storedCustomerId } from "./registry/customers";
import { referredSql } from "./reports/counters";

/**
 * Data-subject rights (access and erasure, as Peru's Ley 29733, Colombia's Ley 1581 and
 * Chile's Ley 21.719 require them) over one person: the customer an id names and every
 * duplicate merged into it, since a merge keeps the absorbed record's own row.
 *
 * The export gathers every row ficha holds about the person, from every surface. The
 * erasure removes what identifies the person and keeps what accounting needs:
 * - profile fields and consents are cleared, the consent history is deleted;
 * - every identifier (document, VLT code, client code, parking refId, loyalty
 *   externalId, card UIDs, tag codes and plates) is cancelled and its value replaced by
 *   `erased:<row id>`: the values are free again (a person registering anew is a new
 *   customer), and no hash of them is kept, since a document number's hash is undone
 *   by trying every number;
 * - the customer rows stay, inactive and marked `erased_at`, so the ledger's accounts,
 *   lots and transactions and the sales keep their owner and their amounts, and the
 *   report counters (per day and store) stay as they were: a rebuild still counts the
 *   same registrations and referrals (the referral flag survives as a bare marker);
 * - the person's events keep their id, type and time (the feed's numbering stays whole)
 *   and lose their data: it becomes `{customer: {id, identifiers: []}, redacted: true}`,
 *   also for a webhook delivery still pending. A `customer.erased` event tells the
 *   tenant's partners to erase their own copies.
 * Every surface then answers the person as not found; a ledger view that must still
 * show one of their transactions (by type and code) shows an anonymous holder.
 */

/** The person an id names: that customer, or the survivor it was merged into (SQL naming its id, NULL when the tenant has none). */
const personOf = (tenantId: number, customerId: number) => storedCustomerId(tenantId, customerId);

/** The customer records of a person: the survivor and the duplicates merged into it. */
const recordsOf = (tenantId: number, person: SQL) =>
  sql`(SELECT ${customers.id} FROM ${customers} WHERE ${customers.tenantId} = ${tenantId} AND (${customers.id} = ${person} OR ${customers.mergedIntoId} = ${person}))`;

/** Transactions or events per read of an export. */
const EXPORT_PAGE = 1_000;

export interface PersonalData {
  /** The person's customer id (the survivor of any merge). */
  customerId: number;
  /** The survivor first, then the records merged into it. */
  records: Customer[];
  identifiers: Identifier[];
  consentHistory: (typeof consentHistory.$inferSelect)[];
  accounts: (typeof ledgerAccounts.$inferSelect)[];
  lots: (typeof ledgerLots.$inferSelect)[];
  transactions: (LedgerTransaction & { storeExternalId: string | null; storeName: string | null })[];
  sales: Sale[];
  /** The events about the person, oldest first. */
  events: Event[];
}

function transactionPage(db: Db, tenantId: number, person: SQL, after: number) {
  const t = ledgerTransactions;
  return bound(
    db
      .select({ ...getTableColumns(t), storeExternalId: ledgerStores.externalId, storeName: ledgerStores.name })
      .from(t)
      .leftJoin(ledgerStores, eq(ledgerStores.id, t.storeId))
      .where(and(eq(t.tenantId, tenantId), inArray(t.customerId, recordsOf(tenantId, person)), gt(t.id, after)))
      .orderBy(asc(t.id))
      .limit(EXPORT_PAGE)
      .prepare(),
  );
}

function eventPage(db: Db, tenantId: number, person: SQL, after: number) {
  return bound(
    db
      .select()
      .from(events)
      .where(and(eq(events.tenantId, tenantId), inArray(events.customerId, recordsOf(tenantId, person)), gt(events.id, after)))
      .orderBy(asc(events.id))
      .limit(EXPORT_PAGE)
      .prepare(),
  );
}

/** `first` and the pages after it that `next` reads (a round trip each), until one is short. */
async function readOn<T extends { id: number }>(db: Db, first: T[], next: (after: number) => Statement<T[]>): Promise<T[]> {
  const all = [...first];
  while (all.length > 0 && all.length % EXPORT_PAGE === 0) {
    const [more] = await runBatch(db, [next(all.at(-1)!.id)]);
    if (more.length === 0) break;
    all.push(...more);
  }
  return all;
}

/**
 * Everything ficha holds about the person `customerId` names in the tenant (deactivated
 * and erased customers included: an erased one shows what was kept). One round trip
 * reads it and writes the audit entry, plus one per further thousand transactions or events.
 * not_found when the tenant has no such customer.
 */
export async function exportPersonalData(db: Db, tenantId: number, customerId: number, by: AuditActor): Promise<PersonalData> {
  const person = personOf(tenantId, customerId);
  const records = recordsOf(tenantId, person);
  const [found, recordRows, ids, consents, accounts, lots, firstTransactions, sold, firstEvents] = await runBatch(db, [
    rows<{ id: number | null }>(sql`SELECT ${person} AS "id"`),
    bound(db.select().from(customers).where(inArray(customers.id, records)).orderBy(asc(customers.id)).prepare()),
    bound(db.select().from(identifiers).where(inArray(identifiers.customerId, records)).orderBy(asc(identifiers.id)).prepare()),
    bound(db.select().from(consentHistory).where(inArray(consentHistory.customerId, records)).orderBy(asc(consentHistory.id)).prepare()),
    bound(db.select().from(ledgerAccounts).where(inArray(ledgerAccounts.customerId, records)).orderBy(asc(ledgerAccounts.id)).prepare()),
    bound(
      db
        .select()
        .from(ledgerLots)
        .where(inArray(ledgerLots.accountId, db.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(inArray(ledgerAccounts.customerId, records))))
        .orderBy(asc(ledgerLots.id))
        .prepare(),
    ),
    transactionPage(db, tenantId, person, 0),
    bound(db.select().from(sales).where(inArray(sales.customerId, records)).orderBy(asc(sales.id)).prepare()),
    eventPage(db, tenantId, person, 0),
    auditStatement(by, { action: "customer.exported", tenantId, target: sql`'customer:' || ${person}`, summary: {} }, sql`${person} IS NOT NULL`),
  ]);
  const id = found[0]?.id;
  if (id === null || id === undefined) throw new NotFound("customer");
  const transactions = await readOn(db, firstTransactions, (after) => transactionPage(db, tenantId, sql`${id}`, after));
  const personEvents = await readOn(db, firstEvents, (after) => eventPage(db, tenantId, sql`${id}`, after));
  return {
    customerId: id,
    records: [...recordRows.filter((r) => r.id === id), ...recordRows.filter((r) => r.id !== id)],
    identifiers: ids,
    consentHistory: consents,
    accounts,
    lots,
    transactions,
    sales: sold,
    events: personEvents,
  };
}

/** The customer columns an erasure clears: everything but the registry's own bookkeeping. */
const clearedColumns = (Object.keys(getTableColumns(customers)) as (keyof Customer)[]).filter(
  (key) => !["id", "tenantId", "active", "mergedIntoId", "channel", "erasedAt", "createdAt", "updatedAt", "loyaltyData"].includes(key),
);

export interface ErasureResult {
  customerId: number;
  /** When the person was first erased (a repeated erasure keeps the first time). */
  erasedAt: number;
  /** False when the person had been erased already and nothing was left to remove. */
  erasedNow: boolean;
}

/**
 * Erases the person `customerId` names in the tenant (see the top of this file), in one
 * batch with its audit entry. Idempotent: erasing again changes nothing and answers the
 * first erasure's time. The lobby's card memos of the person's cards are forgotten
 * before the batch (so a failure leaves nothing half-done) and again after it (a tap in
 * between may have remembered a card again). not_found when the tenant has no such customer.
 */
export async function erasePersonalData(db: Db, locks: LockOpener, tenantId: number, customerId: number, by: AuditActor): Promise<ErasureResult> {
  const person = personOf(tenantId, customerId);
  const records = recordsOf(tenantId, person);
  const i = identifiers;
  const held = sql`(${i.status} = 'active' OR ${i.exclusive} IS NOT NULL OR ${i.value} <> 'erased:' || ${i.id})`;
  const [found, cards, left] = await runBatch(db, [
    rows<{ id: number | null; erasedAt: number | null; records: number }>(
      sql`SELECT ${person} AS "id", (SELECT ${customers.erasedAt} FROM ${customers} WHERE ${customers.id} = ${person}) AS "erasedAt",
        (SELECT count(*) FROM ${customers} WHERE ${customers.id} IN ${records}) AS "records"`,
    ),
    rows<{ value: string }>(sql`SELECT ${i.value} AS "value" FROM ${i} WHERE ${i.customerId} IN ${records} AND ${i.kind} = 'rfid_card' AND ${held}`),
    rows<{ kind: string; n: number }>(
      sql`SELECT ${i.kind} AS "kind", count(*) AS "n" FROM ${i} WHERE ${i.customerId} IN ${records} AND ${held} GROUP BY ${i.kind}`,
    ),
  ]);
  const id = found[0]?.id;
  if (id === null || id === undefined) throw new NotFound("customer");
  const forgetCards = () => Promise.all(cards.map(({ value }) => locks(rfidLockName(tenantId, value)).forget()));
  await forgetCards();

  const now = Date.now();
  const c = customers;
  const ofPerson = recordsOf(tenantId, sql`${id}`);
  await runBatch(db, [
    // Let go first, with the values still in place: a shared document passes to its next holder by trigger.
    rows<never>(sql`UPDATE ${i} SET ${col(i.status)} = CASE WHEN ${i.status} = 'active' THEN 'cancelled' ELSE ${i.status} END,
        ${col(i.statusChangedAt)} = ${now}, ${col(i.exclusive)} = NULL
      WHERE ${i.customerId} IN ${ofPerson} AND (${i.status} = 'active' OR ${i.exclusive} IS NOT NULL)`),
    rows<never>(sql`UPDATE ${i} SET ${col(i.value)} = 'erased:' || ${i.id}, ${col(i.qualifier)} = NULL
      WHERE ${i.customerId} IN ${ofPerson} AND ${i.value} <> 'erased:' || ${i.id}`),
    rows<never>(sql`UPDATE ${c} SET ${sql.join(
      clearedColumns.map((key) => sql`${col(c[key])} = NULL`),
      sql`, `,
    )}, ${col(c.loyaltyData)} = CASE WHEN ${referredSql(c.loyaltyData)} THEN json_object('referredBy', 'erased') END,
        ${col(c.active)} = 0, ${col(c.erasedAt)} = ${now}, ${col(c.updatedAt)} = ${now}
      WHERE ${c.id} IN ${ofPerson} AND ${c.erasedAt} IS NULL`),
    rows<never>(sql`DELETE FROM ${consentHistory} WHERE ${consentHistory.customerId} IN ${ofPerson}`),
    rows<never>(sql`UPDATE ${events} SET ${col(events.data)} = json_object('customer', json_object('id', ${events.customerId}, 'identifiers', json('[]')), 'redacted', json('true'))
      WHERE ${events.tenantId} = ${tenantId} AND ${events.customerId} IN ${ofPerson}
        AND ${events.type} <> 'customer.erased' AND json_extract(${events.data}, '$.redacted') IS NULL`),
    // After the redaction, which it must survive.
    customerErased(tenantId, id, now),
    auditStatement(by, {
      action: "customer.erased",
      tenantId,
      target: `customer:${id}`,
      summary: {
        records: found[0]!.records,
        repeated: found[0]!.erasedAt !== null,
        ...Object.fromEntries(left.map(({ kind, n }) => [kind, n])),
      },
    }),
  ]);
  await forgetCards().catch((err: unknown) =>
    console.error(JSON.stringify({ level: "warn", msg: "card memo not forgotten after erasure", error: String(err) })),
  );
  const erasedBefore = found[0]!.erasedAt;
  return { customerId: id, erasedAt: erasedBefore ?? now, erasedNow: erasedBefore === null };
}
