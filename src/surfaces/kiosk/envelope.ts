import { z } from "@hono/zod-openapi";
import { Busy, CustomerInactive, type DomainError, IdentifierConflict, IdentifierMismatch } from "../../core/errors";
import type { Envelope, Wording } from "../../http/envelope";
import { laravelEnvelope, laravelExample } from "../../http/laravel";
import { errorResponses } from "../../http/openapi";

/** Seed 000's 503: registrations have nowhere to land. */
export const NO_DESTINATION_MESSAGE = "The system has no destination client configured for VLT registrations. Contact support.";

/**
 * The core's errors in this contract's words. The seed lists 422/429/503/500 only, so a
 * registration whose keys contradict the registry is a 422 naming the field, which kiosks
 * already handle, rather than an undocumented 409.
 */
function words(err: DomainError): Wording | undefined {
  if (err instanceof IdentifierConflict) return { status: 422, fields: { dni: ["The dni belongs to a different client than the codigoClienteVLT."] } };
  if (err instanceof IdentifierMismatch)
    return { status: 422, fields: { dni: ["The dni does not match the document of the client with this codigoClienteVLT."] } };
  if (err instanceof CustomerInactive) return { status: 422, fields: { codigoClienteVLT: ["The codigoClienteVLT belongs to a deactivated client."] } };
  if (err instanceof Busy) {
    return {
      message: err.resource === "card" ? "The card is being registered by another request; try again." : "Concurrent registrations for this client; try again.",
    };
  }
  return undefined;
}

const laravel = laravelEnvelope({ words, useOwnMessage: (status) => status === 503 });

const NOT_AN_OBJECT = "The request body must be a valid JSON object.";

/** Seed 000 documents a Laravel back end: `{message, errors:{field:[msg]}}` on 422, `{message}` otherwise. */
export const kioskEnvelope: Envelope = {
  error: laravel.error,
  fieldErrors(issues, input) {
    // A body that is valid JSON but not an object has no fields to name.
    if (issues.some((issue) => issue.path.length === 0)) return { body: [NOT_AN_OBJECT] };
    // Every number of seed 000 is an integer: "7.5" or true is "must be an integer", as Laravel says.
    return laravel.fieldErrors(
      issues.map((issue) => (issue.code === "invalid_type" && issue.expected === "number" ? { ...issue, expected: "int" as const } : issue)),
      input,
    );
  },
};

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
  return errorResponses((status) => (status === 422 ? KioskValidationError : KioskError), descriptions, errorExample);
}

/** Seed 000's error body for `status`, for the documentation (503 is the seed's own sentence). */
function errorExample(status: number) {
  return laravelExample(
    status,
    { codigoClienteVLT: ["The codigoClienteVLT field is required."], correo: ["The correo field is required."] },
    { 503: NO_DESTINATION_MESSAGE },
  );
}
