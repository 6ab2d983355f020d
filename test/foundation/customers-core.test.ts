import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createCustomer, deactivateCustomer } from "../../src/core/customers";
import { DomainError } from "../../src/core/errors";
import { createDb } from "../../src/db/client";
import { customers } from "../../src/db/schema";
import { CostMeter } from "../../src/db/cost-meter";
import { admin, call, newTenant } from "../helpers";

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
});

describe("tenant counters", () => {
  it("follow every insert, soft delete and document change by trigger, even from raw SQL", async () => {
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Counters" });
    const counters = () =>
      env.DB.prepare("SELECT active_customers AS active, documented_customers AS documented FROM tenants WHERE id = ?").bind(tenant.id).first();
    const now = Date.now();
    const insert = (document: string | null, active = 1) =>
      env.DB.prepare("INSERT INTO customers (tenant_id, active, channel, document_number, created_at, updated_at) VALUES (?, ?, 'kiosk', ?, ?, ?)")
        .bind(tenant.id, active, document, now, now)
        .run();
    await insert("111");
    await insert(null);
    await insert("222", 0);
    expect(await counters()).toEqual({ active: 2, documented: 1 });
    await env.DB.prepare("UPDATE customers SET document_number = '333' WHERE tenant_id = ? AND document_number IS NULL").bind(tenant.id).run();
    expect(await counters()).toEqual({ active: 2, documented: 2 });
    await env.DB.prepare("UPDATE customers SET active = 0 WHERE tenant_id = ? AND document_number = '111'").bind(tenant.id).run();
    expect(await counters()).toEqual({ active: 1, documented: 1 });
    // Rewriting a column to the value it has moves nothing.
    await env.DB.prepare("UPDATE customers SET active = active, document_number = document_number WHERE tenant_id = ?").bind(tenant.id).run();
    expect(await counters()).toEqual({ active: 1, documented: 1 });
    const actual = await env.DB.prepare(
      "SELECT SUM(active) AS active, SUM(active = 1 AND document_number IS NOT NULL) AS documented FROM customers WHERE tenant_id = ?",
    )
      .bind(tenant.id)
      .first();
    expect(await counters()).toEqual(actual);
  });
});

describe("soft deletion gives up the customer's cards", () => {
  it("cancels the active cards of a deactivated customer and leaves other customers' alone", async () => {
    const db = createDb(env.DB);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Cards" });
    const leaving = await createCustomer(db, tenant.id, { channel: "kiosk", name: "Leaving" });
    const staying = await createCustomer(db, tenant.id, { channel: "kiosk", name: "Staying" });
    const now = Date.now();
    const bind = (customerId: number, uid: string, status = "active") =>
      env.DB.prepare("INSERT INTO cards (tenant_id, customer_id, kind, uid, status, created_at, status_changed_at) VALUES (?, ?, 'rfid', ?, ?, ?, ?)")
        .bind(tenant.id, customerId, uid, status, now, now)
        .run();
    await bind(leaving.id, "L-ACTIVE");
    await bind(leaving.id, "L-OLD", "replaced");
    await bind(staying.id, "S-ACTIVE");
    await deactivateCustomer(db, tenant.id, leaving.id);
    const statuses = await env.DB.prepare("SELECT uid, status FROM cards WHERE tenant_id = ? ORDER BY uid").bind(tenant.id).all();
    expect(statuses.results).toEqual([
      { uid: "L-ACTIVE", status: "cancelled" },
      { uid: "L-OLD", status: "replaced" },
      { uid: "S-ACTIVE", status: "active" },
    ]);
  });

  it("frees a deleted parking customer's tag code for another customer (deleted through the clients surface)", async () => {
    const t = await newTenant();
    const added = await call("POST", "/api/v3/business/customer/add", {
      headers: t.auth,
      body: { email: "a@example.com", phone: "+56975880800", isUnlimited: false, refId: "REF-1", tags: [{ code: "O202020", plate: "JPKJ21" }] },
    });
    expect(added.status).toBe(201);
    expect((await call("DELETE", `/api/clientes/${added.body.customer}`, { headers: t.auth })).status).toBe(200);
    const rebound = await call("POST", "/api/v3/business/customer/add", {
      headers: t.auth,
      body: { email: "b@example.com", phone: "+56975880801", isUnlimited: false, refId: "REF-2", tags: [{ code: "O202020", plate: "JPKJ21" }] },
    });
    expect(rebound.status).toBe(201);
    expect(rebound.body.tags).toEqual([{ tag: "O202020", status: true }]);
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
    // A Drizzle select goes through raw(), which the meter serves through all() to get meta.
    const found = await db.select().from(customers).where(eq(customers.id, created.id)).get();
    expect(found?.name).toBe("Carla");
    expect(meter.d1RoundTrips).toBe(2);
    expect(meter.rowsRead).toBeGreaterThanOrEqual(1);
  });
});
