import { type Column, getTableColumns, type SQL, sql } from "drizzle-orm";
import { type Statement, shapeOf, type TemplateRef, templateRef } from "../../db/batch";
import {
  customers,
  type IdentifierKind,
  identifierStatuses,
  identifiers,
  ledgerAccounts,
  ledgerGroups,
  ledgerLots,
  ledgerStores,
  ledgerTransactions,
  sales,
} from "../../db/schema";
import { tiersOf } from "../ledger/catalogue";
import { holderOf } from "../registry/identifiers";
import { givenFields, type Profile, type ProfileField, profileColumns, profileKinds, storedValues } from "../registry/profile";
import { type CustomerRef, customerTemplate, type DeactivationTarget } from "../registry/refs";
import { appendEvent, reusableEvent } from "./outbox";

/**
 * The event catalogue's payloads, as SQL that builds each event's `data` from the rows a
 * write has just written, and the statements that append them (see outbox.ts). Each
 * builder says where in its batch it goes: most read the state after the write, so they
 * go last; the few that must compare with the state before (an update's changed fields, a
 * delete's keys) go before the statement they describe, under the same conditions.
 *
 * What events carry: the customer's id and active keys (documents, VLT codes, client
 * codes, parking refIds, loyalty externalIds) and what changed. Never a secret, and never
 * an RFID card's UID: no partner API returns one, so a card is its id and last four
 * characters. Vehicle tag codes and plates are in clear, as the parking surface lists them.
 * Ledger amounts are integers in hundredths (as the ledger stores them), a sale's amount
 * as the sales surface stores `monto`, times ISO 8601 UTC.
 */

const c = customers;
const i = identifiers;
const t = ledgerTransactions;
const a = ledgerAccounts;
const g = ledgerGroups;

/**
 * A constant of the schema (a column or kind name) as an SQL string literal rather than a
 * bound value: D1 binds at most 100 values per statement, and a customer's JSON names
 * every profile column.
 */
const literal = (name: string) => sql.raw(`'${name.replaceAll("'", "''")}'`);

/** Epoch milliseconds as ISO 8601 UTC (`2026-08-14T15:04:05.123Z`). */
const iso = (ms: SQL | Column) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;

const kindList = sql.join(profileKinds.map(literal), sql`, `);

/**
 * The customer's active keys (`[{kind, value, qualifier}]`, by kind, oldest first), read
 * as `keyRow`, so that `customer` may name a column of the outer row even when that row
 * is an identifier. One index probe per kind: a fleet customer's hundreds of vehicle tags
 * are never read.
 */
const keyRow = sql.identifier("key_row");
const keyColumn = (column: Column) => sql`${keyRow}.${sql.identifier(column.name)}`;
function keysJson(customer: SQL | Column | number): SQL {
  return sql`json((SELECT json_group_array(json_object('kind', ${keyColumn(i.kind)}, 'value', ${keyColumn(i.value)}, 'qualifier', ${keyColumn(i.qualifier)}))
    FROM ${i} AS ${keyRow} WHERE ${keyColumn(i.customerId)} = ${customer} AND ${keyColumn(i.kind)} IN (${kindList})
      AND ${keyColumn(i.status)} = 'active'))`;
}

/** `{id, identifiers}`: how events other than `customer.*` name their customer. */
function customerRef(customer: SQL | Column | number): SQL {
  return sql`json_object('id', ${customer}, 'identifiers', ${keysJson(customer)})`;
}

/** A customers column as event JSON: booleans as true/false, times (`*_at`, epoch ms) as ISO 8601, stored JSON as JSON. */
function columnJson(column: Column, value: SQL | Column = column): SQL {
  if (column.dataType === "boolean") return sql`CASE ${value} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END`;
  if (column.name.endsWith("_at")) return sql`CASE WHEN ${value} IS NOT NULL THEN ${iso(value)} END`;
  if (column === c.loyaltyData) return sql`json(${value})`;
  return sql`${value}`;
}

const profileColumnOf = (key: ProfileField) => getTableColumns(customers)[key] as Column;

/** A profile field's value as a reusable statement names it: the placeholder of its name (filled from `storedValues`). */
const pendingValue = (key: ProfileField) => sql`${sql.placeholder(key)}`;

/**
 * The whole customer, over a row of `customers`: registry fields, every profile field
 * (snake_case, as the schema names it) and its keys. `pending` are profile fields a
 * statement after this one is about to write (their `pendingValue`s show instead of the
 * stored ones); `active` and `updatedAt`, likewise, what a deactivation after it will set.
 */
