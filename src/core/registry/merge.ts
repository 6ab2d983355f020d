import { type SQL, sql } from "drizzle-orm";
import { rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { customers, identifiers, ledgerAccounts, ledgerLots, ledgerTransactions, sales } from "../../db/schema";
import { col } from "../../db/sql";
import { type AuditActor, auditStatement } from "../audit";
import { type LockOpener, rfidLockName } from "../cards/locks";
import { NotFound, RuleViolation } from "../errors";
import { customerMerged, tierChangedByMerge } from "../events/payloads";
import { type CustomerRecord, getCustomer, recordStatement } from "./customers";
import { profileColumns } from "./profile";

/**
 * Merging a duplicate into its survivor: one customer left where two surfaces (or two
 * registrations) made two. In one batch, the absorbed customer's identifiers, cards,
 * tags, sales and ledger accounts (balances summed, lots and their expirations kept, its
 * transactions renumbered into the survivor's history by time) move to the survivor; the
 * survivor's empty profile fields take the absorbed one's values; the absorbed customer
 * goes inactive with `merged_into_id`, so every id partners stored for it keeps answering
 * as the survivor (and customers merged into it earlier now point at the survivor too).
 * Report counters are per day and store, not per customer, so they stay as they are.
 *
 * Both keep their active cards (a player may carry either; the next registered card
 * replaces them all). A document both hold stays once: the absorbed one's row when it was
 * the document's primary holder, else the survivor's.
 */

/** A name and its surnames move as one: a survivor with a name keeps its surnames too (even none), so a name is never doubled. */
const nameParts: readonly string[] = ["name", "lastName", "paternalSurname", "maternalSurname"];

export async function mergeCustomers(
  db: Db,
  locks: LockOpener,
  tenantId: number,
  survivorId: number,
  absorbedId: number,
  by: AuditActor,
): Promise<CustomerRecord> {
  if (survivorId === absorbedId) throw new RuleViolation("self_merge");
  const [pair, absorbedCards] = await runBatch(db, [
    rows<{
      id: number;
      active: number;
      mergedIntoId: number | null;
    }>(sql`SELECT ${customers.id} AS "id", ${customers.active} AS "active", ${customers.mergedIntoId} AS "mergedIntoId"
      FROM ${customers} WHERE ${customers.tenantId} = ${tenantId} AND ${customers.id} IN (${survivorId}, ${absorbedId})`),
    rows<{ value: string }>(sql`SELECT ${identifiers.value} AS "value" FROM ${identifiers}
      WHERE ${identifiers.customerId} = ${absorbedId} AND ${identifiers.tenantId} = ${tenantId} AND ${identifiers.kind} = 'rfid_card'`),
  ]);
  const survivor = pair.find((c) => c.id === survivorId);
  const absorbed = pair.find((c) => c.id === absorbedId);
  if (!survivor?.active) throw new NotFound("customer");
  const audit = (when?: SQL) =>
    auditStatement(by, { action: "customer.merged", tenantId, target: `customer:${survivorId}`, summary: { from: absorbedId, repeated: !when } }, when);
  // A retried merge answers as the first one did (and is recorded as asked again).
  if (absorbed?.mergedIntoId === survivorId) {
    const [[record]] = await runBatch(db, [recordStatement(db, tenantId, survivorId), audit()]);
    if (!record) throw new NotFound("customer");
    return record;
  }
  if (!absorbed?.active) throw new NotFound("customer");

  const now = Date.now();
  const S = survivorId;
  const A = absorbedId;
  const c = customers;
  const i = identifiers;
  const a = ledgerAccounts;
  const t = ledgerTransactions;
  const other = sql.identifier("other");
  // Every statement after the first acts only if the first one merged A into S now.
  const merged = sql`EXISTS (SELECT 1 FROM ${c} WHERE ${c.id} = ${A} AND ${c.mergedIntoId} = ${S} AND ${c.updatedAt} = ${now})`;
  const sameValue = (owner: number, exclusive: boolean) => sql`EXISTS (SELECT 1 FROM ${i} AS ${other}
    WHERE ${other}.${col(i.customerId)} = ${owner} AND ${other}.${col(i.kind)} = ${i.kind} AND ${other}.${col(i.value)} = ${i.value}
      AND ${other}.${col(i.status)} = 'active' ${exclusive ? sql`AND ${other}.${col(i.exclusive)} = 1` : sql``})`;
  const absorbedAccounts = sql`(SELECT ${a.id} FROM ${a} WHERE ${a.customerId} = ${A})`;
  const survivorAccountFor = (accountId: { name: string }) =>
    sql`(SELECT ${other}.${col(a.id)} FROM ${a} AS ${other} WHERE ${other}.${col(a.customerId)} = ${S}
      AND ${other}.${col(a.unit)} = (SELECT ${a.unit} FROM ${a} WHERE ${a.id} = ${col(accountId)}))`;
  const src = sql.identifier("src");
  const renumbered = sql.identifier("renumbered");

  const [done] = await runBatch(db, [
    rows<{ id: number }>(sql`UPDATE ${c} SET ${col(c.active)} = 0, ${col(c.mergedIntoId)} = ${S}, ${col(c.updatedAt)} = ${now}
      WHERE ${c.id} = ${A} AND ${c.tenantId} = ${tenantId} AND ${c.active} = 1
        AND EXISTS (SELECT 1 FROM ${c} AS ${other} WHERE ${other}.${col(c.id)} = ${S} AND ${other}.${col(c.tenantId)} = ${tenantId} AND ${other}.${col(c.active)} = 1)
      RETURNING ${col(c.id)}`),
    rows(sql`UPDATE ${c} SET ${col(c.mergedIntoId)} = ${S} WHERE ${c.mergedIntoId} = ${A} AND ${c.tenantId} = ${tenantId} AND ${merged}`),
    rows(sql`UPDATE ${c} SET ${sql.join(
      profileColumns.map((key) =>
        nameParts.includes(key)
          ? sql`${col(c[key])} = CASE WHEN ${c.name} IS NULL THEN ${src}.${col(c[key])} ELSE ${c[key]} END`
          : sql`${col(c[key])} = coalesce(${c[key]}, ${src}.${col(c[key])})`,
      ),
      sql`, `,
    )}, ${col(c.updatedAt)} = ${now}
      FROM (SELECT * FROM ${c} WHERE ${c.id} = ${A}) AS ${src} WHERE ${c.id} = ${S} AND ${merged}`),
    // One row per shared value both hold: the survivor's gives way to the absorbed one's primary row, else the absorbed one's goes.
    rows(sql`UPDATE ${i} SET ${col(i.status)} = 'cancelled', ${col(i.statusChangedAt)} = ${now}
      WHERE ${i.customerId} = ${S} AND ${i.status} = 'active' AND ${i.exclusive} IS NULL AND ${sameValue(A, true)} AND ${merged}`),
    rows(sql`UPDATE ${i} SET ${col(i.status)} = 'cancelled', ${col(i.statusChangedAt)} = ${now}
      WHERE ${i.customerId} = ${A} AND ${i.status} = 'active' AND ${i.exclusive} IS NULL AND ${sameValue(S, false)} AND ${merged}`),
    rows(sql`UPDATE ${i} SET ${col(i.customerId)} = ${S} WHERE ${i.customerId} = ${A} AND ${merged}`),
    rows(sql`UPDATE ${sales} SET ${col(sales.customerId)} = ${S} WHERE ${sales.customerId} = ${A} AND ${sales.tenantId} = ${tenantId} AND ${merged}`),
    // Before the accounts move: the tier the survivor had and the one the summed points reach.
    tierChangedByMerge(tenantId, S, A, merged, now),
    // Accounts of units the survivor lacks move whole; the others are summed into the survivor's, lots and entries following.
    rows(sql`UPDATE ${a} SET ${col(a.customerId)} = ${S}, ${col(a.updatedAt)} = ${now}
      WHERE ${a.customerId} = ${A} AND ${a.unit} NOT IN (SELECT ${other}.${col(a.unit)} FROM ${a} AS ${other} WHERE ${other}.${col(a.customerId)} = ${S}) AND ${merged}`),
    rows(sql`UPDATE ${a} SET ${col(a.balance)} = ${a.balance} + ${src}.${col(a.balance)}, ${col(a.earned)} = ${a.earned} + ${src}.${col(a.earned)}, ${col(a.updatedAt)} = ${now}
      FROM (SELECT ${a.unit} AS ${col(a.unit)}, ${a.balance} AS ${col(a.balance)}, ${a.earned} AS ${col(a.earned)} FROM ${a} WHERE ${a.customerId} = ${A}) AS ${src}
      WHERE ${a.customerId} = ${S} AND ${a.unit} = ${src}.${col(a.unit)} AND ${merged}`),
    rows(sql`UPDATE ${ledgerLots} SET ${col(ledgerLots.accountId)} = ${survivorAccountFor(ledgerLots.accountId)}
      WHERE ${ledgerLots.accountId} IN ${absorbedAccounts} AND ${merged}`),
    rows(sql`UPDATE ${t} SET ${col(t.accountId)} = ${survivorAccountFor(t.accountId)} WHERE ${t.accountId} IN ${absorbedAccounts} AND ${merged}`),
    rows(sql`DELETE FROM ${a} WHERE ${a.customerId} = ${A} AND ${merged}`),
    // One history, by time: numbered through negatives so the (customer, number) index never sees two rows alike.
    rows(sql`UPDATE ${t} SET ${col(t.customerId)} = ${S}, ${col(t.customerSeq)} = -${renumbered}.${sql.identifier("seq")}
      FROM (SELECT ${t.id} AS ${sql.identifier("id")}, row_number() OVER (ORDER BY ${t.createdAt}, ${t.id}) AS ${sql.identifier("seq")}
        FROM ${t} WHERE ${t.customerId} IN (${S}, ${A})) AS ${renumbered}
      WHERE ${t.id} = ${renumbered}.${sql.identifier("id")} AND ${merged}`),
    rows(sql`UPDATE ${t} SET ${col(t.customerSeq)} = -${t.customerSeq} WHERE ${t.customerId} = ${S} AND ${t.customerSeq} < 0 AND ${merged}`),
    customerMerged(tenantId, S, A, merged, now),
    audit(merged),
  ]);
  if (done.length === 0) throw new NotFound("customer");

  // A repeated tap of a moved card is answered from its lock's memo: make it name the survivor.
  await Promise.all(
    absorbedCards.map(({ value }) =>
      locks(rfidLockName(tenantId, value))
        .remember({ customerId: S })
        .catch((err: unknown) => console.error(JSON.stringify({ level: "warn", msg: "card memo not rewritten after merge", error: String(err) }))),
    ),
  );
  return getCustomer(db, tenantId, S);
}
