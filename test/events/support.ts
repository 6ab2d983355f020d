import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import { call, type TestTenant } from "../helpers";

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
