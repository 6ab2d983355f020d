import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { faultyD1 } from "../faults";
import { admin, newTenant, type TestTenant } from "../helpers";
import { ManualQueue } from "./pump";
import { answer, newReceiver, received, registerEndpoint, rowsOf, verified, wholeFeed } from "./support";

/**
 * Faults between D1, the queue and the consumer: D1 failing in the middle of a write
 * (before it commits, or after, with the error on the way back), the queue refusing
 * sends, the consumer throwing on a failing D1 (before its claim, between its request and
 * its record, after its record), and a receiver that fails a tenth of its requests. Over
 * 500+ mixed writes, every committed change has exactly one event, and the receiver, which
 * deduplicates on webhook-id, gets each of them, verified, once.
 */

/** A seeded PRNG (mulberry32): the same faults on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Write {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** 528 writes over every surface, in groups of 11 whose order makes each write meaningful. */
function mixedWrites(t: TestTenant): Write[][] {
  const auth = t.auth;
  const groups: Write[][] = [];
  for (let n = 1; n <= 48; n++) {
    const ext = `L${n % 7}`;
    groups.push([
      {
        method: "POST",
        path: "/api/clientes",
        headers: auth,
        body: { nombre: `C${n}`, tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `D${n}`, codigoCliente: `K${n}` },
      },
      {
        method: "POST",
        path: "/api/clientes/register",
        body: { codigoClienteVLT: 10_000 + n, correo: `k${n}@example.com`, tarjeta: `CARD${n}`, enviarWhatsApp: true, enviarCorreo: false, enviarSms: true },
      },
      {
        method: "POST",
        path: "/api/transaction",
        headers: auth,
        body: { type: "POINTS COUPON", code: `c${n}`, total: 50, description: "x", customer: { externalId: ext, name: ext, data: {} } },
      },
      {
        method: "POST",
        path: "/api/v3/business/customer/add",
        headers: auth,
        body: { email: `p${n}@example.com`, phone: "+56975880800", isUnlimited: true, refId: `R${n}`, tags: [{ code: `T${n}`, plate: "PL1" }] },
      },
      { method: "POST", path: "/api/v3/business/tag/add", headers: auth, body: { customer: { refId: `R${n}` }, tags: [{ code: `U${n}`, plate: "PL2" }] } },
      { method: "PUT", path: "/api/v3/business/tag/cancel", headers: auth, body: { customer: { refId: `R${n}` }, tags: [{ code: `T${n}`, plate: "PL1" }] } },
      {
        method: "POST",
        path: "/api/transaction",
        headers: auth,
        body: { type: "POINTS REDEEM", code: `d${n}`, total: 1, description: "x", customer: { externalId: ext, name: ext, data: {} } },
      },
      { method: "POST", path: "/api/transaction/reverse", headers: auth, body: { type: "POINTS COUPON", code: `c${n}` } },
      {
        method: "POST",
        path: "/api/transaction/transfer",
        headers: auth,
        body: {
          type: "BALANCE TRANSFER DEBIT",
          total: 1,
          code: `x${n}`,
          customerFrom: { externalId: ext, name: ext },
          customerTo: { externalId: `L${(n + 1) % 7}`, name: "to" },
        },
      },
      { method: "POST", path: "/api/sales/clientes", headers: auth, body: { nombre: `S${n}`, id_tipo_cliente: 1, id_tipo_documento: 1, documento: `S-${n}` } },
      {
        method: "POST",
        path: "/api/sales/ventas",
        headers: auth,
        body: { documento: `S-${n}`, apartamento: "A1", monto: 100, tipo: "venta", fecha: "2024-01-15" },
      },
    ]);
  }
  return groups;
}

let requests = 0;
async function send(write: Write, overrides: Record<string, unknown>) {
  requests += 1;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://ficha.test${write.path}`, {
      method: write.method,
      // A client address per request: the kiosk's per-IP limit is not under test here.
      headers: { "content-type": "application/json", "cf-connecting-ip": `10.9.${requests >> 8}.${requests & 255}`, ...write.headers },
      body: write.body === undefined ? undefined : JSON.stringify(write.body),
    }) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...overrides } as unknown as Env,
    ctx,
  );
  await res.text();
  await waitOnExecutionContext(ctx);
  return res.status;
}

