import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, call, newTenant } from "../helpers";
import { register, seedExample } from "../kiosk/support";
import { seedCustomer } from "../registry";
import { page, signIn, submit } from "./support";

let session: { cookie: string; csrf: string };
const get = (path: string) => page("GET", path, { cookie: session.cookie, headers: { "accept-language": "es" } });

beforeAll(async () => {
  session = await signIn();
});

/** A tenant made through the console; its id. */
async function consoleTenant(name = "Casino Miraflores", timezone = "America/Lima"): Promise<number> {
  const res = await submit(session, "/console/tenants", { name, timezone });
  expect(res.status).toBe(303);
  return Number(/^\/console\/tenants\/(\d+)\?done=created$/.exec(res.location ?? "")![1]);
}

describe("POST /console/tenants", () => {
  it("creates the tenant and lists it with its zone", async () => {
    const id = await consoleTenant("Casino Miraflores", "America/Lima");
    const list = await get("/console/tenants");
    expect(list.status).toBe(200);
    expect(list.text).toContain(`<a href="/console/tenants/${id}">Casino Miraflores</a>`);
    const created = await get(`/console/tenants/${id}?done=created`);
    expect(created.text).toContain("Empresa creada.");
  });

  it("shows the form again with its errors (422) for a missing name or an unknown zone, creating nothing", async () => {
    const before = (await admin("GET", "/admin/tenants?limit=100")).body.data.length;
    const noName = await submit(session, "/console/tenants", { name: "", timezone: "UTC" });
    expect(noName.status).toBe(422);
    expect(noName.text).toContain('aria-invalid="true"');
    const badZone = await submit(session, "/console/tenants", { name: "X", timezone: "Mars/Olympus" });
    expect(badZone.status).toBe(422);
    expect((await admin("GET", "/admin/tenants?limit=100")).body.data.length).toBe(before);
  });
});

describe("POST /console/tenants/{id}", () => {
  it("changes the time zone, sets and unsets the VLT destination, and rebuilds the counters", async () => {
    const id = await consoleTenant("Zona", "UTC");
    const saved = await submit(session, `/console/tenants/${id}`, { name: "Zona", timezone: "America/Bogota" });
    expect(saved.location).toBe(`/console/tenants/${id}?done=saved`);
    expect((await admin("GET", `/admin/tenants/${id}`)).body.timezone).toBe("America/Bogota");
    expect((await submit(session, `/console/tenants/${id}/vlt-destination`)).status).toBe(303);
    expect((await admin("GET", `/admin/tenants/${id}`)).body.vltDestination).toBe(true);
    expect((await get(`/console/tenants/${id}`)).text).toContain("Dejar de recibir registros VLT");
    expect((await submit(session, `/console/tenants/${id}/vlt-destination/unset`)).status).toBe(303);
    expect((await admin("GET", `/admin/tenants/${id}`)).body.vltDestination).toBe(false);
    const rebuilt = await submit(session, `/console/tenants/${id}/reports/rebuild`);
    expect(rebuilt.location).toBe(`/console/tenants/${id}?done=rebuilt-0`);
  });

  it("writes every console action to the audit log under the session's actor", async () => {
    const id = await consoleTenant("Auditada", "UTC");
    await submit(session, `/console/tenants/${id}`, { name: "Auditada", timezone: "America/Lima" });
    await submit(session, `/console/tenants/${id}/reports/rebuild`);
    const log = await admin("GET", `/admin/audit?tenantId=${id}`);
    expect(log.body.data.map((e: { action: string }) => e.action)).toEqual(["reports.rebuilt", "tenant.updated", "tenant.created"]);
    const actors = new Set(log.body.data.map((e: { actor: string }) => e.actor));
    expect(actors.size).toBe(1);
    // The admin token's fingerprint, then which console session.
    expect([...actors][0]).toMatch(/^admin:[0-9a-f]{16}\/console:[0-9a-f]{8}$/);
  });

  it("does not unset the destination from another tenant's page", async () => {
    const destination = await consoleTenant("Destino");
    const other = await consoleTenant("Otra");
    await submit(session, `/console/tenants/${destination}/vlt-destination`);
    await submit(session, `/console/tenants/${other}/vlt-destination/unset`);
    expect((await admin("GET", `/admin/tenants/${destination}`)).body.vltDestination).toBe(true);
  });
});

