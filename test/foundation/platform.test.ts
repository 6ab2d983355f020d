import { describe, expect, it } from "vitest";
import { admin, call, cost } from "../helpers";

describe("GET /health", () => {
  it("answers 200 with no D1 work", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(cost(res.headers)).toEqual({ d1RoundTrips: 0, rowsRead: 0, rowsWritten: 0, durableCalls: 0 });
  });
});

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with the security schemes and the foundation's operations", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(["adminToken", "bearerAuth", "consoleSession", "kioskSecret"]);
    expect(res.body.paths["/oauth/token"].post.responses).toHaveProperty("401");
    expect(res.body.paths["/admin/tenants"].post.summary).toBe("Create a tenant");
    for (const [path, operations] of Object.entries<Record<string, { summary?: string; responses: object }>>(res.body.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(operation.responses).length, `${method} ${path}`).toBeGreaterThan(1);
      }
    }
  });
});

describe("GET /docs", () => {
  it("serves the reference page and its scripts from the Worker itself", async () => {
    const page = await call("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(page.text).not.toMatch(/https?:\/\//);
    const init = await call("GET", "/docs/init.js");
    expect(init.text).toContain('url: "/openapi.json"');
    const bundle = await call("GET", "/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    const css = await call("GET", "/docs/swagger-ui.css");
    expect(css.status).toBe(200);
    expect((await call("GET", "/docs/package.json")).status).toBe(404);
  });
});

describe("cross-cutting headers", () => {
  it("sets a request id, secure headers and the cost of the request on every response", async () => {
    const res = await admin("POST", "/admin/tenants", { name: "Headers" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    // One INSERT ... RETURNING: one round trip, one row written (plus its index entries).
    const spent = cost(res.headers);
    expect(spent.d1RoundTrips).toBe(1);
    expect(spent.rowsWritten).toBeGreaterThanOrEqual(1);
  });

  it("answers CORS preflights for browser and mobile front ends (Platform header included)", async () => {
    const res = await call("OPTIONS", "/api/transaction", {
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,platform,content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("platform");
  });

  it("answers unknown paths with a JSON 404", async () => {
    const res = await call("GET", "/nowhere");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: "not_found", message: "Not found" });
  });
});
