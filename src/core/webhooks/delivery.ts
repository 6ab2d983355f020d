import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { type Event, type EventType, events, type WebhookDeliveryStatus, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { col, columns } from "../../db/sql";
import { type AuditActor, auditStatement } from "../audit";
import { NotFound } from "../errors";
import { eventId, parseEventId, toPublicEvent } from "../events/feed";
import type { WebhookConfig } from "./config";
import { decryptSecret, signatureHeader } from "./secrets";
import { checkEndpointUrl } from "./urls";

const isAllowedUrl = (url: string, config: WebhookConfig) => {
  try {
    checkEndpointUrl(url, { allowLoopback: config.allowLoopback });
    return true;
  } catch {
    return false;
  }
};

/**
 * Webhook delivery, at least once, through a Cloudflare Queue consumed by the same Worker.
 * D1 holds the truth (which events each endpoint has been handed, each delivery's state
 * and next attempt); queue messages only say "look now":
 *
 * 1. A write that committed events announces its tenant (`dispatch` message).
 * 2. `dispatch` fans the tenant's new events out to its enabled endpoints: one delivery
 *    row per (event, endpoint), and the endpoint's cursor moved past them, in one batch
 *    (so two dispatchers never hand out an event twice); then a `deliver` message each.
 * 3. `deliver` claims the delivery (a lease, so a duplicate message waits), POSTs the
 *    signed event, and records the attempt: success; a retry after the next delay of the
 *    schedule (± 10 % jitter), as a delayed message; or, after the last, dead-lettered
 *    (kept, listed and redeliverable). 410 Gone disables the endpoint at once, and so does
 *    failing without a success for WEBHOOK_DISABLE_AFTER_SECONDS.
 * 4. Every minute the sweep re-announces tenants whose events wait undispatched and
 *    re-enqueues deliveries whose message went missing (a failed send, a consumer that
 *    died), so no event is lost between D1 and the queue.
 *
 * Queues rather than Durable Object alarms: the queue gives at-least-once delivery,
 * delayed retries and a dead-letter queue as a service and spreads attempts over many
 * consumers; an alarm per endpoint would serialise each endpoint behind its slowest
 * receiver. The price is order: deliveries of one endpoint may arrive out of order (as
 * Standard Webhooks allows); `GET /v1/events` is the ordered record.
 */

export type WebhookMessage = { kind: "dispatch"; tenantId: number } | { kind: "deliver"; deliveryId: number; attempt: number };

/** What delivery needs of the queue binding (a `Queue<WebhookMessage>`). */
export interface WebhookQueue {
  send(body: WebhookMessage, options?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: Iterable<{ body: WebhookMessage; delaySeconds?: number }>): Promise<unknown>;
}

/** What the consumer should do with a message: done, or look again after `retryAfterSeconds`. */
export type Handled = { retryAfterSeconds?: number };

const d = webhookDeliveries;
const w = webhookEndpoints;
const e = events;

/** Events fanned out per endpoint per dispatch batch. */
const DISPATCH_PAGE = 100;
/** How long an attempt holds its delivery: the timeout and a margin for recording the result (after a crash, a retry waits this out). */
const LEASE_MARGIN_MS = 5_000;
/** A delivery this far past its time with no consumer holding it has lost its message. */
const OVERDUE_MS = 120_000;
/** The longest delay a queue message may carry. */
const MAX_DELAY_SECONDS = 43_200;

function logWarn(msg: string, err: unknown, extra: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: "warn", msg, error: err instanceof Error ? err.message : String(err), ...extra }));
}

/** Sends messages, 100 per call (the queue's limit); a failure is logged, never thrown: the sweep makes up for it. */
async function enqueue(queue: WebhookQueue, messages: { body: WebhookMessage; delaySeconds?: number }[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 100) {
    try {
      await queue.sendBatch(messages.slice(start, start + 100));
    } catch (err) {
      logWarn("webhook enqueue failed; the sweep will retry", err, { messages: messages.length });
      return;
    }
  }
}

/** Announces that the tenants got new events (after the writes committed). */
export function announceEvents(queue: WebhookQueue, tenantIds: Iterable<number>): Promise<void> {
  return enqueue(
    queue,
    [...tenantIds].map((tenantId) => ({ body: { kind: "dispatch", tenantId } })),
  );
}

/** The endpoint receives events of this type (its list, or every type). */
const subscribed = (type: SQLWrapper) =>
  sql`(${w.eventTypes} IS NULL OR EXISTS (SELECT 1 FROM json_each(${w.eventTypes}) WHERE ${sql.identifier("value")} = ${type}))`;

