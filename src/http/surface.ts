import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { TrieRouter } from "hono/router/trie-router";
import { getPath } from "hono/utils/url";
import { DomainError } from "../core/errors";
import type { AppEnv } from "./app-env";
import type { Envelope } from "./envelope";
import { invalid, methodNotAllowed, RequestError, toDomainError, unrouted } from "./errors";

/**
 * A router for one contract. Everything that can fail under its paths — schema
 * validation, malformed bodies, oversized bodies, auth, unknown paths, methods a path does
 * not serve, internal errors — is rendered by its envelope. Surfaces are mounted at "/"
 * with their full seed paths, so their middleware is registered on their own path
 * prefixes only (`prefixes`), never "*"; prefixes must not overlap (Hono's "/a/*" also
 * matches "/a"), or middleware runs twice.
 *
 * `trailingSlash: "served"` says the contract's framework (Laravel, Express) answers
 * `/path/` like `/path`: the app's `surfacePath` then routes such a request to `/path`.
 * Otherwise (Spring Boot 3) `/path/` is an unknown path, answered in this envelope.
 */
export function createSurface(
  envelope: Envelope,
  prefixes: readonly string[],
  options: { trailingSlash: "served" | "unknown" } = { trailingSlash: "unknown" },
) {
  const surface = new OpenAPIHono<AppEnv>({
    defaultHook: (result, _c) => {
      if (!result.success) {
        const fields = envelope.fieldErrors(result.error.issues, (result as { data?: unknown }).data);
        throw invalid(fields);
      }
    },
  });
  surface.onError((err, c) => {
    const error = toDomainError(err);
    if (!(error instanceof DomainError)) console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: error.message }));
    // RFC 9110: a 405 says which methods the path serves, whatever the envelope.
    if (error instanceof RequestError && Array.isArray(error.details.allow)) c.header("Allow", error.details.allow.join(", "));
    return envelope.error(c, error);
  });
  for (const prefix of prefixes) surface.use(prefix, limitBody, requireUtf8);
  if (options.trailingSlash === "served") slashServedPrefixes.push(...prefixes);
  return surface;
}

/**
 * Adds the fallback for a surface's prefixes; call after its routes are registered. A path
 * one of its operations serves with another method is a 405 listing those methods (HEAD
 * with GET: Hono answers HEAD from the GET route); any other path is the surface's 404.
 */
export function sealSurface(surface: OpenAPIHono<AppEnv>, prefixes: readonly string[]): void {
  const operations = new TrieRouter<string>();
  for (const { method, path } of surface.routes) if (method !== "ALL") operations.add("ALL", path, method);
  for (const prefix of prefixes) {
    surface.all(prefix, (c) => {
      const served = new Set(operations.match("ALL", c.req.path)[0].map(([method]) => method));
      if (served.size === 0) throw unrouted();
      const allow = httpMethods.filter((method) => served.has(method) || (method === "HEAD" && served.has("GET")));
      throw methodNotAllowed(c.req.method, c.req.path, allow);
    });
  }
}

/** The order methods are listed in an `Allow` header. */
const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/** Prefixes of the surfaces that serve `/path/` like `/path` (filled by `createSurface`). */
const slashServedPrefixes: string[] = [];

/**
 * The app's routing path (Hono's `getPath`): the request's path, without its trailing
 * slashes when a surface that serves `/path/` like `/path` owns the trimmed path. Any other
 * trailing slash stays, so it reaches the owner's 404 and never another surface's route
 * (`/api/clientes/register/` is the kiosk's, not the clients surface's).
 */
export function surfacePath(request: Request): string {
  const path = getPath(request);
  if (path.length < 2 || !path.endsWith("/")) return path;
  const trimmed = path.replace(/\/+$/, "") || "/";
  return slashServedPrefixes.some((prefix) => covers(prefix, trimmed)) ? trimmed : path;
}

/** Whether a Hono path prefix ("/a" exactly, or "/a/*": "/a" and below) covers `path`. */
function covers(prefix: string, path: string): boolean {
  if (!prefix.endsWith("/*")) return path === prefix;
  const base = prefix.slice(0, -2);
  return path === base || path.startsWith(`${base}/`);
}

/** Decodes whole bodies (no `stream` option, so each call starts afresh) and throws on any invalid sequence. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Refuses a JSON or form body (url-encoded or multipart: no route takes binary uploads)
 * that is not valid UTF-8 as malformed: decoding it leniently would store U+FFFD in place
 * of what the client sent. One pass: the body is read once into Hono's body cache and
 * decoded once, and the validators parse that text (`c.req.json()`) or those bytes
 * (`c.req.formData()`) from the cache instead of reading and decoding the body again.
 */
const requireUtf8: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.raw.body && /json|x-www-form-urlencoded|multipart\/form-data/i.test(c.req.header("content-type") ?? "")) {
    let text: string;
    try {
      text = strictUtf8.decode(await c.req.arrayBuffer());
    } catch {
      throw new RequestError("malformed_body", "Malformed request body");
    }
    // Hono keeps each cached body as the promise of it (its `BodyCache` type says the value).
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  }
  await next();
};

/** Refuses bodies over MAX_BODY_BYTES before they are read into memory. */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  bodyLimit({
    maxSize: Number(c.env.MAX_BODY_BYTES),
    onError: () => {
      throw new RequestError("payload_too_large", "Payload Too Large");
    },
  })(c, next);
