import { and, asc, eq, inArray, notExists, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { cards, customers } from "../db/schema";
import type { CardLock } from "../durable/card-lock";
import { isUniqueViolation } from "../db/errors";
import { insertCustomer } from "./customers";
import { conflict, DomainError, invalid, notFound } from "./errors";
import { normaliseCardText } from "./cards";

/**
 * Parking customers and their vehicle tags (stickers). A parking operator keys its
 * customers by its own `refId` (customers.parking_ref_id, unique in the tenant) and binds
 * tags (cards of kind `vehicle_tag`: uid = tag code, plus the vehicle's plate).
 *
 * Rules:
 * - Tag codes and plates are normalised (trimmed, upper-cased) before they are stored or
 *   compared, so " o202020 " and "O202020" are one tag.
 * - A tag code is active on at most one customer of the tenant; binding it elsewhere is a
 *   conflict. A cancelled tag may be bound again (a new row; the old one stays cancelled).
 * - A customer that is not `unlimited` holds at most one active tag.
 * - A request is all-or-nothing: if one of its tags is refused, none is written.
 *
 * Binding is serialised per tag through the CardLock Durable Object (named
 * `${tenantId}:tag:${code}`), with the partial unique index `cards_tenant_active_uid` as
 * the last guard. No memo is stored in the lock: tags can be cancelled and bound again.
 */

/** A tag as the caller sends it. */
export interface VehicleTagInput {
  code: string;
  plate: string;
}

/** Which parking customer a request is about: its `refId`, optionally confirmed by its id. */
export interface ParkingCustomerRef {
  refId: string;
  id?: number;
}

/** One CardLock stub per tag code of the caller's tenant. */
export type TagLockFor = (code: string) => DurableObjectStub<CardLock>;

/** What happened to one tag of a request, in request order: `done` false means nothing was written for it. */
export interface TagOutcome {
  tag: string;
  done: boolean;
}

/** The tenant-scoped lock name of a tag code (shared with any other surface that binds tags). */
export function tagLockName(tenantId: number, code: string): string {
  return `${tenantId}:tag:${code}`;
}

/**
 * Creates a parking customer and binds its tags in one batch. A `refId` already used in
 * the tenant, or a tag active on another customer, is a conflict and nothing is written.
 * A repeated code in the same request is reported `done: false`.
 */
export async function createParkingCustomer(
  db: Db,
  tenantId: number,
  lockFor: TagLockFor,
  input: { email: string; phone: string; name?: string | null; lastName?: string | null; unlimited: boolean; refId: string; tags: VehicleTagInput[] },
): Promise<{ customerId: number; tags: TagOutcome[] }> {
  const tags = normaliseTags(input.tags);
  const fresh = tags.filter((t) => t.first);
  if (!input.unlimited && fresh.length > 1) {
    throw invalid({ tags: ["tags must contain no more than 1 elements unless isUnlimited is true"] });
  }
  return withTagLocks(
    lockFor,
    fresh.map((t) => t.code),
    async () => {
      const now = Date.now();
      const byRefId = eq(customers.parkingRefId, input.refId);
      const insert = insertCustomer(db, tenantId, {
        channel: "parking",
        email: input.email,
        phone: input.phone,
        name: input.name ?? null,
        lastName: input.lastName ?? null,
        parkingRefId: input.refId,
        parkingUnlimited: input.unlimited,
      });
      let created;
      try {
        [[created]] = await db.batch([insert, ...fresh.map((t) => bindTag(db, tenantId, byRefId, t, now))]);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const existing = await db
          .select({ id: customers.id })
          .from(customers)
          .where(and(eq(customers.tenantId, tenantId), byRefId))
          .get();
        if (existing) throw conflict(`User with refId ${input.refId} already exists`);
        throw await tagInUse(db, tenantId, fresh.map((t) => t.code), err);
      }
      return { customerId: created!.id, tags: tags.map((t) => ({ tag: t.code, done: t.first })) };
    },
  );
}

/** The customer's active tags, oldest first; not_found for an unknown (or another tenant's) `refId`. */
export async function listVehicleTags(db: Db, tenantId: number, ref: ParkingCustomerRef): Promise<Array<{ id: number; code: string; plate: string }>> {
  const [[customer], rows] = await db.batch([
    selectCustomer(db, tenantId, ref.refId),
    db
      .select({ id: cards.id, code: cards.uid, plate: cards.plate })
      .from(cards)
      .where(and(inArray(cards.customerId, customerIdQuery(db, tenantId, ref)), activeTag()))
      .orderBy(asc(cards.id)),
  ]);
  assertCustomer(customer, ref);
  return rows.map((r) => ({ id: r.id, code: r.code, plate: r.plate ?? "" }));
}

/**
 * Binds tags to an existing customer. A code already active on this customer is
 * `done: false` (nothing changes, its plate included); a code active on another customer,
 * or a second active tag for a customer that is not unlimited, is a conflict and nothing
 * is written.
 */
export async function bindVehicleTags(
  db: Db,
  tenantId: number,
  lockFor: TagLockFor,
  ref: ParkingCustomerRef,
  input: VehicleTagInput[],
): Promise<{ customerId: number; tags: TagOutcome[] }> {
  const tags = normaliseTags(input);
  const codes = tags.filter((t) => t.first).map((t) => t.code);
  return withTagLocks(lockFor, codes, async () => {
    const [[customer], heldByCode, anyOwnActive] = await db.batch([
      selectCustomer(db, tenantId, ref.refId),
      db
        .select({ customerId: cards.customerId, code: cards.uid })
        .from(cards)
        .where(and(eq(cards.tenantId, tenantId), activeTag(), inArray(cards.uid, codes))),
      // Whether the customer holds any active tag at all (the one-sticker rule); one row at most, however many it holds.
      db
        .select({ id: cards.id })
        .from(cards)
        .where(and(inArray(cards.customerId, customerIdQuery(db, tenantId, ref)), activeTag()))
        .limit(1),
    ]);
    const owner = assertCustomer(customer, ref);
    const heldElsewhere = heldByCode.find((h) => h.customerId !== owner.id);
    if (heldElsewhere) throw stickerActive(heldElsewhere.customerId);
    const own = new Set(heldByCode.map((h) => h.code));
    const fresh = tags.filter((t) => t.first && !own.has(t.code));
    if (!owner.unlimited && fresh.length > 0 && (anyOwnActive.length > 0 || fresh.length > 1)) throw stickerActive(owner.id);

    if (fresh.length > 0) {
      const now = Date.now();
      const byId = eq(customers.id, owner.id);
      const [first, ...rest] = fresh.map((t) => bindTag(db, tenantId, byId, t, now));
      let inserted;
      try {
        inserted = await db.batch([first!, ...rest]);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        throw await tagInUse(db, tenantId, codes, err);
      }
      // The insert is conditional on the customer holding no active tag unless unlimited:
      // a concurrent request that bound another code to the same customer wins.
      if (inserted.some((rows) => rows.length === 0)) throw stickerActive(owner.id);
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
  const owned = inArray(cards.customerId, customerIdQuery(db, tenantId, ref));
  const [[customer], ...cancelled] = await db.batch([
    selectCustomer(db, tenantId, ref.refId),
    ...tags.map((t) =>
      db
        .update(cards)
        .set({ status: "cancelled", statusChangedAt: now })
        .where(and(owned, activeTag(), eq(cards.uid, t.code), eq(cards.plate, t.plate)))
        .returning({ id: cards.id }),
    ),
  ]);
  // The updates matched nothing when the customer is unknown or the id disagrees, so throwing here writes nothing.
  const owner = assertCustomer(customer, ref);
  return { customerId: owner.id, tags: tags.map((t, i) => ({ tag: t.code, done: cancelled[i]!.length > 0 })) };
}

/** Normalised tags in request order; `first` is false for a code repeated earlier in the request. */
function normaliseTags(input: VehicleTagInput[]) {
  const seen = new Set<string>();
  return input.map((tag) => {
    const code = normaliseCardText(tag.code);
    const first = !seen.has(code);
    seen.add(code);
    return { code, plate: normaliseCardText(tag.plate), first };
  });
}

/**
 * Runs `work` holding the locks of `codes`, taken one after another in sorted order (two
 * requests over overlapping codes can never wait on each other in a cycle). A lock that
 * cannot be had in time is `unavailable`. Released in any case.
 */
async function withTagLocks<T>(lockFor: TagLockFor, codes: string[], work: () => Promise<T>): Promise<T> {
  const held: Array<{ lock: DurableObjectStub<CardLock>; token: string }> = [];
  try {
    for (const code of [...codes].sort()) {
      const lock = lockFor(code);
      const grant = await lock.acquire().catch(() => {
        throw new DomainError("unavailable", "The tag is busy; retry later");
      });
      // No memo is ever stored for a tag, so every grant carries a token.
      if (grant.token) held.push({ lock, token: grant.token });
    }
    return await work();
  } finally {
    await Promise.all(
      held.map(({ lock, token }) =>
        lock.release(token).catch((err: unknown) => console.error(JSON.stringify({ level: "warn", msg: "tag lock release failed", error: String(err) }))),
      ),
    );
  }
}

/** The active customer with that `refId` (at most one row). */
function selectCustomer(db: Db, tenantId: number, refId: string) {
  return db
    .select({ id: customers.id, unlimited: customers.parkingUnlimited })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.parkingRefId, refId), eq(customers.active, true)))
    .limit(1);
}

/** The id of the customer `ref` names (empty when unknown or when its id disagrees), for use inside other statements. */
function customerIdQuery(db: Db, tenantId: number, ref: ParkingCustomerRef) {
  return db
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, tenantId),
        eq(customers.parkingRefId, ref.refId),
        eq(customers.active, true),
        ref.id === undefined ? undefined : eq(customers.id, ref.id),
      ),
    );
}

