import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { DomainError } from "../core/errors";
import type { AppEnv } from "./app-env";
import type { Envelope } from "./envelope";
import { invalid, RequestError, toDomainError, unrouted } from "./errors";

/**
 * A router for one contract. Everything that can fail under its paths — schema
 * validation, malformed bodies, oversized bodies, auth, unknown paths, internal errors —
 * is rendered by its envelope. Surfaces are mounted at "/" with their full seed paths, so
 * their middleware is registered on their own path prefixes only (`prefixes`), never "*";
 * prefixes must not overlap (Hono's "/a/*" also matches "/a"), or middleware runs twice.
 */
export function createSurface(envelope: Envelope, prefixes: readonly string[]) {
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
    return envelope.error(c, error);
  });
  for (const prefix of prefixes) surface.use(prefix, limitBody, requireUtf8);
  return surface;
}

/** Adds the 404 fallback for a surface's prefixes; call after its routes are registered. */
export function sealSurface(surface: OpenAPIHono<AppEnv>, prefixes: readonly string[]): void {
  for (const prefix of prefixes) {
    surface.all(prefix, () => {
      throw unrouted();
    });
  }
}

/**
 * Refuses a JSON or form body that is not valid UTF-8 as malformed: decoding it leniently
 * would store U+FFFD in place of what the client sent. Reads a clone, so the body stays
 * unread for the validators.
 */
const requireUtf8: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.raw.body && /json|x-www-form-urlencoded/i.test(c.req.header("content-type") ?? "")) {
    try {
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(await c.req.raw.clone().arrayBuffer());
    } catch {
      throw new RequestError("malformed_body", "Malformed request body");
    }
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
