import { z } from "@hono/zod-openapi";
import { DomainError } from "../../core/errors";
import type { Envelope } from "../../http/envelope";
import { laravelEnvelope } from "../../http/laravel";
import { errorResponses } from "../../http/openapi";

/** Seed 000's 503: registrations have nowhere to land. */
export const NO_DESTINATION_MESSAGE = "The system has no destination client configured for VLT registrations. Contact support.";

const laravel = laravelEnvelope({ useDomainMessage: (status) => status === 503 });

/**
 * Seed 000 documents a Laravel back end: `{message, errors:{field:[msg]}}` on 422,
 * `{message}` otherwise. The seed lists 422/429/503/500 only, so a registration whose
 * keys contradict the registry (a conflict) is a 422 naming the field, which kiosks
 * already handle, rather than an undocumented 409.
 */
export const kioskEnvelope: Envelope = {
  error: (c, err) =>
    laravel.error(c, err instanceof DomainError && err.code === "conflict" ? new DomainError("invalid", err.message, err.fields) : err),
  fieldErrors(issues, input) {
    // A body that is valid JSON but not an object has no fields to name.
    if (issues.some((issue) => issue.path.length === 0)) return { body: [NOT_AN_OBJECT] };
    // Every number of seed 000 is an integer: "70" or true is "must be an integer", as Laravel says.
    return laravel.fieldErrors(
      issues.map((issue) => (issue.code === "invalid_type" && issue.expected === "number" ? { ...issue, expected: "int" as const } : issue)),
      input,
    );
  },
};

const NOT_AN_OBJECT = "The request body must be a valid JSON object.";

export const KioskValidationError = z
  .object({
    message: z.string().openapi({ example: "The codigoClienteVLT field is required. (and 5 more errors)" }),
    errors: z.record(z.string(), z.array(z.string())),
  })
  .openapi("KioskValidationError", {
    example: {
      message: "The codigoClienteVLT field is required. (and 5 more errors)",
      errors: {
        codigoClienteVLT: ["The codigoClienteVLT field is required."],
        correo: ["The correo field is required."],
        tarjeta: ["The tarjeta field is required."],
        enviarWhatsApp: ["The enviarWhatsApp field is required."],
        enviarCorreo: ["The enviarCorreo field is required."],
        enviarSms: ["The enviarSms field is required."],
      },
    },
  });

export const KioskError = z.object({ message: z.string().openapi({ example: "Too Many Attempts." }) }).openapi("KioskError");

/** Error responses for route definitions: 422 with field errors, the others `{message}`. */
export function kioskErrors(descriptions: Partial<Record<401 | 404 | 413 | 415 | 422 | 429 | 500 | 503, string>>) {
  return errorResponses((status) => (status === 422 ? KioskValidationError : KioskError), descriptions);
}
