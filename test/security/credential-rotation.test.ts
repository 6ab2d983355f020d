import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, countRows, newTenant, type TestTenant } from "../helpers";
import { destinationTenant, newRegistration, register } from "../kiosk/support";

const token = (clientId: number, clientSecret: string) =>
  call("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
    headers: { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` },
  });
const protectedCall = (accessToken: string) => call("GET", "/api/clientes?page=0&size=1", { headers: { authorization: `Bearer ${accessToken}` } });
const lobby = (secret: string, card: string) =>
  call("POST", "/api/lobby/authenticate", { body: { cardIdentifier: card }, headers: { "x-client-secret": secret } });

/** Ends a rotation's grace period now, as the clock reaching `previous_valid_until` would. */
const endGrace = (clientId: number) =>
  env.DB.prepare("UPDATE credentials SET previous_valid_until = ? WHERE id = ?")
    .bind(Date.now() - 1, clientId)
    .run();

describe("POST /admin/credentials/{client_id}/rotate", () => {
  it("a partner switches secrets without downtime: both work during the grace period, then only the new one (end to end through /oauth/token)", async () => {
    const t = await newTenant();
    const started = Date.now();
    const res = await admin("POST", `/admin/credentials/${t.partner.clientId}/rotate`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["client_id", "client_secret", "previous_valid_until"]);
    expect(res.body.client_id).toBe(t.partner.clientId);
    expect(res.body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.client_secret).not.toBe(t.partner.clientSecret);
    const until = Date.parse(res.body.previous_valid_until);
    expect(until - started).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);

    // The token issued before the rotation, one issued with the old secret and one with the new: all open a protected route.
    const withOld = await token(t.partner.clientId, t.partner.clientSecret);
    const withNew = await token(t.partner.clientId, res.body.client_secret);
    expect([withOld.status, withNew.status]).toEqual([200, 200]);
    for (const accessToken of [t.token, withOld.body.access_token, withNew.body.access_token]) expect((await protectedCall(accessToken)).status).toBe(200);

    await endGrace(t.partner.clientId);
    expect((await token(t.partner.clientId, t.partner.clientSecret)).status).toBe(401);
    const again = await token(t.partner.clientId, res.body.client_secret);
    expect(again.status).toBe(200);
    expect((await protectedCall(again.body.access_token)).status).toBe(200);

    const row = await env.DB.prepare("SELECT * FROM credentials WHERE id = ?").bind(t.partner.clientId).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(res.body.client_secret);
    expect(JSON.stringify(row)).not.toContain(t.partner.clientSecret);
  });

  it("a kiosk switches secrets the same way at the lobby", async () => {
    const t = await destinationTenant();
    const card = newRegistration();
    expect((await register(card)).status).toBe(201);
    const res = await admin("POST", `/admin/credentials/${t.kiosk.clientId}/rotate`, { grace_period_seconds: 3600 });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.previous_valid_until) - Date.now()).toBeLessThanOrEqual(3600 * 1000);
    expect((await lobby(t.kiosk.clientSecret, card.tarjeta as string)).status).toBe(200);
    expect((await lobby(res.body.client_secret, card.tarjeta as string)).status).toBe(200);
    await endGrace(t.kiosk.clientId);
    expect((await lobby(t.kiosk.clientSecret, card.tarjeta as string)).status).toBe(401);
    expect((await lobby(res.body.client_secret, card.tarjeta as string)).status).toBe(200);
  });

  it("grace_period_seconds 0 ends the old secret at once; a second rotation ends the first secret at once", async () => {
    const t = await newTenant();
    const now = await admin("POST", `/admin/credentials/${t.partner.clientId}/rotate`, { grace_period_seconds: 0 });
    expect(now.status).toBe(200);
    expect((await token(t.partner.clientId, t.partner.clientSecret)).status).toBe(401);
    expect((await token(t.partner.clientId, now.body.client_secret)).status).toBe(200);

    const second = await admin("POST", `/admin/credentials/${t.partner.clientId}/rotate`, { grace_period_seconds: 600 });
    const third = await admin("POST", `/admin/credentials/${t.partner.clientId}/rotate`, { grace_period_seconds: 600 });
    expect((await token(t.partner.clientId, now.body.client_secret)).status).toBe(401);
    expect((await token(t.partner.clientId, second.body.client_secret)).status).toBe(200);
    expect((await token(t.partner.clientId, third.body.client_secret)).status).toBe(200);
  });

  it("revocation still stops everything at once: both secrets and every token, at /oauth/token, on Bearer routes and at the lobby", async () => {
    const partner: TestTenant = await newTenant();
    const rotated = await admin("POST", `/admin/credentials/${partner.partner.clientId}/rotate`);
    const fresh = await token(partner.partner.clientId, rotated.body.client_secret);
    expect((await admin("DELETE", `/admin/credentials/${partner.partner.clientId}`)).status).toBe(204);
    expect((await token(partner.partner.clientId, partner.partner.clientSecret)).status).toBe(401);
    expect((await token(partner.partner.clientId, rotated.body.client_secret)).status).toBe(401);
    expect((await protectedCall(partner.token)).status).toBe(401);
    expect((await protectedCall(fresh.body.access_token)).status).toBe(401);

    const kiosk = await destinationTenant();
    const card = newRegistration();
    await register(card);
    const kioskRotated = await admin("POST", `/admin/credentials/${kiosk.kiosk.clientId}/rotate`);
    expect((await admin("DELETE", `/admin/credentials/${kiosk.kiosk.clientId}`)).status).toBe(204);
    expect((await lobby(kiosk.kiosk.clientSecret, card.tarjeta as string)).status).toBe(401);
    expect((await lobby(kioskRotated.body.client_secret, card.tarjeta as string)).status).toBe(401);
    // A revoked credential cannot be rotated back to life.
    expect((await admin("POST", `/admin/credentials/${kiosk.kiosk.clientId}/rotate`)).status).toBe(404);
  });

  it("refuses a grace period out of range, a wrong type, an unknown credential or id with 4xx and changes nothing", async () => {
    const t = await newTenant();
    const before = await env.DB.prepare("SELECT secret_hash FROM credentials WHERE id = ?").bind(t.partner.clientId).first();
    const entries = await countRows("audit_log");
    for (const body of [{ grace_period_seconds: 604_801 }, { grace_period_seconds: -1 }, { grace_period_seconds: 1.5 }, { grace_period_seconds: "60" }]) {
      const res = await admin("POST", `/admin/credentials/${t.partner.clientId}/rotate`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(["grace_period_seconds"]);
    }
    expect((await admin("POST", `/admin/credentials/${t.partner.clientId}/rotate`, { grace_period_seconds: 604_800 })).status).toBe(200);
    expect((await admin("POST", "/admin/credentials/987654321/rotate")).body).toEqual({ code: "not_found", message: "Credential not found" });
    expect((await admin("POST", "/admin/credentials/abc/rotate")).status).toBe(422);
    expect((await call("POST", `/admin/credentials/${t.partner.clientId}/rotate`, { headers: t.auth })).status).toBe(401);
    const after = await env.DB.prepare("SELECT secret_hash, previous_secret_hash FROM credentials WHERE id = ?").bind(t.partner.clientId).first();
    expect(after?.previous_secret_hash).toBe(before?.secret_hash);
    expect(await countRows("audit_log")).toBe(entries + 1);
  });
});
