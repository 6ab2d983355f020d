import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, cost, countRows, deferredDurableCalls } from "../helpers";
import { countCards, customerRow, seedCard } from "../registry";
import { cardsOf, customersOf, destinationTenant, freshIp, insertForeignCustomer, newRegistration, register, seedExample } from "./support";

const NO_DESTINATION = { message: "The system has no destination client configured for VLT registrations. Contact support." };

/** Tables a refused request must leave alone. */
async function rowCounts() {
  return { customers: await countRows("customers"), cards: await countCards() };
}

describe("POST /api/clientes/register: the seed's three outcomes", () => {
  it("registers the seed's curl example as a new client, adds a second card, then answers the first card as a duplicate", async () => {
    const tenant = await destinationTenant();

    const created = await register(seedExample);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), tarjeta: "A0C2BBCA", mensaje: "cliente nuevo", esDuplicado: false });
    const id = created.body.id;
    expect(Object.keys(created.body)).toEqual(["id", "tarjeta", "mensaje", "esDuplicado"]);

    const [customer] = await customersOf(tenant.id);
    expect(customer).toMatchObject({
      id,
      active: 1,
      channel: "kiosk",
      vlt_code: 70,
      document_type: "DNI",
      document_number: "74658993",
      name: "Brandon",
      paternal_surname: "Mamani",
      maternal_surname: "Ayala",
      last_name: "Mamani Ayala",
      birth_date: "1995-04-23",
      address: "Av. Bolognesi 123",
      phone: "928570056",
      ubigeo: "230101",
      sex: 1,
      email: "cliente70@gmail.com",
      consent_whatsapp: 1,
      consent_email: 1,
      consent_sms: 1,
    });
    for (const column of ["consent_whatsapp_at", "consent_email_at", "consent_sms_at"]) expect(customer![column]).toBeGreaterThan(0);
    const tenantRow = await env.DB.prepare("SELECT active_customers FROM tenants WHERE id = ?").bind(tenant.id).first<{ active_customers: number }>();
    expect(tenantRow!.active_customers).toBe(1);

    const added = await register({ ...seedExample, tarjeta: "B1D3CCDB" });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id, tarjeta: "B1D3CCDB", mensaje: "tarjeta agregada al cliente existente", esDuplicado: false });

    const duplicate = await register(seedExample);
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toEqual({ id, tarjeta: "A0C2BBCA", mensaje: "registro duplicado", esDuplicado: true });

    const cards = await cardsOf(tenant.id);
    expect(cards.map((c) => [c.uid, c.status, c.customer_id, c.kind])).toEqual([
      ["A0C2BBCA", "replaced", id, "rfid"],
      ["B1D3CCDB", "active", id, "rfid"],
    ]);
    expect(await customersOf(tenant.id)).toHaveLength(1);
  });

  it("answers a repeated tap from the card's lock with no D1 call, and changes nothing even when the body differs", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration();
    const first = await register(body);
    expect(first.status).toBe(201);
    const before = await customersOf(tenant.id);

    const repeat = await register({ ...body, codigoClienteVLT: 999_999, nombre: "Otro", enviarSms: false, correo: "otro@example.com" });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ id: first.body.id, tarjeta: body.tarjeta, mensaje: "registro duplicado", esDuplicado: true });
    expect(cost(repeat.headers).d1RoundTrips).toBe(0);
    expect(await customersOf(tenant.id)).toEqual(before);
    expect(await cardsOf(tenant.id)).toHaveLength(1);
  });

  it("treats a replaced card as registered: duplicate with its owner's id, the active card stays", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration();
    const first = await register(body);
    const second = await register({ ...body, tarjeta: `${body.tarjeta}FF` });
    expect(second.body.mensaje).toBe("tarjeta agregada al cliente existente");

    const again = await register(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, tarjeta: body.tarjeta, mensaje: "registro duplicado", esDuplicado: true });
    expect((await cardsOf(tenant.id)).map((c) => c.status)).toEqual(["replaced", "active"]);
  });

  it("finds a card D1 knows but its lock does not (e.g. cancelled), answers duplicate, then remembers it", async () => {
    const tenant = await destinationTenant();
    const first = await register(newRegistration());
    await seedCard(tenant.id, first.body.id, "CANCELLED01", "cancelled");

    const tap = await register(newRegistration({ tarjeta: " cancelled01 " }));
    expect(tap.status).toBe(200);
    expect(tap.body).toEqual({ id: first.body.id, tarjeta: "cancelled01", mensaje: "registro duplicado", esDuplicado: true });
    expect(cost(tap.headers).d1RoundTrips).toBe(1);

    const again = await register(newRegistration({ tarjeta: "CANCELLED01" }));
    expect(again.body).toEqual({ id: first.body.id, tarjeta: "CANCELLED01", mensaje: "registro duplicado", esDuplicado: true });
    expect(cost(again.headers).d1RoundTrips).toBe(0);
    expect(await customersOf(tenant.id)).toHaveLength(1);
  });

  it("costs at most one D1 read and one batch write, and two awaited Durable Object calls, for a new client and for a card added", async () => {
    await destinationTenant();
    await register(newRegistration()); // the isolate reads the destination once; each registration's read refreshes it
    // The budget: 20 rows for a new client (the read finds nothing but the destination's row; the customer's insert
    // reads 4 and the one insert of its three keys, VLT code, document and card, about 5 per
    // key for its foreign-key and unique-index checks and the document counter), 20 for a
    // card added (the two keys' holders and the matched record with its keys, the profile,
    // the replaced card and its index entries, one insert of the card and any new key),
    // plus what the batch's events read (core/events/payloads.ts; a customer's keys are
    // read one index probe per kind): 27 for customer.created and card.bound, 19 for
    // customer.updated (compared, not written when nothing changed) and card.replaced.
    const body = newRegistration();
    const created = await register(body);
    expect(created.status).toBe(201);
    const newClient = cost(created.headers);
    expect(newClient.d1RoundTrips).toBeLessThanOrEqual(2);
    expect(newClient.rowsRead).toBeLessThanOrEqual(21 + 27);
    // The client IP's limiter and the card lock's acquire; the release (with the memo) runs after the answer.
    expect(newClient.durableCalls).toBe(2);
    expect(deferredDurableCalls(created.headers)).toBe(1);

    const added = await register({ ...body, tarjeta: `${body.tarjeta}AA` });
    expect(added.status).toBe(201);
    const cardAdded = cost(added.headers);
    expect(cardAdded.d1RoundTrips).toBeLessThanOrEqual(2);
    expect(cardAdded.rowsRead).toBeLessThanOrEqual(21 + 19);
    expect(cardAdded.durableCalls).toBe(2);
  });

  it("normalises the card UID (trimmed, upper-case) and echoes the trimmed value sent", async () => {
    const tenant = await destinationTenant();
    const created = await register(newRegistration({ tarjeta: "  a0b1c2d3 " }));
    expect(created.body.tarjeta).toBe("a0b1c2d3");
    expect((await cardsOf(tenant.id))[0]!.uid).toBe("A0B1C2D3");
    const duplicate = await register(newRegistration({ tarjeta: "A0B1C2D3" }));
    expect(duplicate.body).toEqual({ id: created.body.id, tarjeta: "A0B1C2D3", mensaje: "registro duplicado", esDuplicado: true });
  });
});