describe("webhook delivery under faults", () => {
  // The injected failures are logged by the Worker as they would be in production; keep them out of the test output.
  beforeAll(() => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterAll(() => vi.restoreAllMocks());

  it("500+ mixed writes with D1, queue and consumer faults: 0 events lost, none delivered twice to a receiver that dedups on webhook-id", {
    timeout: 120_000,
  }, async () => {
    const t = await newTenant();
    await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id });
    const rid = newReceiver();
    await answer(rid, { status: 503, rate: 0.1 });
    const endpoint = await registerEndpoint(t, rid);
    const chance = random(20_260_814);
    // A tenth of the consumer's own sends (retries, fan-out) are refused too.
    const queue = new ManualQueue(() => chance() < 0.1);
    const faults = { d1: 0, queue: 0, consumer: 0, retried: 0 };
    const one = async (query: string) => Number(Object.values((await rowsOf(query, t.id))[0]!)[0]);

    // Each write's fault, drawn up front: a tenth lose D1 before it commits, a tenth after (the client retries
    // both), and a tenth lose their announcement to the queue. Four clients write at once.
    const groups = mixedWrites(t).map((group) => group.map((write) => ({ write, roll: chance(), step: 1 + Math.floor(chance() * 3) })));
    const lane = async (mine: typeof groups) => {
      for (const group of mine) {
        for (const { write, roll, step } of group) {
          const webhooks = roll > 0.9 ? queue.refusing() : queue;
          if (roll > 0.9) faults.queue += 1;
          let status: number;
          if (roll < 0.2) {
            faults.d1 += 1;
            status = await send(write, { DB: faultyD1(env.DB, step, roll < 0.1 ? "lost" : "committed").db, WEBHOOKS: webhooks });
            if (status >= 500) {
              faults.retried += 1;
              status = await send(write, { WEBHOOKS: webhooks });
            }
          } else {
            status = await send(write, { WEBHOOKS: webhooks });
          }
          expect(status, `${write.method} ${write.path}`).toBeLessThan(500);
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map((k) => lane(groups.filter((_, i) => i % 4 === k))));

    // The consumer, with a failing D1 in a fifth of its batches; the sweep (run as if 10 minutes
    // later, so everything counts as overdue) picks up what lost sends and crashed consumers left.
    const consumerEnv = () => {
      if (chance() >= 0.2) return { WEBHOOK_RETRY_SCHEDULE_SECONDS: "0,0,0,0,0,0,0,0", WEBHOOK_TIMEOUT_SECONDS: "1" };
      faults.consumer += 1;
      return {
        DB: faultyD1(env.DB, 1 + Math.floor(chance() * 3), chance() < 0.5 ? "lost" : "committed").db,
        WEBHOOK_RETRY_SCHEDULE_SECONDS: "0,0,0,0,0,0,0,0",
        WEBHOOK_TIMEOUT_SECONDS: "1",
      };
    };
    const settled = async () =>
      (await one("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND status IN ('pending', 'retrying')")) === 0 &&
      (await one(
        "SELECT count(*) FROM webhook_endpoints w WHERE tenant_id = ? AND dispatched_seq < (SELECT max(seq) FROM events e WHERE e.tenant_id = w.tenant_id)",
      )) === 0;
    for (let round = 0; round < 20 && !(queue.size === 0 && (await settled())); round++) {
      await queue.drain(consumerEnv);
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 600_000 }), { ...env, WEBHOOKS: queue } as unknown as Env, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect(queue.size).toBe(0);
    expect(await settled()).toBe(true);

    // Every committed change has exactly one event.
    const feed = await wholeFeed(t, 500);
    const count = (type: string) => feed.filter((e) => e.type === type).length;
    expect(count("customer.created")).toBe(await one("SELECT count(*) FROM customers WHERE tenant_id = ?"));
    expect(count("ledger.posted")).toBe(await one("SELECT count(*) FROM ledger_transactions WHERE tenant_id = ?"));
    expect(count("tag.added")).toBe(await one("SELECT count(*) FROM identifiers WHERE tenant_id = ? AND kind = 'vehicle_tag'"));
    expect(count("tag.cancelled")).toBe(await one("SELECT count(*) FROM identifiers WHERE tenant_id = ? AND kind = 'vehicle_tag' AND status = 'cancelled'"));
    expect(count("card.bound") + count("card.replaced")).toBe(await one("SELECT count(*) FROM identifiers WHERE tenant_id = ? AND kind = 'rfid_card'"));
    expect(count("sale.recorded")).toBe(await one("SELECT count(*) FROM sales WHERE tenant_id = ?"));
    expect(feed.length).toBeGreaterThan(600);

    // Every event reached the receiver, verified; deduplicated on webhook-id, each arrives once, and all copies are the same event.
    const got = await received(rid);
    const accepted = new Map<string, string>();
    for (const delivery of got) {
      const event = verified(endpoint.secret, delivery);
      const seen = accepted.get(event.id);
      if (seen !== undefined) expect(delivery.body).toBe(seen);
      else if (delivery.status === 200) accepted.set(event.id, delivery.body);
    }
    expect([...accepted.keys()].sort()).toEqual(feed.map((e) => e.id).sort());
    for (const event of feed) expect(JSON.parse(accepted.get(event.id)!)).toEqual(event);
    expect(await rowsOf("SELECT status, count(*) AS n FROM webhook_deliveries WHERE tenant_id = ? GROUP BY status", t.id)).toEqual([
      { status: "succeeded", n: feed.length },
    ]);
    const copies = got.filter((d) => d.status === 200).length - accepted.size;
    console.info(
      JSON.stringify({
        writes: groups.flat().length,
        events: feed.length,
        faults,
        queueSends: queue.sent,
        refusedSends: queue.refused,
        duplicateCopies: copies,
      }),
    );
    expect(faults.d1).toBeGreaterThan(50);
    expect(faults.consumer).toBeGreaterThan(10);
    expect(faults.queue).toBeGreaterThan(20);
  });
});
