import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { ADMIN_TOKEN, admin, call, cost } from "../helpers";
import { envelopeProblem } from "../hostile/envelopes";
import { routes } from "../hostile/routes";

describe("GET /health", () => {
  it("answers 200 with no D1 work, as documented", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(cost(res.headers)).toEqual({ d1RoundTrips: 0, rowsRead: 0, rowsWritten: 0, durableCalls: 0 });
    const doc = (await call("GET", "/openapi.json")).body;
    expect(doc.paths["/health"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Health" });
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
        expect(Object.keys(operation.responses).length, `${method} ${path}`).toBeGreaterThan(path === "/health" ? 0 : 1);
      }
    }
  });

  it("gives every error response an example of its own status, in its surface's envelope", async () => {
    const paths = (await call("GET", "/openapi.json")).body.paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { example?: unknown }> }> }>
    >;
    const problems: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const surface = routes[`${method.toUpperCase()} ${path}`]!.surface;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          checked += 1;
          const example = response.content?.["application/json"]?.example;
          const res = { status: Number(status), headers: new Headers({ "content-type": "application/json" }), body: example, text: JSON.stringify(example) };
          const problem = example === undefined ? "no example" : envelopeProblem(surface, res);
          if (problem) problems.push(`${method} ${path} ${status}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  it("describes every tag its operations use, naming the seed each reproduces", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    const used = new Set(Object.values<Record<string, { tags: string[] }>>(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags)));
    const described = doc.tags.map((tag: { name: string }) => tag.name);
    expect([...used].sort()).toEqual([...described].sort());
    for (const tag of doc.tags) expect(tag.description, tag.name).toMatch(/^Seed 00\d|^ficha's own/);
  });

  it("names the local dev server and a production placeholder, and the origin that served it when it is another", async () => {
    const local = await exports.default.fetch(new Request("http://localhost:8787/openapi.json"));
    const servers = ((await local.json()) as { servers: { url: string }[] }).servers.map((s) => s.url);
    expect(servers).toEqual(["http://localhost:8787", "https://ficha.{account}.workers.dev"]);
    const elsewhere = (await call("GET", "/openapi.json")).body.servers.map((s: { url: string }) => s.url);
    expect(elsewhere).toEqual(["https://ficha.test", ...servers]);
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

describe("request log", () => {
  /** The log lines the app writes for one request, with LOG_REQUESTS on. */
  async function logOf(method: string, path: string, headers: Record<string, string> = {}) {
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await createApp().fetch(new Request(`https://ficha.test${path}`, { method, headers }), { ...env, LOG_REQUESTS: "on" }, ctx);
    await waitOnExecutionContext(ctx);
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    logged.mockRestore();
    return lines;
  }

  it("names the matched route pattern, never the raw path, whatever the outcome", async () => {
    const cases: Array<[method: string, path: string, headers: Record<string, string>, route: string, status: number]> = [
      ["GET", "/api/clientes/42", {}, "/api/clientes/:id", 401],
      ["GET", "/api/sales/clientes/1234567890", {}, "/api/sales/clientes/:documento", 401],
      [
        "POST",
        "/admin/tenants/7/credentials",
        { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        "/admin/tenants/:id/credentials",
        422,
      ],
      ["GET", "/health", {}, "/health", 200],
      ["GET", "/api/clientes/42/nowhere", {}, "/api/clientes/*", 404],
    ];
    for (const [method, path, headers, route, status] of cases) {
      expect(await logOf(method, path, headers), `${method} ${path}`).toEqual([
        { level: "info", msg: "request", method, route, status, ms: expect.any(Number), tenant: null, requestId: expect.any(String) },
      ]);
    }
  });
});
