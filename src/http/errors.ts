import { HTTPException } from "hono/http-exception";
import { DomainError, type DomainErrorCode } from "../core/errors";

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
};

/** A failure the caller cannot fix; rendered as the surface's 500 with no detail. */
export class InternalError extends Error {
  override name = "InternalError";
}

/**
 * Normalises anything thrown while serving a request: domain errors pass through,
 * Hono's own exceptions (malformed JSON, wrong media type) become domain errors, and
 * everything else is internal (its detail is logged, never sent).
 */
export function toDomainError(err: unknown): DomainError | InternalError {
  if (err instanceof DomainError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 415) return new DomainError("unsupported_media_type", "Unsupported Media Type");
    if (err.status === 413) return new DomainError("payload_too_large", "Payload Too Large");
    if (err.status === 400) return new DomainError("malformed_body", "Malformed request body");
  }
  return new InternalError(err instanceof Error ? err.message : String(err));
}
