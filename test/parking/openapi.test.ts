import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import { paths } from "./helpers";

describe("GET /openapi.json (parking operations)", () => {
  it("documents the four operations with Bearer security, examples and the seed's errors", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const operations: Array<[string, "post" | "put", string, string[]]> = [
      [paths.addCustomer, "post", "201", ["400", "401", "405", "409", "413", "415", "503"]],
      [paths.listTags, "post", "200", ["400", "401", "404", "405", "413", "415"]],
      [paths.addTags, "post", "201", ["400", "401", "404", "405", "409", "413", "415", "503"]],
      [paths.cancelTags, "put", "200", ["400", "401", "404", "405", "413", "415"]],
    ];
    for (const [path, method, success, errors] of operations) {
      const operation = res.body.paths[path][method];
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
      expect(operation.description).toContain("trimmed and upper-cased");
      expect(Object.keys(operation.responses).sort()).toEqual([success, ...errors].sort());
      expect(operation.responses["401"].content["application/json"].example).toEqual({ statusCode: 401, message: "Unauthorized" });
      // Another method on the path: 405 with the methods it serves.
      expect(operation.responses["405"].headers.Allow.schema.type).toBe("string");
      expect(operation.responses["405"].content["application/json"].example).toEqual({
        statusCode: 405,
        message: "Method Not Allowed",
        error: "Method Not Allowed",
      });
    }
    expect(res.body.paths[paths.addTags].post.responses["409"].content["application/json"].example).toEqual({
      statusCode: 409,
      message: "User with ID 1 sticket active",
      error: "Conflict",
    });
  });
});
