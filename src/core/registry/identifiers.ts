import { and, type Column, eq, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { rendered, reusable, type Statement } from "../../db/batch";
import { customers, type IdentifierKind, identifiers } from "../../db/schema";
import { type CustomerRef, customerTemplate } from "./refs";

export { type IdentifierKind, type IdentifierStatus, identifierKinds, identifierStatuses } from "../../db/schema";

import { col, columns, qualified } from "../../db/sql";

/**
 * What each kind of identifier may hold, in one table: adding a kind of key is adding a
 * row here (and its name to `identifierKinds` in the schema).
 *
 * - `holders`: `one` customer holds a value at a time (a second claim is a conflict), or
 *   the value is `shared` by several customers (a company's tax number across its
 *   service sites), the oldest active holder being its primary one: what a look-up by
 *   that value answers.
 * - `onDeactivation`: what a soft-deleted customer's keys become: `kept` (still claimed by
 *   it, so never reused: a surface answers "inactive" or "already exists"), `retired`
 *   (cancelled but still claimed: an RFID UID is never reused) or `released` (cancelled
 *   and free for another customer).
 * - `normalise`: how values are stored and compared.
 */
export const identifierRules = {
  document: { holders: "shared", onDeactivation: "released", normalise: trimmed },
  vlt_code: { holders: "one", onDeactivation: "kept", normalise: trimmed },
  client_code: { holders: "one", onDeactivation: "released", normalise: trimmed },
  parking_ref: { holders: "one", onDeactivation: "kept", normalise: exact },
  loyalty_id: { holders: "one", onDeactivation: "kept", normalise: trimmed },
  rfid_card: { holders: "one", onDeactivation: "retired", normalise: cardText },
  vehicle_tag: { holders: "one", onDeactivation: "released", normalise: cardText },
} as const satisfies Record<
  IdentifierKind,
  { holders: "one" | "shared"; onDeactivation: "kept" | "retired" | "released"; normalise: (value: string) => string }
>;

function exact(value: string): string {
  return value;
}

function trimmed(value: string): string {
  return value.trim();
}

/** Card UIDs, tag codes and plates: readers differ in hex case, operators in how they type plates. */
export function cardText(value: string): string {
  return value.trim().toUpperCase();
}

/** The stored form of a value of `kind`. */
export function normalise(kind: IdentifierKind, value: string | number): string {
  return identifierRules[kind].normalise(String(value));
}

const kindsWhere = (test: (rule: (typeof identifierRules)[IdentifierKind]) => boolean) =>
  (Object.keys(identifierRules) as IdentifierKind[]).filter((kind) => test(identifierRules[kind]));

/** Kinds a soft delete cancels (retired or released) and, of those, the ones it frees. */
const cancelledOnDeactivation = kindsWhere((r) => r.onDeactivation !== "kept");
const freedOnDeactivation = kindsWhere((r) => r.onDeactivation === "released");

/**
 * SQL naming the customer that holds `value` of `kind` in the tenant (its primary holder
 * for a shared kind), or NULL. `LIMIT 1`: SQLite does not know the nullable `exclusive`
 * makes the match unique, and would read the next index entry to find out (D1 bills it).
 */
export function holderOf(tenantId: number | SQLWrapper, kind: IdentifierKind, value: string | SQLWrapper): SQL {
  return sql`(SELECT ${identifiers.customerId} FROM ${identifiers}
    WHERE ${identifiers.tenantId} = ${tenantId} AND ${identifiers.kind} = ${kind} AND ${identifiers.value} = ${value} AND ${identifiers.exclusive} = 1 LIMIT 1)`;
}

export interface NewIdentifier {
  kind: IdentifierKind;
  /** Normalised (see `normalise`). */
  value: string;
  qualifier?: string | null;
  /** For a shared kind: "required" claims the value as its primary holder (a batch whose value has one fails); else it joins as a holder. */
  primary?: "required";
}

/** True when linking `identifier` claims its value exclusively (a unique kind, or a shared one linked as required primary). */
export function claimsExclusively(identifier: NewIdentifier): boolean {
  return identifierRules[identifier.kind].holders === "one" || identifier.primary === "required";
}

/** The columns an identifier's INSERT … SELECT fills, in this order. */
export const insertedColumns = columns(
  identifiers.tenantId,
  identifiers.customerId,
  identifiers.kind,
  identifiers.value,
  identifiers.qualifier,
  identifiers.status,
  identifiers.exclusive,
  identifiers.createdAt,
  identifiers.statusChangedAt,
);

/** An identifier as `linkSql` writes it: its values (or the placeholders naming them) and whether it claims its value exclusively. */
interface LinkedValue {
  kind: IdentifierKind;
  value: string | SQLWrapper;
  qualifier: string | null | SQLWrapper;
  exclusive: boolean;
}

/** The INSERT of `linkIdentifiers`, its values given or as placeholders (`linkIdentifiersStatement`). */
function linkSql(tenantId: number | SQLWrapper, customer: number | SQL, list: readonly LinkedValue[], now: number | SQLWrapper, where?: SQL): SQL {
  const owner = sql.identifier("owner");
  const keys = sql.identifier("keys");
  const field = (name: string) => sql`${keys}.${sql.identifier(name)}`;
  const exclusive = (identifier: LinkedValue) =>
    identifier.exclusive ? sql`1` : sql`CASE WHEN ${holderOf(tenantId, identifier.kind, identifier.value)} IS NULL THEN 1 END`;
  const values = sql.join(
    list.map(
      (identifier) =>
        sql`SELECT ${identifier.kind} AS ${sql.identifier("kind")}, ${identifier.value} AS ${sql.identifier("value")},
          ${identifier.qualifier} AS ${sql.identifier("qualifier")}, ${exclusive(identifier)} AS ${sql.identifier("exclusive")}`,
    ),
    sql` UNION ALL `,
  );
  return sql`INSERT INTO ${identifiers} (${insertedColumns})
    SELECT ${tenantId}, ${owner}.${sql.identifier("id")}, ${field("kind")}, ${field("value")}, ${field("qualifier")}, 'active', ${field("exclusive")}, ${now}, ${now}
    FROM (SELECT ${customer} AS ${sql.identifier("id")}) AS ${owner}, (${values}) AS ${keys}
    WHERE ${and(sql`${owner}.${sql.identifier("id")} IS NOT NULL`, where)}`;
}

/**
 * The statement that gives `customer` (an id, or SQL naming it within the batch; nothing
 * is written when it is NULL) active identifiers, in one INSERT (the customer is named
 * once, however many keys). A value claimed exclusively (see `claimsExclusively`) that
 * another customer holds fails the batch on the unique index (the caller re-reads and
 * decides). A shared value is otherwise added as a further holder, the primary one when
 * it has none.
 */
export function linkIdentifiers(tenantId: number, customer: number | SQL, list: readonly NewIdentifier[], now: number, options: { where?: SQL } = {}): SQL {
  const linked = list.map((identifier) => ({ ...identifier, qualifier: identifier.qualifier ?? null, exclusive: claimsExclusively(identifier) }));
  return linkSql(tenantId, customer, linked, now, options.where);
}

const link = reusable(
  ({ customer, list }: { customer: ReturnType<typeof customerTemplate>; list: readonly NewIdentifier[] }) =>
    customer.key === null ? null : `${customer.key}|${list.map((k) => `${k.kind}:${claimsExclusively(k)}`).join()}`,
  ({ customer, list }) =>
    linkSql(
      sql.placeholder("tenantId"),
      customer.sql,
      list.map((k, n) => ({ kind: k.kind, value: sql.placeholder(`value${n}`), qualifier: sql.placeholder(`qualifier${n}`), exclusive: claimsExclusively(k) })),
      sql.placeholder("now"),
    ),
);

/** `linkIdentifiers` as a batch statement, its SQL rendered once per kinds linked (db/batch.ts `reusable`). */
export function linkIdentifiersStatement(tenantId: number, customer: CustomerRef, list: readonly NewIdentifier[], now: number): Statement<never[]> {
  const ref = customerTemplate(customer);
  const values: Record<string, unknown> = { ...ref.values, tenantId, now };
  list.forEach((k, n) => {
    values[`value${n}`] = k.value;
    values[`qualifier${n}`] = k.qualifier ?? null;
  });
  return rendered(link({ customer: ref, list }, values));
}

/** `linkIdentifiers` of one identifier. */
export function linkIdentifier(tenantId: number, customer: number | SQL, identifier: NewIdentifier, now: number, options: { where?: SQL } = {}): SQL {
  return linkIdentifiers(tenantId, customer, [identifier], now, options);
}

/**
 * The statement that ends a customer's active identifiers of `kind` (those `where` also
 * selects), giving the value up when the kind frees it and keeping it claimed otherwise
 * (a replaced RFID card is never reused).
 */
export function endIdentifiers(customer: number | SQL, kind: IdentifierKind, status: "replaced" | "cancelled", now: number, where?: SQL): SQL {
  const frees = identifierRules[kind].onDeactivation === "released";
  return sql`UPDATE ${identifiers} SET ${col(identifiers.status)} = ${status}, ${col(identifiers.statusChangedAt)} = ${now}
      ${frees ? sql`, ${col(identifiers.exclusive)} = NULL` : sql``}
    WHERE ${and(eq(identifiers.customerId, customer), eq(identifiers.kind, kind), sql`${identifiers.status} = 'active'`, where)}`;
}

/** The statement that sets the qualifier (a document's type, a tag's plate) of the customer's active `value` of `kind`. */
export function setQualifier(customer: number | SQL, kind: IdentifierKind, value: string, qualifier: string | null): SQL {
  return sql`UPDATE ${identifiers} SET ${col(identifiers.qualifier)} = ${qualifier}
    WHERE ${and(eq(identifiers.customerId, customer), eq(identifiers.kind, kind), eq(identifiers.value, value), sql`${identifiers.status} = 'active'`)}`;
}

/**
 * The statement a soft delete of `customer` runs right after deactivating it: its
 * active identifiers of kinds that do not stay `kept` are cancelled, and the `released`
 * ones given up (a shared value passes to its next holder by trigger). Guarded on the
 * customer being inactive by then, so a delete that its own guard refused releases
 * nothing.
 */
export function deactivationStatement(customer: number | SQL, now: number | SQLWrapper): SQL {
  const freed = sql.join(
    freedOnDeactivation.map((k) => sql`${k}`),
    sql`, `,
  );
  return sql`UPDATE ${identifiers} SET ${col(identifiers.status)} = 'cancelled', ${col(identifiers.statusChangedAt)} = ${now},
      ${col(identifiers.exclusive)} = CASE WHEN ${identifiers.kind} IN (${freed}) THEN NULL ELSE ${identifiers.exclusive} END
    WHERE ${and(
      eq(identifiers.customerId, customer),
      sql`${identifiers.status} = 'active'`,
      inArray(identifiers.kind, cancelledOnDeactivation),
      sql`EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.id} = ${identifiers.customerId} AND ${customers.active} = 0)`,
    )}`;
}

/**
 * The customer's active identifiers of the kinds given, as one JSON array of
 * `[kind, value, qualifier]` (oldest first per kind). One range of the customer's active
 * rows: the `+` keeps SQLite from probing the index once per kind, which reads more rows.
 */
export function activeIdentifiersJson(customerId: Column, kinds: readonly IdentifierKind[]): SQL<string> {
  const list = sql.join(
    kinds.map((kind) => sql`${kind}`),
    sql`, `,
  );
  return sql<string>`(SELECT json_group_array(json_array(${identifiers.kind}, ${identifiers.value}, ${identifiers.qualifier}))
    FROM ${identifiers} WHERE ${identifiers.customerId} = ${qualified(customerId)} AND ${identifiers.status} = 'active' AND +${identifiers.kind} IN (${list}))`;
}
