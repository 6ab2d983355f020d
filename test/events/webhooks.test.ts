import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SCHEDULE, webhookConfig } from "../../src/core/webhooks/config";
import { retryDelaySeconds } from "../../src/core/webhooks/delivery";
import worker from "../../src/index";
import { faultyD1 } from "../faults";
import { call, newTenant, type TestTenant } from "../helpers";
import { ManualQueue } from "./pump";
import { answer, eventually, newReceiver, received, receivedAtLeast, registerEndpoint, rowsOf, verified, wholeFeed } from "./support";

/**
 * Webhook endpoints and delivery, end to end: the Worker's writes, the real queue and its
 * consumer, and a receiver worker (test/events/receiver.js). In the tests retries come
 * after 1 s, 1 s and 1 s (WEBHOOK_RETRY_SCHEDULE_SECONDS=1,1,1) and the timeout is 2 s.
 */

/** A write that appends one customer.created event; announced on `queue` when given, else on the real queue. */
let clients = 0;
async function newClient(t: TestTenant, queue?: ManualQueue): Promise<number> {
  clients += 1;
  const body = { nombre: `Cliente ${clients}`, tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `W${clients}`, codigoCliente: `WC${clients}` };
  const res = queue
    ? await withVars({}, "POST", "/api/clientes", t.auth, body, { WEBHOOKS: queue })
    : await call("POST", "/api/clientes", { headers: t.auth, body });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const v1 = (t: TestTenant, method: string, path: string, body?: unknown) => call(method, path, { headers: t.auth, body });
const attempts = async (t: TestTenant, endpointId: number) => (await v1(t, "GET", `/v1/webhook-endpoints/${endpointId}/deliveries`)).body.data;

/** The Worker with some vars overridden, as a request would see them. */
async function withVars(vars: Record<string, string>, method: string, path: string, headers: Record<string, string>, body?: unknown, bindings: object = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://ficha.test${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...vars, ...bindings } as Env,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

describe("POST /v1/webhook-endpoints", () => {
  it("registers an endpoint and shows its whsec_ secret once; the secret is stored encrypted", async () => {
    const t = await newTenant();
    const res = await v1(t, "POST", "/v1/webhook-endpoints", { url: "https://partner.example.com/ficha/webhooks", events: ["ledger.posted", "tier.changed"] });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      url: "https://partner.example.com/ficha/webhooks",
      events: ["ledger.posted", "tier.changed"],
      status: "enabled",
      disabled_reason: null,
      created_at: expect.any(String),
      status_changed_at: expect.any(String),
      previous_secret_expires_at: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(atob(res.body.secret.slice(6))).toHaveLength(32);
    const [row] = await rowsOf<{ secret: string }>("SELECT secret FROM webhook_endpoints WHERE id = ?", res.body.id);
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain(res.body.secret.slice(6, 20));
    const listed = await v1(t, "GET", "/v1/webhook-endpoints");
    expect(listed.text).not.toContain(res.body.secret);
  });

  it("refuses URLs that are not https:// to a public host (SSRF), with nothing written", async () => {
    const t = await newTenant();
    const refused = {
      "ftp://partner.example.com/hook": "Must be https://.",
      "http://partner.example.com/hook": "Must be https://.",
      "https://user:pass@partner.example.com/hook": "Must not carry a user name or password.",
      "https://10.0.0.7/hook": "Must not be a private, loopback or link-local address.",
      "https://172.16.4.1/hook": "Must not be a private, loopback or link-local address.",
      "https://192.168.1.1/hook": "Must not be a private, loopback or link-local address.",
      "https://127.0.0.1/hook": "Must not be a private, loopback or link-local address.",
      "https://2130706433/hook": "Must not be a private, loopback or link-local address.",
      "https://0x7f.1/hook": "Must not be a private, loopback or link-local address.",
      "https://169.254.169.254/latest/meta-data": "Must not be a private, loopback or link-local address.",
      "https://100.64.0.1/hook": "Must not be a private, loopback or link-local address.",
      "https://198.18.0.1/hook": "Must not be a private, loopback or link-local address.",
      "https://[64:ff9b::a00:1]/hook": "Must not be a private, loopback or link-local address.",
      "https://0.0.0.0/hook": "Must not be a private, loopback or link-local address.",
      "https://[::1]/hook": "Must not be a private, loopback or link-local address.",
      "https://[fe80::1]/hook": "Must not be a private, loopback or link-local address.",
      "https://[fd00::1]/hook": "Must not be a private, loopback or link-local address.",
      "https://[::ffff:10.0.0.1]/hook": "Must not be a private, loopback or link-local address.",
      "https://localhost/hook": "Must be a public host name.",
      "https://metadata.google.internal/hook": "Must be a public host name.",
      "https://printer.local/hook": "Must be a public host name.",
      "not a url": "Must be an absolute URL.",
    };
    for (const [url, message] of Object.entries(refused)) {
      const res = await v1(t, "POST", "/v1/webhook-endpoints", { url });
      expect(res.status, url).toBe(422);
      expect(res.body, url).toEqual({ code: "invalid", message: "Invalid input", errors: { url: [message] } });
    }
    expect(await rowsOf("SELECT id FROM webhook_endpoints WHERE tenant_id = ?", t.id)).toEqual([]);
    // Public hosts and IP literals are fine.
    for (const url of ["https://8.8.8.8/hook", "https://[2001:4860:4860::8888]/hook", "https://hooks.partner.example:8443/x?y=1"]) {
      expect((await v1(t, "POST", "/v1/webhook-endpoints", { url })).status, url).toBe(201);
    }
  });

  it("admits http://127.0.0.1:<port> and http://localhost:<port> only with WEBHOOK_ALLOW_LOOPBACK=on (off in wrangler.toml)", async () => {
    const t = await newTenant();
    for (const url of ["http://127.0.0.1:8788/hook", "http://localhost:8788/hook"]) {
      expect((await withVars({ WEBHOOK_ALLOW_LOOPBACK: "off" }, "POST", "/v1/webhook-endpoints", t.auth, { url })).status, url).toBe(422);
      expect((await v1(t, "POST", "/v1/webhook-endpoints", { url })).status, url).toBe(201);
    }
    // Without a port, or any other host over http: still refused.
    for (const url of ["http://127.0.0.1/hook", "http://10.0.0.1:8788/hook"])
      expect((await v1(t, "POST", "/v1/webhook-endpoints", { url })).status, url).toBe(422);
  });

  it("refuses unknown event types, an empty list and malformed bodies in the v1 envelope", async () => {
    const t = await newTenant();
    const url = "https://partner.example.com/hook";
    const unknown = await v1(t, "POST", "/v1/webhook-endpoints", { url, events: ["card.stolen"] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors["events.0"]).toHaveLength(1);
    expect((await v1(t, "POST", "/v1/webhook-endpoints", { url, events: [] })).status).toBe(422);
    expect((await v1(t, "POST", "/v1/webhook-endpoints", {})).body).toEqual({ code: "invalid", message: "Invalid input", errors: { url: ["Required."] } });
    const malformed = await call("POST", "/v1/webhook-endpoints", { headers: { ...t.auth, "content-type": "application/json" }, rawBody: "{" });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ code: "malformed_body", message: "Malformed request body" });
  });

  it(`holds at most 20 endpoints per tenant`, async () => {
    const t = await newTenant();
    for (let i = 0; i < 20; i++) expect((await v1(t, "POST", "/v1/webhook-endpoints", { url: `https://partner.example.com/${i}` })).status).toBe(201);
    const over = await v1(t, "POST", "/v1/webhook-endpoints", { url: "https://partner.example.com/21" });
    expect(over.status).toBe(422);
    expect(over.body.errors.url).toEqual(["A tenant holds at most 20 webhook endpoints; delete one first."]);
  });

  it("answers 503 when the deployment has no WEBHOOK_SECRET_KEY", async () => {
    const t = await newTenant();
    const res = await withVars({ WEBHOOK_SECRET_KEY: "" }, "POST", "/v1/webhook-endpoints", t.auth, { url: "https://partner.example.com/hook" });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("unavailable");
  });
});

describe("GET /v1/webhook-endpoints", () => {
  it("lists the tenant's endpoints, oldest first, without secrets; another tenant sees none of them", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const a = await registerEndpoint(t, newReceiver());
    const b = await registerEndpoint(t, newReceiver(), ["tag.added"]);
    const res = await v1(t, "GET", "/v1/webhook-endpoints");
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { id: number; events: unknown }) => [e.id, e.events])).toEqual([
      [a.id, null],
      [b.id, ["tag.added"]],
    ]);
    expect(res.text).not.toContain("whsec_");
    expect((await v1(other, "GET", "/v1/webhook-endpoints")).body).toEqual({ data: [] });
  });
});

