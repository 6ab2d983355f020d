import { sql } from "drizzle-orm";
import { rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { isCheckViolation, isUniqueViolation } from "../../db/errors";
import { type LedgerType, ledgerAccounts, ledgerLots, ledgerStores, ledgerTransactions, tenants } from "../../db/schema";
import { ledgerPosted, lotExpired } from "../events/payloads";
import { entryCounterStatements } from "../reports/counters";
import { EXPIRATION_TYPE, typeByName } from "./catalogue";
import { expireLotStatements, insertTransaction } from "./statements";

interface DueLot {
  id: number;
  tenantId: number;
  remaining: number;
  expired: number;
  setName: string;
  accountId: number;
  customerId: number;
  timezone: string | null;
  storeExternalId: string | null;
}

/**
 * Expires POINTS lots whose date has passed: for each, one "POINTS EXPIRATION" DEBIT of
 * what the lot still holds, in its own batch. The transaction's code is
 * `LOT-<lot id>-<amount expired before>`, unique per (tenant, type, code), so two runs
 * that meet the same lot write it once; the lot's CHECK (remaining >= 0) aborts a run
 * whose lot was spent meanwhile (the next run sees the new remainder). Bounded: at most
 * `maxLots` lots are looked at per run. Returns how many lots were expired.
 */
export async function expireDueLots(db: Db, now: number, options: { maxLots?: number; pageSize?: number } = {}): Promise<number> {
  const maxLots = options.maxLots ?? 500;
  const pageSize = options.pageSize ?? 100;
  const l = ledgerLots;
  const a = ledgerAccounts;
  const t = ledgerTransactions;
  let seen = 0;
  let expired = 0;
  const skipped = new Set<number>();
  while (seen < maxLots) {
    const [due] = await runBatch(db, [
      rows<DueLot>(sql`SELECT ${l.id} AS "id", ${l.tenantId} AS "tenantId", ${l.remaining} AS "remaining", ${l.expired} AS "expired", ${l.setName} AS "setName",
          ${a.id} AS "accountId", ${a.customerId} AS "customerId",
          (SELECT ${tenants.timezone} FROM ${tenants} WHERE ${tenants.id} = ${l.tenantId}) AS "timezone",
          (SELECT ${ledgerStores.externalId} FROM ${t} JOIN ${ledgerStores} ON ${ledgerStores.id} = ${t.storeId} WHERE ${t.id} = ${l.transactionId}) AS "storeExternalId"
        FROM ${l} JOIN ${a} ON ${a.id} = ${l.accountId}
        WHERE ${l.remaining} > 0 AND ${l.expiresAt} IS NOT NULL AND ${l.expiresAt} < ${now} AND ${a.unit} = 'POINTS'
        ORDER BY ${l.expiresAt}, ${l.id} LIMIT ${Math.min(pageSize, maxLots - seen) + skipped.size}`),
    ]);
    const lots = due.filter((lot) => !skipped.has(lot.id));
    if (lots.length === 0) break;
    const tenantIds = [...new Set(lots.map((lot) => lot.tenantId))];
    const typeRows = await runBatch(
      db,
      tenantIds.map((tenantId) => typeByName(db, tenantId, EXPIRATION_TYPE)),
    );
    const types = new Map<number, LedgerType>(tenantIds.map((tenantId, i) => [tenantId, typeRows[i]![0]!]));
    for (const lot of lots) {
      seen++;
      const type = types.get(lot.tenantId)!;
      try {
        await runBatch(db, [
          insertTransaction({
            tenantId: lot.tenantId,
            customer: lot.customerId,
            account: lot.accountId,
            type,
            direction: "DEBIT",
            amount: lot.remaining,
            title: type.title,
            code: `LOT-${lot.id}-${lot.expired}`,
            description: lot.setName,
            createdAt: now,
          }),
          ...[
            ...expireLotStatements(lot.tenantId, lot.id, lot.remaining, now),
            ...entryCounterStatements({
              tenantId: lot.tenantId,
              type,
              direction: "DEBIT",
              reversal: false,
              // Reported at the store where the expiring points were earned.
              storeExternalId: lot.storeExternalId,
              createdAt: now,
              timeZone: lot.timezone ?? "UTC",
              customer: lot.customerId,
              channel: null,
              lines: [],
              customerCreated: null,
            }),
          ].map((s) => rows(s)),
          ledgerPosted(lot.tenantId, "debit", now),
          lotExpired(lot.tenantId, lot.id, lot.remaining, now),
        ]);
        expired++;
      } catch (err) {
        // Another run expired it, or a debit took part of it since it was read: leave it to the next run.
        if (!isUniqueViolation(err) && !isCheckViolation(err)) throw err;
        skipped.add(lot.id);
      }
    }
  }
  return expired;
}