function customerJson(options: { pending?: readonly ProfileField[]; active?: boolean; updatedAt?: SQL } = {}): SQL {
  const pending = new Set(options.pending);
  const fields = profileColumns.map((key) => {
    const column = profileColumnOf(key);
    return sql`${literal(column.name)}, ${columnJson(column, pending.has(key) ? pendingValue(key) : column)}`;
  });
  const active = options.active === undefined ? columnJson(c.active) : sql`json(${options.active ? "true" : "false"})`;
  return sql`json_object('id', ${c.id}, 'channel', ${c.channel}, 'active', ${active}, ${sql.join(fields, sql`, `)},
    'identifiers', ${keysJson(c.id)}, 'created_at', ${iso(c.createdAt)},
    'updated_at', ${iso(options.updatedAt ?? c.updatedAt)})`;
}

/** The customer row `customer` names in the tenant. */
const customerRow = (tenantId: number | SQL, customer: SQL | number) => sql`${c.id} = ${customer} AND ${c.tenantId} = ${tenantId}`;

/** A reusable event's shape that names a customer: its reference (as `customerTemplate` gives it) and what else shapes the statement. */
type CustomerShape<T = object> = T & { customer: ReturnType<typeof customerTemplate> };

const created = reusableEvent(
  ({ customer }: CustomerShape) => customer.key,
  ({ customer }, at) => ({
    type: "customer.created",
    data: sql`json_object('customer', ${customerJson()})`,
    from: sql`${c}`,
    where: customerRow(at.tenantId, customer.sql),
  }),
);

/** `customer.created` `{customer}`; goes after the statements that create the customer and link its keys. */
export function customerCreated(tenantId: number, customer: CustomerRef, now: number): Statement<never[]> {
  const ref = customerTemplate(customer);
  return created({ customer: ref }, tenantId, now, ref.values);
}

const updated = reusableEvent(
  ({ customer, fields, keyKinds }: CustomerShape<{ fields: readonly ProfileField[]; keyKinds: readonly IdentifierKind[] }>) =>
    customer.key === null ? null : `${customer.key}|${fields.join()}|${keyKinds.join()}`,
  ({ customer, fields, keyKinds }, at) => {
    const keysChanged =
      keyKinds.length === 0
        ? sql`0`
        : sql`EXISTS (SELECT 1 FROM ${i} WHERE ${i.customerId} = ${c.id} AND ${i.status} IN (${sql.join(identifierStatuses.map(literal), sql`, `)})
          AND ${i.kind} IN (${sql.join(keyKinds.map(literal), sql`, `)}) AND ${i.statusChangedAt} = ${at.now})`;
    // `,"phone","identifiers"`: concatenated rather than aggregated, because D1 counts a json_each() row as a row read.
    const checks = fields.map((key) => {
      const column = profileColumnOf(key);
      return sql`CASE WHEN ${column} IS NOT ${pendingValue(key)} THEN ${literal(`,"${column.name}"`)} ELSE '' END`;
    });
    checks.push(sql`CASE WHEN ${keysChanged} THEN ',"identifiers"' ELSE '' END`);
    const changed = sql`(${sql.join(checks, sql` || `)})`;
    return {
      type: "customer.updated",
      data: sql`json_object('customer', ${customerJson({ pending: fields, updatedAt: at.now })}, 'changed', json('[' || substr(${changed}, 2) || ']'))`,
      from: sql`${c}`,
      where: sql`${customerRow(at.tenantId, customer.sql)} AND ${c.active} = 1 AND ${changed} <> ''`,
    };
  },
);

/**
 * `customer.updated` `{customer, changed}`: `changed` names the profile fields whose value
 * `profile` changes and "identifiers" when the batch linked or ended one of the customer's
 * keys of `keyKinds` (the kinds it writes); nothing is appended when nothing changes. Goes
 * after the batch's key statements and before the statement that writes `profile` (it
 * compares the stored values with it).
 */
export function customerUpdated(
  tenantId: number,
  customer: CustomerRef,
  profile: Profile,
  keyKinds: readonly IdentifierKind[],
  now: number,
): Statement<never[]> {
  const ref = customerTemplate(customer);
  return updated({ customer: ref, fields: givenFields(profile), keyKinds }, tenantId, now, { ...ref.values, ...storedValues(profile) });
}

