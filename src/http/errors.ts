import { HTTPException } from "hono/http-exception";
import { DomainError, type DomainErrorCode, type FieldErrors } from "../core/errors";

/** The status each domain error answers with unless a surface's contract says otherwise. */
export const defaultStatus: Record<DomainErrorCode, number> = {
  invalid: 422,
  rejected: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  payload_too_large: 413,
  malformed_body: 400,
  unsupported_media_type: 415,
  method_not_allowed: 405,
};

/**
 * A failure of the HTTP edge: authentication, bodies, limits, unknown paths, and schema
 * validation with the surface's own field messages. Core code never throws these.
 */
export class RequestError extends DomainError {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field errors, already in the surface's vocabulary (schema validation). */
    readonly fields: FieldErrors = {},
    /** Extra facts an envelope may render (e.g. `retryAfterSeconds`, `unrouted`, `oauthError`, `allow`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** No route of the surface serves this path and method; envelopes render it as their generic 404, never as a missing record. */
export const unrouted = () => new RequestError("not_found", "Not found", {}, { unrouted: true });
/**
 * The path is served, but not with this method: `allow` lists the methods it serves (the
 * surface sends them as the `Allow` header); `method` and `path` are there for the
 * envelopes whose framework names them in the message (Laravel).
 */
export const methodNotAllowed = (method: string, path: string, allow: readonly string[]) =>
  new RequestError("method_not_allowed", "Method Not Allowed", {}, { method, path, allow });
/** Field errors in the surface's vocabulary. */
export const invalid = (fields: FieldErrors, message = "Invalid input") => new RequestError("invalid", message, fields);
export const unauthenticated = (message = "Unauthenticated") => new RequestError("unauthenticated", message);

/** A failure the caller cannot fix; rendered as the surface's 500 with no detail. */
export class InternalError extends Error {
  override name = "InternalError";
}

/**
 * Normalises anything thrown while serving a request: domain errors pass through,
 * Hono's own exceptions (malformed JSON, wrong media type) become request errors, and
 * everything else is internal (its detail is logged, never sent).
 */
export function toDomainError(err: unknown): DomainError | InternalError {
  if (err instanceof DomainError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 415) return new RequestError("unsupported_media_type", "Unsupported Media Type");
    if (err.status === 413) return new RequestError("payload_too_large", "Payload Too Large");
    if (err.status === 400) return new RequestError("malformed_body", "Malformed request body");
  }
  return new InternalError(err instanceof Error ? err.message : String(err));
}
