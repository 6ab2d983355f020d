import { describe, expect, it } from "vitest";
import { call, cost, newTenant } from "../helpers";
import { seedClient } from "./fixtures";

/** Spring Boot 3: 405 with Allow for a method a mapped path lacks; no trailing-slash matching (404, in this envelope). */

const notFound = { success: false, code: 404, message: "Recurso no encontrado", data: null };
const notAllowed = { success: false, code: 405, message: "Método no permitido", data: null };

describe("/api/clientes/{id} with a method it does not serve", () => {
  it("answers PATCH /api/clientes/1 with 405, Allow: GET, HEAD, PUT, DELETE, in the clients envelope", async () => {
    const t = await newTenant();
    const created = await call("POST", "/api/clientes", { headers: t.auth, body: seedClient });
    for (const method of ["PATCH", "POST"]) {
      const res = await call(method, `/api/clientes/${created.body.id}`, { headers: t.auth, body: { telefono: "987654321" } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, PUT, DELETE");
      expect(res.body).toEqual(notAllowed);
      // Answered by the router alone: no credential check, no D1.
      expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 0, durableCalls: 0 });
    }
    // Without a token too: the methods of a path are public (they are in /openapi.json).
    const anonymous = await call("PATCH", "/api/clientes/1");
    expect(anonymous.status).toBe(405);
  });
});

describe("/api/clientes with a method it does not serve", () => {
  it("answers DELETE and PUT with 405, Allow: GET, HEAD, POST", async () => {
    const t = await newTenant();
    for (const method of ["DELETE", "PUT", "PATCH"]) {
      const res = await call(method, "/api/clientes", { headers: t.auth });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
      expect(res.body).toEqual(notAllowed);
    }
  });
});

describe("clients paths with a trailing slash", () => {
  it("are unknown paths, as Spring Boot 3 has them: 404 in this surface's envelope", async () => {
    const t = await newTenant();
    const created = await call("POST", "/api/clientes", { headers: t.auth, body: seedClient });
    for (const [method, path] of [
      ["GET", "/api/clientes/"],
      ["POST", "/api/clientes/"],
      ["GET", `/api/clientes/${created.body.id}/`],
      ["PUT", `/api/clientes/${created.body.id}/`],
    ] as const) {
      const res = await call(method, path, { headers: t.auth, body: method === "GET" ? undefined : seedClient });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual(notFound);
    }
  });
});
