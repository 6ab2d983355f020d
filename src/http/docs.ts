import { Hono } from "hono";
import type { AppEnv } from "./app-env";

/** Swagger UI files the page loads, served from the Worker's own assets (public/, links into swagger-ui-dist), never a CDN. */
const assetFiles = new Set(["swagger-ui.css", "swagger-ui-bundle.js"]);

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ficha API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true, tryItOutEnabled: true });`;

/** `GET /docs`: the interactive reference for /openapi.json, working with no internet access. */
export const docs = new Hono<AppEnv>()
  .get("/docs", (c) => c.html(page))
  .get("/docs/init.js", (c) => c.body(init, 200, { "content-type": "text/javascript; charset=utf-8" }))
  .get("/docs/:file", async (c) => {
    const file = c.req.param("file");
    if (!assetFiles.has(file)) return c.json({ code: "not_found", message: "Not found" }, 404);
    const asset = await c.env.ASSETS.fetch(new URL(`/${file}`, c.req.url));
    const headers = new Headers(asset.headers);
    headers.set("cache-control", "public, max-age=86400");
    return new Response(asset.body, { status: asset.status, headers });
  });
