import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { type Event, type EventType, events, webhookAttempts, webhookDeliveries } from "../../db/schema";

/**
 * Reading the outbox: the tenant's feed, one event by id, and retention. Events are
 * numbered per tenant in commit order (`seq`, see the schema), so "the events after
 * number n" is one range of the (tenant, seq) index: a page reads the rows it returns,
 * and a reader that resumes from the last number it saw never skips or repeats one.
 */

/** An event as partners receive it, in the feed and as a webhook's body. */
export interface PublicEvent {
  id: string;
  type: EventType;
  /** ISO 8601 UTC. */
  created_at: string;
  data: Record<string, unknown>;
}

/** The public id of the tenant's event number `seq`: unique across tenants, the same in the feed and on every delivery. */
export const eventId = (tenantId: number, seq: number) => `evt_${tenantId}_${seq}`;

/** The tenant and number an event id names, or null when it is not one. */
export function parseEventId(id: string): { tenantId: number; seq: number } | null {
  const match = /^evt_(\d{1,15})_(\d{1,15})$/.exec(id);
  return match ? { tenantId: Number(match[1]), seq: Number(match[2]) } : null;
}

export function toPublicEvent(row: Pick<Event, "tenantId" | "seq" | "type" | "createdAt" | "data">): PublicEvent {
  return { id: eventId(row.tenantId, row.seq), type: row.type, created_at: new Date(row.createdAt).toISOString(), data: JSON.parse(row.data) };
}

const page = prepared((db) =>
  db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, sql.placeholder("tenantId")), gt(events.seq, sql.placeholder("after"))))
    .orderBy(asc(events.seq))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

/**
 * The tenant's events numbered after `after`, oldest first, at most `limit`, and the
 * cursor to read on from: the last event's number, or `after` itself when there is none
 * yet (so a reader polls with the same cursor until something happens).
 */
export async function readEvents(db: Db, tenantId: number, after: number, limit: number): Promise<{ events: PublicEvent[]; next: number }> {
  const [found] = await runBatch(db, [bound(page(db), { tenantId, after, limit })]);
  return { events: found.map(toPublicEvent), next: found.at(-1)?.seq ?? after };
}

/**
 * Retention: events, deliveries and attempts older than `retentionMs` are deleted, at most
 * `maxRows` of each per run, oldest first. Each table is cut along its id (ids grow with
 * time), so a run reads about the rows it deletes. A tenant's newest event is kept
 * whatever its age, so its numbering never restarts.
 */
export async function pruneEvents(db: Db, now: number, retentionMs: number, maxRows = 1000): Promise<number> {
  const cutoff = now - retentionMs;
  /** Ids below this are older than the cutoff: the first young row's id, capped `maxRows` rows in. */
  const below = (table: typeof events | typeof webhookDeliveries | typeof webhookAttempts, time: SQL) =>
    sql`min(coalesce((SELECT ${table.id} FROM ${table} WHERE ${time} >= ${cutoff} ORDER BY ${table.id} LIMIT 1), 9e18),
      coalesce((SELECT ${table.id} FROM ${table} ORDER BY ${table.id} LIMIT 1 OFFSET ${maxRows}), 9e18))`;
  const newer = sql.identifier("newer");
  const results = await runBatch(db, [
    rows(sql`DELETE FROM ${webhookAttempts} WHERE ${webhookAttempts.id} < ${below(webhookAttempts, sql`${webhookAttempts.attemptedAt}`)}`),
    rows(sql`DELETE FROM ${webhookDeliveries} WHERE ${webhookDeliveries.id} < ${below(webhookDeliveries, sql`${webhookDeliveries.createdAt}`)}`),
    rows<{ id: number }>(sql`DELETE FROM ${events} WHERE ${events.id} < ${below(events, sql`${events.createdAt}`)}
      AND EXISTS (SELECT 1 FROM ${events} AS ${newer} WHERE ${newer}.${sql.identifier(events.tenantId.name)} = ${events.tenantId}
        AND ${newer}.${sql.identifier(events.seq.name)} > ${events.seq})
      RETURNING ${sql.identifier(events.id.name)}`),
  ]);
  return results[2].length;
}
