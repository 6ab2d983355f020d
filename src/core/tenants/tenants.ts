import { asc, eq, gt, sql } from "drizzle-orm";
import { prepared } from "../../db/batch";
import type { Db } from "../../db/client";
import { settings, type Tenant, tenants } from "../../db/schema";
import { NotFound, RuleViolation } from "../errors";

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

export async function createTenant(db: Db, input: { name: string; timezone?: string }): Promise<Tenant> {
  const timezone = input.timezone ?? "UTC";
  if (!isTimeZone(timezone)) throw new RuleViolation("unknown_time_zone");
  const [tenant] = await db.insert(tenants).values({ name: input.name, timezone, createdAt: Date.now() }).returning();
  return tenant!;
}

export async function getTenant(db: Db, id: number): Promise<Tenant> {
  const tenant = await db.select().from(tenants).where(eq(tenants.id, id)).get();
  if (!tenant) throw new NotFound("tenant");
  return tenant;
}

/** Changes a tenant's name or time zone (undefined leaves it alone). Report counters keep the days they were counted in until a rebuild. */
export async function updateTenant(db: Db, id: number, input: { name?: string; timezone?: string }): Promise<Tenant> {
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) throw new RuleViolation("unknown_time_zone");
  const changes = { name: input.name, timezone: input.timezone };
  const [tenant] =
    changes.name === undefined && changes.timezone === undefined
      ? [await getTenant(db, id)]
      : await db.update(tenants).set(changes).where(eq(tenants.id, id)).returning();
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
  createdAt: number;
}

const vltDestinationValue = sql`(SELECT ${settings.value} FROM ${settings} WHERE ${settings.key} = ${VLT_DESTINATION})`;
const summaryColumns = {
  id: tenants.id,
  name: tenants.name,
  timezone: tenants.timezone,
  activeCustomers: tenants.activeCustomers,
  vltDestination: sql<number>`coalesce(CAST(${tenants.id} AS TEXT) = ${vltDestinationValue}, 0)`.as("vlt_destination"),
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

export async function setVltDestination(db: Db, tenantId: number): Promise<void> {
  await getTenant(db, tenantId);
  const now = Date.now();
  await db
    .insert(settings)
    .values({ key: VLT_DESTINATION, value: String(tenantId), updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: String(tenantId), updatedAt: now } });
  cachedVltDestination = null;
}

export async function clearVltDestination(db: Db): Promise<void> {
  await db.delete(settings).where(eq(settings.key, VLT_DESTINATION));
  cachedVltDestination = null;
}

/** The tenant id kiosk registrations land in, or null when none is configured. */
export async function getVltDestination(db: Db): Promise<number | null> {
  const row = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, VLT_DESTINATION)).get();
  return row ? Number(row.value) : null;
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
