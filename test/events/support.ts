import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { admin, call, newTenant, type TestTenant } from "../helpers";

/**
 * Webhook test helpers. Deliveries go to the receiver worker (test/events/receiver.js),
 * the Worker's outbound service in the tests: every receiver id is a receiver of its own.
 */

let receivers = 0;
/** A receiver id no other test of the run uses. */
export const newReceiver = () => `r${Date.now().toString(36)}${++receivers}`;

/** The endpoint URL of a receiver (loopback is admitted in the tests: WEBHOOK_ALLOW_LOOPBACK=on). */
export const receiverUrl = (rid: string) => `http://127.0.0.1:9999/hooks/${rid}`;

/** How the receiver answers (see receiver.js): `status` to the next `times` deliveries (all without), to a `rate` of them, after `delayMs`. */
export async function answer(rid: string, behaviour: { status?: number; times?: number; rate?: number; delayMs?: number }): Promise<void> {
  const res = await fetch(`http://receiver.test/control/${rid}`, { method: "PUT", body: JSON.stringify(behaviour) });
  expect(res.status).toBe(200);
  await res.text();
}

export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
  status: number;
}

/** What the receiver got so far, in arrival order. */
export async function received(rid: string): Promise<Received[]> {
  return (await fetch(`http://receiver.test/received/${rid}`)).json();
}

/** Polls until `check` returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 20_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the receiver has got at least `count` deliveries. */
export const receivedAtLeast = (rid: string, count: number, ms?: number) =>
  eventually(
    async () => {
      const got = await received(rid);
      return got.length >= count ? got : undefined;
    },
    ms,
    `${count} deliveries at ${rid}`,
  );

/** Registers a webhook endpoint for the tenant that delivers to the receiver. */
export async function registerEndpoint(t: TestTenant, rid: string, events?: string[]): Promise<{ id: number; secret: string }> {
  const res = await call("POST", "/v1/webhook-endpoints", { headers: t.auth, body: { url: receiverUrl(rid), ...(events ? { events } : {}) } });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id, secret: res.body.secret };
}

/** Verifies a delivery with the `standardwebhooks` package, as a receiver would; returns the event. */
export function verified(secret: string, delivery: Received): { id: string; type: string; created_at: string; data: any } {
  return new Webhook(secret).verify(delivery.body, delivery.headers) as never;
}

/** Every event of the tenant's feed, following `next_cursor` `limit` at a time. */
export async function wholeFeed(t: TestTenant, limit = 100): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await call("GET", `/v1/events?limit=${limit}${cursor === undefined ? "" : `&after=${cursor}`}`, { headers: t.auth });
    expect(res.status, res.text).toBe(200);
    all.push(...res.body.data);
    if (res.body.data.length === 0) return all;
    cursor = res.body.next_cursor;
  }
}

/** Rows of a table straight from D1. */
export async function rowsOf<T = Record<string, any>>(query: string, ...values: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(query)
      .bind(...values)
      .all<T>()
  ).results;
}

/** `count` events numbered 1 … count straight into the tenant's log, written at `createdAt`. */
export async function seedEvents(tenantId: number, count: number, createdAt = Date.now()): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
     INSERT INTO events (tenant_id, seq, type, created_at, data) SELECT ?1, i, 'customer.created', ?3, '{}' FROM n`,
  )
    .bind(tenantId, count, createdAt)
    .run();
}

let writes = 0;
/** A write that appends one customer.created event (a client of the clients surface). */
export async function newEvent(t: TestTenant): Promise<void> {
  writes += 1;
  const body = { nombre: `Cliente ${writes}`, tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `EV${writes}`, codigoCliente: `EVC${writes}` };
  const res = await call("POST", "/api/clientes", { headers: t.auth, body });
  expect(res.status, res.text).toBe(201);
}

/** Waits until the endpoint's newest attempt, as the operator API lists it, has `outcome`; that attempt. */
export const newestAttempt = (t: TestTenant, endpointId: number, outcome: string) =>
  eventually(
    async () => {
      const [newest] = (await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints/${endpointId}/deliveries?limit=1`)).body.data;
      return newest?.outcome === outcome ? newest : undefined;
    },
    20_000,
    `an attempt ${outcome}`,
  );

/**
 * A fresh tenant with an endpoint whose receiver answers `status` to everything, and one
 * event it could not deliver: dead-lettered after the whole schedule (503), or at once, the
 * endpoint disabled with it (410).
 */
export async function failedDelivery(status: 503 | 410, events?: string[]) {
  const t = await newTenant();
  const rid = newReceiver();
  const endpoint = await registerEndpoint(t, rid, events);
  await answer(rid, { status });
  await newEvent(t);
  const attempt = await newestAttempt(t, endpoint.id, "dead");
  return { t, rid, endpoint, eventId: attempt.eventId as string };
}