/**
 * `customer.deleted` `{customer}` (inactive, with the keys it held): goes before the
 * deactivation, under the same `guard`, so that it still sees the keys the deactivation
 * gives up.
 */
export function customerDeleted(target: DeactivationTarget, tenantId: number, now: number, values: Record<string, unknown>): Statement<never[]> {
  return deleted(target, tenantId, now, values);
}

const deleted = reusableEvent(
  (target: DeactivationTarget) => target.key,
  (target, at) => ({
    type: "customer.deleted",
    data: sql`json_object('customer', ${customerJson({ active: false, updatedAt: at.now })})`,
    from: sql`${c}`,
    where: sql`${customerRow(at.tenantId, target.customer())} AND ${c.active} = 1 ${target.guard ? sql`AND ${target.guard()}` : sql``}`,
  }),
);

/** `customer.merged` `{customer, merged: {id}}` (the survivor as it is now); goes last in the merge, under its `merged` condition. */
export function customerMerged(tenantId: number, survivorId: number, absorbedId: number, merged: SQL, now: number): Statement<never[]> {
  return appendEvent({
    tenantId,
    type: "customer.merged",
    data: sql`json_object('customer', ${customerJson()}, 'merged', json_object('id', ${absorbedId}))`,
    from: sql`${c}`,
    where: sql`${customerRow(tenantId, survivorId)} AND ${merged}`,
    now,
  });
}

/**
 * `customer.erased` `{customer: {id, identifiers: []}, erased_at}`: goes after an
 * erasure's statements, once per person (the first erasure marks the survivor `erased_at`).
 */
export function customerErased(tenantId: number, customerId: number, now: number): Statement<never[]> {
  return appendEvent({
    tenantId,
    type: "customer.erased",
    data: sql`json_object('customer', json_object('id', ${c.id}, 'identifiers', json('[]')), 'erased_at', ${iso(c.erasedAt)})`,
    from: sql`${c}`,
    where: sql`${customerRow(tenantId, customerId)} AND ${c.erasedAt} = ${now}`,
    now,
  });
}

/** An RFID card as events show it: its id and last four characters. */
const cardJson = (id: SQL | Column, uid: SQL | Column) => sql`json_object('id', ${id}, 'last4', substr(${uid}, -4))`;

const cardBoundEvent = reusableEvent(
  ({ customer }: CustomerShape) => customer.key,
  ({ customer }, at) => {
    const r = sql.identifier("replaced_card");
    const replaced = sql`FROM ${i} AS ${r} WHERE ${r}.${sql.identifier(i.customerId.name)} = ${i.customerId} AND ${r}.${sql.identifier(i.kind.name)} = 'rfid_card'
      AND ${r}.${sql.identifier(i.status.name)} = 'replaced' AND ${r}.${sql.identifier(i.statusChangedAt.name)} = ${at.now}`;
    const card = cardJson(i.id, i.value);
    const boundData = sql`json_object('customer', ${customerRef(i.customerId)}, 'card', ${card})`;
    const replacing = sql`json_object('customer', ${customerRef(i.customerId)}, 'card', ${card},
      'replaced', json((SELECT json_group_array(${cardJson(sql`${r}.${sql.identifier(i.id.name)}`, sql`${r}.${sql.identifier(i.value.name)}`)}) ${replaced})))`;
    const replacedAny = sql`EXISTS (SELECT 1 ${replaced})`;
    return {
      type: sql`CASE WHEN ${replacedAny} THEN 'card.replaced' ELSE 'card.bound' END`,
      data: sql`CASE WHEN ${replacedAny} THEN ${replacing} ELSE ${boundData} END`,
      from: sql`${i}`,
      // `+`: found by its value (one index entry), not among all the customer's keys.
      where: sql`${i.tenantId} = ${at.tenantId} AND ${i.kind} = 'rfid_card' AND ${i.value} = ${sql.placeholder("uid")} AND +${i.customerId} = ${customer.sql}
        AND ${i.createdAt} = ${at.now}`,
    };
  },
);

/**
 * `card.bound` `{customer, card}`, or `card.replaced` `{customer, card, replaced}` when the
 * batch replaced the customer's active cards with it; goes after the card is linked.
 */
export function cardBound(tenantId: number, customer: CustomerRef, uid: string, now: number): Statement<never[]> {
  const ref = customerTemplate(customer);
  return cardBoundEvent({ customer: ref }, tenantId, now, { ...ref.values, uid });
}

/**
 * One `tag.added` or `tag.cancelled` `{customer, tag: {id, code, plate}}` per tag of
 * `codes` the batch bound (or cancelled) for the customer; goes after those statements.
 */
