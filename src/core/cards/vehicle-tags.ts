import { and, eq, inArray, notExists, or, type SQL, sql } from "drizzle-orm";
import { rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { isUniqueViolation, uniqueViolated } from "../../db/errors";
import { customers, identifiers } from "../../db/schema";
import { col } from "../../db/sql";
import { IdentifierConflict, IdentifierMismatch, NotFound, RuleViolation, TagActive } from "../errors";
import { customerCreated, tagsChanged } from "../events/payloads";
import { insertCustomerStatement, lastCustomerId, storedCustomerId } from "../registry/customers";
import { cardText, endIdentifiers, holderOf, insertedColumns, linkIdentifier } from "../registry/identifiers";
import { acquire, type LockOpener, release, tagLockName } from "./locks";

/**
 * Customers keyed by a parking operator's `refId` (identifier kind `parking_ref`, never
 * reused in the tenant) and their vehicle tags (stickers: identifiers of kind
 * `vehicle_tag`, value = tag code, qualifier = the vehicle's plate).
 *
 * Rules:
 * - Tag codes and plates are normalised (trimmed, upper-cased) before they are stored or
 *   compared, so " o202020 " and "O202020" are one tag.
 * - A tag code is active on at most one customer of the tenant; binding it elsewhere is a
 *   conflict. A cancelled tag may be bound again (a new row; the old one stays cancelled).
 * - A customer that is not `unlimited` holds at most one active tag.
 * - A request is all-or-nothing: if one of its tags is refused, none is written.
 *
 * Binding is serialised per tag through the CardLock Durable Object, with the unique
 * index on identifiers as the last guard. No memo is stored in the lock: tags can be
 * cancelled and bound again.
 */

/** A tag as the caller sends it. */
export interface VehicleTagInput {
  code: string;
  plate: string;
}

/** Which customer a request is about: its `refId`, optionally confirmed by its id (an absorbed id names its survivor). */
export interface ParkingCustomerRef {
  refId: string;
  id?: number;
}

/** What happened to one tag of a request, in request order: `done` false means nothing was written for it. */
export interface TagOutcome {
  tag: string;
  done: boolean;
}

const activeTag = (customer: SQL | typeof customers.id) =>
  and(eq(identifiers.customerId, customer), eq(identifiers.kind, "vehicle_tag"), sql`${identifiers.status} = 'active'`);

/**
 * Creates a customer with its `refId` and binds its tags, in one batch. A `refId` already
 * used in the tenant, or a tag active on another customer, is a conflict and nothing is
 * written. A repeated code in the same request is reported `done: false`.
 */
export async function createTaggedCustomer(
  db: Db,
  locks: LockOpener,
  tenantId: number,
  input: { email: string; phone: string; name?: string | null; lastName?: string | null; unlimited: boolean; refId: string; tags: VehicleTagInput[] },
): Promise<{ customerId: number; tags: TagOutcome[] }> {
  const tags = normaliseTags(input.tags);
  const fresh = tags.filter((t) => t.first);
  if (!input.unlimited && fresh.length > 1) throw new RuleViolation("one_tag_only", { limit: 1 });
  return withTagLocks(
    locks,
    tenantId,
    fresh.map((t) => t.code),
    async () => {
      const now = Date.now();
      const profile = { email: input.email, phone: input.phone, name: input.name ?? null, lastName: input.lastName ?? null, parkingUnlimited: input.unlimited };
      try {
        const [[created]] = await runBatch(db, [
          insertCustomerStatement(db, tenantId, "parking", profile, now),
          rows<never>(linkIdentifier(tenantId, lastCustomerId, { kind: "parking_ref", value: input.refId }, now)),
          ...fresh.map((t) => rows<never>(bindTag(tenantId, lastCustomerId, t, now))),
          customerCreated(tenantId, lastCustomerId, now),
          ...(fresh.length > 0
            ? [
                tagsChanged(
                  tenantId,
                  "tag.added",
                  lastCustomerId,
                  fresh.map((t) => t.code),
                  now,
                ),
              ]
            : []),
        ]);
        return { customerId: created!.id, tags: tags.map((t) => ({ tag: t.code, done: t.first })) };
      } catch (err) {
        if (!uniqueViolated(err, "identifiers")) throw err;
        const [holder] = await runBatch(db, [rows<{ id: number | null }>(sql`SELECT ${holderOf(tenantId, "parking_ref", input.refId)} AS "id"`)]);
        if (holder[0]?.id != null) throw new IdentifierConflict("parking_ref", { value: input.refId, holderId: holder[0].id });
        throw await tagInUse(
          db,
          tenantId,
          fresh.map((t) => t.code),
          err,
        );
      }
    },
  );
}

/** The active customer `ref` names (its refId, confirmed by its id when given), with whether it is unlimited. */
function customerStatement(tenantId: number, ref: ParkingCustomerRef): Statement<{ id: number; unlimited: number | null; confirmed: number }[]> {
  const confirmed = ref.id === undefined ? sql`1` : sql`${customers.id} IS ${storedCustomerId(tenantId, ref.id)}`;
  return rows(sql`SELECT ${customers.id} AS "id", ${customers.parkingUnlimited} AS "unlimited", ${confirmed} AS "confirmed"
    FROM ${customers} WHERE ${customers.id} = ${holderOf(tenantId, "parking_ref", ref.refId)} AND ${customers.active} = 1`);
}

/** SQL naming the customer `ref` names, only when its id (if given) agrees: statements guarded by it do nothing otherwise. */
function confirmedCustomer(tenantId: number, ref: ParkingCustomerRef): SQL {
  const holder = holderOf(tenantId, "parking_ref", ref.refId);
  return sql`(SELECT ${customers.id} FROM ${customers} WHERE ${customers.id} = ${holder} AND ${customers.active} = 1
    ${ref.id === undefined ? sql`` : sql`AND ${customers.id} IS ${storedCustomerId(tenantId, ref.id)}`})`;
}

/** not_found for an unknown (or another tenant's) `refId`; a mismatch when the given id is not that customer's. */
function assertCustomer<C extends { id: number; confirmed: number }>(customer: C | undefined, ref: ParkingCustomerRef): C {
  if (!customer) throw new NotFound("customer");
  if (customer.confirmed !== 1) throw new IdentifierMismatch("parking_ref", { value: ref.refId, customerId: ref.id });
  return customer;
}

/** The customer's active tags, oldest first; not_found for an unknown (or another tenant's) `refId`. */
export async function listVehicleTags(db: Db, tenantId: number, ref: ParkingCustomerRef): Promise<Array<{ id: number; code: string; plate: string }>> {
  const [[customer], tags] = await runBatch(db, [
    customerStatement(tenantId, ref),
    rows<{
      id: number;
      code: string;
      plate: string | null;
    }>(sql`SELECT ${identifiers.id} AS "id", ${identifiers.value} AS "code", ${identifiers.qualifier} AS "plate"
      FROM ${identifiers} WHERE ${activeTag(confirmedCustomer(tenantId, ref))} ORDER BY ${identifiers.id}`),
  ]);
  assertCustomer(customer, ref);
  return tags.map((t) => ({ id: t.id, code: t.code, plate: t.plate ?? "" }));
}

/**
 * Binds tags to an existing customer. A code already active on this customer is
 * `done: false` (nothing changes, its plate included); a code active on another customer,
 * or a second active tag for a customer that is not unlimited, is a conflict and nothing
 * is written.
 */
export async function bindVehicleTags(
  db: Db,
  locks: LockOpener,
  tenantId: number,
  ref: ParkingCustomerRef,
  input: VehicleTagInput[],
): Promise<{ customerId: number; tags: TagOutcome[] }> {
  const tags = normaliseTags(input);
  const codes = tags.filter((t) => t.first).map((t) => t.code);
  return withTagLocks(locks, tenantId, codes, async () => {
    const [[customer], heldByCode, anyOwnActive] = await runBatch(db, [
      customerStatement(tenantId, ref),
      rows<{ customerId: number; code: string }>(sql`SELECT ${identifiers.customerId} AS "customerId", ${identifiers.value} AS "code" FROM ${identifiers}
        WHERE ${and(eq(identifiers.tenantId, tenantId), eq(identifiers.kind, "vehicle_tag"), inArray(identifiers.value, codes), eq(identifiers.exclusive, 1))}`),
      // Whether the customer holds any active tag at all (the one-sticker rule); one row at most, however many it holds.
      rows<{ id: number }>(sql`SELECT ${identifiers.id} AS "id" FROM ${identifiers} WHERE ${activeTag(confirmedCustomer(tenantId, ref))} LIMIT 1`),
    ]);
    const owner = assertCustomer(customer, ref);
    const heldElsewhere = heldByCode.find((h) => h.customerId !== owner.id);
    if (heldElsewhere) throw new TagActive(heldElsewhere.customerId);
    const own = new Set(heldByCode.map((h) => h.code));
    const fresh = tags.filter((t) => t.first && !own.has(t.code));
    if (!owner.unlimited && fresh.length > 0 && (anyOwnActive.length > 0 || fresh.length > 1)) throw new TagActive(owner.id);

    if (fresh.length > 0) {
      const now = Date.now();
      const binds = fresh.map((t) => rows<{ id: number }>(sql`${bindTag(tenantId, sql`${owner.id}`, t, now)} RETURNING ${col(identifiers.id)}`));
      const event = tagsChanged(
        tenantId,
        "tag.added",
        owner.id,
        fresh.map((t) => t.code),
        now,
      );
      let inserted: { id: number }[][];
      try {
        inserted = (await runBatch(db, [...binds, event])).slice(0, binds.length) as { id: number }[][];
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        throw await tagInUse(db, tenantId, codes, err);
      }
      // The insert is conditional on the customer holding no active tag unless unlimited:
      // a concurrent request that bound another code to the same customer wins.
      if (inserted.some((r) => r.length === 0)) throw new TagActive(owner.id);
    }
    return { customerId: owner.id, tags: tags.map((t) => ({ tag: t.code, done: t.first && !own.has(t.code) })) };
  });
}

/**
 * Cancels tags of a customer. A tag is cancelled (`done: true`) only when it is active on
 * this customer with the same code and plate; anything else (unknown, already cancelled,
 * another plate, another customer's) is `done: false` and left alone. No lock is needed:
 * a cancel only ever frees a code.
 */
export async function cancelVehicleTags(
  db: Db,
  tenantId: number,
  ref: ParkingCustomerRef,
  input: VehicleTagInput[],
): Promise<{ customerId: number; tags: TagOutcome[] }> {
  const tags = normaliseTags(input);
  const now = Date.now();
  const owner = confirmedCustomer(tenantId, ref);
  const [[customer], ...cancelled] = await runBatch(db, [
    customerStatement(tenantId, ref),
    ...tags.map((t) =>
      rows<{ id: number }>(
        sql`${endIdentifiers(owner, "vehicle_tag", "cancelled", now, and(eq(identifiers.value, t.code), eq(identifiers.qualifier, t.plate)))} RETURNING ${col(identifiers.id)}`,
      ),
    ),
    tagsChanged(
      tenantId,
      "tag.cancelled",
      owner,
      tags.map((t) => t.code),
      now,
    ),
  ]);
  // The updates matched nothing when the customer is unknown or the id disagrees, so throwing here writes nothing.
  const found = assertCustomer(customer, ref);
  return { customerId: found.id, tags: tags.map((t, i) => ({ tag: t.code, done: cancelled[i]!.length > 0 })) };
}

/** Normalised tags in request order; `first` is false for a code repeated earlier in the request. */
function normaliseTags(input: VehicleTagInput[]) {
  const seen = new Set<string>();
  return input.map((tag) => {
    const code = cardText(tag.code);
    const first = !seen.has(code);
    seen.add(code);
    return { code, plate: cardText(tag.plate), first };
  });
}

/**
 * Runs `work` holding the locks of `codes`, taken one after another in sorted order (two
 * requests over overlapping codes can never wait on each other in a cycle). Released in
 * any case.
 */
async function withTagLocks<T>(locks: LockOpener, tenantId: number, codes: string[], work: () => Promise<T>): Promise<T> {
  const held: Array<{ lock: ReturnType<LockOpener>; token: string }> = [];
  try {
    for (const code of [...codes].sort()) {
      const lock = locks(tagLockName(tenantId, code));
      const grant = await acquire<never>(lock, "tag");
      // No memo is ever stored for a tag, so every grant carries a token.
      if (grant.token) held.push({ lock, token: grant.token });
    }
    return await work();
  } finally {
    await Promise.all(held.map(({ lock, token }) => release(lock, token)));
  }
}

/**
 * Inserts one active tag for `customer`, only if that customer is active and either
 * unlimited or holding no active tag: the one-sticker rule holds even against a
 * concurrent bind of another code to the same customer.
 */
function bindTag(tenantId: number, customer: SQL, tag: { code: string; plate: string }, now: number): SQL {
  const holdsActiveTag = sql`(SELECT 1 FROM ${identifiers} WHERE ${activeTag(customers.id)})`;
  return sql`INSERT INTO ${identifiers} (${insertedColumns})
    SELECT ${customers.tenantId}, ${customers.id}, 'vehicle_tag', ${tag.code}, ${tag.plate}, 'active', 1, ${now}, ${now}
    FROM ${customers}
    WHERE ${and(eq(customers.id, customer), eq(customers.tenantId, tenantId), sql`${customers.active} = 1`, or(eq(customers.parkingUnlimited, true), notExists(holdsActiveTag)))}`;
}

/** After a unique-index refusal: the conflict naming the customer that now holds one of `codes`. */
async function tagInUse(db: Db, tenantId: number, codes: string[], cause: unknown): Promise<unknown> {
  const [holder] = await runBatch(db, [
    rows<{ customerId: number }>(sql`SELECT ${identifiers.customerId} AS "customerId" FROM ${identifiers}
      WHERE ${and(eq(identifiers.tenantId, tenantId), eq(identifiers.kind, "vehicle_tag"), inArray(identifiers.value, codes), eq(identifiers.exclusive, 1))} LIMIT 1`),
  ]);
  return holder[0] ? new TagActive(holder[0].customerId) : cause;
}