/** Fans the tenant's undispatched events out to its enabled endpoints and enqueues their deliveries. */
export async function dispatch(db: Db, queue: WebhookQueue, tenantId: number): Promise<void> {
  const head = sql`(SELECT coalesce(max(${e.seq}), 0) FROM ${e} WHERE ${e.tenantId} = ${tenantId})`;
  for (let page = 0; page < 50; page++) {
    const now = Date.now();
    const [created, endpoints] = await runBatch(db, [
      rows<{
        id: number;
      }>(sql`INSERT INTO ${d} (${columns(d.tenantId, d.endpointId, d.eventId, d.status, d.attempts, d.nextAttemptAt, d.createdAt, d.updatedAt)})
        SELECT ${tenantId}, ${w.id}, ${e.id}, 'pending', 0, ${now}, ${now}, ${now}
        FROM ${w} JOIN ${e} ON ${e.tenantId} = ${w.tenantId} AND ${e.seq} > ${w.dispatchedSeq} AND ${e.seq} <= ${w.dispatchedSeq} + ${DISPATCH_PAGE}
        WHERE ${w.tenantId} = ${tenantId} AND ${w.status} = 'enabled' AND ${subscribed(e.type)}
        ORDER BY ${e.seq}, ${w.id}
        RETURNING ${col(d.id)} AS "id"`),
      rows<{ behind: number }>(sql`UPDATE ${w} SET ${col(w.dispatchedSeq)} = min(${w.dispatchedSeq} + ${DISPATCH_PAGE}, ${head})
        WHERE ${w.tenantId} = ${tenantId} AND ${w.status} = 'enabled' AND ${w.dispatchedSeq} < ${head}
        RETURNING ${col(w.dispatchedSeq)} < ${head} AS "behind"`),
    ]);
    await enqueue(
      queue,
      created.map(({ id }) => ({ body: { kind: "deliver", deliveryId: id, attempt: 1 } })),
    );
    if (!endpoints.some((endpoint) => endpoint.behind)) return;
  }
  // Still behind after 5,000 events: let the next message carry on.
  await announceEvents(queue, [tenantId]);
}

interface DeliveryState {
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  leaseUntil: number | null;
  tenantId: number;
  endpointId: number;
  eventId: number;
  eventSeq: number | null;
  eventType: EventType | null;
  eventCreatedAt: number | null;
  eventData: string | null;
  url: string;
  endpointStatus: "enabled" | "disabled" | "deleted";
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  failingSince: number | null;
}

/** The delivery with its event and endpoint (the event is gone once retention pruned it). */
const stateOf = (deliveryId: number) =>
  rows<DeliveryState>(sql`SELECT ${d.status} AS "status", ${d.attempts} AS "attempts", ${d.nextAttemptAt} AS "nextAttemptAt", ${d.leaseUntil} AS "leaseUntil",
      ${d.tenantId} AS "tenantId", ${d.endpointId} AS "endpointId", ${d.eventId} AS "eventId",
      ${e.seq} AS "eventSeq", ${e.type} AS "eventType", ${e.createdAt} AS "eventCreatedAt", ${e.data} AS "eventData",
      ${w.url} AS "url", ${w.status} AS "endpointStatus", ${w.secret} AS "secret", ${w.previousSecret} AS "previousSecret",
      ${w.previousSecretExpiresAt} AS "previousSecretExpiresAt", ${w.failingSince} AS "failingSince"
    FROM ${d} JOIN ${w} ON ${w.id} = ${d.endpointId} LEFT JOIN ${e} ON ${e.id} = ${d.eventId}
    WHERE ${d.id} = ${deliveryId}`);

/** The schedule's delay before retry number `retry` (1-based), ± 10 %; null once the schedule is spent. */
export function retryDelaySeconds(schedule: readonly number[], retry: number): number | null {
  const base = schedule[retry - 1];
  if (base === undefined) return null;
  return Math.min(MAX_DELAY_SECONDS, Math.round(base * (0.9 + Math.random() * 0.2)));
}

