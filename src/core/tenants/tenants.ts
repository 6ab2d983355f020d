import { asc, eq, gt, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { credentials, settings, type Tenant, tenants } from "../../db/schema";
import { col } from "../../db/sql";
import { type AuditActor, auditStatement } from "../audit";
import { NotFound, RuleViolation } from "../errors";

export type { Tenant } from "../../db/schema";

/** The deployment-wide setting that names the tenant receiving public VLT (kiosk) registrations. */
const VLT_DESTINATION = "vlt_destination_tenant";

/** True when `zone` is an IANA time zone the runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The tenant the batch inserted last (rows are never deleted, so the newest has the highest id). */
const lastTenantId = sql<number>`(SELECT max(${tenants.id}) FROM ${tenants})`;

export async function createTenant(db: Db, input: { name: string; timezone?: string }, by: AuditActor): Promise<Tenant> {
  const timezone = input.timezone ?? "UTC";
  if (!isTimeZone(timezone)) throw new RuleViolation("unknown_time_zone");
  const [[tenant]] = await runBatch(db, [
    bound(db.insert(tenants).values({ name: input.name, timezone, createdAt: Date.now() }).returning().prepare()),
    auditStatement(by, {
      action: "tenant.created",
      tenantId: lastTenantId,
      target: sql`'tenant:' || ${lastTenantId}`,
      summary: { name: input.name, timezone },
    }),
  ]);
  return tenant!;
}

/** What an operator may change of a tenant; undefined leaves a field alone, a null `partnerRateLimit` restores the default. */
export interface TenantChange {
  name?: string;
  timezone?: string;
  partnerRateLimit?: number | null;
  partnerReplicaReads?: boolean;
}

/**
 * Changes a tenant, in one batch with its audit entry. A new partner rate limit or replica
 * setting is copied onto the tenant's credentials in the same batch (the Bearer check
 * reads them from there, see `credentials.rate_limit`). A new time zone applies to report days from now on;
 * rebuild the reports to recount past days in it.
 */
export async function updateTenant(db: Db, id: number, change: TenantChange, by: AuditActor): Promise<Tenant> {
  if (change.timezone !== undefined && !isTimeZone(change.timezone)) throw new RuleViolation("unknown_time_zone");
  const set = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as TenantChange;
  const exists = sql`EXISTS (SELECT 1 FROM ${tenants} WHERE ${tenants.id} = ${id})`;
  const [[tenant]] = await runBatch(db, [
    Object.keys(set).length > 0
      ? bound(db.update(tenants).set(set).where(eq(tenants.id, id)).returning().prepare())
      : bound(db.select().from(tenants).where(eq(tenants.id, id)).prepare()),
    auditStatement(by, { action: "tenant.updated", tenantId: id, target: `tenant:${id}`, summary: { fields: Object.keys(set), ...set } }, exists),
    ...(set.partnerRateLimit === undefined
      ? []
      : [rows<never>(sql`UPDATE ${credentials} SET ${col(credentials.rateLimit)} = ${set.partnerRateLimit} WHERE ${credentials.tenantId} = ${id}`)]),
    ...(set.partnerReplicaReads === undefined
      ? []
      : [
          rows<never>(
            sql`UPDATE ${credentials} SET ${col(credentials.replicaReads)} = ${set.partnerReplicaReads ? 1 : 0} WHERE ${credentials.tenantId} = ${id}`,
          ),
        ]),
  ]);
  if (!tenant) throw new NotFound("tenant");
  return tenant;
}

/** A tenant as operators list it: its counters and whether public kiosk registrations land in it. */
export interface TenantSummary {
  id: number;
  name: string;
  timezone: string;
  activeCustomers: number;
  vltDestination: boolean;
  /** Requests per minute per partner credential; null: the deployment's PARTNER_RATE_LIMIT. */
  partnerRateLimit: number | null;
  partnerReplicaReads: boolean;
  createdAt: number;
}

const vltDestinationValue = sql`(SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${VLT_DESTINATION})`;
const summaryColumns = {
  id: tenants.id,
  name: tenants.name,
  timezone: tenants.timezone,
  activeCustomers: tenants.activeCustomers,
  vltDestination: sql<number>`coalesce(CAST(${tenants.id} AS TEXT) = ${vltDestinationValue}, 0)`.as("vlt_destination"),
  partnerRateLimit: tenants.partnerRateLimit,
  partnerReplicaReads: tenants.partnerReplicaReads,
  createdAt: tenants.createdAt,
};

const tenantPage = prepared((db) =>
  db
    .select(summaryColumns)
    .from(tenants)
    .where(gt(tenants.id, sql.placeholder("afterId")))
    .orderBy(asc(tenants.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

const tenantSummary = prepared((db) =>
  db
    .select(summaryColumns)
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder("id")))
    .prepare(),
);

const toSummary = (row: Omit<TenantSummary, "vltDestination"> & { vltDestination: number }): TenantSummary => ({
  ...row,
  vltDestination: row.vltDestination === 1,
});

/** Tenants in id order after `afterId` (a keyset page: one range of the primary key), and the `afterId` of the next page. */
export async function listTenants(db: Db, page: { afterId: number; limit: number }): Promise<{ tenants: TenantSummary[]; next: number | null }> {
  const found = await tenantPage(db).all({ afterId: page.afterId, limit: page.limit + 1 });
  const list = found.slice(0, page.limit).map(toSummary);
  return { tenants: list, next: found.length > page.limit ? (list.at(-1)?.id ?? null) : null };
}

/** One tenant as `listTenants` shows it; not_found when there is none. */
export async function getTenantSummary(db: Db, id: number): Promise<TenantSummary> {
  const row = await tenantSummary(db).get({ id });
  if (!row) throw new NotFound("tenant");
  return toSummary(row);
}

/** The tenant that receives kiosk registrations now, as SQL (NULL when none). */
const currentVltDestination = sql`(SELECT CAST(${settings.value} AS INTEGER) FROM ${settings} WHERE ${settings.key} = ${VLT_DESTINATION})`;

export async function setVltDestination(db: Db, tenantId: number, by: AuditActor): Promise<void> {
  const now = Date.now();
  const exists = sql`EXISTS (SELECT 1 FROM ${tenants} WHERE ${tenants.id} = ${tenantId})`;
  const s = settings;
  const [found] = await runBatch(db, [
    rows<{ id: number }>(sql`SELECT ${tenants.id} AS "id" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`),
    auditStatement(by, { action: "vlt_destination.set", tenantId, target: `tenant:${tenantId}`, summary: {} }, exists),
    // (`WHERE` before `ON CONFLICT` keeps SQLite from reading the conflict clause as a join's.)
    rows<never>(sql`INSERT INTO ${s} (${col(s.key)}, ${col(s.value)}, ${col(s.updatedAt)}) SELECT ${VLT_DESTINATION}, ${String(tenantId)}, ${now} WHERE ${exists}
      ON CONFLICT (${col(s.key)}) DO UPDATE SET ${col(s.value)} = excluded.${col(s.value)}, ${col(s.updatedAt)} = excluded.${col(s.updatedAt)}`),
  ]);
  if (found.length === 0) throw new NotFound("tenant");
  cachedVltDestination = null;
}

/** Unsets the destination; the entry names the tenant that stops receiving registrations (none when it was unset already). */
export async function clearVltDestination(db: Db, by: AuditActor): Promise<void> {
  await runBatch(db, [
    auditStatement(by, {
      action: "vlt_destination.unset",
      tenantId: currentVltDestination,
      target: sql`coalesce('tenant:' || ${currentVltDestination}, 'setting:vlt_destination')`,
      summary: {},
    }),
    bound(db.delete(settings).where(eq(settings.key, VLT_DESTINATION)).prepare()),
  ]);
  cachedVltDestination = null;
}

const vltDestinationRow = prepared((db) => db.select({ value: settings.value }).from(settings).where(eq(settings.key, VLT_DESTINATION)).prepare());

const destinationOf = (found: { value: string }[]) => (found[0] ? Number(found[0].value) : null);

/** The tenant id kiosk registrations land in, or null when none is configured. */
export async function getVltDestination(db: Db): Promise<number | null> {
  const [found] = await runBatch(db, [bound(vltDestinationRow(db))]);
  return destinationOf(found);
}

/** How long an isolate trusts the destination it read (see `getVltDestinationCached`). */
export const VLT_DESTINATION_CACHE_MS = 30_000;

let cachedVltDestination: { tenantId: number | null; readAt: number } | null = null;

/**
 * `getVltDestination`, remembered by this isolate for VLT_DESTINATION_CACHE_MS, so that a
 * kiosk tap answered from its card's memo costs no D1 read. Changing the setting clears
 * the copy of the isolate that served the change; other isolates follow within the TTL.
 */
export async function getVltDestinationCached(db: Db): Promise<number | null> {
  const now = Date.now();
  if (cachedVltDestination && now - cachedVltDestination.readAt < VLT_DESTINATION_CACHE_MS) return cachedVltDestination.tenantId;
  const tenantId = await getVltDestination(db);
  cachedVltDestination = { tenantId, readAt: now };
  return tenantId;
}

/**
 * A statement for another read batch that reads the destination again and refreshes this
 * isolate's copy with it (for the registrations, which read D1 anyway). A registration
 * in flight keeps the tenant it started with: the copy is trusted for its TTL either way.
 */
export function vltDestinationRefresh(db: Db): Statement<void> {
  const statement = bound(vltDestinationRow(db));
  return {
    query: statement.query,
    read: (result) => {
      cachedVltDestination = { tenantId: destinationOf(statement.read(result)), readAt: Date.now() };
    },
  };
}
