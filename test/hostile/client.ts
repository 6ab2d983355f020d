import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { ADMIN_TOKEN } from "../helpers";

/**
 * The hostile suite's HTTP client. Every request goes through the Worker's default
 * export with request logging on, so the logs the run produces can be searched for
 * secrets afterwards; `env` overrides let a test swap a binding (e.g. a D1 that fails).
 */

export interface Req {
  method: string;
  path: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

let ipCounter = 0;
/** A client address no other request of the run used (limiters are per IP). */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/**
 * The webhook queue the suite's requests announce their events to: it drops them. The
 * suite checks what each request itself writes (fingerprints, tenant snapshots), and
 * webhook delivery would write in the background meanwhile; delivery has its own tests
 * (test/events/).
 */
const quietQueue = { send: async () => {}, sendBatch: async () => {} };

/** Sends one request; each gets its own client IP unless `cf-connecting-ip` is given. */
export async function hit(req: Req, overrides: Partial<Env> = {}): Promise<Res> {
  const headers: Record<string, string> = { accept: "application/json", "cf-connecting-ip": freshIp(), ...req.headers };
  let body = req.rawBody;
  if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers["content-type"] ??= "application/json";
  }
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`https://ficha.test${req.path}`, { method: req.method, headers, body }) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, LOG_REQUESTS: "on", WEBHOOKS: quietQueue as unknown as Queue, ...overrides },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** An operator call that must succeed. */
export async function adminOk(method: string, path: string, body?: unknown): Promise<Res> {
  const res = await hit({ method, path, body, headers: adminHeaders });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res;
}

/** Every secret and token the run handed out: none may show up in D1 or in the logs. */
export const issuedSecrets: string[] = [ADMIN_TOKEN, env.JWT_SECRET];

export interface Tenant {
  id: number;
  partner: { clientId: number; clientSecret: string };
  kiosk: { clientId: number; clientSecret: string };
  token: string;
  auth: Record<string, string>;
  kioskAuth: Record<string, string>;
}

/** Issues a credential (its secret is recorded for the secrets-at-rest check). */
export async function issueCredential(tenantId: number, kind: "partner" | "kiosk") {
  const res = await adminOk("POST", `/admin/tenants/${tenantId}/credentials`, { kind });
  issuedSecrets.push(res.body.client_secret);
  return { clientId: res.body.client_id as number, clientSecret: res.body.client_secret as string };
}

/** Trades a partner credential for a token (recorded). */
export async function tokenFor(credential: { clientId: number; clientSecret: string }): Promise<string> {
  const res = await hit({
    method: "POST",
    path: "/oauth/token",
    body: { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret },
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
  issuedSecrets.push(res.body.access_token);
  return res.body.access_token;
}

let tenantCounter = 0;
/** A fresh tenant with a partner credential (and its token) and a kiosk credential. */
export async function newTenant(timezone?: string): Promise<Tenant> {
  const created = await adminOk("POST", "/admin/tenants", { name: `Hostile ${++tenantCounter}`, timezone });
  const id = created.body.id as number;
  const partner = await issueCredential(id, "partner");
  const kiosk = await issueCredential(id, "kiosk");
  const token = await tokenFor(partner);
  return { id, partner, kiosk, token, auth: { authorization: `Bearer ${token}` }, kioskAuth: { "x-client-secret": kiosk.clientSecret } };
}

/** Makes `tenantId` the tenant public kiosk registrations land in. */
export const setDestination = (tenantId: number) => adminOk("PUT", "/admin/settings/vlt-destination", { tenantId });

let tables: string[] | null = null;
/** Every table of the schema (read once from sqlite_master, so tables added later are covered too). */
export async function allTables(): Promise<string[]> {
  tables ??= (
    await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
    ).all<{ name: string }>()
  ).results.map((r) => r.name);
  return tables;
}

/** Tables that carry `tenant_id`. */
async function tenantTables(): Promise<string[]> {
  const out: string[] = [];
  for (const table of await allTables()) {
    const columns = (await env.DB.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>()).results;
    if (columns.some((c) => c.name === "tenant_id")) out.push(table);
  }
  return out;
}
let tenantTableList: Promise<string[]> | null = null;

/**
 * One round trip that changes whenever any row is inserted, deleted or updated in a way
 * a request could: row counts of every table plus a sum over every column of the rows
 * that can be updated in place (customers, identifiers, accounts, lots, credentials, settings, tenants).
 */
export async function fingerprint(): Promise<string> {
  const counts = (await allTables()).map((t) => `(SELECT COUNT(*) FROM ${t}) AS "${t}"`);
  const sums = [
    `(SELECT total(updated_at) + total(active) FROM customers) AS customers_sum`,
    `(SELECT total(status_changed_at) + total(customer_id) FROM identifiers) AS cards_sum`,
    `(SELECT total(balance) + total(earned) + total(updated_at) FROM ledger_accounts) AS accounts_sum`,
    `(SELECT total(remaining) + total(expired) FROM ledger_lots) AS lots_sum`,
    `(SELECT total(revoked_at) FROM credentials) AS credentials_sum`,
    `(SELECT total(updated_at) FROM settings) AS settings_sum`,
    `(SELECT group_concat(name || '|' || timezone, '|') FROM tenants) AS tenants_text`,
  ];
  const row = await env.DB.prepare(`SELECT ${[...counts, ...sums].join(", ")}`).first();
  return JSON.stringify(row);
}

/** Every row of a tenant, table by table: equal snapshots mean nothing of the tenant changed. */
export async function tenantSnapshot(tenantId: number): Promise<string> {
  tenantTableList ??= tenantTables();
  const parts: Record<string, unknown[]> = {};
  for (const table of await tenantTableList) {
    parts[table] = (await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY rowid`).bind(tenantId).all()).results;
  }
  parts.tenant = (await env.DB.prepare("SELECT * FROM tenants WHERE id = ?").bind(tenantId).all()).results;
  return JSON.stringify(parts);
}

/** Every row of every table, as text (for the secrets-at-rest check). */
export async function dumpDatabase(): Promise<string> {
  const parts: string[] = [];
  for (const table of await allTables()) parts.push(JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table}`).all()).results));
  return parts.join("\n");
}