/** How one attempt went. */
interface Result {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** POSTs the event to the endpoint, signed; a 3xx is an answer like any other (redirects are never followed). */
async function post(config: WebhookConfig, state: DeliveryState, secrets: string[]): Promise<Result> {
  const event = toPublicEvent({
    tenantId: state.tenantId,
    seq: state.eventSeq!,
    type: state.eventType!,
    createdAt: state.eventCreatedAt!,
    data: state.eventData!,
  });
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": "application/json",
    "user-agent": "ficha-webhooks/1",
    "webhook-id": event.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signatureHeader(secrets, event.id, timestamp, body),
  };
  const started = Date.now();
  try {
    const response = await fetch(state.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(config.timeoutMs) });
    await response.body?.cancel();
    return { statusCode: response.status, error: null, durationMs: Date.now() - started };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { statusCode: null, error: timedOut ? "timeout" : "network", durationMs: Date.now() - started };
  }
}

/**
 * Handles a `deliver` message: makes attempt number `attempt` of the delivery if it is
 * due and nobody else is making it, and records what happened. A message for an attempt
 * already made (a duplicate, a stale sweep) is done; one that came early, or while
 * another consumer holds the delivery, looks again later.
 */
export async function deliver(db: Db, queue: WebhookQueue, config: WebhookConfig, deliveryId: number, attempt: number): Promise<Handled> {
  const now = Date.now();
  const leaseUntil = now + config.timeoutMs + LEASE_MARGIN_MS;
  const [claimed, [state]] = await runBatch(db, [
    rows<{ id: number }>(sql`UPDATE ${d} SET ${col(d.leaseUntil)} = ${leaseUntil}
      WHERE ${d.id} = ${deliveryId} AND ${d.status} IN ('pending', 'retrying') AND ${d.attempts} = ${attempt - 1}
        AND coalesce(${d.nextAttemptAt}, 0) <= ${now + 1000} AND coalesce(${d.leaseUntil}, 0) < ${now}
      RETURNING ${col(d.id)} AS "id"`),
    stateOf(deliveryId),
  ]);
  if (claimed.length === 0) {
    if (!state || !["pending", "retrying"].includes(state.status) || state.attempts !== attempt - 1) return {};
    const wake = Math.max(state.leaseUntil ?? 0, state.nextAttemptAt ?? 0);
    return { retryAfterSeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((wake - now) / 1000))) };
  }
  const record = (status: WebhookDeliveryStatus, result: Result | null, next: number | null, endpoint?: SQL) =>
    recordAttempt(db, { deliveryId, leaseUntil, attempt, now: Date.now(), state: state!, status, result, next, endpoint });

  if (state!.endpointStatus === "deleted" || state!.eventSeq === null) {
    await record("cancelled", null, null);
    return {};
  }
  if (state!.endpointStatus === "disabled") {
    await record("dead", { statusCode: null, error: "endpoint_disabled", durationMs: 0 }, null);
    return {};
  }
  // The URL passed the SSRF rules when it was registered; it must still pass them now (WEBHOOK_ALLOW_LOOPBACK turned off since).
  if (!isAllowedUrl(state!.url, config)) {
    await record("dead", { statusCode: null, error: "url_refused", durationMs: 0 }, null);
    return {};
  }
  const secrets = [await decryptSecret(config.secretKey, state!.tenantId, state!.secret)];
  if (state!.previousSecret && (state!.previousSecretExpiresAt ?? 0) > now)
    secrets.push(await decryptSecret(config.secretKey, state!.tenantId, state!.previousSecret));
  const result = await post(config, state!, secrets);
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const at = Date.now();
  if (ok) {
    await record("succeeded", result, null, sql`${col(w.failingSince)} = NULL`);
    return {};
  }
  const gone = result.statusCode === 410;
  const failing = at - (state!.failingSince ?? at) >= config.disableAfterMs;
  const disable = gone ? "gone" : failing ? "failing" : null;
  const delay = disable ? null : retryDelaySeconds(config.retrySchedule, attempt);
  const endpointUpdate = disable
    ? sql`${col(w.failingSince)} = coalesce(${w.failingSince}, ${at}), ${col(w.status)} = 'disabled', ${col(w.disabledReason)} = ${disable}, ${col(w.statusChangedAt)} = ${at}`
    : sql`${col(w.failingSince)} = coalesce(${w.failingSince}, ${at})`;
  const next = delay === null ? null : at + delay * 1000;
  await record(next === null ? "dead" : "retrying", result, next, endpointUpdate);
  if (delay !== null) await enqueue(queue, [{ body: { kind: "deliver", deliveryId, attempt: attempt + 1 }, delaySeconds: delay }]);
  return {};
}

/**
 * One batch: the attempt's log row (when a request was made or refused), the delivery's
 * new state (only while this attempt still holds its lease), and the endpoint's failure
 * streak and status.
 */
