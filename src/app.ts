import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./http/app-env";
import { docs } from "./http/docs";
import { observe } from "./http/observe";
import { announceCommittedEvents } from "./http/outbox";
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
 */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

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
      allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
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

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.route("/", docs);

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
  app.openAPIRegistry.registerComponent("securitySchemes", "kioskSecret", {
    type: "apiKey",
    in: "header",
    name: "X-Client-Secret",
    description: "Secret of a kiosk credential.",
  });
  // The document depends only on the routes, so it is built once per isolate, on first request.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get("/openapi.json", (c) =>
    c.json(
      (document ??= app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "ficha",
          version: "0.1.0",
          description:
            "Tenant-scoped customer registry speaking five existing API contracts (kiosk, clients, parking, loyalty, sales) on one core. " +
            "Every response carries `X-Request-Id`; with SERVER_TIMING on, `Server-Timing` reports D1 round trips, rows read/written and Durable Object calls.",
        },
      })),
    ),
  );

  app.notFound((c) => c.json({ code: "not_found", message: "Not found" }, 404));
  app.onError((err, c) => {
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: err instanceof Error ? err.message : String(err) }));
    return c.json({ code: "internal", message: "Internal Server Error" }, 500);
  });
  return app;
}
