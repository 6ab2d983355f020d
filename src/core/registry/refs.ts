import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { type TemplateRef, templateRef } from "../../db/batch";
import { customers } from "../../db/schema";

/**
 * SQL naming a customer inside a statement: by a stored id (following merges), or as the
 * customer the batch inserted; and the customer references statements take.
 */

/** SQL naming the customer `id` stands for in the tenant: itself, or the survivor it was merged into (NULL when the tenant has no such id). */
export function storedCustomerId(tenantId: number | SQLWrapper, id: number | SQLWrapper): SQL<number | null> {
  return sql<
    number | null
  >`(SELECT coalesce(${customers.mergedIntoId}, ${customers.id}) FROM ${customers} WHERE ${customers.id} = ${id} AND ${customers.tenantId} = ${tenantId})`;
}

/** `storedCustomerId` when that customer is active, else NULL: ids partners stored keep answering as the survivor of a merge. */
export function liveCustomerId(tenantId: number | SQLWrapper, id: number | SQLWrapper): SQL<number | null> {
  return sql<number | null>`(SELECT ${customers.id} FROM ${customers} WHERE ${isLiveCustomer(tenantId, id)})`;
}

/**
 * The condition, on a query of `customers`, that the row is the active customer `id`
 * stands for in the tenant (itself, or the survivor it was merged into): two row reads.
 */
export function isLiveCustomer(tenantId: number | SQLWrapper, id: number | SQLWrapper): SQL {
  const mergedInto = sql`(SELECT ${customers.mergedIntoId} FROM ${customers} WHERE ${customers.id} = ${id} AND ${customers.tenantId} = ${tenantId})`;
  return sql`${customers.id} = coalesce(${mergedInto}, ${id}) AND ${customers.tenantId} = ${tenantId} AND ${customers.active} = 1`;
}

/** The customer the batch inserted last (rows are never deleted, so the newest has the highest id). */
export const lastCustomerId = sql<number>`(SELECT max(${customers.id}) FROM ${customers})`;

/**
 * What a soft delete removes, for statements rendered once per `key` (db/batch.ts
 * `reusable`): the customer, and an optional condition on the `customers` row (e.g. "has
 * no sales"), each built from placeholders only (`tenantId`, `now` and the caller's own),
 * never from a request's values.
 */
export interface DeactivationTarget {
  key: string;
  customer: () => SQL;
  guard?: () => SQL;
}

/**
 * How a statement names its customer: its id; SQL naming it within the batch (e.g.
 * `lastCustomerId`); or `{ live: id }`, the active customer a stored id stands for
 * (`liveCustomerId`, following merges).
 */
export type CustomerRef = number | SQL | { live: number };

const liveById = liveCustomerId(sql.placeholder("tenantId"), sql.placeholder("customer"));

/**
 * A customer reference as a `reusable` statement (db/batch.ts) takes it: the SQL naming
 * the customer (an id as the placeholder `customer`, within the placeholder `tenantId`'s
 * registry), what it adds to the statement's shape (null: the statement is not reusable,
 * its SQL binds values of its own) and the values it fills.
 */
export function customerTemplate(ref: CustomerRef): TemplateRef {
  if (typeof ref === "object" && "live" in ref) return { key: "live", sql: liveById, values: { customer: ref.live } };
  return templateRef("customer", ref);
}
