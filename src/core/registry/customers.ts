import { and, asc, eq, getTableColumns, gt, type SQL, sql } from "drizzle-orm";
import { bound, prepared, preparedPer, rendered, reusable, reusableList, rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { uniqueViolated } from "../../db/errors";
import { type Channel, type Customer, customers, type IdentifierKind, identifiers, tenants } from "../../db/schema";
import { col } from "../../db/sql";
import { IdentifierConflict, NotFound } from "../errors";
import { customerCreated, customerDeleted, customerUpdated } from "../events/payloads";

export type { Customer } from "../../db/schema";

import {
  activeIdentifiersJson,
  claimsExclusively,
  deactivationStatement,
  endIdentifiers,
  linkIdentifier,
  linkIdentifiersStatement,
  type NewIdentifier,
  setQualifier,
} from "./identifiers";
import { givenFields, type Profile, type ProfileField, type ProfileKind, profileKinds, storedValues } from "./profile";
import { type CustomerRef, customerTemplate, type DeactivationTarget, isLiveCustomer, lastCustomerId, liveCustomerId, storedCustomerId } from "./refs";

export { type Profile, profileKinds } from "./profile";
export { isLiveCustomer, lastCustomerId, liveCustomerId, storedCustomerId } from "./refs";

/**
 * The tenant's customer registry, shared by every surface: a customer's profile and the
 * keys it is known by. The tenant's counters (`active_customers`, `documented_customers`)
 * follow every write by trigger (migration 0008), so lists never count the table and no
 * write path has to remember them.
 */

/** A customer's active keys by kind, oldest first: `value` and what qualifies it (a document's type). */
export type Identity = Record<ProfileKind, { value: string; qualifier: string | null }[]>;

/** A customer as the registry knows it: its profile and its active keys. */
export type CustomerRecord = Customer & { identity: Identity };

/**
 * A customer's name as one string, for the surfaces with a single name field ("full name
 * or company name"): the given name and the surnames kept apart by other surfaces (kiosk,
 * parking), e.g. "Brandon Mamani Ayala".
 */
export function fullName(customer: { name: string | null; lastName: string | null }): string | null {
  return [customer.name, customer.lastName].filter(Boolean).join(" ") || null;
}

/** The profile of a whole name written through a single name field: it replaces the surnames kept apart. */
export function wholeName(name: string | null): Profile {
  return { name, lastName: null, paternalSurname: null, maternalSurname: null };
}

export function identityFrom(json: string | null): Identity {
  const identity: Identity = { document: [], vlt_code: [], client_code: [], parking_ref: [], loyalty_id: [] };
  for (const [kind, value, qualifier] of JSON.parse(json ?? "[]") as [ProfileKind, string, string | null][]) identity[kind]?.push({ value, qualifier });
  return identity;
}

/** The first (oldest) active value of a kind, or null. */
export function firstValue(identity: Identity, kind: ProfileKind): string | null {
  return identity[kind][0]?.value ?? null;
}

/** The customer's document: its oldest active one, with its type. */
export function documentOf(identity: Identity): { number: string; type: string | null } | null {
  const doc = identity.document[0];
  return doc ? { number: doc.value, type: doc.qualifier } : null;
}

/** Every column of a customer plus its identity (JSON), for selects. */
export const recordColumns = { ...getTableColumns(customers), identity: activeIdentifiersJson(customers.id, profileKinds) };

/** A row selected with `recordColumns`. */
export type RecordRow = Customer & { identity: string | null };
export const toRecord = ({ identity, ...customer }: RecordRow): CustomerRecord => ({ ...customer, identity: identityFrom(identity) });

const recordById = prepared((db) =>
  db
    .select(recordColumns)
    .from(customers)
    .where(isLiveCustomer(sql.placeholder("tenantId"), sql.placeholder("id")))
    .prepare(),
);

/** The record of the active customer `id` names (following merges), as a batch statement (empty when none). */
export function recordStatement(db: Db, tenantId: number, id: number | SQL): Statement<CustomerRecord[]> {
  const statement =
    typeof id === "number"
      ? bound(recordById(db), { tenantId, id })
      : bound(db.select(recordColumns).from(customers).where(isLiveCustomer(tenantId, id)).prepare());
  return { query: statement.query, read: (result) => (statement.read(result) as RecordRow[]).map(toRecord) };
}

/** The active customer `id` names in the tenant (following merges); not_found otherwise (another tenant's too). */
export async function getCustomer(db: Db, tenantId: number, id: number): Promise<CustomerRecord> {
  const [[record]] = await runBatch(db, [recordStatement(db, tenantId, id)]);
  if (!record) throw new NotFound("customer");
  return record;
}

const pageQuery = prepared((db) => {
  // The index is entered with the tenant's id only if its counter exceeds the offset (an
  // uncorrelated subquery SQLite evaluates once, as the seek key; NULL matches nothing),
  // so a page past the end reads no customer row at all.
  const tenantWithRowsPastOffset = db
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.id, sql.placeholder("tenantId")), gt(tenants.activeCustomers, sql.placeholder("offset"))));
  return db
    .select(recordColumns)
    .from(customers)
    .where(and(eq(customers.tenantId, tenantWithRowsPastOffset), eq(customers.active, true)))
    .orderBy(asc(customers.id))
    .limit(sql.placeholder("limit"))
    .offset(sql.placeholder("offset"))
    .prepare();
});
const activeCount = prepared((db) =>
  db
    .select({ total: tenants.activeCustomers })
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder("tenantId")))
    .prepare(),
);

