import { describe, expect, it } from "vitest";
import { answer, failedDelivery, newEvent, newestAttempt, newReceiver, received, receivedAtLeast, registerEndpoint, verified } from "../events/support";
import { admin, call, cost, newTenant } from "../helpers";

/**
 * The operator API's view of a tenant's webhooks: its endpoints, their delivery attempts,
 * redelivery to one endpoint and re-enabling a disabled one. Deliveries go to the test
 * receiver (test/events/receiver.js); retries come after 1 s, 1 s and 1 s.
 */

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

const base = (tenantId: number, endpointId: number) => `/admin/tenants/${tenantId}/webhook-endpoints/${endpointId}`;

/** The newest audit entry of the tenant. */
const lastEntry = async (tenantId: number) => (await admin("GET", `/admin/audit?tenantId=${tenantId}&limit=1`)).body.data[0];

describe("GET /admin/tenants/{tenantId}/webhook-endpoints", () => {
  it("lists the tenant's endpoints, oldest first, with status, disabled reason, failing since and created; never a secret", async () => {
    const { t, rid, endpoint: gone } = await failedDelivery(410, ["customer.created"]);
    const all = await registerEndpoint(t, newReceiver());
    const res = await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        {
          id: gone.id,
          url: expect.stringContaining(rid),
          events: ["customer.created"],
          status: "disabled",
          disabledReason: "gone",
          failingSince: ISO,
          createdAt: ISO,
          statusChangedAt: ISO,
          previousSecretExpiresAt: null,
        },
        {
          id: all.id,
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9999\/hooks\//),
          events: null,
          status: "enabled",
          disabledReason: null,
          failingSince: null,
          createdAt: ISO,
          statusChangedAt: ISO,
          previousSecretExpiresAt: null,
        },
      ],
      nextCursor: null,
    });
    expect(res.text).not.toContain("whsec_");
    expect(res.text).not.toContain(all.secret.slice(6));
  });

  it("pages with the cursor in one round trip, leaves deleted endpoints out, and answers 404 for an unknown tenant", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await registerEndpoint(t, newReceiver())).id);
    await registerEndpoint(other, newReceiver());
    expect((await call("DELETE", `/v1/webhook-endpoints/${ids[1]}`, { headers: t.auth })).status).toBe(204);
    const first = await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints?limit=1`);
    expect(first.body.data.map((e: { id: number }) => e.id)).toEqual([ids[0]]);
    expect(first.body.nextCursor).toBe(String(ids[0]));
    expect(cost(first.headers).d1RoundTrips).toBe(1);
    const second = await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    const missing = await admin("GET", "/admin/tenants/987654321/webhook-endpoints");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: "not_found", message: "Tenant not found" });
    expect((await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints?cursor=x`)).status).toBe(422);
  });
});

describe("GET /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}", () => {
  it("answers the endpoint; another tenant's endpoint and a deleted one are 404 exactly like a missing one", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const endpoint = await registerEndpoint(t, newReceiver(), ["ledger.posted"]);
    const res = await admin("GET", base(t.id, endpoint.id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: endpoint.id, events: ["ledger.posted"], status: "enabled", failingSince: null });
    const theirs = await admin("GET", base(other.id, endpoint.id));
    const missing = await admin("GET", base(other.id, 987654321));
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    expect(theirs.body).toEqual({ code: "not_found", message: "Webhook endpoint not found" });
    await call("DELETE", `/v1/webhook-endpoints/${endpoint.id}`, { headers: t.auth });
    expect((await admin("GET", base(t.id, endpoint.id))).text).toBe(missing.text);
  });
});

