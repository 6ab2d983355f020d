import { describe, expect, it } from "vitest";
import { call, newTenant } from "../helpers";
import { cc, nit, personaJuridica, personaNatural } from "./fixtures";

describe("GET /api/sales/tipos-cliente", () => {
  it("lists the client types seeded by migration", async () => {
    const t = await newTenant();
    const res = await call("GET", "/api/sales/tipos-cliente", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [personaNatural, personaJuridica] });
  });

  it("requires a token", async () => {
    const res = await call("GET", "/api/sales/tipos-cliente");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Unauthenticated." });
  });
});

describe("GET /api/sales/tipos-documento", () => {
  it("lists CC, NIT, CE, Pasaporte and Otro", async () => {
    const t = await newTenant();
    const res = await call("GET", "/api/sales/tipos-documento", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        cc,
        nit,
        { id_tipo_documento: 3, codigo: "CE", nombre: "Cédula de Extranjería" },
        { id_tipo_documento: 4, codigo: "PASAPORTE", nombre: "Pasaporte" },
        { id_tipo_documento: 5, codigo: "OTRO", nombre: "Otro" },
      ],
    });
  });

  it("requires a token", async () => {
    const res = await call("GET", "/api/sales/tipos-documento", { headers: { authorization: "Bearer a.b.c" } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: "Unauthenticated." });
  });
});

describe("the sales surface", () => {
  it("answers unknown paths under /api/sales in its envelope (methods a path lacks: methods-and-paths.test.ts)", async () => {
    const t = await newTenant();
    for (const [method, path] of [
      ["GET", "/api/sales/nope"],
      ["POST", "/api/sales/nope/"],
      ["GET", "/api/sales/clientes/1/ventas/2"],
    ] as const) {
      const res = await call(method, path, { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: "Not Found" });
    }
  });

  it("documents every operation with its error responses in OpenAPI", async () => {
    const res = await call("GET", "/openapi.json");
    const paths = res.body.paths;
    const statuses = (path: string, method: string) => Object.keys(paths[path][method].responses);
    expect(statuses("/api/sales/clientes", "get")).toEqual(["200", "401", "405", "422"]);
    expect(statuses("/api/sales/clientes", "post")).toEqual(["201", "401", "405", "413", "415", "422"]);
    expect(statuses("/api/sales/clientes/{documento}", "get")).toEqual(["200", "401", "404", "405"]);
    expect(statuses("/api/sales/clientes/{documento}", "put")).toEqual(["200", "401", "404", "405", "413", "415", "422"]);
    expect(statuses("/api/sales/clientes/{documento}", "delete")).toEqual(["204", "401", "404", "405", "409"]);
    expect(statuses("/api/sales/clientes/{documento}/ventas", "get")).toEqual(["200", "401", "404", "405", "422"]);
    expect(statuses("/api/sales/ventas", "post")).toEqual(["201", "401", "405", "413", "415", "422"]);
    expect(statuses("/api/sales/tipos-cliente", "get")).toEqual(["200", "401", "405"]);
    expect(statuses("/api/sales/tipos-documento", "get")).toEqual(["200", "401", "405"]);
    expect(paths["/api/sales/clientes"].post.description).toContain("redirect_to");
    expect(paths["/api/sales/clientes"].get.description).toContain("meta");
    expect(paths["/api/sales/clientes/{documento}"].get.responses["200"].content["application/json"].example.data.tipo_cliente).toEqual(personaNatural);
    expect(res.body.components.schemas.Cliente.properties).toHaveProperty("tipo_documento");
  });
});
