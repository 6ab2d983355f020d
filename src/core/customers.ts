import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { customers, type Customer, type NewCustomer } from "../db/schema";
import { notFound } from "./errors";

/**
 * The tenant's customer registry, shared by every surface. The tenant's counters
 * (`active_customers`, `documented_customers`) follow every insert and soft delete by
 * trigger (migration 0006), so paginated lists never count the table and no write path
 * has to remember them.
 */

/**
 * The statement that creates an active customer, returning the row. Put it in one
 * `db.batch()` with any statements that refer to the new row (e.g.
 * `customer_id = last_insert_rowid()` right after it).
 */
export function insertCustomer(db: Db, tenantId: number, values: Omit<NewCustomer, "tenantId" | "createdAt" | "updatedAt">) {
  const now = Date.now();
  return db
    .insert(customers)
    .values({ ...values, tenantId, createdAt: now, updatedAt: now })
    .returning();
}

/** Creates one active customer on its own. */
export async function createCustomer(db: Db, tenantId: number, values: Omit<NewCustomer, "tenantId" | "createdAt" | "updatedAt">): Promise<Customer> {
  const [customer] = await insertCustomer(db, tenantId, values);
  return customer!;
}

/**
 * Soft-deletes an active customer (`active = false`, the row stays); triggers move the
 * tenant's counters and cancel the customer's active cards. not_found when there was no
 * active customer of that tenant with that id.
 */
export async function deactivateCustomer(db: Db, tenantId: number, id: number): Promise<void> {
  const changed = await db
    .update(customers)
    .set({ active: false, updatedAt: Date.now() })
    .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), eq(customers.active, true)))
    .returning({ id: customers.id });
  if (changed.length === 0) throw notFound("Customer not found");
}
