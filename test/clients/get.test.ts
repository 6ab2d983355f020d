import { describe, expect, it } from "vitest";
import { call, cost, newTenant } from "../helpers";
import { badId, createClient, notFound, otherSurfaceCustomer, rendered, seedClient, unauthorized } from "./fixtures";

describe("GET /api/clientes/{id}", () => {
  it("returns the seed's client as a ClienteResponse", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await call("GET", `/api/clientes/${id}`, { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(rendered(id, seedClient));
    expect(Object.keys(res.body)).toEqual([
      "id",
      "tipoCliente",
      "nombre",
      "tipoDocumento",
      "codigoCliente",
      "numeroDocumento",
      "direccion",
      "telefono",
      "email",
      "contactoRepresentante",
    ]);
    // One round trip: the credential check riding with the merge look-up of the id, the customer and its two keys (document, client code).
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 1, rowsRead: 5, rowsWritten: 0 });
  });

  it("accepts leading zeros in the id", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    const res = await call("GET", `/api/clientes/000${id}`, { headers: t.auth });
    expect(res.body).toEqual(rendered(id, seedClient));
  });

  it("returns a customer registered by another surface, with the fields it lacks as null", async () => {
    const t = await newTenant();
    const customer = await otherSurfaceCustomer(t.id, { channel: "sales", name: "Compradora", documentType: "PASAPORTE", documentNumber: "AB123456" });
    const res = await call("GET", `/api/clientes/${customer.id}`, { headers: t.auth });
    expect(res.body).toEqual(rendered(customer.id, { nombre: "Compradora", tipoDocumento: "OTRO", numeroDocumento: "AB123456" }));
  });

  it("answers a missing id, a deleted client and another tenant's client alike: 404", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const deleted = await createClient(t);
    await call("DELETE", `/api/clientes/${deleted}`, { headers: t.auth });
    const foreign = await createClient(other);
    for (const id of ["0", "99999999", String(deleted), String(foreign), "99999999999999999999"]) {
      const res = await call("GET", `/api/clientes/${id}`, { headers: t.auth });
      expect(res.status, id).toBe(404);
      expect(res.body).toEqual(notFound);
    }
  });

  it.each(["abc", "-1", "1.5", "1e3", "0x10", "%201", "42abc", "1;DROP%20TABLE%20customers"])("answers id %s with 400", async (id) => {
    const t = await newTenant();
    const res = await call("GET", `/api/clientes/${id}`, { headers: t.auth });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(badId);
  });

  it("answers 401 in its envelope without a valid token, even for a malformed id", async () => {
    for (const path of ["/api/clientes/1", "/api/clientes/abc"]) {
      const res = await call("GET", path);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthorized);
    }
  });
});
