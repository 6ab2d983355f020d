import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, countRows, newTenant } from "../helpers";

describe("POST /admin/tenants", () => {
  it("creates a tenant with the default time zone", async () => {
    const res = await admin("POST", "/admin/tenants", { name: "Casino Miraflores" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), name: "Casino Miraflores", timezone: "UTC" });
  });

  it("keeps an IANA time zone", async () => {
    const res = await admin("POST", "/admin/tenants", { name: "Lima", timezone: "America/Lima" });
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe("America/Lima");
  });

  it("refuses an unknown time zone, a missing name and malformed JSON with 422, writing nothing", async () => {
    const before = await countRows("tenants");
    const badZone = await admin("POST", "/admin/tenants", { name: "X", timezone: "Mars/Olympus" });
    expect(badZone.status).toBe(422);
    expect(badZone.body).toEqual({ code: "invalid", message: "Invalid input", errors: { timezone: ["Unknown IANA time zone."] } });
    const noName = await admin("POST", "/admin/tenants", {});
    expect(noName.status).toBe(422);
    expect(noName.body).toEqual({ code: "invalid", message: "Invalid input", errors: { name: ["Required."] } });
    const wrongType = await admin("POST", "/admin/tenants", { name: 42 });
    expect(wrongType.status).toBe(422);
    expect(Object.keys(wrongType.body.errors)).toEqual(["name"]);
    const malformed = await call("POST", "/admin/tenants", {
      rawBody: "{not json",
      headers: { authorization: "Bearer test-admin-token", "content-type": "application/json" },
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual({ body: ["Must be a JSON object."] });
    expect(await countRows("tenants")).toBe(before);
  });

  it("answers 401 without the admin token or with a wrong one", async () => {
    const none = await call("POST", "/admin/tenants", { body: { name: "X" } });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: "unauthenticated", message: "Unauthenticated" });
    const wrong = await call("POST", "/admin/tenants", { body: { name: "X" }, headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const partner = await newTenant();
    const partnerToken = await call("POST", "/admin/tenants", { body: { name: "X" }, headers: partner.auth });
    expect(partnerToken.status).toBe(401);
  });

  it("refuses bodies over MAX_BODY_BYTES with 413 before reading them", async () => {
    const res = await admin("POST", "/admin/tenants", { name: "x".repeat(100 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: "payload_too_large", message: "Payload Too Large" });
  });
});

describe("POST /admin/tenants/{id}/credentials", () => {
  it("returns the secret once and stores only its hash", async () => {
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "T" });
    const res = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "partner", name: "ERP" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ client_id: expect.any(Number), client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kind: "partner" });
    const row = await env.DB.prepare("SELECT * FROM credentials WHERE id = ?").bind(res.body.client_id).first<Record<string, unknown>>();
    expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(res.body.client_secret);
  });

  it("issues kiosk credentials", async () => {
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "T" });
    const res = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "kiosk" });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe("kiosk");
  });

  it("answers 404 for an unknown tenant and 422 for an unknown kind or a non-numeric id", async () => {
    expect((await admin("POST", "/admin/tenants/999999/credentials", { kind: "partner" })).status).toBe(404);
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "T" });
    const badKind = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "root" });
    expect(badKind.status).toBe(422);
    expect(Object.keys(badKind.body.errors)).toEqual(["kind"]);
    expect((await admin("POST", "/admin/tenants/abc/credentials", { kind: "partner" })).status).toBe(422);
  });
});

describe("DELETE /admin/credentials/{client_id}", () => {
  it("revokes at once: the secret no longer buys tokens and issued tokens stop working", async () => {
    const tenant = await newTenant();
    expect((await admin("DELETE", `/admin/credentials/${tenant.partner.clientId}`)).status).toBe(204);
    const token = await call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: tenant.partner.clientId, client_secret: tenant.partner.clientSecret },
    });
    expect(token.status).toBe(401);
    // A second revocation finds nothing to revoke.
    expect((await admin("DELETE", `/admin/credentials/${tenant.partner.clientId}`)).status).toBe(404);
  });

  it("answers 404 for an unknown credential", async () => {
    expect((await admin("DELETE", "/admin/credentials/987654")).status).toBe(404);
  });
});

describe("PUT /admin/settings/vlt-destination", () => {
  it("sets and unsets the tenant receiving kiosk registrations", async () => {
    const { body: tenant } = await admin("POST", "/admin/tenants", { name: "VLT" });
    const set = await admin("PUT", "/admin/settings/vlt-destination", { tenantId: tenant.id });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ tenantId: tenant.id });
    const stored = await env.DB.prepare("SELECT value FROM settings WHERE key = 'vlt_destination_tenant'").first<{ value: string }>();
    expect(stored?.value).toBe(String(tenant.id));
    expect((await admin("DELETE", "/admin/settings/vlt-destination")).status).toBe(204);
    expect(await env.DB.prepare("SELECT value FROM settings WHERE key = 'vlt_destination_tenant'").first()).toBeNull();
  });

  it("answers 404 for an unknown tenant and 422 for a bad body", async () => {
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: 424242 })).status).toBe(404);
    const bad = await admin("PUT", "/admin/settings/vlt-destination", { tenantId: "one" });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(["tenantId"]);
  });
});

describe("unknown admin paths", () => {
  it("answer 404 in the admin envelope", async () => {
    const res = await admin("GET", "/admin/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: "not_found", message: "Not found" });
  });
});