describe("DELETE /v1/webhook-endpoints/{id}", () => {
  it("deletes: 204, then 404, and nothing more is delivered to it; another tenant's id is 404", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    expect((await v1(other, "DELETE", `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    await newClient(t);
    await receivedAtLeast(rid, 1);
    const res = await v1(t, "DELETE", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(res.status).toBe(204);
    expect((await v1(t, "DELETE", `/v1/webhook-endpoints/${endpoint.id}`)).body).toEqual({ code: "not_found", message: "Webhook endpoint not found" });
    expect((await v1(t, "GET", "/v1/webhook-endpoints")).body).toEqual({ data: [] });
    await newClient(t);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await received(rid)).toHaveLength(1);
  });
});

describe("POST /v1/webhook-endpoints/{id}/rotate-secret", () => {
  it("returns a new secret; during the grace period deliveries verify with the old and the new one", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    const rotated = await v1(t, "POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ id: endpoint.id, secret: expect.stringMatching(/^whsec_/), previous_secret_expires_at: expect.any(String) });
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(86_000_000);
    const listed = (await v1(t, "GET", "/v1/webhook-endpoints")).body.data[0];
    expect(listed.previous_secret_expires_at).toBe(rotated.body.previous_secret_expires_at);
    await newClient(t);
    const [delivery] = await receivedAtLeast(rid, 1);
    expect(delivery!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verified(rotated.body.secret, delivery!).type).toBe("customer.created");
    expect(verified(endpoint.secret, delivery!).type).toBe("customer.created");
  });

  it("once the grace period is over, signs with the new secret only", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    const rotated = await withVars({ WEBHOOK_SECRET_GRACE_SECONDS: "0" }, "POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, t.auth);
    expect(rotated.status).toBe(200);
    await newClient(t);
    const [delivery] = await receivedAtLeast(rid, 1);
    expect(delivery!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(verified(rotated.body.secret, delivery!).type).toBe("customer.created");
    expect(() => new Webhook(endpoint.secret).verify(delivery!.body, delivery!.headers)).toThrow();
  });

  it("is 404 for another tenant's endpoint", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const endpoint = await registerEndpoint(t, newReceiver());
    expect((await v1(other, "POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`)).status).toBe(404);
  });
});

