import { decode, sign, verify } from "hono/jwt";
import type { Principal } from "./credentials";

/** What a ficha access token says: which credential of which tenant it was issued to. */
export interface TokenClaims {
  sub: string;
  tid: number;
  iat: number;
  exp: number;
  jti: string;
}

/**
 * The signing keys: `active` signs new tokens; every key of `keys` (the active one and
 * the previous ones) verifies the tokens that name it in their `kid` header. Rotation is
 * add a key, make it active, and drop the old one once its tokens no longer matter:
 * tokens of a dropped key stop verifying.
 */
export interface Keyring {
  active: string;
  keys: ReadonlyMap<string, JsonWebKey>;
}

/**
 * The key id `JWT_SECRET` gets when it is the whole ring, and the key that verifies
 * tokens issued before tokens carried a `kid`. To start rotating a deployment that used
 * `JWT_SECRET`, put that secret into `JWT_KEYS` under this id.
 */
export const DEFAULT_KID = "default";

const KID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_SECRET_LENGTH = 32;

/** Why a `JWT_KEYS` / `JWT_SECRET` configuration cannot be used. */
export class KeyringError extends Error {
  override name = "KeyringError";
}

const encoder = new TextEncoder();

/** An HS256 key as a JWK, so signing puts its `kid` in the header (and no secret is ever sniffed for a PEM marker). */
function hmacKey(kid: string, secret: string): JsonWebKey {
  const k = btoa(String.fromCharCode(...encoder.encode(secret)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
  return { kty: "oct", k, alg: "HS256", kid } as JsonWebKey;
}

/**
 * The keyring of a deployment. `JWT_KEYS` (a secret) is JSON:
 * `{"active": "<kid>", "keys": {"<kid>": "<secret>", …}}`, key ids of 1-64 letters, digits,
 * `.`, `_` or `-`, secrets of at least 32 characters. Without it, `JWT_SECRET` alone is a
 * one-key ring under `DEFAULT_KID`. Throws KeyringError when neither gives a usable ring.
 */
export function parseKeyring(config: { keys?: string; secret?: string }): Keyring {
  if (!config.keys) {
    if (!config.secret) throw new KeyringError("neither JWT_KEYS nor JWT_SECRET is set");
    return { active: DEFAULT_KID, keys: new Map([[DEFAULT_KID, hmacKey(DEFAULT_KID, config.secret)]]) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(config.keys);
  } catch {
    throw new KeyringError("JWT_KEYS is not JSON");
  }
  const { active, keys } = (parsed ?? {}) as { active?: unknown; keys?: unknown };
  if (typeof keys !== "object" || keys === null || Array.isArray(keys)) throw new KeyringError("JWT_KEYS.keys must be an object of kid -> secret");
  const ring = new Map<string, JsonWebKey>();
  for (const [kid, secret] of Object.entries(keys)) {
    if (!KID.test(kid)) throw new KeyringError(`JWT_KEYS: key id ${JSON.stringify(kid.slice(0, 64))} is not 1-64 of [A-Za-z0-9._-]`);
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH)
      throw new KeyringError(`JWT_KEYS: the secret of ${kid} must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    ring.set(kid, hmacKey(kid, secret));
  }
  if (typeof active !== "string" || !ring.has(active)) throw new KeyringError("JWT_KEYS.active must name one of its keys");
  return { active, keys: ring };
}

/** Issues an HS256 access token for a partner credential, signed with the ring's active key (named in its `kid`). */
export async function issueAccessToken(principal: Principal, ring: Keyring, ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    sub: String(principal.credentialId),
    tid: principal.tenantId,
    iat: now,
    exp: now + ttlSeconds,
    jti: crypto.randomUUID(),
  };
  return sign({ ...claims }, ring.keys.get(ring.active)! as Parameters<typeof sign>[1], "HS256");
}

/**
 * Verifies signature (HS256 only: `alg: none` and other algorithms are refused), with the
 * ring's key the token's `kid` names (`DEFAULT_KID` when it names none), and expiry. Null
 * for anything not a valid, unexpired ficha token of a key still in the ring. Revocation
 * is checked by the caller against D1.
 */
export async function verifyAccessToken(token: string, ring: Keyring): Promise<{ credentialId: number; tenantId: number } | null> {
  try {
    const { kid } = decode(token).header as { kid?: unknown };
    const key = ring.keys.get(kid === undefined ? DEFAULT_KID : String(kid));
    if (!key) return null;
    const payload = await verify(token, key as Parameters<typeof verify>[1], "HS256");
    const credentialId = Number(payload.sub);
    const tenantId = payload.tid;
    if (!Number.isSafeInteger(credentialId) || typeof tenantId !== "number" || !Number.isSafeInteger(tenantId)) return null;
    return { credentialId, tenantId };
  } catch {
    return null;
  }
}
