import { and, asc, desc, eq, gt, lt, ne, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import {
  type EventType,
  events,
  tenants,
  type WebhookAttemptOutcome,
  type WebhookEndpoint,
  type WebhookEndpointStatus,
  webhookAttempts,
  type webhookDisabledReasons,
  webhookEndpoints,
} from "../../db/schema";
import { col, columns } from "../../db/sql";
import { type AuditActor, auditStatement } from "../audit";
import { NotFound, RuleViolation } from "../errors";
import { eventId } from "../events/feed";
import type { WebhookConfig } from "./config";
import { encryptSecret, newSigningSecret } from "./secrets";
import { checkEndpointUrl } from "./urls";

/**
 * A tenant's webhook endpoints: where its events are POSTed, which types each receives,
 * and its signing secret. An endpoint receives the events committed after it was created
 * (earlier ones are in the feed). Deleting one stops its deliveries at once; the row stays
 * (status `deleted`), so its deliveries keep naming it. A disabled endpoint stays
 * disabled until an operator enables it again (`enableEndpoint`) or it is registered anew.
 */

/** Most endpoints (enabled or disabled) a tenant may hold: each event is fanned out to every one. */
export const MAX_ENDPOINTS_PER_TENANT = 20;

export interface EndpointView {
  id: number;
  url: string;
  /** null: every type. */
  eventTypes: EventType[] | null;
  status: Exclude<WebhookEndpointStatus, "deleted">;
  disabledReason: (typeof webhookDisabledReasons)[number] | null;
  /** Start of the current run of failed attempts (null after a success). */
  failingSince: number | null;
  createdAt: number;
  statusChangedAt: number;
  /** While a rotated-out secret still signs, when it stops. */
  previousSecretExpiresAt: number | null;
}

function toView(row: WebhookEndpoint, now = Date.now()): EndpointView {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes === null ? null : (JSON.parse(row.eventTypes) as EventType[]),
    status: row.status === "disabled" ? "disabled" : "enabled",
    disabledReason: row.disabledReason,
    failingSince: row.failingSince,
    createdAt: row.createdAt,
    statusChangedAt: row.statusChangedAt,
    previousSecretExpiresAt: row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null,
  };
}

const w = webhookEndpoints;
const live = (tenantId: number, id?: number) => and(eq(w.tenantId, tenantId), ne(w.status, "deleted"), id === undefined ? undefined : eq(w.id, id));

/**
 * Registers an endpoint (URL checked by the SSRF rules) and returns it with its secret,
 * the only time the secret is shown. It starts after the tenant's latest event.
 */
export async function createEndpoint(
  db: Db,
  config: WebhookConfig,
  tenantId: number,
  input: { url: string; eventTypes: EventType[] | null },
  by: AuditActor,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const url = checkEndpointUrl(input.url, { allowLoopback: config.allowLoopback });
  const secret = newSigningSecret();
  const sealed = await encryptSecret(config.secretKey, tenantId, secret);
  const now = Date.now();
  const types = input.eventTypes === null ? null : JSON.stringify([...new Set(input.eventTypes)]);
  const held = sql`(SELECT count(*) FROM ${w} WHERE ${live(tenantId)})`;
  const latest = sql`(SELECT coalesce(max(${events.seq}), 0) FROM ${events} WHERE ${events.tenantId} = ${tenantId})`;
  // Rows are never deleted, so the newest has the highest id: the one this batch inserted, if it did.
  const newest = sql`(SELECT max(${w.id}) FROM ${w})`;
  const [inserted] = await runBatch(db, [
    rows<WebhookEndpoint>(sql`INSERT INTO ${w} (${columns(w.tenantId, w.url, w.eventTypes, w.secret, w.status, w.startSeq, w.dispatchedSeq, w.createdAt, w.statusChangedAt)})
      SELECT ${tenantId}, ${url}, ${types}, ${sealed}, 'enabled', ${latest}, ${latest}, ${now}, ${now}
      WHERE ${held} < ${MAX_ENDPOINTS_PER_TENANT}
      RETURNING ${col(w.id)} AS "id"`),
    auditStatement(
      by,
      {
        action: "webhook_endpoint.created",
        tenantId,
        target: sql`'webhook_endpoint:' || ${newest}`,
        summary: { host: new URL(url).host, events: input.eventTypes ?? [] },
      },
      sql`EXISTS (SELECT 1 FROM ${w} WHERE ${w.id} = ${newest} AND ${w.tenantId} = ${tenantId} AND ${w.createdAt} = ${now})`,
    ),
  ]);
  if (inserted.length === 0) throw new RuleViolation("too_many_webhook_endpoints", { limit: MAX_ENDPOINTS_PER_TENANT });
  const endpoint = { id: inserted[0]!.id, url, eventTypes: input.eventTypes === null ? null : (JSON.parse(types!) as EventType[]) };
  return {
    endpoint: { ...endpoint, status: "enabled", disabledReason: null, failingSince: null, createdAt: now, statusChangedAt: now, previousSecretExpiresAt: null },
    secret,
  };
}