describe("GET /v1/webhook-endpoints/{id}/deliveries", () => {
  it("a receiver that fails its first 2 attempts gets the event on attempt 3, with the same webhook-id; every attempt is listed", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    await answer(rid, { status: 503, times: 2 });
    const endpoint = await registerEndpoint(t, rid);
    await newClient(t);
    const got = await receivedAtLeast(rid, 3);
    expect(got.map((d) => d.status)).toEqual([503, 503, 200]);
    expect(new Set(got.map((d) => d.headers["webhook-id"])).size).toBe(1);
    // Each retry is signed anew (its own timestamp), and at least the schedule's delay apart.
    for (const delivery of got) expect(verified(endpoint.secret, delivery).type).toBe("customer.created");
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(800);
    const log = await eventually(async () => {
      const list = await attempts(t, endpoint.id);
      return list.length === 3 ? list : undefined;
    });
    const eventId = got[0]!.headers["webhook-id"];
    expect(log).toEqual([
      expect.objectContaining({ event_id: eventId, event_type: "customer.created", attempt: 3, status_code: 200, outcome: "succeeded", next_attempt_at: null }),
      expect.objectContaining({ event_id: eventId, attempt: 2, status_code: 503, outcome: "retrying", next_attempt_at: expect.any(String) }),
      expect.objectContaining({ event_id: eventId, attempt: 1, status_code: 503, outcome: "retrying", error: null }),
    ]);
    expect(new Set(log.map((a: { delivery_id: number }) => a.delivery_id)).size).toBe(1);
    expect(Date.parse(log[1].next_attempt_at) - Date.parse(log[1].attempted_at)).toBeGreaterThanOrEqual(900);
    // Pages of one, newest first.
    const first = await v1(t, "GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=1`);
    const second = await v1(t, "GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=1&cursor=${first.body.next_cursor}`);
    expect([first.body.data[0].attempt, second.body.data[0].attempt]).toEqual([3, 2]);
  });

  it("a receiver down for the whole schedule leaves a dead-lettered delivery, which POST /v1/events/{id}/redeliver then delivers", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    await answer(rid, { status: 503 });
    const endpoint = await registerEndpoint(t, rid);
    await newClient(t);
    // The first attempt and the schedule's three retries.
    const failed = await receivedAtLeast(rid, 4);
    const log = await eventually(async () => {
      const list = await attempts(t, endpoint.id);
      return list[0]?.outcome === "dead" ? list : undefined;
    });
    expect(log.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome])).toEqual([
      [4, "dead"],
      [3, "retrying"],
      [2, "retrying"],
      [1, "retrying"],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await received(rid)).toHaveLength(4);

    await answer(rid, { status: 200 });
    const eventId = failed[0]!.headers["webhook-id"]!;
    const res = await v1(t, "POST", `/v1/events/${eventId}/redeliver`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ event_id: eventId, endpoint_ids: [endpoint.id] });
    const got = await receivedAtLeast(rid, 5);
    expect(got[4]).toMatchObject({ status: 200, headers: { "webhook-id": eventId } });
    expect(verified(endpoint.secret, got[4]!).id).toBe(eventId);
    const after = await eventually(async () => {
      const list = await attempts(t, endpoint.id);
      return list[0]?.outcome === "succeeded" ? list : undefined;
    });
    expect(after[0]).toMatchObject({ attempt: 1, outcome: "succeeded" });
    expect(after[0].delivery_id).not.toBe(log[0].delivery_id);
  });

  it("a 410 disables the endpoint at once, and its listing says so; nothing more is attempted", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    await answer(rid, { status: 410 });
    const endpoint = await registerEndpoint(t, rid);
    await newClient(t);
    await receivedAtLeast(rid, 1);
    const listed = await eventually(async () => {
      const [e] = (await v1(t, "GET", "/v1/webhook-endpoints")).body.data;
      return e.status === "disabled" ? e : undefined;
    });
    expect(listed).toMatchObject({ id: endpoint.id, status: "disabled", disabled_reason: "gone" });
    expect((await attempts(t, endpoint.id))[0]).toMatchObject({ status_code: 410, outcome: "dead" });
    await newClient(t);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await received(rid)).toHaveLength(1);
  });

  it("an endpoint that keeps failing for WEBHOOK_DISABLE_AFTER_SECONDS is disabled; a success in between starts the span again", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    await answer(rid, { status: 503 });
    const endpoint = await registerEndpoint(t, rid);
    // Driven by hand, with an hour as the span and no wait between retries.
    const queue = new ManualQueue();
    const consumer = () => ({ WEBHOOK_DISABLE_AFTER_SECONDS: "3600", WEBHOOK_RETRY_SCHEDULE_SECONDS: "0,0" });
    const write = async () => {
      await newClient(t, queue);
      await queue.drain(consumer);
    };
    const state = async () =>
      (await rowsOf<{ status: string; failing_since: number | null }>("SELECT status, failing_since FROM webhook_endpoints WHERE id = ?", endpoint.id))[0]!;
    await write();
    expect(await state()).toMatchObject({ status: "enabled", failing_since: expect.any(Number) });
    await answer(rid, { status: 200 });
    await write();
    expect(await state()).toEqual({ status: "enabled", failing_since: null });
    // Failing since two hours ago: the next failure disables it.
    await answer(rid, { status: 503 });
    await write();
    await env.DB.prepare("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?")
      .bind(Date.now() - 7_200_000, endpoint.id)
      .run();
    await write();
    expect((await v1(t, "GET", "/v1/webhook-endpoints")).body.data[0]).toMatchObject({ status: "disabled", disabled_reason: "failing" });
    expect((await attempts(t, endpoint.id))[0]).toMatchObject({ status_code: 503, outcome: "dead", next_attempt_at: null });
  });

  it("a message the consumer keeps failing on goes to the dead-letter queue: its delivery is dead-lettered, listed and redeliverable", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    // Three failing tries (max_retries 2 here), then the dead-letter queue's consumer, whose D1 works.
    const queue = new ManualQueue(undefined, 2, 0);
    let calls = 0;
    const consumer = () => (++calls <= 3 ? { DB: faultyD1(env.DB, 1, "lost").db } : {});
    await newClient(t, queue);
    // The dispatch goes through first, by the real queue's path.
    await queue.drain(() => ({}));
    expect(calls).toBe(0);
    const [delivery] = await rowsOf<{ id: number }>("SELECT id FROM webhook_deliveries WHERE endpoint_id = ?", endpoint.id);
    expect(await received(rid)).toHaveLength(1);
    // Now a delivery whose consumer always fails.
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending', attempts = 0 WHERE id = ?").bind(delivery!.id).run();
    await queue.send({ kind: "deliver", deliveryId: delivery!.id, attempt: 1 });
    await queue.drain(consumer);
    expect(calls).toBe(4);
    expect((await attempts(t, endpoint.id))[0]).toMatchObject({
      delivery_id: delivery!.id,
      attempt: 1,
      error: "consumer_failed",
      outcome: "dead",
      status_code: null,
    });
    const [event] = await wholeFeed(t);
    expect((await v1(t, "POST", `/v1/events/${event.id}/redeliver`)).status).toBe(202);
    await receivedAtLeast(rid, 2);
  });

  it("checks the URL again at each attempt: a loopback endpoint gets nothing once WEBHOOK_ALLOW_LOOPBACK is off", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    const queue = new ManualQueue();
    await newClient(t, queue);
    await queue.drain(() => ({ WEBHOOK_ALLOW_LOOPBACK: "off" }));
    expect(await received(rid)).toEqual([]);
    expect((await attempts(t, endpoint.id))[0]).toMatchObject({ error: "url_refused", outcome: "dead", status_code: null });
  });

  it("a redirect is a failure (never followed), a slow receiver times out", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    await answer(rid, { status: 302, times: 1 });
    const endpoint = await registerEndpoint(t, rid);
    await newClient(t);
    await receivedAtLeast(rid, 2);
    const log = await eventually(async () => {
      const list = await attempts(t, endpoint.id);
      return list.length === 2 ? list : undefined;
    });
    expect(log.map((a: { status_code: number | null }) => a.status_code)).toEqual([200, 302]);

    const slow = newReceiver();
    await answer(slow, { delayMs: 3000 });
    const late = await registerEndpoint(t, slow);
    await newClient(t);
    const timedOut = await eventually(async () => (await attempts(t, late.id))[0]);
    expect(timedOut).toMatchObject({ status_code: null, error: "timeout", outcome: "retrying" });
    expect(timedOut.duration_ms).toBeGreaterThanOrEqual(1900);
    await answer(slow, { status: 200 });
  });

  it("is 404 for another tenant's endpoint; the endpoint's log shows only its own attempts", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const endpoint = await registerEndpoint(t, newReceiver());
    expect((await v1(other, "GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).status).toBe(404);
    expect((await v1(t, "GET", `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=0`)).status).toBe(422);
  });
});

