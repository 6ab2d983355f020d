import { describe, expect, it } from "vitest";
import { call, cost, countRows, newTenant, type TestTenant } from "../helpers";
import { badId, createClient, notFound, otherSurfaceCustomer, person, rendered, seedClient, storedCustomer, unauthorized, validation } from "./fixtures";

const put = (tenant: TestTenant, id: number | string, body: unknown) => call("PUT", `/api/clientes/${id}`, { body, headers: tenant.auth });
const get = async (tenant: TestTenant, id: number) => (await call("GET", `/api/clientes/${id}`, { headers: tenant.auth })).body;

describe("PUT /api/clientes/{id}", () => {
  it("changes only the fields sent (the seed's example)", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await put(t, id, { telefono: "987654321", email: "nuevo@telecomsac.pe" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(rendered(id, { ...seedClient, telefono: "987654321", email: "nuevo@telecomsac.pe" }));
    expect(await get(t, id)).toEqual(res.body);
    // One write, no read of the stored record first: the customer's row, and its customer.updated event (a row and its two index entries) in the same batch.
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 2, rowsWritten: 4 });
  });

  it("changes every field at once", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const next = {
      nombre: "Ana Díaz",
      tipoCliente: "PERSONA",
      tipoDocumento: "DNI",
      numeroDocumento: "12345678",
      codigoCliente: "CLI043",
      direccion: "Jr. Lima 1",
      telefono: "111",
      email: "ana@x.pe",
      contactoRepresentante: "Nadie",
    };
    const res = await put(t, id, next);
    expect(res.body).toEqual(rendered(id, next));
  });

  it("clears optional fields with null or a blank string", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await put(t, id, { direccion: null, telefono: "", email: "  ", contactoRepresentante: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(rendered(id, { ...seedClient, direccion: null, telefono: null, email: null, contactoRepresentante: null }));
  });

  it("refuses to clear a required field and changes nothing", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await put(t, id, { nombre: null, tipoCliente: null, tipoDocumento: null, numeroDocumento: "", codigoCliente: "  ", telefono: "1" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      validation({
        nombre: ["El campo es obligatorio"],
        tipoCliente: ["El campo es obligatorio"],
        tipoDocumento: ["El campo es obligatorio"],
        numeroDocumento: ["El campo es obligatorio"],
        codigoCliente: ["El campo es obligatorio"],
      }),
    );
    expect(await get(t, id)).toEqual(rendered(id, seedClient));
  });

  it("applies the field rules of creation to the fields sent", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await put(t, id, { nombre: "N".repeat(151), tipoCliente: "CLIENTE", email: "x@", telefono: 5, direccion: "D".repeat(201) });
    expect(res.body).toEqual(
      validation({
        nombre: ["Debe tener como máximo 150 caracteres"],
        tipoCliente: ["Debe ser uno de: PERSONA, EMPRESA, OTRO"],
        direccion: ["Debe tener como máximo 200 caracteres"],
        telefono: ["Debe ser un texto"],
        email: ["Debe ser un correo electrónico válido"],
      }),
    );
    expect(await get(t, id)).toEqual(rendered(id, seedClient));
  });

  it("checks the document pair on the merged record when only one half is sent", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient); // RUC 20512345678
    const typeOnly = await put(t, id, { tipoDocumento: "DNI" });
    expect(typeOnly.status).toBe(422);
    expect(typeOnly.body).toEqual(validation({ numeroDocumento: ["El DNI debe tener exactamente 8 dígitos"] }));
    const numberOnly = await put(t, id, { numeroDocumento: "12345678" });
    expect(numberOnly.body).toEqual(validation({ numeroDocumento: ["El RUC debe tener exactamente 11 dígitos"] }));
    const both = await put(t, id, { tipoDocumento: "DNI", numeroDocumento: "1234" });
    expect(both.body).toEqual(validation({ numeroDocumento: ["El DNI debe tener exactamente 8 dígitos"] }));
    expect(await get(t, id)).toEqual(rendered(id, seedClient));

    const numberFits = await put(t, id, { numeroDocumento: "20999999999" });
    expect(numberFits.body).toMatchObject({ tipoDocumento: "RUC", numeroDocumento: "20999999999" });
    const pair = await put(t, id, { tipoDocumento: "DNI", numeroDocumento: "12345678" });
    expect(pair.body).toMatchObject({ tipoDocumento: "DNI", numeroDocumento: "12345678" });
    const typeFits = await put(t, id, { tipoDocumento: "OTRO" });
    expect(typeFits.body).toMatchObject({ tipoDocumento: "OTRO", numeroDocumento: "12345678" });
  });

  it("keeps another surface's document type it does not render, checking it as OTRO", async () => {
    const t = await newTenant();
    const customer = await otherSurfaceCustomer(t.id, { channel: "sales", name: "Compradora", documentType: "CC", documentNumber: "1020304050" });
    const phone = await put(t, customer.id, { telefono: "3001234567" });
    expect(phone.status).toBe(200);
    expect(phone.body).toEqual(rendered(customer.id, { nombre: "Compradora", tipoDocumento: "OTRO", numeroDocumento: "1020304050", telefono: "3001234567" }));
    expect(await storedCustomer(customer.id)).toMatchObject({ document_type: "CC", channel: "sales" });
    const number = await put(t, customer.id, { numeroDocumento: "CC-99" });
    expect(number.body).toMatchObject({ tipoDocumento: "OTRO", numeroDocumento: "CC-99" });
    expect(await storedCustomer(customer.id)).toMatchObject({ document_type: "CC", document_number: "CC-99" });
    const tooLong = await put(t, customer.id, { numeroDocumento: "1".repeat(21) });
    expect(tooLong.status).toBe(422);
  });

  it("needs the other half of the pair when the stored record has none", async () => {
    const t = await newTenant();
    const parking = await otherSurfaceCustomer(t.id, { channel: "parking", parkingRefId: "P-1" });
    expect((await put(t, parking.id, { tipoDocumento: "DNI" })).body).toEqual(validation({ numeroDocumento: ["El campo es obligatorio"] }));
    expect((await put(t, parking.id, { numeroDocumento: "12345678" })).body).toEqual(validation({ tipoDocumento: ["El campo es obligatorio"] }));
    const completed = await put(t, parking.id, {
      nombre: "Conductor",
      tipoCliente: "PERSONA",
      tipoDocumento: "DNI",
      numeroDocumento: "12345678",
      codigoCliente: "PK-1",
    });
    expect(completed.body).toEqual(
      rendered(parking.id, { nombre: "Conductor", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "12345678", codigoCliente: "PK-1" }),
    );
    expect(await storedCustomer(parking.id)).toMatchObject({ parking_ref_id: "P-1", channel: "parking" });
  });

  it("returns the client unchanged for an empty body", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await put(t, id, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual(rendered(id, seedClient));
  });

  it("refuses a codigoCliente of another active customer (409), not the client's own; a shared numeroDocumento is accepted", async () => {
    const t = await newTenant();
    const taken = person();
    await createClient(t, taken);
    const id = await createClient(t, seedClient);
    const code = await put(t, id, { codigoCliente: taken.codigoCliente });
    expect(code.status).toBe(409);
    expect(code.body).toEqual({ success: false, code: 409, message: "Ya existe un cliente con ese codigoCliente", data: null });
    expect(await get(t, id)).toEqual(rendered(id, seedClient));
    const document = await put(t, id, { tipoDocumento: "DNI", numeroDocumento: taken.numeroDocumento });
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({ tipoDocumento: "DNI", numeroDocumento: taken.numeroDocumento });
    const own = await put(t, id, { codigoCliente: seedClient.codigoCliente, numeroDocumento: seedClient.numeroDocumento, tipoDocumento: "RUC" });
    expect(own.status).toBe(200);
    expect(own.body).toEqual(rendered(id, seedClient));
  });

  it("answers a missing id, a deleted client and another tenant's client alike: 404, changing nothing", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const deleted = await createClient(t);
    await call("DELETE", `/api/clientes/${deleted}`, { headers: t.auth });
    const foreign = await createClient(other, seedClient);
    for (const id of [99_999_999, deleted, foreign]) {
      for (const body of [{ telefono: "1" }, { tipoDocumento: "OTRO" }]) {
        const res = await put(t, id, body);
        expect(res.status).toBe(404);
        expect(res.body).toEqual(notFound);
      }
    }
    expect(await get(other, foreign)).toEqual(rendered(foreign, seedClient));
  });

  it("answers a malformed id with 400 before looking at the body", async () => {
    const t = await newTenant();
    for (const id of ["abc", "-1", "1.0"]) {
      const res = await put(t, id, { nombre: null });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(badId);
    }
  });

  it("refuses malformed JSON (400), other content types (415), bodies over the limit (413) and missing tokens (401)", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const malformed = await call("PUT", `/api/clientes/${id}`, { rawBody: '{"telefono":', headers: { ...t.auth, "content-type": "application/json" } });
    expect(malformed.body).toEqual({ success: false, code: 400, message: "El cuerpo de la solicitud no es un JSON válido", data: null });
    const text = await call("PUT", `/api/clientes/${id}`, { rawBody: "telefono=1", headers: { ...t.auth, "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    const huge = await put(t, id, { direccion: "x".repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ success: false, code: 413, message: "La solicitud es demasiado grande", data: null });
    const anonymous = await call("PUT", `/api/clientes/${id}`, { body: { telefono: "1" } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual(unauthorized);
    expect(await get(t, id)).toEqual(rendered(id, seedClient));
    expect(await countRows("customers")).toBeGreaterThan(0);
  });
});
