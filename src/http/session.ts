import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { constantTimeEqual, hmacBase64url, randomSecret } from "../core/crypto";
import type { AppEnv } from "./app-env";
import { RequestError } from "./errors";

/**
 * The operator console's session: the ADMIN_TOKEN is exchanged once, at sign-in, for a
 * cookie, so the token itself never stays in the browser (no localStorage, never in a
 * URL). The cookie is stateless and signed:
 *
 *   v1.<expires, unix seconds>.<nonce, 128 random bits>.<HMAC-SHA256(ADMIN_TOKEN, "session:v1.<expires>.<nonce>")>
 *
 * so only a holder of the ADMIN_TOKEN can mint one, it stops working when it expires
 * (checked on the server, whatever the browser keeps), and rotating the ADMIN_TOKEN ends
 * every session at once. It is HttpOnly, SameSite=Strict, Path=/, and Secure with the
 * `__Host-` prefix everywhere except on a loopback host (http://localhost during
 * development). Signing out deletes the cookie; a copy taken before keeps working until
 * it expires (sessions are not stored), hence the short lifetime.
 *
 * State-changing requests made with the session also carry its CSRF token (a form field
 * `_csrf` or the `X-CSRF-Token` header): HMAC-SHA256(ADMIN_TOKEN, "csrf:<nonce>"), bound
 * to the session, so a page of another site cannot forge it; requests whose `Origin` or
 * `Sec-Fetch-Site` say they come from another site are refused before that.
 */

/** How long a console session lasts. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

export interface Session {
  nonce: string;
  expiresAt: number;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$|\.localhost$/;

/** True on a loopback host, where the cookie cannot be Secure (plain http during development). */
function isLoopback(c: Context<AppEnv>): boolean {
  return LOOPBACK.test(new URL(c.req.url).hostname);
}

const COOKIE = "ficha_session";

/** The cookie's attributes on this host (`__Host-` implies Secure, Path=/ and no Domain). */
function cookieOptions(c: Context<AppEnv>) {
  return isLoopback(c) ? { path: "/", secure: false } : { path: "/", secure: true, prefix: "host" as const };
}

function adminToken(c: Context<AppEnv>): string {
  const token = c.env.ADMIN_TOKEN;
  if (!token) throw new RequestError("unavailable", "ADMIN_TOKEN is not configured");
  return token;
}

const sign = (token: string, body: string) => hmacBase64url(token, `session:${body}`);

/** Starts a session: sets its cookie. */
export async function startSession(c: Context<AppEnv>, now = Date.now()): Promise<Session> {
  const session = { nonce: randomSecret(16), expiresAt: Math.floor(now / 1000) + SESSION_TTL_SECONDS };
  const body = `v1.${session.expiresAt}.${session.nonce}`;
  setCookie(c, COOKIE, `${body}.${await sign(adminToken(c), body)}`, {
    ...cookieOptions(c),
    httpOnly: true,
    sameSite: "Strict",
    maxAge: SESSION_TTL_SECONDS,
  });
  return session;
}

/** Ends the session: deletes its cookie. */
export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, { ...cookieOptions(c), httpOnly: true, sameSite: "Strict" });
}

/**
 * The request's session: `absent` when it sends no session cookie, `invalid` when the
 * cookie is forged, malformed or expired, else the session.
 */
export async function readSession(c: Context<AppEnv>, now = Date.now()): Promise<Session | "absent" | "invalid"> {
  const value = getCookie(c, COOKIE, cookieOptions(c).prefix);
  if (value === undefined) return "absent";
  const match = /^(v1\.(\d{1,12})\.([A-Za-z0-9_-]{22}))\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return "invalid";
  const [, body, expires, nonce, signature] = match as unknown as [string, string, string, string, string];
  if (!(await constantTimeEqual(signature, await sign(adminToken(c), body)))) return "invalid";
  if (Number(expires) * 1000 <= now) return "invalid";
  return { nonce, expiresAt: Number(expires) };
}

/** The session's CSRF token, for forms and the console's scripts. */
export function csrfToken(c: Context<AppEnv>, session: Session): Promise<string> {
  return hmacBase64url(adminToken(c), `csrf:${session.nonce}`);
}

/**
 * True when the request says it comes from another site: an `Origin` of another origin,
 * or `Sec-Fetch-Site: cross-site`. `Origin: null` decides nothing: browsers send it for
 * same-origin form posts from pages under `Referrer-Policy: no-referrer` (ficha's), and a
 * cross-site one still says so in Sec-Fetch-Site (and lacks the CSRF token).
 */
export function isCrossSite(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== "null" && origin !== new URL(c.req.url).origin) return true;
  return c.req.header("sec-fetch-site") === "cross-site";
}

/** Refuses (403) a state-changing request made with the session unless it is same-site and carries the session's CSRF token. */
export async function requireCsrf(c: Context<AppEnv>, session: Session, given: string | undefined): Promise<void> {
  if (isCrossSite(c) || given === undefined || !(await constantTimeEqual(given, await csrfToken(c, session)))) {
    throw new RequestError("forbidden", "Missing or wrong CSRF token");
  }
}

/** Methods that change nothing, which need no CSRF token. */
export const isSafeMethod = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";
