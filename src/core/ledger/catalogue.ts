import { and, desc, eq, or, sql } from "drizzle-orm";
import { bound, prepared, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { type LedgerType, ledgerTypes } from "../../db/schema";

/**
 * The ledger's type catalogue: each transaction type fixes unit, direction and report
 * category. Rows with `tenant_id` 0 are the defaults every tenant sees (seeded by
 * migration); a tenant's own row of the same name replaces the default.
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
