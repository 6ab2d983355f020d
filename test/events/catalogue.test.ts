import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventTypes } from "../../src/core/events/outbox";
import worker from "../../src/index";
import { admin, call, newTenant, type TestTenant } from "../helpers";
import { newReceiver, received, receivedAtLeast, registerEndpoint, verified, wholeFeed } from "./support";

/**
 * The event catalogue, produced by the surfaces' own writes: every type is appended by
 * the batch of the change it describes, reaches a webhook receiver, and verifies with the
 * `standardwebhooks` package. One tenant walks through a day of kiosk, clients, parking,
 * loyalty, sales and operator writes.
 */

const ok = async (method: string, path: string, t: TestTenant, body: unknown, status: number) => {
  const res = await call(method, path, { headers: t.auth, body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
  return res.body;
};
const kiosk = async (body: Record<string, unknown>) => {
  const res = await call("POST", "/api/clientes/register", { body, headers: { "cf-connecting-ip": "198.51.100.7" } });
  expect(res.status, res.text).toBe(201);
  return res.body;
};
const registration = (card: string, email: string) => ({
  codigoClienteVLT: 4242,
  correo: email,
  tarjeta: card,
  enviarWhatsApp: true,
  enviarCorreo: false,
  enviarSms: true,
  dni: "74658993",
  nombre: "Brandon",
});

describe("the event catalogue", () => {
  let t: TestTenant;
  let all: string;
  let ledgerOnly: string;
  let secret: string;
  let ledgerSecret: string;
  let feed: any[];
  const cards = ["A0C2BBCA", "77F00D12"];

  beforeAll(async () => {
    t = await newTenant();
    all = newReceiver();
    ledgerOnly = newReceiver();
    secret = (await registerEndpoint(t, all)).secret;
    ledgerSecret = (await registerEndpoint(t, ledgerOnly, ["ledger.posted", "tier.changed"])).secret;
    await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id });

    // Kiosk: a new player, then a second card (and a new email).
    const player = await kiosk(registration(cards[0]!, "brandon@example.com"));
    await kiosk(registration(cards[1]!, "brandon.m@example.com"));
    // Clients: create, update, delete.
    const client = await ok(
      "POST",
      "/api/clientes",
      t,
      { nombre: "Telecom SAC", tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "20123456789", codigoCliente: "CLI-1" },
      201,
    );
    await ok("PUT", `/api/clientes/${client.id}`, t, { telefono: "987654321" }, 200);
    await ok("DELETE", `/api/clientes/${client.id}`, t, undefined, 200);
    // Parking: a customer with a tag, another tag, one cancelled.
    const parking = await ok(
      "POST",
      "/api/v3/business/customer/add",
      t,
      { email: "john@example.com", phone: "+56975880800", isUnlimited: true, refId: "AAAABBB0001", tags: [{ code: "O202020", plate: "JPKJ21" }] },
      201,
    );
    await ok("POST", "/api/v3/business/tag/add", t, { customer: { refId: "AAAABBB0001" }, tags: [{ code: "J929292", plate: "JPKJ20" }] }, 201);
    await ok("PUT", "/api/v3/business/tag/cancel", t, { customer: { refId: "AAAABBB0001" }, tags: [{ code: "O202020", plate: "JPKJ21" }] }, 200);
    // Loyalty: 1,000 points (the next tier), already past their expiration date; a redemption and its reversal; a transfer.
    const santiago = { externalId: "0100037894", name: "Santiago", data: {} };
    const credit = { type: "POINTS COUPON", code: "welcome", total: 1000, expirationDate: "2018-06-03", customer: santiago, description: "Bienvenida" };
    await ok("POST", "/api/transaction", t, credit, 200);
    await ok("POST", "/api/transaction", t, { type: "POINTS REDEEM", code: "spend-1", total: 10, customer: santiago, description: "Canje" }, 200);
    await ok("POST", "/api/transaction/reverse", t, { type: "POINTS REDEEM", code: "spend-1" }, 200);
    await ok(
      "POST",
      "/api/transaction/transfer",
      t,
      {
        type: "BALANCE TRANSFER DEBIT",
        total: 5,
        code: "gift-1",
        customerFrom: { externalId: "0100037894", name: "Santiago" },
        customerTo: { externalId: "1716583941", name: "David" },
      },
      200,
    );
    // The lot expiration job.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    // Sales: a client and a sale.
    await ok("POST", "/api/sales/clientes", t, { nombre: "Juan Pérez", id_tipo_cliente: 1, id_tipo_documento: 1, documento: "1020304050" }, 201);
    await ok(
      "POST",
      "/api/sales/ventas",
      t,
      { documento: "1020304050", apartamento: "Torre 2 - 704", monto: 3500, tipo: "separacion", fecha: "2024-02-29" },
      201,
    );
    // An operator merges the parking customer into the kiosk player.
    const merged = await admin("POST", `/admin/tenants/${t.id}/customers/${player.id}/merge`, { from: parking.customer });
    expect(merged.status, merged.text).toBe(200);
    // A client asks to be forgotten: an operator erases them.
    const forgotten = await ok(
      "POST",
      "/api/clientes",
      t,
      { nombre: "Ana Olvido", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "55667788", codigoCliente: "CLI-2" },
      201,
    );
    const erased = await admin("POST", `/admin/tenants/${t.id}/customers/${forgotten.id}/erase`);
    expect(erased.status, erased.text).toBe(200);

    feed = await wholeFeed(t, 7);
  });

  it("has every type, numbered 1, 2, 3 … in commit order, each `{id, type, created_at, data}`", () => {
    expect(new Set(feed.map((e) => e.type))).toEqual(new Set(eventTypes));
    expect(feed.map((e) => e.id)).toEqual(feed.map((_, i) => `evt_${t.id}_${i + 1}`));
    for (const event of feed) {
      expect(Object.keys(event)).toEqual(["id", "type", "created_at", "data"]);
      expect(new Date(event.created_at).toISOString()).toBe(event.created_at);
    }
    expect(feed.map((e) => e.type)).toEqual([
      "customer.created",
      "card.bound",
      "customer.updated",
      "card.replaced",
      "customer.created",
      "customer.updated",
      "customer.deleted",
      "customer.created",
      "tag.added",
      "tag.added",
      "tag.cancelled",
      "customer.created",
      "ledger.posted",
      "tier.changed",
      "ledger.posted",
      "ledger.posted",
      "customer.created",
      "ledger.posted",
      "ledger.posted",
      "ledger.posted",
      "lot.expired",
      // The transfer's lot keeps the expiration of the points it came from.
      "ledger.posted",
      "lot.expired",
      "customer.created",
      "sale.recorded",
      "customer.merged",
      "customer.created",
      "customer.erased",
    ]);
  });

  it("describes each change: the customer's id and keys and what changed, amounts in hundredths with the balance after", () => {
    const byType = (type: string) => feed.filter((e) => e.type === type).map((e) => e.data);
    const [kioskPlayer, company] = byType("customer.created");
    expect(kioskPlayer.customer).toMatchObject({
      channel: "kiosk",
      active: true,
      name: "Brandon",
      email: "brandon@example.com",
      consent_whatsapp: true,
      identifiers: expect.arrayContaining([
        { kind: "vlt_code", value: "4242", qualifier: null },
        { kind: "document", value: "74658993", qualifier: "DNI" },
      ]),
    });
    expect(byType("card.bound")[0]).toEqual({
      customer: { id: kioskPlayer.customer.id, identifiers: expect.any(Array) },
      card: { id: expect.any(Number), last4: "BBCA" },
    });
    expect(byType("card.replaced")[0]).toMatchObject({ card: { last4: "0D12" }, replaced: [{ last4: "BBCA" }] });
    expect(byType("customer.updated")).toEqual([
      expect.objectContaining({ changed: ["email"] }),
      expect.objectContaining({ changed: ["phone"], customer: expect.objectContaining({ id: company.customer.id, phone: "987654321" }) }),
    ]);
    expect(byType("customer.deleted")[0].customer).toMatchObject({
      id: company.customer.id,
      active: false,
      identifiers: expect.arrayContaining([{ kind: "client_code", value: "CLI-1", qualifier: null }]),
    });
    expect(byType("tag.added")[0]).toMatchObject({
      tag: { code: "O202020", plate: "JPKJ21" },
      customer: { identifiers: [{ kind: "parking_ref", value: "AAAABBB0001" }] },
    });
    expect(byType("tag.cancelled")[0]).toMatchObject({ tag: { code: "O202020", plate: "JPKJ21" } });
    const [credit, debit, reverse, sent, got, expired] = byType("ledger.posted").map((d) => d.transaction);
    expect(credit).toMatchObject({ operation: "credit", direction: "CREDIT", type: "POINTS COUPON", unit: "POINTS", amount: 100_000, balance_after: 100_000 });
    expect(debit).toMatchObject({ operation: "debit", direction: "DEBIT", type: "POINTS REDEEM", amount: 1000, balance_after: 99_000 });
    expect(reverse).toMatchObject({ operation: "reverse", direction: "CREDIT", amount: 1000, balance_after: 100_000, reverses: debit.id });
    expect(sent).toMatchObject({ operation: "transfer", direction: "DEBIT", amount: 500, balance_after: 99_500 });
    expect(got).toMatchObject({ operation: "transfer", direction: "CREDIT", amount: 500, balance_after: 500, counterpart: sent.id });
    expect(expired).toMatchObject({ operation: "debit", category: "expiration", type: "POINTS EXPIRATION" });
    expect(byType("tier.changed")[0]).toMatchObject({ from: { name: "AMIGO", rank: 1 }, to: { name: "BUEN AMIGO", rank: 2 }, earned: 100_000 });
    expect(byType("lot.expired")[0]).toMatchObject({ unit: "POINTS", balance_after: 0, lot: { remaining: 0 }, transaction: { id: expired.id } });
    expect(byType("sale.recorded")[0]).toMatchObject({ sale: { kind: "separacion", apartment: "Torre 2 - 704", amount: 3500, date: "2024-02-29" } });
    expect(byType("customer.merged")[0]).toMatchObject({
      customer: { id: kioskPlayer.customer.id, identifiers: expect.arrayContaining([{ kind: "parking_ref", value: "AAAABBB0001", qualifier: null }]) },
      merged: { id: expect.any(Number) },
    });
    // The erased client's events keep their place in the feed and lose their data.
    const forgotten = { id: byType("customer.erased")[0].customer.id, identifiers: [] };
    expect(feed.at(-2)!.data).toEqual({ customer: forgotten, redacted: true });
    expect(byType("customer.erased")).toEqual([{ customer: forgotten, erased_at: feed.at(-1)!.created_at }]);
  });

  it("never carries a card UID (only its last four characters) or a secret", () => {
    const text = JSON.stringify(feed);
    for (const uid of cards) expect(text).not.toContain(uid);
    expect(text).not.toMatch(/whsec_|secret/i);
  });

  it("delivers every event to the endpoint that takes all types, each verifying with standardwebhooks, webhook-id = event id, body = the feed's event", async () => {
    const got = await receivedAtLeast(all, feed.length);
    const byId = new Map(got.map((delivery) => [delivery.headers["webhook-id"], delivery]));
    expect(byId.size).toBe(feed.length);
    for (const event of feed) {
      const delivery = byId.get(event.id)!;
      // An event erased after its delivery went out was delivered as it was then.
      const sent = event.data.redacted ? { ...event, data: expect.any(Object) } : event;
      expect(verified(secret, delivery)).toEqual(sent);
      expect(JSON.parse(delivery.body)).toEqual(sent);
      expect(delivery.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Math.abs(Number(delivery.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(300);
      expect(delivery.headers["content-type"]).toBe("application/json");
    }
  });

  it("delivers only the subscribed types to an endpoint that lists them", async () => {
    const wanted = feed.filter((e) => e.type === "ledger.posted" || e.type === "tier.changed");
    const got = await receivedAtLeast(ledgerOnly, wanted.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await received(ledgerOnly)).map((d) => verified(ledgerSecret, d).id).sort()).toEqual(wanted.map((e) => e.id).sort());
    expect(got.every((d) => d.status === 200)).toBe(true);
  });
});