describe("the retry schedule", () => {
  it("waits each delay of WEBHOOK_RETRY_SCHEDULE_SECONDS with ± 10 % jitter, and has no retry after the last (Svix's schedule by default)", () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(webhookConfig({}).retrySchedule).toEqual(DEFAULT_RETRY_SCHEDULE);
    expect(webhookConfig({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "1, 2,3" }).retrySchedule).toEqual([1, 2, 3]);
    expect(webhookConfig({ WEBHOOK_RETRY_SCHEDULE_SECONDS: "5,soon" }).retrySchedule).toEqual(DEFAULT_RETRY_SCHEDULE);
    DEFAULT_RETRY_SCHEDULE.forEach((base, i) => {
      const delays = Array.from({ length: 200 }, () => retryDelaySeconds(DEFAULT_RETRY_SCHEDULE, i + 1)!);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
      expect(Math.max(...delays)).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      if (base >= 300) expect(new Set(delays).size).toBeGreaterThan(10);
    });
    expect(retryDelaySeconds(DEFAULT_RETRY_SCHEDULE, 8)).toBeNull();
  });
});

describe("POST /v1/events/{id}/redeliver", () => {
  it("is 404 for another tenant's event, an unknown one and anything that is not an event id", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    await registerEndpoint(t, newReceiver());
    await newClient(t);
    const [event] = await wholeFeed(t);
    expect((await v1(t, "POST", `/v1/events/${event.id}/redeliver`)).status).toBe(202);
    for (const id of [event.id, `evt_${other.id}_999`, "evt_x", "nope"]) {
      const res = await v1(other, "POST", `/v1/events/${id}/redeliver`);
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual({ code: "not_found", message: "Event not found" });
    }
  });
});