async function recordAttempt(
  db: Db,
  a: {
    deliveryId: number;
    leaseUntil: number;
    attempt: number;
    now: number;
    state: DeliveryState;
    status: WebhookDeliveryStatus;
    result: Result | null;
    next: number | null;
    endpoint?: SQL;
  },
): Promise<void> {
  const at = webhookAttempts;
  const outcome = a.status === "succeeded" ? "succeeded" : a.status === "retrying" ? "retrying" : "dead";
  const statements = [
    rows(sql`UPDATE ${d} SET ${col(d.status)} = ${a.status}, ${col(d.attempts)} = ${a.result ? a.attempt : a.attempt - 1},
        ${col(d.nextAttemptAt)} = ${a.next}, ${col(d.leaseUntil)} = NULL, ${col(d.updatedAt)} = ${a.now}
      WHERE ${d.id} = ${a.deliveryId} AND ${d.leaseUntil} = ${a.leaseUntil}`),
  ];
  if (a.result) {
    statements.push(
      rows(sql`INSERT INTO ${at} (${columns(
        at.tenantId,
        at.deliveryId,
        at.endpointId,
        at.eventSeq,
        at.eventType,
        at.attempt,
        at.statusCode,
        at.error,
        at.durationMs,
        at.attemptedAt,
        at.outcome,
        at.nextAttemptAt,
      )})
        VALUES (${a.state.tenantId}, ${a.deliveryId}, ${a.state.endpointId}, ${a.state.eventSeq}, ${a.state.eventType}, ${a.attempt}, ${a.result.statusCode},
          ${a.result.error}, ${a.result.durationMs}, ${a.now}, ${outcome}, ${a.next})`),
    );
  }
  if (a.endpoint) statements.push(rows(sql`UPDATE ${w} SET ${a.endpoint} WHERE ${w.id} = ${a.state.endpointId} AND ${w.status} = 'enabled'`));
  await runBatch(db, statements);
}

/**
 * A message the queue gave up on (its consumer kept failing): the delivery is
 * dead-lettered, with an attempt row saying so (`consumer_failed`, no request made), so
 * it is listed and can be redelivered. A `dispatch` needs nothing: its events still wait
 * in the outbox, and the sweep announces them again.
 */
export async function deadLetter(db: Db, message: WebhookMessage): Promise<void> {
  if (message.kind !== "deliver") return;
  const now = Date.now();
  const at = webhookAttempts;
  const [dead] = await runBatch(db, [
    rows<{ id: number }>(sql`UPDATE ${d} SET ${col(d.status)} = 'dead', ${col(d.attempts)} = ${message.attempt}, ${col(d.nextAttemptAt)} = NULL,
        ${col(d.leaseUntil)} = NULL, ${col(d.updatedAt)} = ${now}
      WHERE ${d.id} = ${message.deliveryId} AND ${d.status} IN ('pending', 'retrying') AND ${d.attempts} = ${message.attempt - 1}
      RETURNING ${col(d.id)} AS "id"`),
    rows(sql`INSERT INTO ${at} (${columns(at.tenantId, at.deliveryId, at.endpointId, at.eventSeq, at.eventType, at.attempt, at.error, at.durationMs, at.attemptedAt, at.outcome)})
      SELECT ${d.tenantId}, ${d.id}, ${d.endpointId}, ${e.seq}, ${e.type}, ${message.attempt}, 'consumer_failed', 0, ${now}, 'dead'
      FROM ${d} JOIN ${e} ON ${e.id} = ${d.eventId}
      WHERE ${d.id} = ${message.deliveryId} AND ${d.status} = 'dead' AND ${d.updatedAt} = ${now}`),
  ]);
  if (dead.length > 0) console.error(JSON.stringify({ level: "warn", msg: "webhook delivery dead-lettered by the queue", deliveryId: message.deliveryId }));
}

/**
 * The recovery path, run every minute: tenants with events their enabled endpoints have
 * not been handed for a minute are announced again, and deliveries overdue with nobody
 * holding them are enqueued again (at most `limit`, oldest first). Either may duplicate a
 * message that was only slow; dispatch and delivery are idempotent.
 */