const endpointPage = prepared((db) =>
  db
    .select()
    .from(w)
    .where(and(eq(w.tenantId, sql.placeholder("tenantId")), ne(w.status, "deleted"), gt(w.id, sql.placeholder("afterId"))))
    .orderBy(asc(w.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

const endpointById = prepared((db) =>
  db
    .select()
    .from(w)
    .where(and(eq(w.id, sql.placeholder("id")), eq(w.tenantId, sql.placeholder("tenantId")), ne(w.status, "deleted")))
    .prepare(),
);

/**
 * The tenant's endpoints, oldest first (deleted ones are gone), `limit` at a time after
 * endpoint `afterId`, and the cursor of the next page (null at the end). By default one
 * page holds them all (a tenant holds at most MAX_ENDPOINTS_PER_TENANT). not_found for an
 * unknown tenant.
 */
export async function listEndpoints(
  db: Db,
  tenantId: number,
  page: { afterId: number; limit: number } = { afterId: 0, limit: MAX_ENDPOINTS_PER_TENANT },
): Promise<{ endpoints: EndpointView[]; next: number | null }> {
  const [tenant, found] = await runBatch(db, [
    rows<{ id: number }>(sql`SELECT ${tenants.id} AS "id" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`),
    bound(endpointPage(db), { tenantId, afterId: page.afterId, limit: page.limit + 1 }),
  ]);
  if (tenant.length === 0) throw new NotFound("tenant");
  const now = Date.now();
  const endpoints = found.slice(0, page.limit).map((row) => toView(row, now));
  return { endpoints, next: found.length > page.limit ? endpoints.at(-1)!.id : null };
}

/** One of the tenant's endpoints. not_found for an unknown, deleted or another tenant's id. */
export async function getEndpoint(db: Db, tenantId: number, id: number): Promise<EndpointView> {
  const [found] = await runBatch(db, [bound(endpointById(db), { id, tenantId })]);
  if (!found[0]) throw new NotFound("webhook_endpoint");
  return toView(found[0]);
}

/**
 * Enables a disabled endpoint again (an operator's decision, once its receiver is fixed):
 * its failure streak is forgotten and it receives the events committed from now on. The
 * events written while it was disabled are not sent (they would arrive as a burst of stale
 * changes); they stay in the feed, and each can be redelivered to it. Enabling an enabled
 * endpoint changes nothing (and records nothing). not_found for an unknown, deleted or
 * another tenant's id.
 */
export async function enableEndpoint(db: Db, tenantId: number, id: number, by: AuditActor): Promise<EndpointView> {
  const now = Date.now();
  const latest = sql`(SELECT coalesce(max(${events.seq}), 0) FROM ${events} WHERE ${events.tenantId} = ${tenantId})`;
  const [, , [row]] = await runBatch(db, [
    rows(sql`UPDATE ${w} SET ${col(w.status)} = 'enabled', ${col(w.disabledReason)} = NULL, ${col(w.failingSince)} = NULL,
        ${col(w.statusChangedAt)} = ${now}, ${col(w.dispatchedSeq)} = max(${w.dispatchedSeq}, ${latest})
      WHERE ${live(tenantId, id)} AND ${w.status} = 'disabled'`),
    auditStatement(
      by,
      { action: "webhook_endpoint.enabled", tenantId, target: `webhook_endpoint:${id}`, summary: {} },
      sql`EXISTS (SELECT 1 FROM ${w} WHERE ${live(tenantId, id)} AND ${w.status} = 'enabled' AND ${w.statusChangedAt} = ${now})`,
    ),
    bound(endpointById(db), { id, tenantId }),
  ]);
  if (!row) throw new NotFound("webhook_endpoint");
  return toView(row, now);
}

/** Deletes an endpoint: no further attempt is made to it. not_found for an unknown or another tenant's id. */
export async function deleteEndpoint(db: Db, tenantId: number, id: number, by: AuditActor): Promise<void> {
  const now = Date.now();
  const [deleted] = await runBatch(db, [
    rows<{ id: number }>(
      sql`UPDATE ${w} SET ${col(w.status)} = 'deleted', ${col(w.statusChangedAt)} = ${now} WHERE ${live(tenantId, id)} RETURNING ${col(w.id)}`,
    ),
    auditStatement(
      by,
      { action: "webhook_endpoint.deleted", tenantId, target: `webhook_endpoint:${id}`, summary: {} },
      sql`EXISTS (SELECT 1 FROM ${w} WHERE ${w.id} = ${id} AND ${w.status} = 'deleted' AND ${w.statusChangedAt} = ${now})`,
    ),
  ]);
  if (deleted.length === 0) throw new NotFound("webhook_endpoint");
}

/**
 * Gives the endpoint a new secret. Until the grace period ends, deliveries are signed
 * with both (the new one first); a second rotation within it retires the oldest at once.
 */
export async function rotateSecret(
  db: Db,
  config: WebhookConfig,
  tenantId: number,
  id: number,
  by: AuditActor,
): Promise<{ secret: string; previousExpiresAt: number }> {
  const secret = newSigningSecret();
  const sealed = await encryptSecret(config.secretKey, tenantId, secret);
  const previousExpiresAt = Date.now() + config.graceMs;
  const [rotated] = await runBatch(db, [
    rows<{ id: number }>(sql`UPDATE ${w} SET ${col(w.previousSecret)} = ${w.secret}, ${col(w.secret)} = ${sealed},
        ${col(w.previousSecretExpiresAt)} = ${previousExpiresAt}
      WHERE ${live(tenantId, id)} RETURNING ${col(w.id)}`),
    auditStatement(
      by,
      {
        action: "webhook_endpoint.secret_rotated",
        tenantId,
        target: `webhook_endpoint:${id}`,
        summary: { previousSecretExpiresAt: new Date(previousExpiresAt).toISOString() },
      },
      sql`EXISTS (SELECT 1 FROM ${w} WHERE ${w.id} = ${id} AND ${w.secret} = ${sealed})`,
    ),
  ]);
  if (rotated.length === 0) throw new NotFound("webhook_endpoint");
  return { secret, previousExpiresAt };
}

/** One attempt of a delivery, as the endpoint's log shows it. */
export interface AttemptView {
  id: number;
  deliveryId: number;
  eventId: string;
  eventType: EventType;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: number;
  outcome: WebhookAttemptOutcome;
  nextAttemptAt: number | null;
}

/**
 * The endpoint and its attempts, newest first, `limit` at a time from before attempt
 * `before`, and the cursor of the next page (null at the end), in one round trip.
 * not_found for an unknown or another tenant's endpoint.
 */
export async function listAttempts(
  db: Db,
  tenantId: number,
  endpointId: number,
  page: { before: number | null; limit: number },
): Promise<{ endpoint: EndpointView; attempts: AttemptView[]; next: number | null }> {
  const at = webhookAttempts;
  const [[endpoint], found] = await db.batch([
    db.select().from(w).where(live(tenantId, endpointId)),
    db
      .select()
      .from(at)
      .where(and(eq(at.endpointId, endpointId), eq(at.tenantId, tenantId), page.before === null ? undefined : lt(at.id, page.before)))
      .orderBy(desc(at.id))
      .limit(page.limit + 1),
  ]);
  if (!endpoint) throw new NotFound("webhook_endpoint");
  const attempts = found.slice(0, page.limit).map((row) => ({
    id: row.id,
    deliveryId: row.deliveryId,
    eventId: eventId(row.tenantId, row.eventSeq),
    eventType: row.eventType,
    attempt: row.attempt,
    statusCode: row.statusCode,
    error: row.error,
    durationMs: row.durationMs,
    attemptedAt: row.attemptedAt,
    outcome: row.outcome,
    nextAttemptAt: row.nextAttemptAt,
  }));
  return { endpoint: toView(endpoint), attempts, next: found.length > page.limit ? attempts.at(-1)!.id : null };
}