export function tagsChanged(tenantId: number, type: "tag.added" | "tag.cancelled", customer: SQL | number, codes: readonly string[], now: number) {
  const changedNow =
    type === "tag.added" ? sql`${i.status} = 'active' AND ${i.createdAt} = ${now}` : sql`${i.status} = 'cancelled' AND ${i.statusChangedAt} = ${now}`;
  const codeList = sql.join(
    codes.map((code) => sql`${code}`),
    sql`, `,
  );
  return appendEvent({
    tenantId,
    type,
    data: sql`json_object('customer', ${customerRef(i.customerId)}, 'tag', json_object('id', ${i.id}, 'code', ${i.value}, 'plate', ${i.qualifier}))`,
    from: sql`${i}`,
    // `+`: found by their codes (an index entry each), not among all the customer's tags.
    where: sql`${i.tenantId} = ${tenantId} AND ${i.kind} = 'vehicle_tag' AND ${i.value} IN (${codeList}) AND +${i.customerId} = ${customer} AND ${changedNow}`,
    orderBy: sql`${i.id}`,
    now,
  });
}

/** What a ledger posting did, as `ledger.posted` names it. */
export type LedgerOperation = "credit" | "debit" | "reverse" | "transfer";

/** A transaction row as events show it, with its account's balance at this point of the batch. */
const transactionJson = (operation: LedgerOperation) =>
  sql`json_object('id', ${t.id}, 'operation', ${operation}, 'direction', ${t.direction}, 'type', ${t.type}, 'category', ${t.category}, 'code', ${t.code},
    'unit', ${t.unit}, 'amount', ${t.amount}, 'balance_after', (SELECT ${a.balance} FROM ${a} WHERE ${a.id} = ${t.accountId}),
    'store', (SELECT ${ledgerStores.externalId} FROM ${ledgerStores} WHERE ${ledgerStores.id} = ${t.storeId}),
    'reverses', ${t.reversesId}, 'counterpart', ${t.counterpartId}, 'created_at', ${iso(t.createdAt)})`;

/** The transaction the batch inserted last (rows are never deleted, so the newest has the highest id). */
const lastTransaction = sql`${t.id} = (SELECT max(${t.id}) FROM ${t})`;

/**
 * `ledger.posted` `{customer, transaction}` of the transaction the batch inserted last,
 * with unit, amount and the account's balance after it; goes right after that entry's
 * statements (before the next entry's insert).
 */
export function ledgerPosted(tenantId: number, operation: LedgerOperation, now: number): Statement<never[]> {
  return posted(operation, tenantId, now);
}

const posted = reusableEvent(
  (operation: LedgerOperation) => operation,
  (operation, at) => ({
    type: "ledger.posted",
    data: sql`json_object('customer', ${customerRef(t.customerId)}, 'transaction', ${transactionJson(operation)})`,
    from: sql`${t}`,
    where: sql`${lastTransaction} AND ${t.tenantId} = ${at.tenantId}`,
  }),
);

/**
 * `lot.expired` `{customer, lot, amount, unit, transaction, balance_after}`: the lot as it
 * is after the expiration debit just inserted took `amount` from it; goes after that
 * debit's statements.
 */
export function lotExpired(tenantId: number, lotId: number, amount: number, now: number): Statement<never[]> {
  const l = ledgerLots;
  const lot = sql`json_object('id', ${l.id}, 'set_name', ${l.setName}, 'amount', ${l.amount}, 'remaining', ${l.remaining}, 'expired', ${l.expired},
    'expires_at', ${iso(l.expiresAt)})`;
  return appendEvent({
    tenantId,
    type: "lot.expired",
    data: sql`json_object('customer', ${customerRef(sql`(SELECT ${a.customerId} FROM ${a} WHERE ${a.id} = ${l.accountId})`)}, 'lot', ${lot},
      'amount', ${amount}, 'unit', 'POINTS', 'transaction', json_object('id', (SELECT max(${t.id}) FROM ${t})),
      'balance_after', (SELECT ${a.balance} FROM ${a} WHERE ${a.id} = ${l.accountId}))`,
    from: sql`${l}`,
    where: sql`${l.id} = ${lotId} AND ${l.tenantId} = ${tenantId}`,
    now,
  });
}