describe("POST /api/clientes/register: matching and profile", () => {
  it("matches by dni a client another surface created (DNI) and gives it the VLT code and the card", async () => {
    const tenant = await destinationTenant();
    const id = await insertForeignCustomer(tenant.id, { documentType: "DNI", documentNumber: "11223344" });
    const res = await register(newRegistration({ dni: "11223344", codigoClienteVLT: 808, nombre: "Ana" }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id, tarjeta: expect.any(String), mensaje: "tarjeta agregada al cliente existente", esDuplicado: false });
    const [customer] = await customersOf(tenant.id);
    expect(customer).toMatchObject({ id, vlt_code: 808, document_type: "DNI", document_number: "11223344", name: "Ana", channel: "clients" });
  });

  it("is the tenant's customer seen by the clients surface, both ways", async () => {
    const tenant = await destinationTenant();
    const created = await call("POST", "/api/clientes", {
      headers: tenant.auth,
      body: { nombre: "Rosa Quispe", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "87654321", codigoCliente: "CLI-K1" },
    });
    expect(created.status).toBe(201);
    const matched = await register(newRegistration({ dni: "87654321", tipoDocumento: 1 }));
    expect(matched.status).toBe(201);
    expect(matched.body).toMatchObject({ id: created.body.id, mensaje: "tarjeta agregada al cliente existente" });

    const kiosk = await register(newRegistration({ dni: "12121212" }));
    const seen = await call("GET", `/api/clientes/${kiosk.body.id}`, { headers: tenant.auth });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: kiosk.body.id, tipoDocumento: "DNI", numeroDocumento: "12121212" });
  });

  it("matches by codigoClienteVLT without dni and leaves absent profile fields alone", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration({ apellidoPaterno: "Quispe", telefono: "999" });
    const first = await register(body);
    const res = await register({
      codigoClienteVLT: body.codigoClienteVLT,
      correo: "nuevo@example.com",
      enviarWhatsApp: true,
      enviarCorreo: false,
      enviarSms: true,
      tarjeta: "NEWCARD01",
      apellidoMaterno: "Huaman",
      telefono: null,
      direccion: "",
    });
    expect(res.body).toEqual({ id: first.body.id, tarjeta: "NEWCARD01", mensaje: "tarjeta agregada al cliente existente", esDuplicado: false });
    const [customer] = await customersOf(tenant.id);
    expect(customer).toMatchObject({
      email: "nuevo@example.com",
      name: body.nombre,
      document_number: body.dni,
      paternal_surname: "Quispe",
      maternal_surname: "Huaman",
      last_name: "Quispe Huaman",
      phone: "999",
      address: null,
    });
  });

  it("fills in a document only where the client has none, mapping tipoDocumento to the canonical type", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration({ dni: undefined });
    const first = await register(body);
    expect((await customersOf(tenant.id))[0]).toMatchObject({ document_type: null, document_number: null });
    await register({ ...body, tarjeta: "DOCFILL01", tipoDocumento: 4, dni: "CE0012345" });
    expect((await customersOf(tenant.id))[0]).toMatchObject({ id: first.body.id, document_type: "CE", document_number: "CE0012345" });

    for (const [code, type] of [
      [6, "RUC"],
      [7, "PASAPORTE"],
      [0, "OTRO"],
      [42, "OTRO"],
    ] as const) {
      const res = await register(newRegistration({ tipoDocumento: code }));
      expect(res.status).toBe(201);
      const row = await customerRow(res.body.id);
      expect(row!.document_type).toBe(type);
    }
  });

  it("refuses (422, nothing written) when codigoClienteVLT and dni match different clients", async () => {
    await destinationTenant();
    const a = newRegistration();
    const b = newRegistration();
    await register(a);
    await register(b);
    const before = await rowCounts();
    const res = await register(newRegistration({ codigoClienteVLT: a.codigoClienteVLT, dni: b.dni }));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      message: "The dni belongs to a different client than the codigoClienteVLT.",
      errors: { dni: ["The dni belongs to a different client than the codigoClienteVLT."] },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("adds the card to the client a known dni names, keeping its codigoClienteVLT and adding the new one (seed: matched by codigoClienteVLT or dni)", async () => {
    const tenant = await destinationTenant();
    const a = newRegistration();
    const first = await register(a);
    const other = newRegistration({ dni: a.dni });
    const added = await register(other);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: first.body.id, tarjeta: other.tarjeta, mensaje: "tarjeta agregada al cliente existente", esDuplicado: false });
    expect(await customersOf(tenant.id)).toHaveLength(1);
    // Both codes find the client; the lobby answers with the newest.
    const byOldCode = await register(newRegistration({ codigoClienteVLT: a.codigoClienteVLT, dni: undefined }));
    expect(byOldCode.body).toMatchObject({ id: first.body.id, mensaje: "tarjeta agregada al cliente existente" });
    const lobby = await call("POST", "/api/lobby/authenticate", {
      body: { cardIdentifier: byOldCode.body.tarjeta },
      headers: { "x-client-secret": tenant.kiosk.clientSecret },
    });
    expect(lobby.body).toMatchObject({ id: first.body.id, codigoClienteVLT: other.codigoClienteVLT, dni: a.dni });
  });

  it("refuses a codigoClienteVLT whose client has another dni", async () => {
    await destinationTenant();
    const a = newRegistration();
    await register(a);
    const before = await rowCounts();

    const otherDni = await register(newRegistration({ codigoClienteVLT: a.codigoClienteVLT }));
    expect(otherDni.status).toBe(422);
    expect(otherDni.body).toEqual({
      message: "The dni does not match the document of the client with this codigoClienteVLT.",
      errors: { dni: ["The dni does not match the document of the client with this codigoClienteVLT."] },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses the codigoClienteVLT of a deactivated client; a deactivated client's dni is free again", async () => {
    const tenant = await destinationTenant();
    const deactivated = await insertForeignCustomer(tenant.id, { vltCode: 4242, documentNumber: "55667788", active: false });
    const before = await rowCounts();
    const res = await register(newRegistration({ codigoClienteVLT: 4242 }));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      message: "The codigoClienteVLT belongs to a deactivated client.",
      errors: { codigoClienteVLT: ["The codigoClienteVLT belongs to a deactivated client."] },
    });
    expect(await rowCounts()).toEqual(before);

    const fresh = await register(newRegistration({ dni: "55667788" }));
    expect(fresh.status).toBe(201);
    expect(fresh.body.mensaje).toBe("cliente nuevo");
    expect(fresh.body.id).not.toBe(deactivated);
  });

  it("moves a consent's time only when the consent changes", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration({ enviarWhatsApp: true, enviarCorreo: false, enviarSms: true });
    const first = await register(body);
    await env.DB.prepare("UPDATE customers SET consent_whatsapp_at = 1000, consent_email_at = 1000, consent_sms_at = 1000 WHERE id = ?")
      .bind(first.body.id)
      .run();
    await register({ ...body, tarjeta: "CONSENT02", enviarCorreo: true });
    const [customer] = await customersOf(tenant.id);
    expect(customer).toMatchObject({ consent_whatsapp: 1, consent_whatsapp_at: 1000, consent_email: 1, consent_sms: 1, consent_sms_at: 1000 });
    expect(customer!.consent_email_at).toBeGreaterThan(1000);
  });

  it("keeps tenants apart: the same card and VLT code register anew in another destination tenant", async () => {
    const first = await destinationTenant();
    const body = newRegistration();
    const inFirst = await register(body);
    const second = await destinationTenant();
    const inSecond = await register(body);
    expect(inSecond.status).toBe(201);
    expect(inSecond.body).toEqual({ id: expect.any(Number), tarjeta: body.tarjeta, mensaje: "cliente nuevo", esDuplicado: false });
    expect(inSecond.body.id).not.toBe(inFirst.body.id);
    expect(await customersOf(first.id)).toHaveLength(1);
    expect(await customersOf(second.id)).toHaveLength(1);
  });

  it("stores injection-looking strings verbatim", async () => {
    const tenant = await destinationTenant();
    const hostile = "Robert'); DROP TABLE customers;-- <script>alert(1)</script>";
    const res = await register(newRegistration({ nombre: hostile, direccion: "' OR 1=1 --", tarjeta: "'; DELETE FROM cards;--" }));
    expect(res.status).toBe(201);
    expect(res.body.tarjeta).toBe("'; DELETE FROM cards;--");
    const [customer] = await customersOf(tenant.id);
    expect(customer).toMatchObject({ name: hostile, address: "' OR 1=1 --" });
    expect((await cardsOf(tenant.id))[0]!.uid).toBe("'; DELETE FROM CARDS;--");
  });
});