describe("GET /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries", () => {
  it("lists every attempt, newest first: event, attempt number, HTTP status or error, duration, outcome and next attempt", async () => {
    const { t, endpoint, eventId } = await failedDelivery(503);
    const res = await admin("GET", `${base(t.id, endpoint.id)}/deliveries`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome])).toEqual([
      [4, "dead"],
      [3, "retrying"],
      [2, "retrying"],
      [1, "retrying"],
    ]);
    expect(res.body.data[0]).toEqual({
      id: expect.any(Number),
      deliveryId: expect.any(Number),
      eventId,
      eventType: "customer.created",
      attempt: 4,
      statusCode: 503,
      error: null,
      durationMs: expect.any(Number),
      attemptedAt: ISO,
      outcome: "dead",
      nextAttemptAt: null,
    });
    expect(res.body.data[1].nextAttemptAt).toEqual(ISO);
    expect(res.body.nextCursor).toBeNull();
    // Pages of two.
    const first = await admin("GET", `${base(t.id, endpoint.id)}/deliveries?limit=2`);
    const second = await admin("GET", `${base(t.id, endpoint.id)}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.data, ...second.body.data].map((a: { attempt: number }) => a.attempt)).toEqual([4, 3, 2, 1]);
    expect(second.body.nextCursor).toBeNull();
    // Each page one round trip, reading the endpoint and its own attempts (and one more, to know there is a next page).
    for (const res of [first, second]) {
      expect(cost(res.headers).d1RoundTrips).toBe(1);
      expect(cost(res.headers).rowsRead).toBeLessThanOrEqual(1 + 3);
    }
    // The endpoint's failures are on its listing too.
    expect((await admin("GET", base(t.id, endpoint.id))).body.failingSince).toEqual(ISO);
  });

  it("is 404 for another tenant's endpoint, exactly like a missing one, and 422 for a cursor it did not hand out", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const endpoint = await registerEndpoint(t, newReceiver());
    const theirs = await admin("GET", `${base(other.id, endpoint.id)}/deliveries`);
    const missing = await admin("GET", `${base(other.id, 987654321)}/deliveries`);
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    expect((await admin("GET", `${base(t.id, endpoint.id)}/deliveries?cursor=abc`)).status).toBe(422);
  });
});

describe("POST /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/redeliver", () => {
  it("delivers a dead-lettered event again to that endpoint only, and records it in the audit log", async () => {
    const t = await newTenant();
    const [rid, okRid] = [newReceiver(), newReceiver()];
    const endpoint = await registerEndpoint(t, rid);
    await registerEndpoint(t, okRid);
    await answer(rid, { status: 503 });
    await newEvent(t);
    const { eventId } = await newestAttempt(t, endpoint.id, "dead");
    await answer(rid, { status: 200 });
    const res = await admin("POST", `${base(t.id, endpoint.id)}/redeliver`, { eventId });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ eventId, endpointId: endpoint.id, queued: true });
    const got = await receivedAtLeast(rid, 5);
    expect(got[4]).toMatchObject({ status: 200, headers: { "webhook-id": eventId } });
    expect(verified(endpoint.secret, got[4]!).id).toBe(eventId);
    expect(await newestAttempt(t, endpoint.id, "succeeded")).toMatchObject({ eventId, attempt: 1 });
    // The tenant's other endpoint had it already: it is not sent again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await received(okRid)).toHaveLength(1);
    expect(await lastEntry(t.id)).toMatchObject({
      action: "webhook_endpoint.redelivered",
      actor: expect.stringMatching(/^admin:[0-9a-f]{16}$/),
      requestId: res.headers.get("x-request-id"),
      target: `webhook_endpoint:${endpoint.id}`,
      summary: { event: eventId },
    });
  });

  it("queues nothing, and records nothing, for a disabled endpoint or an event it does not receive", async () => {
    const t = await newTenant();
    await newEvent(t);
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    // An event from before the endpoint existed.
    const early = await admin("POST", `${base(t.id, endpoint.id)}/redeliver`, { eventId: `evt_${t.id}_1` });
    expect(early.body).toEqual({ eventId: `evt_${t.id}_1`, endpointId: endpoint.id, queued: false });
    await answer(rid, { status: 410 });
    await newEvent(t);
    await newestAttempt(t, endpoint.id, "dead");
    const before = await lastEntry(t.id);
    const res = await admin("POST", `${base(t.id, endpoint.id)}/redeliver`, { eventId: `evt_${t.id}_2` });
    expect(res.status).toBe(202);
    expect(res.body.queued).toBe(false);
    expect(await lastEntry(t.id)).toEqual(before);
  });

  it("is 404 for another tenant's endpoint (like a missing one) and for another tenant's or an unknown event; 422 without an event", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const endpoint = await registerEndpoint(t, newReceiver());
    const mine = await registerEndpoint(other, newReceiver());
    await newEvent(t);
    await newEvent(other);
    const eventId = `evt_${t.id}_1`;
    const theirs = await admin("POST", `${base(other.id, endpoint.id)}/redeliver`, { eventId: `evt_${other.id}_1` });
    const missing = await admin("POST", `${base(other.id, 987654321)}/redeliver`, { eventId: `evt_${other.id}_1` });
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    expect(theirs.body).toEqual({ code: "not_found", message: "Webhook endpoint not found" });
    for (const id of [eventId, `evt_${other.id}_999`, "nope"]) {
      const res = await admin("POST", `${base(other.id, mine.id)}/redeliver`, { eventId: id });
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual({ code: "not_found", message: "Event not found" });
    }
    expect((await admin("POST", `${base(t.id, endpoint.id)}/redeliver`, {})).status).toBe(422);
  });
});

describe("POST /admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/enable", () => {
  it("enables a disabled endpoint: its failures are forgotten, it gets what is written from now on, and it is audited", async () => {
    const { t, rid, endpoint } = await failedDelivery(410);
    expect((await admin("GET", base(t.id, endpoint.id))).body).toMatchObject({ status: "disabled", disabledReason: "gone" });
    // Written while it is disabled: not sent when it is enabled again.
    await newEvent(t);
    await answer(rid, { status: 200 });
    const res = await admin("POST", `${base(t.id, endpoint.id)}/enable`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: endpoint.id, status: "enabled", disabledReason: null, failingSince: null });
    expect(await lastEntry(t.id)).toMatchObject({ action: "webhook_endpoint.enabled", target: `webhook_endpoint:${endpoint.id}`, summary: {} });
    await newEvent(t);
    const got = await receivedAtLeast(rid, 2);
    expect(got[1]!.headers["webhook-id"]).toBe(`evt_${t.id}_3`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await received(rid)).toHaveLength(2);
    // The skipped event can still be redelivered to it.
    const again = await admin("POST", `${base(t.id, endpoint.id)}/redeliver`, { eventId: `evt_${t.id}_2` });
    expect(again.body.queued).toBe(true);
    expect((await receivedAtLeast(rid, 3))[2]!.headers["webhook-id"]).toBe(`evt_${t.id}_2`);
  });

  it("changes nothing for an enabled endpoint, and is 404 for another tenant's endpoint like a missing one", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const endpoint = await registerEndpoint(t, newReceiver());
    const before = await lastEntry(t.id);
    const res = await admin("POST", `${base(t.id, endpoint.id)}/enable`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("enabled");
    expect(await lastEntry(t.id)).toEqual(before);
    const theirs = await admin("POST", `${base(other.id, endpoint.id)}/enable`);
    const missing = await admin("POST", `${base(other.id, 987654321)}/enable`);
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
  });
});