/** The tenant's tier that `earned` lifetime POINTS reach (`{id, name, rank}`), or null. */
function tierJson(tenantId: number | SQL, earned: SQL): SQL {
  return sql`json((SELECT json_object('id', ${g.id}, 'name', ${g.name}, 'rank', ${g.rank}) FROM ${g}
    WHERE ${tiersOf(tenantId)} AND ${g.minEarned} <= ${earned} ORDER BY ${g.rank} DESC LIMIT 1))`;
}

/**
 * `tier.changed` `{customer, from, to, earned}` when the customer's lifetime POINTS earned
 * move from `before` to `after` across a tier boundary. `from`/`where` give the row both
 * are read over.
 */
function tierChanged(spec: { tenantId: number; customer: SQL | Column; before: SQL; after: SQL; from?: SQL; where?: SQL; now: number }) {
  return appendEvent({ ...tierChangedSpec(spec), tenantId: spec.tenantId, now: spec.now });
}

/** `tierChanged`'s event, its tenant a number or (in a `reusableEvent`) a placeholder. */
function tierChangedSpec(spec: { tenantId: number | SQL; customer: SQL | Column; before: SQL; after: SQL; from?: SQL; where?: SQL }) {
  const from = tierJson(spec.tenantId, spec.before);
  const to = tierJson(spec.tenantId, spec.after);
  return {
    type: "tier.changed" as const,
    data: sql`json_object('customer', ${customerRef(spec.customer)}, 'from', ${from}, 'to', ${to}, 'earned', ${spec.after})`,
    from: spec.from,
    where: sql`${from} IS NOT ${to} ${spec.where ? sql`AND ${spec.where}` : sql``}`,
  };
}

/**
 * `tier.changed` of a posting that moved the POINTS account `account`'s `earned` by
 * `delta` (SQL valid at this point of the batch); goes after the account's update.
 */
export function tierChangedByPosting(tenantId: number, account: number | SQL, delta: SQL, now: number): Statement<never[]> {
  const shape = { account: templateRef("account", account), delta: templateRef("delta", delta) };
  return tierChangedOfPosting(shape, tenantId, now, shape.account.values);
}

/** `tierChangedByPosting`'s statement, rendered once per account reference and `delta` (db/batch.ts `templateRef`). */
const tierChangedOfPosting = reusableEvent(
  ({ account, delta }: { account: TemplateRef; delta: TemplateRef }) => shapeOf([account, delta]),
  ({ account, delta }, at) =>
    tierChangedSpec({
      tenantId: at.tenantId,
      customer: a.customerId,
      before: sql`${a.earned} - ${delta.sql}`,
      after: sql`${a.earned}`,
      from: sql`${a}`,
      where: sql`${a.id} = ${account.sql} AND ${a.unit} = 'POINTS'`,
    }),
);

/**
 * `tier.changed` of a merge, whose survivor's POINTS earned become the sum of both
 * customers'; goes before the merge's account statements, under its `merged` condition.
 */
export function tierChangedByMerge(tenantId: number, survivorId: number, absorbedId: number, merged: SQL, now: number): Statement<never[]> {
  const earned = (customerId: number) => sql`coalesce((SELECT ${a.earned} FROM ${a} WHERE ${a.customerId} = ${customerId} AND ${a.unit} = 'POINTS'), 0)`;
  return tierChanged({
    tenantId,
    customer: sql`${survivorId}`,
    before: earned(survivorId),
    after: sql`${earned(survivorId)} + ${earned(absorbedId)}`,
    where: merged,
    now,
  });
}

/**
 * `sale.recorded` `{customer, sale}` of the sale the batch inserted last for the holder of
 * `documentNumber` (normalised); goes after the insert, which it mirrors.
 */
export function saleRecorded(tenantId: number, documentNumber: string, now: number): Statement<never[]> {
  return recorded(undefined, tenantId, now, { documentNumber });
}

const recorded = reusableEvent(
  () => "sale",
  (_, at) => {
    const s = sales;
    return {
      type: "sale.recorded",
      data: sql`json_object('customer', ${customerRef(s.customerId)}, 'sale', json_object('id', ${s.id}, 'kind', ${s.kind}, 'apartment', ${s.apartment},
        'amount', ${s.amount}, 'date', ${s.date}))`,
      from: sql`${s}`,
      where: sql`${s.id} = (SELECT max(${s.id}) FROM ${s}) AND ${s.tenantId} = ${at.tenantId}
        AND ${s.customerId} = ${holderOf(at.tenantId, "document", sql.placeholder("documentNumber"))} AND ${s.createdAt} = ${at.now}`,
    };
  },
);