describe("webhooks across tenants", () => {
  it("another tenant's events never reach an endpoint", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const [ra, rb] = [newReceiver(), newReceiver()];
    const ea = await registerEndpoint(a, ra);
    await registerEndpoint(b, rb);
    for (let i = 0; i < 3; i++) await newClient(a);
    await newClient(b);
    await receivedAtLeast(ra, 3);
    await receivedAtLeast(rb, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await received(ra)).map((d) => verified(ea.secret, d).id).sort()).toEqual([1, 2, 3].map((n) => `evt_${a.id}_${n}`));
    expect((await received(rb)).map((d) => d.headers["webhook-id"])).toEqual([`evt_${b.id}_1`]);
  });

  it("an endpoint receives only events committed after it was registered (earlier ones are in the feed)", async () => {
    const t = await newTenant();
    await newClient(t);
    const rid = newReceiver();
    await registerEndpoint(t, rid);
    await newClient(t);
    const [delivery] = await receivedAtLeast(rid, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await received(rid)).toHaveLength(1);
    expect(delivery!.headers["webhook-id"]).toBe(`evt_${t.id}_2`);
    expect((await wholeFeed(t)).map((e) => e.id)).toEqual([`evt_${t.id}_1`, `evt_${t.id}_2`]);
  });
});
