import { beforeAll, describe, expect, it } from "vitest";
import { answer, eventually, failedDelivery, newEvent, newestAttempt, newReceiver, receivedAtLeast, registerEndpoint } from "../events/support";
import { admin, newTenant } from "../helpers";
import { page, signIn, submit } from "./support";

/**
 * The console's Webhooks view: a tenant's endpoints, each endpoint's delivery attempts,
 * the redeliver button and re-enabling. Deliveries go to the test receiver
 * (test/events/receiver.js); retries come after 1 s, 1 s and 1 s.
 */

let session: { cookie: string; csrf: string };
/** A page with the endpoint id it names replaced (its language switch links to its own URL). */
const naming = (text: string, endpointId: number) => text.replaceAll(`/webhooks/${endpointId}`, "/webhooks/<endpoint>");
const get = (path: string) => page("GET", path, { cookie: session.cookie, headers: { "accept-language": "es" } });

beforeAll(async () => {
  session = await signIn();
});

describe("GET /console/tenants/{id}/webhooks", () => {
  it("lists the endpoints with what they receive, their status, why one is disabled, since when it fails, and links to each", async () => {
    const { t } = await failedDelivery(410, ["customer.created", "tag.added"]);
    const all = await registerEndpoint(t, newReceiver());
    const res = await get(`/console/tenants/${t.id}/webhooks`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/console/tenants/${t.id}/webhooks" aria-current="page">Webhooks</a>`);
    expect(res.text).toContain(`<a href="/console/tenants/${t.id}/webhooks/${all.id}">http://127.0.0.1:9999/hooks/`);
    expect(res.text).toContain("customer.created, tag.added");
    expect(res.text).toContain("<td>todos</td>");
    expect(res.text).toContain("desactivado (respondió 410 Gone)");
    expect(res.text).not.toContain("whsec_");
  });

  it("says so when the tenant has none, and answers 404 for an unknown tenant", async () => {
    const t = await newTenant();
    expect((await get(`/console/tenants/${t.id}/webhooks`)).text).toContain("Sin endpoints de webhooks.");
    expect((await get("/console/tenants/987654321/webhooks")).status).toBe(404);
  });
});

describe("GET /console/tenants/{id}/webhooks/{endpointId}", () => {
  it("shows every attempt of a dead-lettered delivery: event, attempt number, HTTP status, outcome; older attempts on the next page", async () => {
    const { t, endpoint, eventId } = await failedDelivery(503);
    const res = await get(`/console/tenants/${t.id}/webhooks/${endpoint.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<code>${eventId}</code>`);
    expect(res.text).toContain("customer.created");
    expect(res.text).toContain("HTTP 503");
    expect(res.text).toContain('<td class="outcome-dead">sin más reintentos</td>');
    expect(res.text.match(/<td class="outcome-retrying">reintentando<\/td>/g)).toHaveLength(3);
    expect(res.text.match(new RegExp(`name="event" value="${eventId}"`, "g"))).toHaveLength(4);
    const english = await page("GET", `/console/tenants/${t.id}/webhooks/${endpoint.id}`, { cookie: session.cookie, headers: { "accept-language": "en" } });
    expect(english.text).toContain('<td class="outcome-dead">dead-lettered</td>');
  });

  it("pages the attempts 20 at a time", async () => {
    const t = await newTenant();
    const rid = newReceiver();
    const endpoint = await registerEndpoint(t, rid);
    for (let i = 0; i < 21; i++) await newEvent(t);
    await receivedAtLeast(rid, 21);
    await eventually(async () => (await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints/${endpoint.id}/deliveries`)).body.data.length === 21);
    const first = await get(`/console/tenants/${t.id}/webhooks/${endpoint.id}`);
    expect(first.text.match(/<tr id="attempt-/g)).toHaveLength(20);
    const older = /href="([^"]+cursor=\d+)"/.exec(first.text)![1]!.replaceAll("&amp;", "&");
    const next = await get(older);
    expect(next.text.match(/<tr id="attempt-/g)).toHaveLength(1);
    expect(next.text).toContain(`href="/console/tenants/${t.id}/webhooks/${endpoint.id}#attempts"`);
  });

  it("answers 404 for another tenant's endpoint, exactly as for one that does not exist", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const theirs = await registerEndpoint(b, newReceiver());
    const res = await get(`/console/tenants/${a.id}/webhooks/${theirs.id}`);
    const missing = await get(`/console/tenants/${a.id}/webhooks/987654321`);
    expect(res.status).toBe(404);
    expect(naming(res.text, theirs.id)).toBe(naming(missing.text, 987654321));
  });
});

describe("POST /console/tenants/{id}/webhooks/{endpointId}/redeliver", () => {
  it("delivers the event again, says so, and records it under the console session's actor", async () => {
    const { t, rid, endpoint, eventId } = await failedDelivery(503);
    await answer(rid, { status: 200 });
    const res = await submit(session, `/console/tenants/${t.id}/webhooks/${endpoint.id}/redeliver`, { event: eventId });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/console/tenants/${t.id}/webhooks/${endpoint.id}?done=redelivered-${eventId}`);
    expect((await get(res.location!)).text).toContain(`El evento ${eventId} está en cola para entregarse de nuevo.`);
    expect((await receivedAtLeast(rid, 5))[4]).toMatchObject({ status: 200, headers: { "webhook-id": eventId } });
    await newestAttempt(t, endpoint.id, "succeeded");
    const [entry] = (await admin("GET", `/admin/audit?tenantId=${t.id}&limit=1`)).body.data;
    expect(entry).toMatchObject({
      action: "webhook_endpoint.redelivered",
      actor: expect.stringMatching(/^admin:[0-9a-f]{16}\/console:[0-9a-f]{8}$/),
      target: `webhook_endpoint:${endpoint.id}`,
      summary: { event: eventId },
    });
  });

  it("refuses without the CSRF token (403), and answers 404 for an unknown event or another tenant's endpoint", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const mine = await registerEndpoint(a, newReceiver());
    const theirs = await registerEndpoint(b, newReceiver());
    await newEvent(b);
    const path = `/console/tenants/${a.id}/webhooks/${mine.id}/redeliver`;
    const forged = await page("POST", path, { cookie: session.cookie, form: { event: `evt_${a.id}_1` }, headers: { origin: "https://ficha.test" } });
    expect(forged.status).toBe(403);
    expect((await submit(session, path, { event: `evt_${b.id}_1` })).status).toBe(404);
    expect((await submit(session, path, { event: "nope" })).status).toBe(404);
    const other = await submit(session, `/console/tenants/${a.id}/webhooks/${theirs.id}/redeliver`, { event: `evt_${b.id}_1` });
    const missing = await submit(session, `/console/tenants/${a.id}/webhooks/987654321/redeliver`, { event: `evt_${b.id}_1` });
    expect(other.status).toBe(404);
    expect(naming(other.text, theirs.id)).toBe(naming(missing.text, 987654321));
  });
});

describe("POST /console/tenants/{id}/webhooks/{endpointId}/enable", () => {
  it("offers to enable a disabled endpoint (and no redeliver button while disabled), then enables it", async () => {
    const { t, endpoint, eventId } = await failedDelivery(410);
    const path = `/console/tenants/${t.id}/webhooks/${endpoint.id}`;
    const disabled = await get(path);
    expect(disabled.text).toContain(`action="${path}/enable"`);
    expect(disabled.text).not.toContain(`action="${path}/redeliver"`);
    // (A redelivery posted all the same queues nothing, and says so.)
    const refused = await submit(session, `${path}/redeliver`, { event: eventId });
    expect(refused.location).toBe(`${path}?done=not-queued`);
    expect((await get(refused.location!)).text).toContain("No se puso nada en cola: el endpoint está desactivado o no recibe este evento.");
    const res = await submit(session, `${path}/enable`);
    expect(res.location).toBe(`${path}?done=enabled`);
    const enabled = await get(res.location!);
    expect(enabled.text).toContain("El endpoint está activo de nuevo.");
    expect(enabled.text).not.toContain(`action="${path}/enable"`);
    expect(enabled.text).toContain(`action="${path}/redeliver"`);
    expect((await admin("GET", `/admin/tenants/${t.id}/webhook-endpoints/${endpoint.id}`)).body.status).toBe("enabled");
    const [entry] = (await admin("GET", `/admin/audit?tenantId=${t.id}&limit=1`)).body.data;
    expect(entry).toMatchObject({ action: "webhook_endpoint.enabled", actor: expect.stringContaining("/console:") });
  });
});
