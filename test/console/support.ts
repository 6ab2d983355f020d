import { exports } from "cloudflare:workers";
import { ADMIN_TOKEN } from "../helpers";

/**
 * The console as a browser sees it: redirects are not followed (a test reads each one),
 * cookies and forms are sent as given.
 */

export const ORIGIN = "https://ficha.test";

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

export async function page(
  method: string,
  path: string,
  options: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string>; rawBody?: BodyInit } = {},
): Promise<PageResponse> {
  const headers: Record<string, string> = { accept: "text/html", ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
  let body = options.rawBody;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  }
  const response = await exports.default.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: "manual" }));
  return { status: response.status, headers: response.headers, text: await response.text(), location: response.headers.get("location") };
}

/** A signed-in session: its cookie (name=value) and CSRF token (read from a page, as the browser's forms carry it). */
export async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await page("POST", "/console/sign-in", { form: { token: ADMIN_TOKEN }, headers: { origin: ORIGIN } });
  if (res.status !== 303) throw new Error(`sign-in: ${res.status} ${res.text.slice(0, 200)}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const tenants = await page("GET", "/console/tenants", { cookie });
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(tenants.text)?.[1];
  if (!csrf) throw new Error("no CSRF token on the page");
  return { cookie, csrf };
}

/** A POST from the console's own forms. */
export function submit(session: { cookie: string; csrf: string }, path: string, form: Record<string, string> = {}) {
  return page("POST", path, { cookie: session.cookie, form: { _csrf: session.csrf, ...form }, headers: { origin: ORIGIN } });
}
