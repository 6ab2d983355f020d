import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { settings, type Tenant, tenants } from "../../db/schema";
import { NotFound, RuleViolation } from "../errors";

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

/** The deployment-wide setting that names the tenant receiving public VLT (kiosk) registrations. */
const VLT_DESTINATION = "vlt_destination_tenant";

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