export async function sweep(db: Db, queue: WebhookQueue, now: number, limit = 500): Promise<{ tenants: number; deliveries: number }> {
  const [lagging, overdue] = await runBatch(db, [
    rows<{ tenantId: number }>(sql`SELECT DISTINCT ${w.tenantId} AS "tenantId" FROM ${w}
      WHERE ${w.status} = 'enabled' AND EXISTS (SELECT 1 FROM ${e} WHERE ${e.tenantId} = ${w.tenantId} AND ${e.seq} > ${w.dispatchedSeq} AND ${e.createdAt} < ${now - 60_000})`),
    rows<{ id: number; attempts: number }>(sql`SELECT ${d.id} AS "id", ${d.attempts} AS "attempts" FROM ${d}
      WHERE ${d.status} IN ('pending', 'retrying') AND ${d.nextAttemptAt} < ${now - OVERDUE_MS} AND coalesce(${d.leaseUntil}, 0) < ${now}
      ORDER BY ${d.nextAttemptAt} LIMIT ${limit}`),
  ]);
  await announceEvents(
    queue,
    lagging.map((row) => row.tenantId),
  );
  await enqueue(
    queue,
    overdue.map((row) => ({ body: { kind: "deliver", deliveryId: row.id, attempt: row.attempts + 1 } })),
  );
  return { tenants: lagging.length, deliveries: overdue.length };
}

/**
 * A fresh delivery of one of the tenant's events to each of its endpoints (the enabled
 * ones that receive its type and have been handed it: created before it, and past it
 * in their fan-out), enqueued at once. With `to`, to that one endpoint only, recorded in
 * the audit log under `to.by` (an operator's redelivery from the console or the admin
 * API): not_found for an unknown, deleted or another tenant's endpoint, and nothing
 * queued when it is disabled or does not receive the event.
 * not_found for an unknown, pruned or another tenant's event.
 */
export async function redeliver(
  db: Db,
  queue: WebhookQueue,
  tenantId: number,
  id: string,
  to?: { endpointId: number; by: AuditActor },
): Promise<{ eventId: string; endpointIds: number[] }> {
  const ref = parseEventId(id);
  if (!ref || ref.tenantId !== tenantId) throw new NotFound("event");
  const now = Date.now();
  const only = to ? sql`AND ${w.id} = ${to.endpointId}` : sql``;
  // Delivery ids grow: the newest is the one this batch inserted, if it did.
  const newest = sql`(SELECT max(${d.id}) FROM ${d})`;
  const [found, created, endpoint] = await runBatch(db, [
    rows<Pick<Event, "id">>(sql`SELECT ${e.id} AS "id" FROM ${e} WHERE ${e.tenantId} = ${tenantId} AND ${e.seq} = ${ref.seq}`),
    rows<{
      id: number;
      endpointId: number;
    }>(sql`INSERT INTO ${d} (${columns(d.tenantId, d.endpointId, d.eventId, d.status, d.attempts, d.nextAttemptAt, d.createdAt, d.updatedAt)})
      SELECT ${tenantId}, ${w.id}, ${e.id}, 'pending', 0, ${now}, ${now}, ${now}
      FROM ${e} JOIN ${w} ON ${w.tenantId} = ${e.tenantId}
      WHERE ${e.tenantId} = ${tenantId} AND ${e.seq} = ${ref.seq} AND ${w.status} = 'enabled' AND ${e.seq} > ${w.startSeq} AND ${e.seq} <= ${w.dispatchedSeq}
        AND ${subscribed(e.type)} ${only}
      ORDER BY ${w.id}
      RETURNING ${col(d.id)} AS "id", ${col(d.endpointId)} AS "endpointId"`),
    ...(to
      ? [
          rows<{ id: number }>(
            sql`SELECT ${w.id} AS "id" FROM ${w} WHERE ${w.tenantId} = ${tenantId} AND ${w.status} <> 'deleted' AND ${w.id} = ${to.endpointId}`,
          ),
          auditStatement(
            to.by,
            { action: "webhook_endpoint.redelivered", tenantId, target: `webhook_endpoint:${to.endpointId}`, summary: { event: eventId(tenantId, ref.seq) } },
            sql`EXISTS (SELECT 1 FROM ${d} WHERE ${d.id} = ${newest} AND ${d.tenantId} = ${tenantId} AND ${d.endpointId} = ${to.endpointId} AND ${d.createdAt} = ${now})`,
          ),
        ]
      : []),
  ]);
  if (to && endpoint?.length === 0) throw new NotFound("webhook_endpoint");
  if (found.length === 0) throw new NotFound("event");
  await enqueue(
    queue,
    created.map((row) => ({ body: { kind: "deliver", deliveryId: row.id, attempt: 1 } })),
  );
  return { eventId: eventId(tenantId, ref.seq), endpointIds: created.map((row) => row.endpointId) };
}