/**
 * One page of the tenant's active customers in id order, and how many there are, in one
 * round trip. The count is the tenant's counter, so page 0 reads O(size) rows however
 * large the registry; page n walks the (tenant_id, active, id) index past the n × size
 * rows before it (OFFSET), which D1 bills as rows read.
 */
export async function pageCustomers(
  db: Db,
  tenantId: number,
  page: { offset: number; limit: number },
): Promise<{ customers: CustomerRecord[]; total: number }> {
  const [[count], page_] = await runBatch(db, [bound(activeCount(db), { tenantId }), bound(pageQuery(db), { tenantId, ...page })]);
  return { customers: (page_ as RecordRow[]).map(toRecord), total: count?.total ?? 0 };
}

/**
 * The insert of a customer setting `fields`, built once per isolate for each set of
 * fields, its values placeholders. A null field is left out like an absent one: the row
 * stores NULL for both (no profile column has a default).
 */
const customerInsert = preparedPer(
  (fields: readonly ProfileField[]) => fields.join(),
  (db, fields) =>
    db
      .insert(customers)
      .values({
        ...Object.fromEntries(fields.map((key) => [key, sql.placeholder(key)])),
        tenantId: sql.placeholder("tenantId"),
        channel: sql.placeholder("channel"),
        createdAt: sql.placeholder("now"),
        updatedAt: sql.placeholder("now"),
      })
      .returning()
      .prepare(),
);

/** The insert of an active customer, returning its row; identifiers that follow in the batch name it as `lastCustomerId`. */
export function insertCustomerStatement(db: Db, tenantId: number, channel: Channel, profile: Profile, now: number): Statement<Customer[]> {
  const fields = givenFields(profile).filter((key) => profile[key] !== null);
  return bound(customerInsert(db, fields), { ...profile, tenantId, channel, now });
}

/**
 * Creates an active customer with its identifiers in one batch. A key another customer
 * already holds exclusively refuses the whole batch: `IdentifierConflict` when only one
 * of the keys could have caused it, the D1 error otherwise (the caller re-reads).
 */
export async function createCustomer(
  db: Db,
  tenantId: number,
  input: { channel: Channel; profile: Profile; identifiers: NewIdentifier[] },
): Promise<CustomerRecord> {
  const now = Date.now();
  try {
    const [[customer]] = await runBatch(db, [
      insertCustomerStatement(db, tenantId, input.channel, input.profile, now),
      ...(input.identifiers.length > 0 ? [linkIdentifiersStatement(tenantId, lastCustomerId, input.identifiers, now)] : []),
      customerCreated(tenantId, lastCustomerId, now),
    ]);
    return { ...customer!, identity: identityOf(input.identifiers) };
  } catch (err) {
    throw asConflict(err, input.identifiers);
  }
}

/** The identity a write gave a new customer. */
function identityOf(list: NewIdentifier[]): Identity {
  const identity = identityFrom(null);
  for (const { kind, value, qualifier } of list) if (kind in identity) identity[kind as ProfileKind].push({ value, qualifier: qualifier ?? null });
  return identity;
}

/** A unique-index refusal becomes `IdentifierConflict` when exactly one of `list` claims its value exclusively. */
function asConflict(err: unknown, list: readonly NewIdentifier[]): unknown {
  if (!uniqueViolated(err, "identifiers")) return err;
  const exclusive = list.filter(claimsExclusively);
  return exclusive.length === 1 ? new IdentifierConflict(exclusive[0]!.kind) : err;
}

/** A key a write sets: the customer's active value of `kind` becomes `value` (its others of that kind end). */
export interface KeyChange {
  kind: IdentifierKind;
  value: string;
  /** Set when given (a document's type); left alone when undefined. */
  qualifier?: string | null;
}

/**
 * Statements that make `value` the customer's one active key of its kind: its other
 * active values of the kind are cancelled (and given up), the value is linked unless
 * the customer already holds it, and its qualifier is set when given.
 */
function keyChangeStatements(tenantId: number, customer: number | SQL, change: KeyChange, now: number): SQL[] {
  const holdsIt = sql`EXISTS (SELECT 1 FROM ${identifiers} WHERE ${identifiers.customerId} = ${customer} AND ${identifiers.kind} = ${change.kind}
    AND ${identifiers.value} = ${change.value} AND ${identifiers.status} = 'active')`;
  const statements = [
    endIdentifiers(customer, change.kind, "cancelled", now, sql`${identifiers.value} <> ${change.value}`),
    linkIdentifier(tenantId, customer, change, now, { where: sql`NOT ${holdsIt}` }),
  ];
  if (change.qualifier !== undefined) statements.push(setQualifier(customer, change.kind, change.value, change.qualifier));
  return statements;
}