describe("POST /console/tenants/{id}/credentials", () => {
  it("shows the new secret once, with a copy button and a warning; the secret works and is never shown again", async () => {
    const id = await consoleTenant();
    const res = await submit(session, `/console/tenants/${id}/credentials`, { kind: "partner", name: "ERP" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const secret = /<code id="issued-secret"[^>]*>([A-Za-z0-9_-]{43})<\/code>/.exec(res.text)![1]!;
    const clientId = Number(/client_id (\d+), partner/.exec(res.text)![1]);
    expect(res.text).toContain('data-copy="issued-secret"');
    expect(res.text).toContain("this is the only time it is shown");
    const token = await call("POST", "/oauth/token", { body: { grant_type: "client_credentials", client_id: clientId, client_secret: secret } });
    expect(token.status).toBe(200);
    expect((await get(`/console/tenants/${id}`)).text).not.toContain(secret);
  });
});

describe("POST /console/tenants/{id}/credentials/{clientId}/revoke", () => {
  it("asks first, then revokes: the credential's token fails at once", async () => {
    const t = await newTenant();
    const confirm = await get(`/console/tenants/${t.id}/credentials/${t.partner.clientId}/revoke`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`¿Revocar la credencial ${t.partner.clientId}?`);
    expect((await call("GET", "/api/clientes", { headers: t.auth })).status).toBe(200);
    const revoked = await submit(session, `/console/tenants/${t.id}/credentials/${t.partner.clientId}/revoke`);
    expect(revoked.location).toBe(`/console/tenants/${t.id}?done=revoked-${t.partner.clientId}`);
    expect((await call("GET", "/api/clientes", { headers: t.auth })).status).toBe(401);
    expect((await get(`/console/tenants/${t.id}?done=revoked-${t.partner.clientId}`)).text).toContain(`Credencial ${t.partner.clientId} revocada.`);
  });

  it("answers 404 for another tenant's credential under this tenant, and revokes nothing", async () => {
    const a = await newTenant();
    const b = await newTenant();
    expect((await get(`/console/tenants/${a.id}/credentials/${b.partner.clientId}/revoke`)).status).toBe(404);
    expect((await submit(session, `/console/tenants/${a.id}/credentials/${b.partner.clientId}/revoke`)).status).toBe(404);
    expect((await call("GET", "/api/clientes", { headers: b.auth })).status).toBe(200);
  });
});

describe("GET /console/tenants/{id}/customers", () => {
  it("finds the kiosk player by card UID and links to the 360", async () => {
    const t = await newTenant();
    await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id });
    const registered = await register(seedExample);
    const res = await get(`/console/tenants/${t.id}/customers?q=A0C2BBCA`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/console/tenants/${t.id}/customers/${registered.body.id}"`);
    expect(res.text).toContain("Tarjeta RFID A0C2BBCA");
  });
});

describe("GET /console/tenants/{id}/customers/{customerId}", () => {
  it("shows the balance, the cards, the transactions with their reversal links, and pages older ones", async () => {
    const t = await newTenant();
    const credit = (code: string, total: number) =>
      call("POST", "/api/transaction", {
        body: { type: "POINTS COUPON", code, description: `Cupón ${code}`, total, customer: { externalId: "c360", name: "Ana", data: {} } },
        headers: t.auth,
      });
    for (let i = 0; i < 22; i++) expect((await credit(`k-${i}`, 10)).status).toBe(200);
    await call("POST", "/api/transaction/reverse", { body: { type: "POINTS COUPON", code: "k-21" }, headers: t.auth });
    const id = (await env.DB.prepare("SELECT customer_id AS id FROM identifiers WHERE tenant_id = ? AND value = 'c360'").bind(t.id).first<{ id: number }>())!
      .id;
    const res = await get(`/console/tenants/${t.id}/customers/${id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-balance="POINTS">210</dd>');
    expect(res.text).toMatch(/revierte #\d+/);
    expect(res.text).toMatch(/revertida por #\d+/);
    const older = /href="([^"]+before=\d+)"/.exec(res.text)![1]!.replaceAll("&amp;", "&");
    const next = await get(older);
    expect(next.status).toBe(200);
    expect(next.text).toContain("Cupón k-0");
  });

  it("answers 404 for another tenant's customer", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const theirs = await seedCustomer(b.id, { channel: "clients", name: "Ajeno" });
    const res = await get(`/console/tenants/${a.id}/customers/${theirs.id}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("Ajeno");
  });
});

describe("POST /console/tenants/{id}/customers/{customerId}/merge", () => {
  it("reviews the merge on its own page, then merges the duplicate into the customer", async () => {
    const t = await newTenant();
    const survivor = await seedCustomer(t.id, { channel: "clients", name: "Sobrevive" });
    const duplicate = await seedCustomer(t.id, { channel: "loyalty", name: "Duplicado", loyaltyExternalId: "dup-c" });
    const review = await get(`/console/tenants/${t.id}/customers/${survivor.id}/merge?from=${duplicate.id}`);
    expect(review.status).toBe(200);
    expect(review.text).toContain(`¿Fusionar el cliente ${duplicate.id} en el cliente ${survivor.id}?`);
    const merged = await submit(session, `/console/tenants/${t.id}/customers/${survivor.id}/merge`, { from: String(duplicate.id) });
    expect(merged.location).toBe(`/console/tenants/${t.id}/customers/${survivor.id}?done=merged-${duplicate.id}`);
    const absorbed = await admin("GET", `/admin/tenants/${t.id}/customers/${duplicate.id}`);
    expect(absorbed.body.customer).toMatchObject({ status: "merged", mergedIntoId: survivor.id });
  });

  it("refuses a merge into itself or from nothing on the 360 page (422), and another tenant's customer with 404", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const mine = await seedCustomer(a.id, { channel: "clients", name: "Mío" });
    const theirs = await seedCustomer(b.id, { channel: "clients", name: "Ajeno" });
    expect((await get(`/console/tenants/${a.id}/customers/${mine.id}/merge?from=${mine.id}`)).status).toBe(422);
    expect((await get(`/console/tenants/${a.id}/customers/${mine.id}/merge?from=abc`)).status).toBe(422);
    expect((await get(`/console/tenants/${a.id}/customers/${mine.id}/merge?from=${theirs.id}`)).status).toBe(404);
    expect((await submit(session, `/console/tenants/${a.id}/customers/${mine.id}/merge`, { from: String(theirs.id) })).status).toBe(404);
    expect((await admin("GET", `/admin/tenants/${b.id}/customers/${theirs.id}`)).body.customer.status).toBe("active");
  });
});

describe("GET /console/tenants/{id}/reports", () => {
  it("carries each chart's numbers and the per-store and per-product totals from the daily counters", async () => {
    const t = await newTenant();
    await call("POST", "/api/transaction/checkbook", {
      body: {
        type: "POINTS ORDER",
        customer: { externalId: "rep-1", name: "Cliente" },
        code: "order-1",
        externalId: "123",
        total: 100,
        earnedRedeemed: 2,
        store: { externalId: "S1", name: "Centro" },
        detail: { name: "Twister", externalId: "39535", total: 10, earnedRedeemed: 2 },
      },
      headers: t.auth,
    });
    const res = await get(`/console/tenants/${t.id}/reports`);
    expect(res.status).toBe(200);
    const charts = [...res.text.matchAll(/data-chart="([^"]+)"/g)].map((m) => JSON.parse(m[1]!.replaceAll("&quot;", '"')));
    expect(charts).toHaveLength(2);
    expect(charts[0].labels).toHaveLength(30);
    expect(charts[0].series[0].values.at(-1)).toBe(2);
    expect(charts[1].series[0].values.at(-1)).toBe(1);
    expect(res.text).toContain('<th scope="row">Centro</th>');
    expect(res.text).toContain('<th scope="row">39535</th>');
  });

  it("refuses an impossible or over-long range with 422", async () => {
    const t = await newTenant();
    expect((await get(`/console/tenants/${t.id}/reports?from=2024-02-30&to=2024-03-01`)).status).toBe(422);
    expect((await get(`/console/tenants/${t.id}/reports?from=2024-03-02&to=2024-03-01`)).status).toBe(422);
    expect((await get(`/console/tenants/${t.id}/reports?from=2022-01-01&to=2024-03-01`)).status).toBe(422);
  });
});
