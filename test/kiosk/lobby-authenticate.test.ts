import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, cost, newTenant, type TestTenant } from "../helpers";
import { seedCard } from "../registry";
import { destinationTenant, insertForeignCustomer, newRegistration, register, seedExample } from "./support";

const NOT_FOUND = { message: "Not Found" };
const UNAUTHENTICATED = { message: "Unauthenticated." };

function authenticate(secret: string | undefined, body: unknown, rawBody?: string) {
  return call("POST", "/api/lobby/authenticate", {
    body: rawBody === undefined ? body : undefined,
    rawBody,
    headers: { ...(secret === undefined ? {} : { "x-client-secret": secret }), ...(rawBody === undefined ? {} : { "content-type": "application/json" }) },
  });
}

/** A destination tenant with one card registered from `body`; returns the client's id. */
async function registered(body: Record<string, unknown>): Promise<{ tenant: TestTenant; id: number }> {
  const tenant = await destinationTenant();
  const res = await register(body);
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return { tenant, id: res.body.id };
}

describe("POST /api/lobby/authenticate", () => {
  it("answers the client of the seed example's card, in one D1 round trip", async () => {
    const { tenant, id } = await registered(seedExample);
    const res = await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "A0C2BBCA" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id,
      nombre: "Brandon",
      apellidoPaterno: "Mamani",
      apellidoMaterno: "Ayala",
      tipoDocumento: 1,
      dni: "74658993",
      codigoClienteVLT: 70,
      enviarWhatsApp: true,
      enviarCorreo: true,
      enviarSms: true,
      tarjeta: "A0C2BBCA",
    });
    expect(cost(res.headers).d1RoundTrips).toBe(1);
  });

  it("reads on the nearest replica (D1 session first-unconstrained) in one round trip and hands the session's bookmark back", async () => {
    const { tenant } = await registered(seedExample);
    const res = await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "A0C2BBCA" });
    expect(res.status).toBe(200);
    expect(cost(res.headers).d1RoundTrips).toBe(1);
    expect(res.headers.get("server-timing")).toContain('d1-session;desc="first-unconstrained"');
    expect(res.headers.get("x-d1-bookmark")).toMatch(/^[0-9a-f-]+$/i);
  });

  it("asks the primary once (first-primary) when the replica knows no such card: a card registered a moment ago is found", async () => {
    const tenant = await destinationTenant();
    const unknown = await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "NOSUCHCARD" });
    expect(unknown.status).toBe(404);
    expect(cost(unknown.headers).d1RoundTrips).toBe(2);
    expect(unknown.headers.get("server-timing")).toContain('d1-session;desc="first-primary"');
    const body = newRegistration();
    expect((await register(body)).status).toBe(201);
    expect((await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: body.tarjeta })).status).toBe(200);
    // A secret the replica does not know is refused there: a guess costs one read.
    const guess = await authenticate("not-a-kiosk-secret", { cardIdentifier: body.tarjeta });
    expect(guess.status).toBe(401);
    expect(cost(guess.headers).d1RoundTrips).toBe(1);
  });

  it("serves a request that sends a bookmark back at least as fresh as it (the bookmark's session, not a replica's)", async () => {
    const { tenant } = await registered(seedExample);
    const first = await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "A0C2BBCA" });
    const bookmark = first.headers.get("x-d1-bookmark")!;
    const again = await call("POST", "/api/lobby/authenticate", {
      body: { cardIdentifier: "A0C2BBCA" },
      headers: { "x-client-secret": tenant.kiosk.clientSecret, "x-d1-bookmark": bookmark },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get("server-timing")).toContain('d1-session;desc="bookmark"');
    // A bookmark that is not one is ignored, never handed to D1.
    const forged = await call("POST", "/api/lobby/authenticate", {
      body: { cardIdentifier: "A0C2BBCA" },
      headers: { "x-client-secret": tenant.kiosk.clientSecret, "x-d1-bookmark": "'; DROP TABLE customers; --" },
    });
    expect(forged.status).toBe(200);
    expect(forged.headers.get("server-timing")).toContain('d1-session;desc="first-unconstrained"');
  });

  it("matches the card trimmed and case-insensitively", async () => {
    const body = newRegistration({ tarjeta: "ab12cd34", enviarCorreo: false });
    const { tenant, id } = await registered(body);
    const res = await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "  AB12CD34 " });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, tarjeta: "AB12CD34", enviarCorreo: false, codigoClienteVLT: body.codigoClienteVLT });
  });

  it("answers one and the same 404 for a replaced, cancelled, unknown or deactivated client's card", async () => {
    const body = newRegistration();
    const { tenant, id } = await registered(body);
    await register({ ...body, tarjeta: "LOBBYNEW1" }); // the first card becomes replaced
    const secret = tenant.kiosk.clientSecret;

    const replaced = await authenticate(secret, { cardIdentifier: body.tarjeta });
    const unknown = await authenticate(secret, { cardIdentifier: "NEVERSEEN" });
    await register({ ...body, tarjeta: "LOBBYNEW2" });
    await env.DB.prepare("UPDATE identifiers SET status = 'cancelled' WHERE tenant_id = ? AND kind = 'rfid_card' AND value = 'LOBBYNEW2'")
      .bind(tenant.id)
      .run();
    const cancelled = await authenticate(secret, { cardIdentifier: "LOBBYNEW2" });
    for (const res of [replaced, unknown, cancelled]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
    }

    await register({ ...body, tarjeta: "LOBBYNEW3" });
    expect((await authenticate(secret, { cardIdentifier: "LOBBYNEW3" })).status).toBe(200);
    await env.DB.prepare("UPDATE customers SET active = 0 WHERE id = ?").bind(id).run();
    const deactivated = await authenticate(secret, { cardIdentifier: "LOBBYNEW3" });
    expect(deactivated.status).toBe(404);
    expect(deactivated.body).toEqual(NOT_FOUND);
  });

  it("answers another tenant's card exactly like an unknown one", async () => {
    const { tenant } = await registered(newRegistration({ tarjeta: "OTHERTENANT1" }));
    const other = await newTenant();
    const res = await authenticate(other.kiosk.clientSecret, { cardIdentifier: "OTHERTENANT1" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
    expect((await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "OTHERTENANT1" })).status).toBe(200);
  });

  it("refuses a missing, wrong, revoked or partner secret with 401", async () => {
    const { tenant } = await registered(newRegistration({ tarjeta: "SECRETS01" }));
    const card = { cardIdentifier: "SECRETS01" };
    const missing = await authenticate(undefined, card);
    const wrong = await authenticate("not-the-secret", card);
    const partner = await authenticate(tenant.partner.clientSecret, card);
    expect((await admin("DELETE", `/admin/credentials/${tenant.kiosk.clientId}`)).status).toBe(204);
    const revoked = await authenticate(tenant.kiosk.clientSecret, card);
    for (const res of [missing, wrong, partner, revoked]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
    }
  });

  it("renders a client created elsewhere: no consents given read as false, its document type mapped", async () => {
    const tenant = await destinationTenant();
    const id = await insertForeignCustomer(tenant.id, { documentType: "RUC", documentNumber: "20512345678" });
    await seedCard(tenant.id, id, "FOREIGN01");
    const res = await authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "FOREIGN01" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id,
      nombre: "Empresa",
      apellidoPaterno: null,
      apellidoMaterno: null,
      tipoDocumento: 6,
      dni: "20512345678",
      codigoClienteVLT: null,
      enviarWhatsApp: false,
      enviarCorreo: false,
      enviarSms: false,
      tarjeta: "FOREIGN01",
    });
  });

  it("validates the body in the kiosk envelope: missing or ill-typed cardIdentifier, malformed JSON, 100 KiB body", async () => {
    const tenant = await newTenant();
    const secret = tenant.kiosk.clientSecret;
    const missing = await authenticate(secret, {});
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ message: "The cardIdentifier field is required.", errors: { cardIdentifier: ["The cardIdentifier field is required."] } });
    const number = await authenticate(secret, { cardIdentifier: 123 });
    expect(number.body).toEqual({
      message: "The cardIdentifier field must be a string.",
      errors: { cardIdentifier: ["The cardIdentifier field must be a string."] },
    });
    const long = await authenticate(secret, { cardIdentifier: "A".repeat(65) });
    expect(long.body).toEqual({
      message: "The cardIdentifier field must not be greater than 64 characters.",
      errors: { cardIdentifier: ["The cardIdentifier field must not be greater than 64 characters."] },
    });
    const malformed = await authenticate(secret, undefined, '{"cardIdentifier":');
    expect(malformed.status).toBe(422);
    expect(malformed.body).toEqual({
      message: "The request body must be a valid JSON object.",
      errors: { body: ["The request body must be a valid JSON object."] },
    });
    const big = await authenticate(secret, undefined, JSON.stringify({ cardIdentifier: "x".repeat(100 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ message: "Payload Too Large" });
    const injection = await authenticate(secret, { cardIdentifier: "' OR 1=1 --" });
    expect(injection.status).toBe(404);
    expect(injection.body).toEqual(NOT_FOUND);
  });

  it("limits each kiosk credential (LOBBY_RATE_LIMIT per window) and leaves other credentials alone", async () => {
    const limit = Number(env.LOBBY_RATE_LIMIT);
    const { tenant } = await registered(newRegistration({ tarjeta: "BURST01" }));
    const windowMs = Number(env.LOBBY_RATE_WINDOW_SECONDS) * 1000;
    const left = windowMs - (Date.now() % windowMs);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
    const results = await Promise.all(Array.from({ length: limit + 30 }, () => authenticate(tenant.kiosk.clientSecret, { cardIdentifier: "BURST01" })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(limit);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(30);
    expect(limited[0]!.body).toEqual({ message: "Too Many Attempts." });
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThan(0);

    const second = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "kiosk" });
    const other = await authenticate(second.body.client_secret, { cardIdentifier: "BURST01" });
    expect(other.status).toBe(200);
  });
});

describe("OpenAPI: kiosk operations", () => {
  it("documents both operations with the seed's examples, their decisions and every error response", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    const registerOp = doc.paths["/api/clientes/register"].post;
    expect(Object.keys(registerOp.responses).sort()).toEqual(["200", "201", "405", "413", "415", "422", "429", "500", "503"]);
    expect(registerOp.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/KioskRegistration");
    expect(doc.components.schemas.KioskRegistration.example).toEqual(seedExample);
    expect(registerOp.responses["201"].content["application/json"].examples.newClient.value).toEqual({
      id: 11,
      tarjeta: "A0C2BBCA",
      mensaje: "cliente nuevo",
      esDuplicado: false,
    });
    expect(registerOp.description).toMatch(/fail open/);
    expect(registerOp.description).toMatch(/1 DNI, 4 CE, 6 RUC, 7 PASAPORTE/);
    const lobbyOp = doc.paths["/api/lobby/authenticate"].post;
    expect(lobbyOp.security).toEqual([{ kioskSecret: [] }]);
    expect(Object.keys(lobbyOp.responses).sort()).toEqual(["200", "401", "404", "405", "413", "415", "422", "429", "500"]);
  });
});
