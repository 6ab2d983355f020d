import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { consoleApp } from "./console";
import type { AppEnv } from "./http/app-env";
import { docs } from "./http/docs";
import { observe } from "./http/observe";
import { jsonContent } from "./http/openapi";
import { announceCommittedEvents } from "./http/outbox";
import { surfacePath } from "./http/surface";
import { adminSurface } from "./surfaces/admin";
import { clientsSurface } from "./surfaces/clients";
import { kioskSurface } from "./surfaces/kiosk";
import { loyaltySurface } from "./surfaces/loyalty";
import { parkingSurface } from "./surfaces/parking";
import { salesSurface } from "./surfaces/sales";
import { v1Surface } from "./surfaces/v1";

/**
 * The Worker's one app. Cross-cutting middleware first, then the surfaces, each mounted
 * at "/" with its seed's full paths (the order matters only where paths overlap:
 * kiosk's /api/clientes/register before the clients surface's /api/clientes/{id}).
 * Routing trims a trailing slash only under the surfaces that serve `/path/` like `/path`.
 */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ getPath: surfacePath });

  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(observe);
  app.use(announceCommittedEvents);
  app.use(secureHeaders({ crossOriginResourcePolicy: "cross-origin" }));
  app.use(
    cors({
      origin: (origin, c) => {
        const allowed = String(c.env.CORS_ORIGINS ?? "")
          .split(",")
          .map((o) => o.trim());
        return allowed.includes("*") ? "*" : allowed.includes(origin) ? origin : null;
      },
      allowHeaders: ["Authorization", "Content-Type", "Accept", "Platform", "X-Client-Secret", "X-Request-Id"],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: ["Location", "Retry-After", "RateLimit", "RateLimit-Policy", "Server-Timing", "X-Request-Id"],
      maxAge: 600,
    }),
  );

  app.route("/", kioskSurface);
  app.route("/", clientsSurface);
  app.route("/", parkingSurface);
  app.route("/", loyaltySurface);
  app.route("/", salesSurface);
  app.route("/", adminSurface);
  app.route("/", v1Surface);

  app.openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));
  app.route("/", docs);
  app.route("/", consoleApp);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Token from `POST /oauth/token` (partner credential).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The deployment's ADMIN_TOKEN secret.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "consoleSession", {
    type: "apiKey",
    in: "cookie",
    name: "__Host-ficha_session",
    description:
      "The operator console's session (`ficha_session` on localhost), set by signing in at /console with the ADMIN_TOKEN; " +
      "state-changing requests add the session's CSRF token as `X-CSRF-Token`.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "kioskSecret", {
    type: "apiKey",
    in: "header",
    name: "X-Client-Secret",
    description: "Secret of a kiosk credential.",
  });
  // The document depends only on the routes, so it is built once per isolate, on first request;
  // only `servers` follows the request, so "Try it out" calls the deployment that served the page.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get("/openapi.json", (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "ficha",
        version: "0.1.0",
        description:
          "Tenant-scoped customer registry speaking five existing API contracts (kiosk, clients, parking, loyalty, sales) on one core. " +
          "Every response carries `X-Request-Id`; with SERVER_TIMING on, `Server-Timing` reports D1 round trips, rows read/written and Durable Object calls.",
      },
      servers: [...servers],
      tags,
    });
    const origin = new URL(c.req.url).origin;
    return c.json(servers.some((s) => s.url === origin) ? document : { ...document, servers: [{ url: origin, description: "This deployment" }, ...servers] });
  });

  // The app's own paths answer other methods as the surfaces do: 405 with `Allow`.
  for (const path of ["/health", "/openapi.json"]) {
    app.on(["POST", "PUT", "PATCH", "DELETE"], path, (c) => c.json({ code: "method_not_allowed", message: "Method Not Allowed" }, 405, { Allow: "GET, HEAD" }));
  }
  app.notFound((c) => c.json({ code: "not_found", message: "Not found" }, 404));
  app.onError((err, c) => {
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: err instanceof Error ? err.message : String(err) }));
    return c.json({ code: "internal", message: "Internal Server Error" }, 500);
  });
  return app;
}

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Operations"],
  summary: "Liveness",
  description: "Answers without touching D1 or Durable Objects: a load balancer's or uptime monitor's probe. No authentication.",
  responses: { 200: { description: "The Worker is serving.", ...jsonContent(z.object({ status: z.literal("ok") }).openapi("Health")) } },
});

/** Where the API is served: `npm run dev`, and a deployment (its workers.dev name, or your own domain). */
const servers = [
  { url: "http://localhost:8787", description: "Local: `npm run dev`" },
  {
    url: "https://ficha.{account}.workers.dev",
    description: "Production: the Worker on your workers.dev subdomain (or the custom domain you route to it)",
    variables: { account: { default: "your-subdomain", description: "Your account's workers.dev subdomain" } },
  },
];

/** Each tag of the document, naming the seed system whose contract its operations reproduce. */
const tags = [
  {
    name: "Kiosk (VLT)",
    description:
      "Seed 000, the VLT lobby system's client registration API (api.syssoft1.com, a Laravel back end): public registration of a player and " +
      "their RFID card at a kiosk, and the lobby's card authentication with a kiosk credential.",
  },
  {
    name: "Clients: field-service clients",
    description:
      "Seed 001, the field-service work-order system's Clients API (apiregistropendientes, Spring): the people and companies that receive work orders.",
  },
  {
    name: "Parking: customers and vehicle tags",
    description:
      "Seed 002, the parking operator's Users API (api.parkup.cl v3, NestJS): customers keyed by `refId` and the vehicle tags that open the barrier.",
  },
  { name: "Loyalty: OAuth2", description: "Seed 003, the MS Loyalty API (MS de Lealtad): client-credentials tokens for every loyalty and partner route." },
  { name: "Loyalty: transacciones", description: "Seed 003, the MS Loyalty API: postings, redemptions, transfers, reversals and their read models." },
  { name: "Loyalty: lotes", description: "Seed 003, the MS Loyalty API: points lots and their expiration dates." },
  { name: "Loyalty: grupos", description: "Seed 003, the MS Loyalty API: customer tiers (groups), from the entry tier up." },
  { name: "Loyalty: clientes", description: "Seed 003, the MS Loyalty API: a customer looked up by the partner's external id." },
  { name: "Loyalty: reportes", description: "Seed 003, the MS Loyalty API: daily points summaries per store and per product." },
  { name: "Sales: clientes", description: "Seed 004, the sales back office's Clients API (Laravel): clients keyed by their document number." },
  { name: "Sales: ventas", description: "Seed 004, the sales back office: sales and separations recorded for a client." },
  { name: "Sales: catálogos", description: "Seed 004, the sales back office: the client-type and document-type catalogues." },
  {
    name: "Admin (provisioning)",
    description: "ficha's own operator API (no seed): tenants, credentials, the VLT destination, report rebuilds and customer merges. Bearer ADMIN_TOKEN.",
  },
  {
    name: "ficha: events and webhooks",
    description:
      "ficha's own partner API under /v1 (no seed): the tenant's event feed and its webhook endpoints, with a partner Bearer token from POST /oauth/token.",
  },
  { name: "Operations", description: "ficha's own probes (no seed)." },
];
