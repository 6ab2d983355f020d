import { NotConfigured } from "../errors";

/**
 * Endpoint signing secrets (Standard Webhooks 1.0): `whsec_` + base64 of 32 random bytes,
 * shown to the partner once. Signing needs the secret itself, so it cannot be stored as a
 * hash: it is stored encrypted with AES-256-GCM under a key derived (SHA-256) from the
 * WEBHOOK_SECRET_KEY secret, bound to its tenant (additional data), as
 * `v1.<base64 of iv || ciphertext>`.
 */

const PREFIX = "whsec_";
const encoder = new TextEncoder();

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unbase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

/** A fresh signing secret. */
export function newSigningSecret(): string {
  return PREFIX + base64(crypto.getRandomValues(new Uint8Array(32)));
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The AES key for `secretKey`, derived once per isolate. */
function encryptionKey(secretKey: string | undefined): Promise<CryptoKey> {
  if (!secretKey) throw new NotConfigured("WEBHOOK_SECRET_KEY");
  let key = keys.get(secretKey);
  if (!key) {
    key = crypto.subtle
      .digest("SHA-256", encoder.encode(secretKey))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    keys.set(secretKey, key);
  }
  return key;
}

const boundTo = (tenantId: number) => encoder.encode(`ficha webhook secret, tenant ${tenantId}`);

export async function encryptSecret(secretKey: string | undefined, tenantId: number, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: boundTo(tenantId) },
    await encryptionKey(secretKey),
    encoder.encode(secret),
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return `v1.${base64(out)}`;
}

export async function decryptSecret(secretKey: string | undefined, tenantId: number, stored: string): Promise<string> {
  const raw = unbase64(stored.slice("v1.".length));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: raw.slice(0, 12), additionalData: boundTo(tenantId) },
    await encryptionKey(secretKey),
    raw.slice(12),
  );
  return new TextDecoder().decode(plain);
}

/**
 * The `webhook-signature` header of a delivery: `v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">` per secret, keyed with the secret's decoded bytes,
 * space-delimited (during a rotation's grace period, the new secret's first).
 */
export async function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): Promise<string> {
  const content = encoder.encode(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", unbase64(secret.slice(PREFIX.length)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return `v1,${base64(new Uint8Array(await crypto.subtle.sign("HMAC", key, content)))}`;
    }),
  );
  return signatures.join(" ");
}
