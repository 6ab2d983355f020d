import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { call, newTenant, type TestTenant } from "../helpers";

/**
 * Signing-key rotation, end to end: tokens come from POST /oauth/token under one keyring
 * and are used on a protected call (GET /api/clientes) under the next one, as a
 * deployment changing its JWT_KEYS secret would see them.
 */

const secret = (n: number) => `rotation-test-secret-number-${n}-`.padEnd(40, "x");
const ring = (active: string, keys: Record<string, string>) => ({ JWT_KEYS: JSON.stringify({ active, keys }) });

async function tokenUnder(t: TestTenant, env: Partial<Env>): Promise<string> {
  const res = await call("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
    env,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.access_token;
}

const kidOf = (token: string) => JSON.parse(atob(token.split(".")[0]!.replaceAll("-", "+").replaceAll("_", "/"))).kid;
const protectedCall = async (token: string, env: Partial<Env>) =>
  (await call("GET", "/api/clientes?page=0&size=1", { headers: { authorization: `Bearer ${token}` }, env })).status;

describe("JWT_KEYS: add a key, make it active, drop the old one", () => {
  it("tokens of a key still in the ring keep verifying; tokens of a dropped key fail", async () => {
    const t = await newTenant();
    const one = ring("k1", { k1: secret(1) });
    const added = ring("k1", { k1: secret(1), k2: secret(2) });
    const activated = ring("k2", { k2: secret(2), k1: secret(1) });
    const dropped = ring("k2", { k2: secret(2) });

    const old = await tokenUnder(t, one);
    expect(kidOf(old)).toBe("k1");
    expect(await protectedCall(old, one)).toBe(200);

    // Added but not active: new tokens are still signed with k1, every token verifies.
    expect(kidOf(await tokenUnder(t, added))).toBe("k1");
    expect(await protectedCall(old, added)).toBe(200);

    const fresh = await tokenUnder(t, activated);
    expect(kidOf(fresh)).toBe("k2");
    expect(await protectedCall(old, activated)).toBe(200);
    expect(await protectedCall(fresh, activated)).toBe(200);

    expect(await protectedCall(fresh, dropped)).toBe(200);
    const refused = await call("GET", "/api/clientes?page=0&size=1", { headers: { authorization: `Bearer ${old}` }, env: dropped });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ success: false, code: 401, data: null });
  });

  it("a token naming a key of the ring but signed with another secret, or naming no key of the ring, is refused", async () => {
    const t = await newTenant();
    const keys = ring("k1", { k1: secret(1), k2: secret(2) });
    const token = await tokenUnder(t, keys);
    const [, payload] = token.split(".");
    const claims = JSON.parse(atob(payload!.replaceAll("-", "+").replaceAll("_", "/")));
    const forged = await sign(claims, { kty: "oct", k: btoa(secret(2)).replaceAll("=", ""), alg: "HS256", kid: "k1" } as JsonWebKey, "HS256");
    expect(kidOf(forged)).toBe("k1");
    expect(await protectedCall(forged, keys)).toBe(401);
    const unknownKid = await sign(claims, { kty: "oct", k: btoa(secret(3)).replaceAll("=", ""), alg: "HS256", kid: "k9" } as JsonWebKey, "HS256");
    expect(await protectedCall(unknownKid, keys)).toBe(401);
  });
});

describe("JWT_SECRET: a one-key ring, so existing deployments keep working", () => {
  it("signs with kid `default`, and still verifies tokens issued before tokens carried a kid", async () => {
    const t = await newTenant();
    const token = await tokenUnder(t, {});
    expect(kidOf(token)).toBe("default");
    expect(await protectedCall(token, {})).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const legacy = await sign(
      { sub: String(t.partner.clientId), tid: t.id, iat: now, exp: now + 3600, jti: "legacy" },
      "test-jwt-secret-that-is-long-enough-for-hs256",
      "HS256",
    );
    expect(kidOf(legacy)).toBeUndefined();
    expect(await protectedCall(legacy, {})).toBe(200);
  });

  it("moving to JWT_KEYS with JWT_SECRET under `default` keeps old tokens until `default` is dropped", async () => {
    const t = await newTenant();
    const before = await tokenUnder(t, {});
    const migrated = ring("2026-05", { "2026-05": secret(5), default: "test-jwt-secret-that-is-long-enough-for-hs256" });
    expect(await protectedCall(before, migrated)).toBe(200);
    const after = await tokenUnder(t, migrated);
    expect(kidOf(after)).toBe("2026-05");
    const done = ring("2026-05", { "2026-05": secret(5) });
    expect(await protectedCall(before, done)).toBe(401);
    expect(await protectedCall(after, done)).toBe(200);
    // JWT_KEYS wins over JWT_SECRET once set: the old secret alone verifies nothing.
    expect(await protectedCall(before, { ...done, JWT_SECRET: "test-jwt-secret-that-is-long-enough-for-hs256" })).toBe(401);
  });
});

describe("a keyring that cannot be used", () => {
  it("answers 503 in each surface's envelope and issues no token", async () => {
    const t = await newTenant();
    for (const JWT_KEYS of [
      "{not json",
      JSON.stringify({ active: "k2", keys: { k1: secret(1) } }),
      JSON.stringify({ active: "k1", keys: { k1: "short" } }),
      JSON.stringify({ active: "bad kid!", keys: { "bad kid!": secret(1) } }),
      JSON.stringify({ active: "k1", keys: [secret(1)] }),
    ]) {
      const issued = await call("POST", "/oauth/token", {
        body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
        env: { JWT_KEYS },
      });
      expect(issued.status, JWT_KEYS).toBe(503);
      expect(issued.body).toMatchObject({ code: 503, status: "error" });
      expect(issued.text).not.toContain("access_token");
      const used = await call("GET", "/api/clientes", { headers: t.auth, env: { JWT_KEYS } });
      expect(used.status).toBe(503);
      expect(used.body).toMatchObject({ success: false, code: 503, data: null });
    }
  });
});
