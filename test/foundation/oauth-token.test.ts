import { describe, expect, it } from "vitest";
import { admin, call, countRows, newTenant } from "../helpers";

const unauthenticated = { code: 401, status: "error", message: "Unauthenticated", warning: [], error: ["invalid_client"] };

describe("POST /oauth/token", () => {
  it("issues a token for the seed's JSON body", async () => {
    const t = await newTenant();
    // Seed 003's example, with this tenant's credential.
    const res = await call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token_type: "Bearer", expires_in: 31536000, access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    expect(Object.keys(res.body)).toEqual(["token_type", "expires_in", "access_token"]);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("accepts an RFC 6749 form-encoded body", async () => {
    const t = await newTenant();
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: String(t.partner.clientId), client_secret: t.partner.clientSecret });
    const res = await call("POST", "/oauth/token", { rawBody: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe("Bearer");
  });

  it("accepts HTTP Basic client authentication", async () => {
    const t = await newTenant();
    const basic = btoa(`${t.partner.clientId}:${encodeURIComponent(t.partner.clientSecret)}`);
    const res = await call("POST", "/oauth/token", {
      rawBody: "grant_type=client_credentials",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
    const wrong = await call("POST", "/oauth/token", {
      rawBody: "grant_type=client_credentials",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${t.partner.clientId}:nope`)}`,
        "cf-connecting-ip": "198.51.100.9",
      },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Basic realm="ficha"');
  });

  it("refuses Basic and body credentials together with 400", async () => {
    const t = await newTenant();
    const res = await call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
      headers: { authorization: `Basic ${btoa(`${t.partner.clientId}:${t.partner.clientSecret}`)}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(["invalid_request"]);
  });

  it("answers 401 in the seed's envelope for a wrong secret, an unknown client, a revoked or a kiosk credential", async () => {
    const t = await newTenant();
    const ip = { "cf-connecting-ip": "198.51.100.10" };
    const attempt = (client_id: number, client_secret: string) =>
      call("POST", "/oauth/token", { body: { grant_type: "client_credentials", client_id, client_secret }, headers: ip });
    for (const res of [
      await attempt(t.partner.clientId, "wrong"),
      await attempt(999_999, t.partner.clientSecret),
      await attempt(t.kiosk.clientId, t.kiosk.clientSecret),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthenticated);
    }
    await admin("DELETE", `/admin/credentials/${t.partner.clientId}`);
    const revoked = await attempt(t.partner.clientId, t.partner.clientSecret);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual(unauthenticated);
  });

  it("answers 400 unsupported_grant_type for other grant types", async () => {
    const t = await newTenant();
    const res = await call("POST", "/oauth/token", {
      body: { grant_type: "password", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 400,
      status: "error",
      message: "The authorization grant type is not supported by the authorization server.",
      warning: [],
      error: ["unsupported_grant_type"],
    });
  });

  it("answers 422 Error de Validacion for missing or ill-typed fields and malformed JSON", async () => {
    const missing = await call("POST", "/oauth/token", { body: { client_id: 1, client_secret: "x" } });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({
      code: 422,
      status: "error",
      message: "Error de Validacion",
      warning: { code: "null", field: "grant_type", value: "The grant_type field is required." },
      error: [],
    });
    const noSecret = await call("POST", "/oauth/token", { body: { grant_type: "client_credentials", client_id: 1 } });
    expect(noSecret.status).toBe(422);
    expect(noSecret.body.warning.field).toBe("client_secret");
    const wrongType = await call("POST", "/oauth/token", { body: { grant_type: "client_credentials", client_id: "one", client_secret: "x" } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.warning).toEqual({ code: "null", field: "client_id", value: "The client_id field must be a number." });
    const malformed = await call("POST", "/oauth/token", { rawBody: "{", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.message).toBe("Error de Validacion");
    const noBody = await call("POST", "/oauth/token");
    expect(noBody.status).toBe(422);
  });

  it("answers 415 for a content type it does not read", async () => {
    const res = await call("POST", "/oauth/token", { rawBody: "<xml/>", headers: { "content-type": "application/xml" } });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ code: 415, status: "error", message: "Unsupported Media Type", warning: [], error: [] });
  });

  it("limits failed attempts per client IP (CF-Connecting-IP only), leaving other IPs alone", async () => {
    const t = await newTenant();
    const from = (ip: string, xff?: string) =>
      call("POST", "/oauth/token", {
        body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: "guess" },
        headers: { "cf-connecting-ip": ip, ...(xff ? { "x-forwarded-for": xff } : {}) },
      });
    // OAUTH_FAILURE_LIMIT is 10: ten failures are answered 401, the next is refused before checking.
    for (let i = 0; i < 10; i++) expect((await from("203.0.113.50", `10.0.0.${i}`)).status).toBe(401);
    const limited = await from("203.0.113.50", "10.9.9.9");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 429, status: "error", message: "Too Many Attempts.", warning: [], error: [] });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-policy")).toBe('"default";q=10;w=300');
    // Even the right secret waits out the window from that IP; another IP is unaffected.
    const right = await call("POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
      headers: { "cf-connecting-ip": "203.0.113.50" },
    });
    expect(right.status).toBe(429);
    expect((await from("203.0.113.51")).status).toBe(401);
  });

  it("writes nothing", async () => {
    const t = await newTenant();
    const before = await Promise.all(["tenants", "credentials", "settings", "customers"].map(countRows));
    await call("POST", "/oauth/token", { body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret } });
    expect(await Promise.all(["tenants", "credentials", "settings", "customers"].map(countRows))).toEqual(before);
  });
});
