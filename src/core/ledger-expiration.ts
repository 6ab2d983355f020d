import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { isCheckViolation, isUniqueViolation } from "../db/errors";
import { typeByName, typeFromRow } from "./ledger";
import { expireLotStatements, insertTransaction, runBatch } from "./ledger-statements";
import { entryCounterStatements } from "./report-counters";

/** The catalogue type the expiration job writes (partners cannot post it). */
export const EXPIRATION_TYPE = "POINTS EXPIRATION";

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
  let seen = 0;
  let expired = 0;
  const skipped = new Set<number>();
  while (seen < maxLots) {
    const [due] = await runBatch(db, [
      sql`SELECT l.id, l.tenant_id, l.remaining, l.expired, l.set_name, a.id AS account_id, a.customer_id,
          (SELECT timezone FROM tenants WHERE id = l.tenant_id) AS timezone,
          (SELECT s.external_id FROM ledger_transactions t JOIN ledger_stores s ON s.id = t.store_id WHERE t.id = l.transaction_id) AS store_external_id
        FROM ledger_lots l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at < ${now} AND a.unit = 'POINTS'
        ORDER BY l.expires_at, l.id LIMIT ${Math.min(pageSize, maxLots - seen) + skipped.size}`,
    ]);
    const lots = due!.filter((lot) => !skipped.has(Number(lot.id)));
    if (lots.length === 0) break;
    const tenantIds = [...new Set(lots.map((lot) => Number(lot.tenant_id)))];
    const typeRows = await runBatch(
      db,
      tenantIds.map((tenantId) => typeByName(tenantId, EXPIRATION_TYPE)),
    );
    const types = new Map(tenantIds.map((tenantId, i) => [tenantId, typeFromRow(typeRows[i]![0]!)]));
    for (const lot of lots) {
      seen++;
      const tenantId = Number(lot.tenant_id);
      const type = types.get(tenantId)!;
      const amount = Number(lot.remaining);
      try {
        await runBatch(db, [
          insertTransaction({
            tenantId,
            customer: sql`${Number(lot.customer_id)}`,
            account: sql`${Number(lot.account_id)}`,
            type,
            direction: "DEBIT",
            amount,
            title: type.title,
            code: `LOT-${lot.id}-${lot.expired}`,
            description: String(lot.set_name),
            createdAt: now,
          }),
          ...expireLotStatements(tenantId, Number(lot.id), amount, now),
          ...entryCounterStatements({
            tenantId,
            type,
            direction: "DEBIT",
            reversal: false,
            // Reported at the store where the expiring points were earned.
            storeExternalId: (lot.store_external_id as string | null) ?? null,
            createdAt: now,
            timeZone: String(lot.timezone ?? "UTC"),
            customer: sql`${Number(lot.customer_id)}`,
            channel: null,
            lines: [],
            customerCreated: null,
          }),
        ]);
        expired++;
      } catch (err) {
        // Another run expired it, or a debit took part of it since it was read: leave it to the next run.
        if (!isUniqueViolation(err) && !isCheckViolation(err)) throw err;
        skipped.add(Number(lot.id));
      }
    }
  }
  return expired;
}
