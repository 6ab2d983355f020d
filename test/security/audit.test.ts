import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, admin, call, cost, countRows, newTenant } from "../helpers";
import { post } from "../loyalty/fixtures";

const ACTOR = `admin:${[...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ADMIN_TOKEN)))]
  .map((b) => b.toString(16).padStart(2, "0"))
  .join("")
  .slice(0, 16)}`;

/** The newest audit entry, as GET /admin/audit shows it. */
async function lastEntry(tenantId?: number) {
  const res = await admin("GET", `/admin/audit?limit=1${tenantId === undefined ? "" : `&tenantId=${tenantId}`}`);
  expect(res.status).toBe(200);
  return res.body.data[0];
}

describe("the audit log: one entry per admin action, in the action's batch", () => {
  it("records every operator action with time, actor, request id, target and a summary — never a secret or personal data", async () => {
    const secrets: string[] = [ADMIN_TOKEN];
    const expectEntry = async (res: { status: number; headers: Headers }, expected: Record<string, unknown>, tenantId?: number) => {
      expect(res.status).toBeLessThan(300);
      const entry = await lastEntry(tenantId);
      expect(entry).toMatchObject({ actor: ACTOR, requestId: res.headers.get("x-request-id"), ...expected });
      expect(Math.abs(Date.parse(entry.at) - Date.now())).toBeLessThan(60_000);
    };

    const created = await admin("POST", "/admin/tenants", { name: "Audited", timezone: "America/Lima" });
    const id = created.body.id;
    await expectEntry(created, { action: "tenant.created", tenantId: id, target: `tenant:${id}`, summary: { name: "Audited", timezone: "America/Lima" } });

    const updated = await admin("PATCH", `/admin/tenants/${id}`, { timezone: "UTC", partnerRateLimit: 300 });
    await expectEntry(updated, {
      action: "tenant.updated",
      tenantId: id,
      target: `tenant:${id}`,
      summary: { fields: ["timezone", "partnerRateLimit"], timezone: "UTC", partnerRateLimit: 300 },
    });

    const credential = await admin("POST", `/admin/tenants/${id}/credentials`, { kind: "partner", name: "ERP" });
    secrets.push(credential.body.client_secret);
    const clientId = credential.body.client_id;
    await expectEntry(credential, { action: "credential.created", tenantId: id, target: `credential:${clientId}`, summary: { kind: "partner", name: "ERP" } });

    const rotated = await admin("POST", `/admin/credentials/${clientId}/rotate`, { grace_period_seconds: 60 });
    secrets.push(rotated.body.client_secret);
    await expectEntry(rotated, { action: "credential.rotated", tenantId: id, target: `credential:${clientId}`, summary: { graceSeconds: 60 } });

    const set = await admin("PUT", "/admin/settings/vlt-destination", { tenantId: id });
    await expectEntry(set, { action: "vlt_destination.set", tenantId: id, target: `tenant:${id}` });
    const unset = await admin("DELETE", "/admin/settings/vlt-destination");
    await expectEntry(unset, { action: "vlt_destination.unset", tenantId: id, target: `tenant:${id}` });
    const unsetAgain = await admin("DELETE", "/admin/settings/vlt-destination");
    await expectEntry(unsetAgain, { action: "vlt_destination.unset", tenantId: null, target: "setting:vlt_destination" });

    const t = await newTenant();
    secrets.push(t.partner.clientSecret, t.kiosk.clientSecret, t.token);
    await post(t, "Juana-Perez-74658993", "POINTS COUPON", 10, "c1");
    await post(t, "DUP-74658993", "POINTS COUPON", 5, "c2");
    const [survivor, absorbed] = (
      await env.DB.prepare("SELECT customer_id FROM identifiers WHERE tenant_id = ? AND kind = 'loyalty_id' ORDER BY id")
        .bind(t.id)
        .all<{ customer_id: number }>()
    ).results.map((r) => r.customer_id);
    const merged = await admin("POST", `/admin/tenants/${t.id}/customers/${survivor}/merge`, { from: absorbed });
    await expectEntry(merged, { action: "customer.merged", tenantId: t.id, target: `customer:${survivor}`, summary: { from: absorbed, repeated: false } });
    const mergedAgain = await admin("POST", `/admin/tenants/${t.id}/customers/${survivor}/merge`, { from: absorbed });
    await expectEntry(mergedAgain, { action: "customer.merged", summary: { from: absorbed, repeated: true } });

    const rebuilt = await admin("POST", `/admin/tenants/${t.id}/reports/rebuild`);
    await expectEntry(rebuilt, { action: "reports.rebuilt", tenantId: t.id, target: `tenant:${t.id}`, summary: rebuilt.body });

    const exported = await admin("GET", `/admin/tenants/${t.id}/customers/${absorbed}/export`);
    await expectEntry(exported, { action: "customer.exported", tenantId: t.id, target: `customer:${survivor}`, summary: {} });
    const erased = await admin("POST", `/admin/tenants/${t.id}/customers/${survivor}/erase`);
    await expectEntry(erased, {
      action: "customer.erased",
      tenantId: t.id,
      target: `customer:${survivor}`,
      summary: { records: 2, repeated: false, loyalty_id: 2 },
    });

    const revoked = await admin("DELETE", `/admin/credentials/${clientId}`);
    await expectEntry(revoked, { action: "credential.revoked", tenantId: id, target: `credential:${clientId}`, summary: {} });

    const log = JSON.stringify((await env.DB.prepare("SELECT * FROM audit_log").all()).results);
    for (const secret of secrets) expect(log).not.toContain(secret);
    for (const personal of ["Juana", "74658993", "Perez"]) expect(log).not.toContain(personal);
  });

  it("a refused action writes no entry", async () => {
    const t = await newTenant();
    const before = await countRows("audit_log");
    expect((await admin("PATCH", `/admin/tenants/${t.id}`, { timezone: "Mars/Olympus" })).status).toBe(422);
    expect((await admin("PATCH", "/admin/tenants/987654321", { name: "x" })).status).toBe(404);
    expect((await admin("POST", "/admin/tenants/987654321/credentials", { kind: "partner" })).status).toBe(404);
    expect((await admin("DELETE", "/admin/credentials/987654321")).status).toBe(404);
    expect((await admin("POST", "/admin/credentials/987654321/rotate")).status).toBe(404);
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: 987654321 })).status).toBe(404);
    expect((await admin("POST", `/admin/tenants/${t.id}/customers/987654321/erase`)).status).toBe(404);
    expect((await admin("GET", `/admin/tenants/${t.id}/customers/987654321/export`)).status).toBe(404);
    expect((await call("POST", "/admin/tenants", { body: { name: "x" }, headers: t.auth })).status).toBe(401);
    expect(await countRows("audit_log")).toBe(before);
  });

  it("is append-only: the database refuses to change or delete an entry", async () => {
    await admin("POST", "/admin/tenants", { name: "Append only" });
    await expect(env.DB.prepare("UPDATE audit_log SET actor = 'someone else'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_log").run()).rejects.toThrow(/append-only/);
  });
});

