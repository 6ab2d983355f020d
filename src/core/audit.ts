import { and, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import { rows, type Statement } from "../db/batch";
import type { Db } from "../db/client";
import { type AuditAction, auditLog } from "../db/schema";
import { columns } from "../db/sql";

export { type AuditAction, auditActions } from "../db/schema";

/**
 * The audit log: who did what to which object, one append-only row per action, written
 * by the very batch that carries the action out (so an action never commits without its
 * entry, and an entry never exists for an action that did not happen).
 *
 * How an action joins it: the core function that performs the action takes an
 * `AuditActor` and adds `auditStatement(by, entry)` to its batch, guarded with `when` if
 * the batch's other statements are guarded (the entry must be written exactly when they
 * take effect). The HTTP edge supplies the actor: `admin:<fingerprint>` from `adminAuth`,
 * the console's session, or `credential:<client_id>` for a partner's own changes (the
 * webhook endpoints of /v1: actions `webhook_endpoint.created`, `.deleted` and
 * `.secret_rotated`, target `webhook_endpoint:<id>`, summary e.g. `{host, events}`;
 * an operator's `.enabled` and `.redelivered` name the same target).
 *
 * What goes in: ids, the names of the fields that changed, non-personal values
 * (time zone, limits, kinds, counts). Never a secret, a hash of one, a token, or a
 * person's data (names, documents, card UIDs, contact details): the target of an action
 * on a person is its customer id.
 */

/** Who carries out an audited action, and in which request. */
export interface AuditActor {
  actor: string;
  requestId: string;
}

/** The facts an entry records: flat JSON values only, so nothing nested can smuggle a record in. */
export type AuditSummary = Record<string, string | number | boolean | null | (string | number)[]>;

export interface AuditEntry {
  action: AuditAction;
  /** The tenant concerned: its id, SQL naming it within the batch (a tenant the batch creates), or null. */
  tenantId: number | SQL | null;
  /** `kind:id` of the object acted on, or SQL computing it within the batch. */
  target: string | SQL;
  summary: AuditSummary;
}

/** An entry as the log returns it. */
export interface AuditRecord {
  id: number;
  tenantId: number | null;
  createdAt: number;
  actor: string;
  requestId: string;
  action: AuditAction;
  target: string;
  summary: AuditSummary;
}

/** The INSERT of one entry, for the batch that performs the action; with `when`, written only if that condition holds at its point of the batch. */
export function auditStatement(by: AuditActor, entry: AuditEntry, when?: SQL): Statement<never[]> {
  const a = auditLog;
  return rows<never>(sql`INSERT INTO ${a} (${columns(a.tenantId, a.createdAt, a.actor, a.requestId, a.action, a.target, a.summary)})
    SELECT ${entry.tenantId}, ${Date.now()}, ${by.actor}, ${by.requestId}, ${entry.action}, ${entry.target}, ${JSON.stringify(entry.summary)}
    WHERE ${when ?? sql`1`}`);
}

/**
 * One page of the log, newest first: entries older than `before` (the last id of the
 * previous page), of one tenant when `tenantId` is given. Keyset pagination: a page reads
 * `limit + 1` index entries whatever the log's size. `next` is the cursor of the next
 * page, null on the last one.
 */
export async function listAuditEntries(
  db: Db,
  query: { tenantId?: number; before?: number; limit: number },
): Promise<{ entries: AuditRecord[]; next: number | null }> {
  const found = await db
    .select()
    .from(auditLog)
    .where(
      and(
        query.tenantId === undefined ? undefined : eq(auditLog.tenantId, query.tenantId),
        query.before === undefined ? undefined : lt(auditLog.id, query.before),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = found.slice(0, query.limit).map((row) => ({ ...row, summary: JSON.parse(row.summary) as AuditSummary }));
  return { entries: page, next: found.length > query.limit ? page[page.length - 1]!.id : null };
}
