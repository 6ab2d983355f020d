import { sign, verify } from "hono/jwt";
import type { Principal } from "./credentials";

/** What a ficha access token says: which credential of which tenant it was issued to. */
export interface TokenClaims {
  sub: string;
  tid: number;
  iat: number;
  exp: number;
  jti: string;
}

/** Issues an HS256 access token for a partner credential. */
export async function issueAccessToken(principal: Principal, secret: string, ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    sub: String(principal.credentialId),
    tid: principal.tenantId,
    iat: now,
    exp: now + ttlSeconds,
    jti: crypto.randomUUID(),
  };
  return sign({ ...claims }, secret, "HS256");
}

/**
 * Verifies signature (HS256 only: `alg: none` and other algorithms are refused) and
 * expiry. Null for anything not a valid, unexpired ficha token. Revocation is checked
 * by the caller against D1.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<{ credentialId: number; tenantId: number } | null> {
  try {
    const payload = await verify(token, secret, "HS256");
    const credentialId = Number(payload.sub);
    const tenantId = payload.tid;
    if (!Number.isSafeInteger(credentialId) || typeof tenantId !== "number" || !Number.isSafeInteger(tenantId)) return null;
    return { credentialId, tenantId };
  } catch {
    return null;
  }
}
