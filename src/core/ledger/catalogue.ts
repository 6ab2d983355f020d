import { and, desc, eq, or, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { bound, prepared, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { type LedgerType, ledgerGroups, ledgerTypes } from "../../db/schema";

/**
 * The ledger's catalogues: transaction types (each fixes unit, direction and report
 * category) and tiers. Rows with `tenant_id` 0 are the defaults every tenant sees (seeded
 * by migration); a tenant's own type of the same name replaces the default, and a tenant
 * with tiers of its own uses only those.
 */

/** The catalogue type the expiration job writes (partners cannot post it). */
export const EXPIRATION_TYPE = "POINTS EXPIRATION";

const typeQuery = prepared((db) =>
  db
    .select()
    .from(ledgerTypes)
    .where(and(or(eq(ledgerTypes.tenantId, 0), eq(ledgerTypes.tenantId, sql.placeholder("tenantId"))), eq(ledgerTypes.name, sql.placeholder("name"))))
    .orderBy(desc(ledgerTypes.tenantId))
    .limit(1)
    .prepare(),
);

/** The tenant's type of that name (its own row, else the default), as a batch statement: at most one row. */
export function typeByName(db: Db, tenantId: number, name: string): Statement<LedgerType[]> {
  return bound(typeQuery(db), { tenantId, name });
}

/** The condition, on a query of `ledger_groups`, that the row is one of the tenant's tiers (its own, else the defaults). */
export function tiersOf(tenantId: number | SQLWrapper): SQL {
  const g = ledgerGroups;
  return sql`${g.tenantId} = (CASE WHEN EXISTS (SELECT 1 FROM ${g} WHERE ${g.tenantId} = ${tenantId}) THEN ${tenantId} ELSE 0 END)`;
}
