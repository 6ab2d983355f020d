import { env } from "cloudflare:workers";
import { createRoute } from "@hono/zod-openapi";
import { Hono } from "hono";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/app-env";
import { adminAuth, bearerAuth } from "../../src/http/auth";
import { observe } from "../../src/http/observe";
import { createSurface } from "../../src/http/surface";
import { adminEnvelope } from "../../src/surfaces/admin/envelope";
import { admin, newTenant } from "../helpers";

// A probe surface that answers with the principal the middleware resolved, served over
// the real D1 binding: the auth matrix for every protected route of every surface
// reduces to these middlewares.
const probe = createSurface(adminEnvelope, ["/probe/*"])
  .openapi(createRoute({ method: "get", path: "/probe/bearer", middleware: [bearerAuth] as const, responses: { 200: { description: "ok" } } }), (c) =>
    c.json(c.get("principal")),
  )
  .openapi(createRoute({ method: "get", path: "/probe/admin", middleware: [adminAuth] as const, responses: { 200: { description: "ok" } } }), (c) =>
    c.json({ ok: true }),
  );
const app = new Hono<AppEnv>().use(observe).route("/", probe);

async function probeAs(path: string, headers: Record<string, string>) {
  const res = await app.request(path, { headers }, env);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: object) => btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");

describe("Bearer authentication", () => {
  it("binds the token to its tenant and credential", async () => {
    const t = await newTenant();
    const res = await probeAs("/probe/bearer", t.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenantId: t.id, credentialId: t.partner.clientId, kind: "partner" });
    const other = await newTenant();
    expect((await probeAs("/probe/bearer", other.auth)).body.tenantId).toBe(other.id);
  });

  it("refuses every kind of bad credential with 401", async () => {
    const t = await newTenant();
    const claims = { sub: String(t.partner.clientId), tid: t.id, iat: now(), exp: now() + 3600, jti: "x" };
    const [, payload] = t.token.split(".");
    const cases: Record<string, Record<string, string>> = {
      none: {},
      malformed: { authorization: "Bearer not-a-jwt" },
      "wrong scheme": { authorization: `Token ${t.token}` },
      "basic scheme": { authorization: `Basic ${btoa("a:b")}` },
      "bad signature": { authorization: `Bearer ${t.token.slice(0, -4)}AAAA` },
      "signed with another secret": { authorization: `Bearer ${await sign(claims, "not-the-secret", "HS256")}` },
      "alg none": { authorization: `Bearer ${b64url({ alg: "none", typ: "JWT" })}.${payload}.` },
      expired: { authorization: `Bearer ${await sign({ ...claims, iat: now() - 7200, exp: now() - 3600 }, env.JWT_SECRET, "HS256")}` },
      "tenant claim of another tenant": { authorization: `Bearer ${await sign({ ...claims, tid: t.id + 1000 }, env.JWT_SECRET, "HS256")}` },
      "kiosk secret as bearer": { authorization: `Bearer ${t.kiosk.clientSecret}` },
      "kiosk credential id in a token": {
        authorization: `Bearer ${await sign({ ...claims, sub: String(t.kiosk.clientId) }, env.JWT_SECRET, "HS256")}`,
      },
      "admin token": { authorization: "Bearer test-admin-token" },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await probeAs("/probe/bearer", headers);
      expect(res.status, name).toBe(401);
      expect(res.body, name).toEqual({ code: "unauthenticated", message: "Unauthenticated" });
    }
  });

  it("stops a token the moment its credential is revoked", async () => {
    const t = await newTenant();
    expect((await probeAs("/probe/bearer", t.auth)).status).toBe(200);
    await admin("DELETE", `/admin/credentials/${t.partner.clientId}`);
    expect((await probeAs("/probe/bearer", t.auth)).status).toBe(401);
  });
});

describe("Admin authentication", () => {
  it("accepts only the ADMIN_TOKEN", async () => {
    const t = await newTenant();
    expect((await probeAs("/probe/admin", { authorization: "Bearer test-admin-token" })).status).toBe(200);
    for (const headers of [{}, t.auth, { authorization: "Bearer test-admin-token-x" }, { authorization: "test-admin-token" }]) {
      expect((await probeAs("/probe/admin", headers)).status).toBe(401);
    }
  });
});
