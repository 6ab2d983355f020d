import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { customers, tenants, type Customer, type NewCustomer } from "../db/schema";
import { notFound } from "./errors";

/**
 * The tenant's customer registry, shared by every surface. Creation and soft deletion
 * keep `tenants.active_customers` in step, in the same `db.batch()` as the row itself,
 * so paginated lists never count the table.
 */

/** The statement that moves the tenant's active-customer counter; batch it with the write that changes the count. */
export function bumpActiveCustomers(db: Db, tenantId: number, delta: 1 | -1) {
  return db
    .update(tenants)
    .set({ activeCustomers: sql`${tenants.activeCustomers} + ${delta}` })
    .where(eq(tenants.id, tenantId));
}

/**
 * The statement that lowers the counter by the rows the previous statement of the batch
 * changed; batch it right after a guarded soft delete, so the counter moves only if the row did
 * (and is not even rewritten when it did not: D1 bills rewritten rows).
 */
export function dropActiveCustomersByChanges(db: Db, tenantId: number) {
  return db
    .update(tenants)
    .set({ activeCustomers: sql`${tenants.activeCustomers} - (SELECT changes())` })
    .where(and(eq(tenants.id, tenantId), sql`(SELECT changes()) > 0`));
}

/**
 * The two statements that create an active customer: the insert (returning the row) and
 * the counter bump. Put both in one `db.batch()`, with any statements that refer to the
 * new row (e.g. `customer_id = last_insert_rowid()` right after the insert).
 */
export function insertCustomer(db: Db, tenantId: number, values: Omit<NewCustomer, "tenantId" | "createdAt" | "updatedAt">) {
  const now = Date.now();
  return [
    db
      .insert(customers)
      .values({ ...values, tenantId, createdAt: now, updatedAt: now })
      .returning(),
    bumpActiveCustomers(db, tenantId, 1),
  ] as const;
}

/** Creates one active customer on its own (one batch: row + counter). */
export async function createCustomer(db: Db, tenantId: number, values: Omit<NewCustomer, "tenantId" | "createdAt" | "updatedAt">): Promise<Customer> {
  const [[customer]] = await db.batch(insertCustomer(db, tenantId, values));
  return customer!;
}

/** An active customer of the tenant; another tenant's or a deleted one is not_found. */
export async function getActiveCustomer(db: Db, tenantId: number, id: number): Promise<Customer> {
  const customer = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), eq(customers.active, true)))
    .get();
  if (!customer) throw notFound("Customer not found");
  return customer;
}

/**
 * Soft-deletes an active customer (`active = false`, the row stays) and decrements the
 * counter in the same batch; the counter moves only if the row did. not_found when there
 * was no active customer of that tenant with that id.
 */
export async function deactivateCustomer(db: Db, tenantId: number, id: number): Promise<void> {
  const [changed] = await db.batch([
    db
      .update(customers)
      .set({ active: false, updatedAt: Date.now() })
      .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), eq(customers.active, true)))
      .returning({ id: customers.id }),
    dropActiveCustomersByChanges(db, tenantId),
  ]);
  if (changed.length === 0) throw notFound("Customer not found");
}