describe("POST /api/clientes/register: no destination", () => {
  it("answers 503 with the seed's meaning when no destination is set, and registers again once one is", async () => {
    await destinationTenant();
    expect((await admin("DELETE", "/admin/settings/vlt-destination")).status).toBe(204);
    const before = await rowCounts();
    const res = await register(newRegistration());
    expect(res.status).toBe(503);
    expect(res.body).toEqual(NO_DESTINATION);
    expect(await rowCounts()).toEqual(before);

    await destinationTenant();
    expect((await register(newRegistration())).status).toBe(201);
  });
});

describe("POST /api/clientes/register: validation", () => {
  it("answers the seed's 422 for an empty body", async () => {
    await destinationTenant();
    const before = await rowCounts();
    const res = await register({});
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      message: "The codigoClienteVLT field is required. (and 5 more errors)",
      errors: {
        codigoClienteVLT: ["The codigoClienteVLT field is required."],
        correo: ["The correo field is required."],
        tarjeta: ["The tarjeta field is required."],
        enviarWhatsApp: ["The enviarWhatsApp field is required."],
        enviarCorreo: ["The enviarCorreo field is required."],
        enviarSms: ["The enviarSms field is required."],
      },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it('accepts what Laravel\'s integer and boolean rules accept ("70", 1, "0" …) in the seed\'s example, and stores the integers and booleans they mean', async () => {
    const tenant = await destinationTenant();
    const lenient = { ...seedExample, codigoClienteVLT: "70", tipoDocumento: "1", sexo: " 1 ", enviarWhatsApp: 1, enviarCorreo: "0", enviarSms: "1" };
    const created = await register(lenient);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), tarjeta: "A0C2BBCA", mensaje: "cliente nuevo", esDuplicado: false });
    const [customer] = await customersOf(tenant.id);
    expect(customer).toMatchObject({ vlt_code: 70, document_type: "DNI", sex: 1, consent_whatsapp: 1, consent_email: 0, consent_sms: 1 });
    // The same client by its VLT code, whichever way it was written.
    const added = await register({ ...seedExample, tarjeta: "B1D3CCDB", enviarWhatsApp: false, enviarCorreo: 1, enviarSms: 0 });
    expect(added.body).toMatchObject({ id: created.body.id, mensaje: "tarjeta agregada al cliente existente" });
    expect(await customersOf(tenant.id)).toHaveLength(1);
    const lobby = await call("POST", "/api/lobby/authenticate", {
      headers: { "x-client-secret": tenant.kiosk.clientSecret },
      body: { cardIdentifier: "B1D3CCDB" },
    });
    expect(lobby.body).toMatchObject({ codigoClienteVLT: 70, tipoDocumento: 1, enviarWhatsApp: false, enviarCorreo: true, enviarSms: false });
  });

  it("names each ill-typed or out-of-range field with Laravel's message", async () => {
    await destinationTenant();
    const before = await rowCounts();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ codigoClienteVLT: "7.5" }, "codigoClienteVLT", "The codigoClienteVLT field must be an integer."],
      [{ codigoClienteVLT: "070" }, "codigoClienteVLT", "The codigoClienteVLT field must be an integer."],
      [{ codigoClienteVLT: true }, "codigoClienteVLT", "The codigoClienteVLT field must be an integer."],
      [{ codigoClienteVLT: "0" }, "codigoClienteVLT", "The codigoClienteVLT field must be at least 1."],
      [{ codigoClienteVLT: 7.5 }, "codigoClienteVLT", "The codigoClienteVLT field must be an integer."],
      [{ codigoClienteVLT: 0 }, "codigoClienteVLT", "The codigoClienteVLT field must be at least 1."],
      [{ codigoClienteVLT: null }, "codigoClienteVLT", "The codigoClienteVLT field is required."],
      [{ enviarSms: "true" }, "enviarSms", "The enviarSms field must be true or false."],
      [{ enviarWhatsApp: 2 }, "enviarWhatsApp", "The enviarWhatsApp field must be true or false."],
      [{ enviarWhatsApp: "yes" }, "enviarWhatsApp", "The enviarWhatsApp field must be true or false."],
      [{ enviarCorreo: "false" }, "enviarCorreo", "The enviarCorreo field must be true or false."],
      [{ enviarCorreo: null }, "enviarCorreo", "The enviarCorreo field is required."],
      [{ tarjeta: 12345 }, "tarjeta", "The tarjeta field must be a string."],
      [{ tarjeta: "   " }, "tarjeta", "The tarjeta field is required."],
      [{ tarjeta: "A".repeat(65) }, "tarjeta", "The tarjeta field must not be greater than 64 characters."],
      [{ correo: "not-an-email" }, "correo", "The correo field must be a valid email address."],
      [{ correo: "" }, "correo", "The correo field is required."],
      [{ dni: "1".repeat(21) }, "dni", "The dni field must not be greater than 20 characters."],
      [{ dni: 74658993 }, "dni", "The dni field must be a string."],
      [{ fechaNacimiento: "not-a-date" }, "fechaNacimiento", "The fechaNacimiento field must be a valid date."],
      [{ fechaNacimiento: "1995-02-30T00:00:00.000Z" }, "fechaNacimiento", "The fechaNacimiento field must be a valid date."],
      [{ fechaNacimiento: "2999-01-01T00:00:00.000Z" }, "fechaNacimiento", "The fechaNacimiento field must be a valid date."],
      [{ tipoDocumento: "DNI" }, "tipoDocumento", "The tipoDocumento field must be an integer."],
      [{ sexo: 10 }, "sexo", "The sexo field must not be greater than 9."],
      [{ nombre: "x".repeat(101) }, "nombre", "The nombre field must not be greater than 100 characters."],
    ];
    for (const [override, field, message] of cases) {
      const res = await register(newRegistration(override));
      expect(res.status, JSON.stringify(override)).toBe(422);
      expect(res.body).toEqual({ message, errors: { [field]: [message] } });
    }
    const several = await register(newRegistration({ codigoClienteVLT: "x", dni: "9".repeat(30) }));
    expect(several.body).toEqual({
      message: "The codigoClienteVLT field must be an integer. (and 1 more error)",
      errors: { codigoClienteVLT: ["The codigoClienteVLT field must be an integer."], dni: ["The dni field must not be greater than 20 characters."] },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("accepts a plain ISO date, ignores unknown fields and treats null or empty optional fields as absent", async () => {
    const tenant = await destinationTenant();
    const res = await register(newRegistration({ fechaNacimiento: "2000-02-29", extra: { nested: true }, esAdmin: true, ubigeo: "", sexo: null }));
    expect(res.status).toBe(201);
    expect((await customersOf(tenant.id))[0]).toMatchObject({ birth_date: "2000-02-29", ubigeo: null, sex: null });
  });

  it("answers malformed JSON and non-object JSON with a 422, never a 500", async () => {
    await destinationTenant();
    const before = await rowCounts();
    const invalidBody = { message: "The request body must be a valid JSON object.", errors: { body: ["The request body must be a valid JSON object."] } };
    for (const rawBody of ['{"codigoClienteVLT": 70,', "[]", "null", '"text"', "42"]) {
      const res = await register(undefined, { rawBody, headers: { "content-type": "application/json" } });
      expect(res.status, rawBody).toBe(422);
      expect(res.body).toEqual(invalidBody);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("answers a 100 KiB body with 413 and a non-JSON content type with 415, in the kiosk envelope", async () => {
    await destinationTenant();
    const before = await rowCounts();
    const big = await register(undefined, {
      rawBody: JSON.stringify({ ...newRegistration(), nombre: "x".repeat(100 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ message: "Payload Too Large" });

    const text = await register(undefined, { rawBody: JSON.stringify(newRegistration()), headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ message: "Unsupported Media Type" });
    expect(await rowCounts()).toEqual(before);
  });

  it("answers other methods and paths under the surface in its envelope", async () => {
    const res = await call("GET", "/api/lobby/nothing-here", { headers: { "cf-connecting-ip": freshIp() } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Not Found" });
  });
});

describe("POST /api/clientes/register: concurrency", () => {
  it("50 parallel registrations of one new card: one 201, 49 duplicates, one card, one client", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration();
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 50 }, () => register(body, { ip })));
    const created = results.filter((r) => r.status === 201);
    const duplicates = results.filter((r) => r.status === 200);
    expect(created).toHaveLength(1);
    expect(duplicates).toHaveLength(49);
    const id = created[0]!.body.id;
    expect(created[0]!.body).toEqual({ id, tarjeta: body.tarjeta, mensaje: "cliente nuevo", esDuplicado: false });
    for (const d of duplicates) expect(d.body).toEqual({ id, tarjeta: body.tarjeta, mensaje: "registro duplicado", esDuplicado: true });
    expect(await cardsOf(tenant.id)).toHaveLength(1);
    expect(await customersOf(tenant.id)).toHaveLength(1);
  });

  it("taps right after the answer, while the lock's release runs after it, are duplicates of the same client: the lease holds them until the memo is stored", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration();
    const first = await register(body);
    expect(first.status).toBe(201);
    // Another person's data with the same card, at once: never a second binding.
    const taps = await Promise.all(Array.from({ length: 10 }, () => register(newRegistration({ tarjeta: body.tarjeta }))));
    for (const tap of taps) expect(tap.body).toEqual({ id: first.body.id, tarjeta: body.tarjeta, mensaje: "registro duplicado", esDuplicado: true });
    expect(await cardsOf(tenant.id)).toHaveLength(1);
    expect(await customersOf(tenant.id)).toHaveLength(1);
  });

  it("50 parallel registrations of 50 new cards for one new client: one client, 50 cards, one active", async () => {
    const tenant = await destinationTenant();
    const body = newRegistration();
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => register({ ...body, tarjeta: `PAR${String(i).padStart(3, "0")}` }, { ip })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.body.mensaje === "cliente nuevo")).toHaveLength(1);
    expect(results.filter((r) => r.body.mensaje === "tarjeta agregada al cliente existente")).toHaveLength(49);
    expect(await customersOf(tenant.id)).toHaveLength(1);
    const cards = await cardsOf(tenant.id);
    expect(cards).toHaveLength(50);
    expect(cards.filter((c) => c.status === "active")).toHaveLength(1);
    const tenantRow = await env.DB.prepare("SELECT active_customers FROM tenants WHERE id = ?").bind(tenant.id).first<{ active_customers: number }>();
    expect(tenantRow!.active_customers).toBe(1);
  });
});