describe("GET /admin/audit", () => {
  it("pages newest first by keyset, per tenant, without repeats or gaps, reading rows in proportion to the page", async () => {
    const t = await newTenant();
    for (let i = 0; i < 5; i++) await admin("PATCH", `/admin/tenants/${t.id}`, { name: `Renamed ${i}` });
    // Entries of other tenants in between must not show.
    await newTenant();
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await admin("GET", `/admin/audit?tenantId=${t.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(cost(res.headers).rowsRead).toBeLessThanOrEqual(4);
      for (const entry of res.body.data) expect(entry.tenantId).toBe(t.id);
      seen.push(...res.body.data.map((e: { id: number }) => e.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    // tenant.created + 2 credentials + 5 updates.
    expect(seen).toHaveLength(8);
    expect(pages).toBe(3);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);

    const all = await admin("GET", "/admin/audit");
    expect(all.body.data.length).toBeGreaterThan(0);
    expect(all.body.data.length).toBeLessThanOrEqual(50);
  });

  it("refuses bad queries with 422 and callers without the admin token with 401", async () => {
    for (const query of ["limit=0", "limit=101", "limit=x", "cursor=abc", "tenantId=-1"]) {
      const res = await admin("GET", `/admin/audit?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.code).toBe("invalid");
    }
    const t = await newTenant();
    expect((await call("GET", "/admin/audit", { headers: t.auth })).status).toBe(401);
  });
});
