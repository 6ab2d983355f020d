import { describe, expect, it } from "vitest";
import { call, newTenant } from "../helpers";
import { juan } from "./fixtures";

/** Laravel serves `/path/` like `/path` and answers a method a route lacks with 405 and its router's sentence. */

describe("sales paths with a trailing slash", () => {
  it("create, read, list and the catalogues answer as without the slash (links without it, as Laravel's url())", async () => {
    const t = await newTenant();
    const created = await call("POST", "/api/sales/clientes/", { headers: t.auth, body: juan });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/api/sales/clientes/1234567890");
    const one = await call("GET", "/api/sales/clientes/1234567890/", { headers: t.auth });
    expect(one.body.data).toEqual(created.body.data);
    const list = await call("GET", "/api/sales/clientes/", { headers: t.auth });
    expect(list.status).toBe(200);
    expect(list.body.meta.path).toBe("https://ficha.test/api/sales/clientes");
    expect(list.body.links.first).toBe("https://ficha.test/api/sales/clientes?page=1");
    expect((await call("GET", "/api/sales/tipos-documento/", { headers: t.auth })).body.data).toHaveLength(5);
  });
});

describe("sales paths with a method they do not serve", () => {
  it("answer 405 with Allow and Laravel's sentence", async () => {
    const t = await newTenant();
    for (const [method, path, route, allow] of [
      ["PATCH", "/api/sales/ventas", "api/sales/ventas", "POST"],
      ["GET", "/api/sales/ventas/", "api/sales/ventas", "POST"],
      ["POST", "/api/sales/tipos-cliente", "api/sales/tipos-cliente", "GET, HEAD"],
      ["PATCH", "/api/sales/clientes/1234567890", "api/sales/clientes/1234567890", "GET, HEAD, PUT, DELETE"],
    ] as const) {
      const res = await call(method, path, { headers: t.auth });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.body).toEqual({ message: `The ${method} method is not supported for route ${route}. Supported methods: ${allow}.` });
    }
  });
});
