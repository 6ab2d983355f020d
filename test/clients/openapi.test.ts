import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import { seedClient } from "./fixtures";

describe("GET /openapi.json (clients operations)", () => {
  it("documents the five operations with their decisions, examples and error responses", async () => {
    const { body: doc } = await call("GET", "/openapi.json");
    const operations = {
      get: doc.paths["/api/clientes"].get,
      post: doc.paths["/api/clientes"].post,
      getOne: doc.paths["/api/clientes/{id}"].get,
      put: doc.paths["/api/clientes/{id}"].put,
      delete: doc.paths["/api/clientes/{id}"].delete,
    };
    for (const [name, operation] of Object.entries(operations)) {
      expect(operation.security, name).toEqual([{ bearerAuth: [] }]);
      expect(operation.description.length, name).toBeGreaterThan(100);
      expect(operation.responses["401"].content["application/json"].schema, name).toEqual({ $ref: "#/components/schemas/ClientesError" });
      expect(operation.responses["405"].content["application/json"].schema, name).toEqual({ $ref: "#/components/schemas/ClientesError" });
      expect(operation.responses["405"].headers.Allow, name).toMatchObject({ schema: { type: "string" } });
    }
    expect(Object.keys(operations.post.responses).sort()).toEqual(["201", "400", "401", "405", "409", "413", "415", "422"]);
    expect(Object.keys(operations.put.responses).sort()).toEqual(["200", "400", "401", "404", "405", "409", "413", "415", "422"]);
    expect(operations.get.description).toContain("honoured as asked up to 2000 (Spring Data's default maximum page size), a larger one is served as 2000");
    expect(operations.put.description).toContain("cannot be cleared");
    expect(doc.components.schemas.ClienteRequest.example).toEqual(seedClient);
    expect(doc.components.schemas.ClienteRequest.required.sort()).toEqual(["codigoCliente", "nombre", "numeroDocumento", "tipoCliente", "tipoDocumento"]);
    expect(Object.keys(doc.components.schemas.ClienteResponse.properties)).toEqual([
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
  });
});
