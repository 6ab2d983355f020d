import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import { destinationTenant, freshIp, seedExample } from "./support";

/** Laravel serves `/path/` like `/path` and answers a method a route lacks with 405 and its router's sentence. */

describe("POST /api/clientes/register with a trailing slash", () => {
  it("registers the seed's example exactly as without the slash (the kiosk's path, never the clients surface's)", async () => {
    await destinationTenant();
    const res = await call("POST", "/api/clientes/register/", { body: seedExample, headers: { "cf-connecting-ip": freshIp() } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), tarjeta: "A0C2BBCA", mensaje: "cliente nuevo", esDuplicado: false });
    const again = await call("POST", "/api/clientes/register//", { body: seedExample, headers: { "cf-connecting-ip": freshIp() } });
    expect(again.body).toEqual({ id: res.body.id, tarjeta: "A0C2BBCA", mensaje: "registro duplicado", esDuplicado: true });
  });

  it("answers a bad body under the slash in the kiosk's 422, not in Spring's envelope", async () => {
    const res = await call("POST", "/api/clientes/register/", { body: {}, headers: { "cf-connecting-ip": freshIp() } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe("The codigoClienteVLT field is required. (and 5 more errors)");
  });
});

describe("/api/clientes/register with another method", () => {
  it("answers 405 with Allow: POST and Laravel's sentence, with or without the slash", async () => {
    for (const [method, path] of [
      ["GET", "/api/clientes/register"],
      ["PUT", "/api/clientes/register/"],
      ["DELETE", "/api/clientes/register"],
    ] as const) {
      const res = await call(method, path, { headers: { "cf-connecting-ip": freshIp() } });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(res.body).toEqual({ message: `The ${method} method is not supported for route api/clientes/register. Supported methods: POST.` });
    }
  });
});

describe("/api/lobby/authenticate", () => {
  it("serves the trailing slash and answers GET with 405 in the kiosk's envelope", async () => {
    const unauthenticated = await call("POST", "/api/lobby/authenticate/", { body: { cardIdentifier: "A0C2BBCA" } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toEqual({ message: "Unauthenticated." });
    const res = await call("GET", "/api/lobby/authenticate");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.body).toEqual({ message: "The GET method is not supported for route api/lobby/authenticate. Supported methods: POST." });
  });

  it("keeps an unknown kiosk path a 404 in its envelope", async () => {
    const res = await call("GET", "/api/lobby/nothing/");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Not Found" });
  });
});
