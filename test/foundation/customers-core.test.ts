import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCustomer, deactivateCustomer, getActiveCustomer } from "../../src/core/customers";
import { DomainError } from "../../src/core/errors";
import { createDb } from "../../src/db/client";
import { CostMeter } from "../../src/db/cost-meter";
import { admin } from "../helpers";

const activeCount = async (tenantId: number) =>
  (await env.DB.prepare("SELECT active_customers AS n FROM tenants WHERE id = ?").bind(tenantId).first<{ n: number }>())?.n;

describe("customer registry core", () => {
  it("keeps the tenant's active-customer counter in step with inserts and soft deletes", async () => {
    const db = createDb(env.DB);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Registry" });
    const a = await createCustomer(db, tenant.id, { channel: "clients", name: "Ana" });
    const b = await createCustomer(db, tenant.id, { channel: "kiosk", name: "Beto" });
    expect(await activeCount(tenant.id)).toBe(2);
    await deactivateCustomer(db, tenant.id, a.id);
    expect(await activeCount(tenant.id)).toBe(1);
    // A second deletion, or one from another tenant, changes nothing and is not_found.
    await expect(deactivateCustomer(db, tenant.id, a.id)).rejects.toThrow(DomainError);
    await expect(deactivateCustomer(db, tenant.id + 1, b.id)).rejects.toThrow(DomainError);
    expect(await activeCount(tenant.id)).toBe(1);
    const row = await env.DB.prepare("SELECT active FROM customers WHERE id = ?").bind(a.id).first<{ active: number }>();
    expect(row?.active).toBe(0);
  });

  it("answers another tenant's customer exactly like a missing one", async () => {
    const db = createDb(env.DB);
    const { body: mine } = await admin("POST", "/admin/tenants", { name: "Mine" });
    const { body: theirs } = await admin("POST", "/admin/tenants", { name: "Theirs" });
    const customer = await createCustomer(db, theirs.id, { channel: "sales", name: "Otro" });
    const missing = await getActiveCustomer(db, mine.id, 99_999_999).catch((e: DomainError) => e.code);
    const foreign = await getActiveCustomer(db, mine.id, customer.id).catch((e: DomainError) => e.code);
    expect(foreign).toBe("not_found");
    expect(foreign).toEqual(missing);
  });
});

describe("cost meter", () => {
  it("counts round trips and rows from D1's meta, a batch once, including reads Drizzle sends through raw()", async () => {
    const meter = new CostMeter();
    const db = createDb(env.DB, meter);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Metered" });
    const created = await createCustomer(db, tenant.id, { channel: "clients", name: "Carla" });
    expect(meter.d1RoundTrips).toBe(1);
    expect(meter.rowsWritten).toBeGreaterThanOrEqual(2);
    const found = await getActiveCustomer(db, tenant.id, created.id);
    expect(found.name).toBe("Carla");
    expect(meter.d1RoundTrips).toBe(2);
    expect(meter.rowsRead).toBeGreaterThanOrEqual(1);
  });
});
