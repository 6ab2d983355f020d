import { getTableColumns } from "drizzle-orm";
import { customers, type IdentifierKind, type NewCustomer } from "../../db/schema";

/**
 * What a customer is made of beyond the registry's own bookkeeping: the profile fields
 * the surfaces write, and the kinds of key a customer record carries. Shared by the
 * registry's writes, merges and the events that describe a customer.
 */

/** The customer columns that are the registry's own, never profile fields a surface writes. */
const registryColumns = ["id", "tenantId", "active", "mergedIntoId", "channel", "erasedAt", "createdAt", "updatedAt"] as const;

/** The profile fields a write may set (the registry's own columns are not among them). */
export type Profile = Partial<Omit<NewCustomer, (typeof registryColumns)[number]>>;

/** The customers table's profile columns, by their schema keys. */
export const profileColumns = (Object.keys(getTableColumns(customers)) as (keyof typeof customers.$inferSelect)[]).filter(
  (key): key is keyof Profile & keyof typeof customers.$inferSelect => !(registryColumns as readonly string[]).includes(key),
);

export type ProfileField = (typeof profileColumns)[number];

/** The profile fields `profile` sets (its defined ones: undefined leaves a field alone), in the table's column order. */
export function givenFields(profile: Profile): ProfileField[] {
  return profileColumns.filter((key) => profile[key] !== undefined);
}

/**
 * The values `profile` sets as its columns store them (booleans as 1 and 0), by field: the
 * values of a reusable statement (db/batch.ts) whose placeholders are named after the fields.
 */
export function storedValues(profile: Profile): Record<string, unknown> {
  const columns = getTableColumns(customers);
  return Object.fromEntries(givenFields(profile).map((key) => [key, profile[key] === null ? null : columns[key].mapToDriverValue(profile[key])]));
}

/** The keys a customer record carries (cards and tags have their own reads). */
export const profileKinds = ["document", "vlt_code", "client_code", "parking_ref", "loyalty_id"] as const satisfies readonly IdentifierKind[];
export type ProfileKind = (typeof profileKinds)[number];
