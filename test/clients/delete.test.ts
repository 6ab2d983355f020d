import { describe, expect, it } from "vitest";
import { call, newTenant } from "../helpers";
import { activeCounter, badId, createClient, notFound, otherSurfaceCustomer, person, seedClient, storedCustomer, unauthorized } from "./fixtures";

const deleted = { success: true, code: 200, message: "Cliente eliminado correctamente", data: null };

describe("DELETE /api/clientes/{id}", () => {
  it("soft-deletes: 200, the row stays with active = 0, the counter drops", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    await createClient(t);
    expect(await activeCounter(t.id)).toBe(2);
    const res = await call("DELETE", `/api/clientes/${id}`, { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(deleted);
    expect(await storedCustomer(id)).toMatchObject({ active: 0, name: "Empresa Telecom SAC", client_code: "CLI042" });
    expect(await activeCounter(t.id)).toBe(1);
  });

  it("hides the client from list, get, update and a second delete (404)", async () => {
    const t = await newTenant();
    const id = await createClient(t, seedClient);
    await call("DELETE", `/api/clientes/${id}`, { headers: t.auth });
    const list = await call("GET", "/api/clientes", { headers: t.auth });
    expect(list.body).toMatchObject({ content: [], totalElements: 0, empty: true });
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { telefono: "1" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await call(method, `/api/clientes/${id}`, { headers: t.auth, body });
      expect(res.status, method).toBe(404);
      expect(res.body).toEqual(notFound);
    }
    expect(await activeCounter(t.id)).toBe(0);
  });

  it("deletes customers registered by other surfaces too", async () => {
    const t = await newTenant();
    const customer = await otherSurfaceCustomer(t.id, { channel: "kiosk", name: "Jugador", documentType: "DNI", documentNumber: "55667788" });
    expect((await call("DELETE", `/api/clientes/${customer.id}`, { headers: t.auth })).body).toEqual(deleted);
    expect(await storedCustomer(customer.id)).toMatchObject({ active: 0, channel: "kiosk" });
  });

  it("answers another tenant's client like a missing one and leaves it alone", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const foreign = await createClient(other, person());
    for (const id of [foreign, 99_999_999]) {
      const res = await call("DELETE", `/api/clientes/${id}`, { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound);
    }
    expect(await storedCustomer(foreign)).toMatchObject({ active: 1 });
    expect(await activeCounter(other.id)).toBe(1);
  });

  it("deletes once when deletions race: one 200, the rest 404, the counter moves once", async () => {
    const t = await newTenant();
    const id = await createClient(t);
    await createClient(t);
    const results = await Promise.all(Array.from({ length: 5 }, () => call("DELETE", `/api/clientes/${id}`, { headers: t.auth })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404, 404, 404]);
    expect(await activeCounter(t.id)).toBe(1);
  });

  it("answers a malformed id with 400 and a missing token with 401", async () => {
    const t = await newTenant();
    const id = await createClient(t);
    const bad = await call("DELETE", "/api/clientes/abc", { headers: t.auth });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(badId);
    const anonymous = await call("DELETE", `/api/clientes/${id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual(unauthorized);
    expect(await storedCustomer(id)).toMatchObject({ active: 1 });
  });
});