/** not_found for an unknown `refId`; invalid when the given id is not that customer's. */
function assertCustomer<C extends { id: number; unlimited: boolean | null }>(customer: C | undefined, ref: ParkingCustomerRef): C {
  if (!customer) throw notFound("Customer not found");
  if (ref.id !== undefined && ref.id !== customer.id) {
    throw new DomainError("invalid", `Customer with ID ${ref.id} does not have refId ${ref.refId}`);
  }
  return customer;
}

const activeTag = () => and(eq(cards.kind, "vehicle_tag"), eq(cards.status, "active"));

/**
 * Inserts one active tag for the customer `customerWhere` selects, only if that customer
 * is active and either unlimited or holding no active tag: the one-sticker rule holds
 * even against a concurrent bind of another code to the same customer.
 */
function bindTag(db: Db, tenantId: number, customerWhere: SQL, tag: { code: string; plate: string }, now: number) {
  const holdsActiveTag = db
    .select({ one: sql`1` })
    .from(cards)
    .where(and(eq(cards.customerId, customers.id), activeTag()));
  return db
    .insert(cards)
    .select(
      db
        .select({
          id: sql<number>`NULL`.as("id"),
          tenantId: customers.tenantId,
          customerId: customers.id,
          kind: sql<"vehicle_tag">`'vehicle_tag'`.as("kind"),
          uid: sql<string>`${tag.code}`.as("uid"),
          plate: sql<string>`${tag.plate}`.as("plate"),
          status: sql<"active">`'active'`.as("status"),
          createdAt: sql<number>`${now}`.as("created_at"),
          statusChangedAt: sql<number>`${now}`.as("status_changed_at"),
        })
        .from(customers)
        .where(
          and(
            eq(customers.tenantId, tenantId),
            customerWhere,
            eq(customers.active, true),
            or(eq(customers.parkingUnlimited, true), notExists(holdsActiveTag)),
          ),
        ),
    )
    .returning({ id: cards.id });
}

/** The seed's 409: the customer `customerId` already holds an active sticker (theirs or the one asked for). */
function stickerActive(customerId: number): DomainError {
  return conflict(`User with ID ${customerId} sticket active`);
}

/** After a unique-index refusal: the 409 naming the customer that now holds one of `codes`. */
async function tagInUse(db: Db, tenantId: number, codes: string[], cause: unknown): Promise<unknown> {
  const holder = await db
    .select({ customerId: cards.customerId })
    .from(cards)
    .where(and(eq(cards.tenantId, tenantId), activeTag(), inArray(cards.uid, codes)))
    .get();
  return holder ? stickerActive(holder.customerId) : cause;
}
