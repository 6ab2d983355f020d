import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { NotFound } from "../../src/core/errors";
import { createCustomer, deactivateCustomer } from "../../src/core/registry/customers";
import { createDb, RequestIo, withRequestIo } from "../../src/db/client";
import { customers } from "../../src/db/schema";
import { admin, call, newTenant } from "../helpers";
import { seedCard, seedCustomer } from "../registry";

const activeCount = async (tenantId: number) =>
  (await env.DB.prepare("SELECT active_customers AS n FROM tenants WHERE id = ?").bind(tenantId).first<{ n: number }>())?.n;

describe("customer registry core", () => {
  it("keeps the tenant's active-customer counter in step with inserts and soft deletes", async () => {
    const db = createDb(env.DB);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Registry" });
    const a = await createCustomer(db, tenant.id, { channel: "clients", profile: { name: "Ana" }, identifiers: [] });
    const b = await createCustomer(db, tenant.id, { channel: "kiosk", profile: { name: "Beto" }, identifiers: [] });
    expect(await activeCount(tenant.id)).toBe(2);
    await deactivateCustomer(db, tenant.id, a.id);
    expect(await activeCount(tenant.id)).toBe(1);
    // A second deletion, or one from another tenant, changes nothing and is not_found.
    await expect(deactivateCustomer(db, tenant.id, a.id)).rejects.toThrow(NotFound);
    await expect(deactivateCustomer(db, tenant.id + 1, b.id)).rejects.toThrow(NotFound);
    expect(await activeCount(tenant.id)).toBe(1);
    const row = await env.DB.prepare("SELECT active FROM customers WHERE id = ?").bind(a.id).first<{ active: number }>();
    expect(row?.active).toBe(0);
  });
});

describe("tenant counters", () => {
  it("follow every insert and soft delete of a customer, and every primary document, by trigger, even from raw SQL", async () => {
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Counters" });
    const counters = () =>
      env.DB.prepare("SELECT active_customers AS active, documented_customers AS documented FROM tenants WHERE id = ?").bind(tenant.id).first();
    const now = Date.now();
    const insert = async (document: string | null, active = 1) => {
      const row = await env.DB.prepare("INSERT INTO customers (tenant_id, active, channel, created_at, updated_at) VALUES (?, ?, 'kiosk', ?, ?) RETURNING id")
        .bind(tenant.id, active, now, now)
        .first<{ id: number }>();
      if (document !== null) {
        await env.DB.prepare(
          "INSERT INTO identifiers (tenant_id, customer_id, kind, value, status, exclusive, created_at, status_changed_at) VALUES (?, ?, 'document', ?, 'active', 1, ?, ?)",
        )
          .bind(tenant.id, row!.id, document, now, now)
          .run();
      }
      return row!.id;
    };
    await insert("111");
    await insert(null);
    await insert("222", 0);
    expect(await counters()).toEqual({ active: 2, documented: 2 });
    await env.DB.prepare("UPDATE identifiers SET exclusive = NULL, status = 'cancelled' WHERE tenant_id = ? AND value = '222'").bind(tenant.id).run();
    expect(await counters()).toEqual({ active: 2, documented: 1 });
    await env.DB.prepare("UPDATE customers SET active = 0 WHERE tenant_id = ? AND id = (SELECT customer_id FROM identifiers WHERE value = '111')")
      .bind(tenant.id)
      .run();
    expect(await counters()).toEqual({ active: 1, documented: 1 });
    // Rewriting a column to the value it has moves nothing.
    await env.DB.prepare("UPDATE customers SET active = active WHERE tenant_id = ?").bind(tenant.id).run();
    await env.DB.prepare("UPDATE identifiers SET exclusive = exclusive WHERE tenant_id = ?").bind(tenant.id).run();
    expect(await counters()).toEqual({ active: 1, documented: 1 });
    const actual = await env.DB.prepare(
      `SELECT (SELECT SUM(active) FROM customers WHERE tenant_id = ?1) AS active,
        (SELECT COUNT(*) FROM identifiers WHERE tenant_id = ?1 AND kind = 'document' AND exclusive = 1) AS documented`,
    )
      .bind(tenant.id)
      .first();
    expect(await counters()).toEqual(actual);
  });
});

describe("shared identifiers", () => {
  it("a document two customers hold answers its oldest holder, and passes to the next one when that one is deleted", async () => {
    const t = await newTenant();
    const first = await seedCustomer(t.id, { channel: "clients", name: "Sede Norte", documentType: "RUC", documentNumber: "20512345678", clientCode: "N" });
    const second = await seedCustomer(t.id, { channel: "clients", name: "Sede Sur", documentType: "RUC", documentNumber: "20512345678", clientCode: "S" });
    const holder = () =>
      env.DB.prepare("SELECT customer_id AS id FROM identifiers WHERE tenant_id = ? AND kind = 'document' AND value = '20512345678' AND exclusive = 1")
        .bind(t.id)
        .first<{ id: number }>();
    expect((await holder())!.id).toBe(first.id);
    const documented = () => env.DB.prepare("SELECT documented_customers AS n FROM tenants WHERE id = ?").bind(t.id).first<number>("n");
    expect(await documented()).toBe(1);
    await deactivateCustomer(createDb(env.DB), t.id, first.id);
    expect((await holder())!.id).toBe(second.id);
    expect(await documented()).toBe(1);
    await deactivateCustomer(createDb(env.DB), t.id, second.id);
    expect(await holder()).toBeNull();
    expect(await documented()).toBe(0);
  });
});

describe("soft deletion gives up the customer's cards", () => {
  it("cancels the active cards of a deactivated customer and leaves other customers' alone", async () => {
    const db = createDb(env.DB);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Cards" });
    const leaving = await createCustomer(db, tenant.id, { channel: "kiosk", profile: { name: "Leaving" }, identifiers: [] });
    const staying = await createCustomer(db, tenant.id, { channel: "kiosk", profile: { name: "Staying" }, identifiers: [] });
    await seedCard(tenant.id, leaving.id, "L-ACTIVE");
    await seedCard(tenant.id, leaving.id, "L-OLD", "replaced");
    await seedCard(tenant.id, staying.id, "S-ACTIVE");
    await deactivateCustomer(db, tenant.id, leaving.id);
    const statuses = await env.DB.prepare("SELECT value AS uid, status FROM identifiers WHERE tenant_id = ? ORDER BY value").bind(tenant.id).all();
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
    const io = new RequestIo(env.DB);
    const meter = io.meter;
    const db = createDb(env.DB);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "Metered" });
    const created = await withRequestIo(io, () => createCustomer(db, tenant.id, { channel: "clients", profile: { name: "Carla" }, identifiers: [] }));
    expect(meter.d1RoundTrips).toBe(1);
    expect(meter.rowsWritten).toBeGreaterThanOrEqual(2);
    // A Drizzle select goes through raw(), which the meter serves through all() to get meta.
    const found = await withRequestIo(io, () => db.select().from(customers).where(eq(customers.id, created.id)).get());
    expect(found?.name).toBe("Carla");
    expect(meter.d1RoundTrips).toBe(2);
    expect(meter.rowsRead).toBeGreaterThanOrEqual(1);
    // Outside a request's meter nothing is counted.
    await db.select().from(customers).where(eq(customers.id, created.id)).get();
    expect(meter.d1RoundTrips).toBe(2);
  });
});
