/**
 * Coded domain errors. Core code throws these and knows nothing of HTTP; each surface's
 * envelope renders them with its own status codes and messages (src/http/errors.ts maps
 * the default status once).
 */
export type DomainErrorCode =
  | "invalid" // the input breaks a rule (field errors say which)
  | "rejected" // well-formed, but the request cannot be honoured (e.g. an unsupported grant type)
  | "unauthenticated" // no, bad, expired or revoked credentials
  | "forbidden" // authenticated, but this caller may not do this
  | "not_found" // absent, or another tenant's (never distinguished)
  | "conflict" // a uniqueness or state rule would break
  | "rate_limited"
  | "unavailable" // a dependency or a required setting is missing
  | "payload_too_large"
  | "malformed_body" // the body is not parseable JSON / form
  | "unsupported_media_type";

/** Field name -> messages, in the order the rules were checked. */
export type FieldErrors = Record<string, string[]>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: FieldErrors = {},
    /** Extra facts an envelope may render (e.g. `retryAfterSeconds`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (message = "Not found") => new DomainError("not_found", message);

/** No route of the surface serves this path and method; envelopes render it as their generic 404, never as a missing record. */
export const unrouted = () => new DomainError("not_found", "Not found", {}, { unrouted: true });
export const conflict = (message: string, fields: FieldErrors = {}) => new DomainError("conflict", message, fields);
export const invalid = (fields: FieldErrors, message = "Invalid input") => new DomainError("invalid", message, fields);
export const unauthenticated = (message = "Unauthenticated") => new DomainError("unauthenticated", message);
