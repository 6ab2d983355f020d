import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import worker from "../src/index";
import { type JobReport, runScheduledJobs } from "../src/jobs";

export const ADMIN_TOKEN = "test-admin-token";

/**
 * Calls the Worker exactly as a client would (through its default export's fetch); with
 * `env`, under those bindings instead (a deployment whose secrets or vars differ).
 */
export async function call(
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: BodyInit; headers?: Record<string, string>; env?: Partial<Env> } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const request = new Request(`https://ficha.test${path}`, { method, headers, body });
  const ctx = createExecutionContext();
  const response = options.env
    ? await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, ...options.env }, ctx)
    : await exports.default.fetch(request);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const admin = (method: string, path: string, body?: unknown) => call(method, path, { body, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

export interface TestTenant {
  id: number;
  partner: { clientId: number; clientSecret: string };
  kiosk: { clientId: number; clientSecret: string };
  token: string;
  /** Headers for the tenant's Bearer routes. */
  auth: Record<string, string>;
}

let tenantCounter = 0;

/** A fresh tenant with one partner credential (and its token) and one kiosk credential. */
export async function newTenant(options: { timezone?: string } = {}): Promise<TestTenant> {
  const created = await admin("POST", "/admin/tenants", { name: `Tenant ${++tenantCounter}`, timezone: options.timezone });
  if (created.status !== 201) throw new Error(`tenant: ${created.status} ${created.text}`);
  const id = created.body.id as number;
  const partner = await admin("POST", `/admin/tenants/${id}/credentials`, { kind: "partner" });
  const kiosk = await admin("POST", `/admin/tenants/${id}/credentials`, { kind: "kiosk" });
  const token = await call("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: partner.body.client_id, client_secret: partner.body.client_secret },
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${token.text}`);
  return {
    id,
    partner: { clientId: partner.body.client_id, clientSecret: partner.body.client_secret },
    kiosk: { clientId: kiosk.body.client_id, clientSecret: kiosk.body.client_secret },
    token: token.body.access_token,
    auth: { authorization: `Bearer ${token.body.access_token}` },
  };
}

/** Rows in a table, for "nothing was written" assertions. */
export async function countRows(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Parses `Server-Timing` into the cost figures the wrapper reports. */
export function cost(headers: Headers): { d1RoundTrips: number; rowsRead: number; rowsWritten: number; durableCalls: number } {
  const header = headers.get("server-timing") ?? "";
  const desc = (name: string) => Number(new RegExp(`(?:^|, )${name};[^,]*desc="(\\d+)"`).exec(header)?.[1] ?? NaN);
  return { d1RoundTrips: desc("d1"), rowsRead: desc("d1-rows-read"), rowsWritten: desc("d1-rows-written"), durableCalls: desc("do") };
}

/** Durable Object calls a request left to run after its answer (`do-deferred` in Server-Timing). */
export function deferredDurableCalls(headers: Headers): number {
  return Number(/(?:^|, )do-deferred;desc="(\d+)"/.exec(headers.get("server-timing") ?? "")?.[1] ?? Number.NaN);
}

/** Runs the cron trigger's jobs (lot expiration) at `time`; returns what they report, which the cron handler would log. */
export const runCron = (time = Date.now()): Promise<JobReport[]> => runScheduledJobs(env, time);