/**
 * Changes an active customer's profile fields (undefined leaves a field alone; null
 * clears it) and keys, in one batch that ends by reading the record back. not_found when
 * `id` names no active customer of the tenant; `IdentifierConflict` when a key is held
 * by another customer.
 */
export async function updateCustomer(db: Db, tenantId: number, id: number, profile: Profile, keys: KeyChange[] = []): Promise<CustomerRecord> {
  const now = Date.now();
  const customer = liveCustomerId(tenantId, id);
  try {
    // The event compares the stored profile with the new one, so it goes between the key changes and the profile's update.
    const results = await runBatch(db, [
      ...keys.flatMap((change) => keyChangeStatements(tenantId, customer, change, now).map((s) => rows<never>(s))),
      customerUpdated(
        tenantId,
        { live: id },
        profile,
        keys.map((k) => k.kind),
        now,
      ),
      profileUpdateStatement(tenantId, { live: id }, profile, now),
      recordStatement(db, tenantId, id),
    ]);
    const [record] = results[results.length - 1] as CustomerRecord[];
    if (!record) throw new NotFound("customer");
    return record;
  } catch (err) {
    throw asConflict(err, keys);
  }
}

const profileUpdate = reusable(
  ({ customer, fields }: { customer: ReturnType<typeof customerTemplate>; fields: readonly ProfileField[] }) =>
    customer.key === null ? null : `${customer.key}|${fields.join()}`,
  ({ customer, fields }) => {
    const columnsOf = getTableColumns(customers);
    const set = [...fields.map((key) => sql`${col(columnsOf[key])} = ${sql.placeholder(key)}`), sql`${col(customers.updatedAt)} = ${sql.placeholder("now")}`];
    return sql`UPDATE ${customers} SET ${sql.join(set, sql`, `)} WHERE ${customers.id} = ${customer.sql}`;
  },
);

/** The update of the profile fields `profile` sets (undefined ones are left alone) and of `updated_at`, its SQL rendered once per set of fields. */
function profileUpdateStatement(tenantId: number, customer: CustomerRef, profile: Profile, now: number): Statement<never[]> {
  const ref = customerTemplate(customer);
  return rendered(profileUpdate({ customer: ref, fields: givenFields(profile) }, { ...ref.values, ...storedValues(profile), tenantId, now }));
}

/** `SET col = value, …` of the defined entries of `values` (customers' column names). */
export function updateSet(values: Profile & { updatedAt: number }): SQL {
  const columnsOf = getTableColumns(customers);
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return sql.join(
    entries.map(([key, value]) => {
      const column = columnsOf[key as keyof typeof columnsOf];
      return sql`${col(column)} = ${value === null ? null : column.mapToDriverValue(value)}`;
    }),
    sql`, `,
  );
}

/**
 * The statements of a soft delete of the customer `target` names in the tenant, if
 * active and its guard holds (e.g. "has no sales"): its `customer.deleted` event (first,
 * so that it still sees the customer's keys), then the customer goes inactive (triggers
 * move the tenant's counters) and gives up the keys its kinds release. The second returns
 * the deleted id (none when nothing was deleted). Rendered once per `target.key`; `values`
 * fill the target's own placeholders.
 */
export function deactivationStatements(
  target: DeactivationTarget,
  tenantId: number,
  now: number,
  values: Record<string, unknown>,
): [Statement<never[]>, Statement<{ id: number }[]>, Statement<never[]>] {
  const [update, release] = deactivation(target, { ...values, tenantId, now });
  return [customerDeleted(target, tenantId, now, values), rendered<{ id: number }>(update!), rendered<never>(release!)];
}

const deactivation = reusableList(
  (target: DeactivationTarget) => target.key,
  (target) => {
    const now = sql.placeholder("now");
    const customer = target.customer();
    return [
      sql`UPDATE ${customers} SET ${col(customers.active)} = 0, ${col(customers.updatedAt)} = ${now}
        WHERE ${customers.id} = ${customer} AND ${customers.active} = 1 ${target.guard ? sql`AND ${target.guard()}` : sql``} RETURNING ${col(customers.id)}`,
      deactivationStatement(customer, now),
    ];
  },
);

/** The customer a stored id names (following merges): `deactivateCustomer`'s target. */
const byStoredId: DeactivationTarget = { key: "stored id", customer: () => storedCustomerId(sql.placeholder("tenantId"), sql.placeholder("id")) };

/** Soft-deletes the active customer `id` names (following merges); not_found when there is none (another tenant's too). */
export async function deactivateCustomer(db: Db, tenantId: number, id: number): Promise<void> {
  const [, deleted] = await runBatch(db, deactivationStatements(byStoredId, tenantId, Date.now(), { id }));
  if (deleted.length === 0) throw new NotFound("customer");
}
