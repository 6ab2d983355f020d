import type { Context } from "hono";
import { z } from "@hono/zod-openapi";
import { DomainError } from "../../core/errors";
import type { AppEnv } from "../../http/app-env";
import type { Envelope } from "../../http/envelope";
import { defaultStatus } from "../../http/errors";
import { laravelFieldErrors } from "../../http/laravel";
import { errorResponses } from "../../http/openapi";

/** Seed 003's fixed messages per status. */
const messages: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthenticated",
  403: "Forbidden",
  404: "404 Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Error de Validacion",
  429: "Too Many Attempts.",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * Seed 003's envelope `{code, status, message, data, warning, error}`. Successes carry
 * `code` as a string ("200"), errors as a number (422), as the seed shows. A validation
 * error names its first failing field in `warning` ({code:"null", field, value}).
 */
export const loyaltyEnvelope: Envelope = {
  error(c, err) {
    const status = err instanceof DomainError ? (err.code === "malformed_body" ? 422 : defaultStatus[err.code]) : 500;
    let warning: unknown = [];
    if (err instanceof DomainError && status === 422) {
      const [field = "body", [value = "The request body is not valid JSON."] = []] = Object.entries(err.fields)[0] ?? [];
      warning = { code: "null", field, value };
    }
    const error = err instanceof DomainError && typeof err.details.oauthError === "string" ? [err.details.oauthError] : [];
    const message = status === 400 && err instanceof DomainError ? err.message : (messages[status] ?? err.message);
    return c.json({ code: status, status: "error", message, warning, error }, status as 400);
  },
  fieldErrors: laravelFieldErrors,
};

/** Renders a success in seed 003's envelope. */
export function loyaltyOk<T>(c: Context<AppEnv>, data: T, message = "OK") {
  return c.json({ code: "200", status: "success", message, data, warning: [] as unknown[], error: [] as unknown[] }, 200);
}

export const LoyaltyError = z
  .object({
    code: z.number().int().openapi({ example: 401 }),
    status: z.literal("error"),
    message: z.string().openapi({ example: "Unauthenticated" }),
    warning: z.union([z.array(z.unknown()), z.object({ code: z.string().nullable(), field: z.string(), value: z.string() })]),
    error: z.array(z.unknown()),
  })
  .openapi("LoyaltyError");

/** The seed's error responses, for route definitions. */
export const loyaltyErrors = (descriptions: Partial<Record<400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 503, string>>) =>
  errorResponses(LoyaltyError, descriptions);
