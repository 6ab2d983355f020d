import type { z } from "zod";
import { type DomainError, type FieldErrors, IdentifierConflict, NotFound } from "../../core/errors";
import { type Envelope, groupByField, valueAt, type Wording } from "../../http/envelope";
import { laravelEnvelope, laravelExample, laravelFieldErrors } from "../../http/laravel";
import { errorResponses } from "../../http/openapi";
import { SalesError } from "./schemas";

export const TAKEN = "The documento has already been taken.";
export const CLIENT_NOT_FOUND = "client not found";

/** The core's errors in this contract's words: a document already held is Laravel's `unique` failure. */
function words(err: DomainError): Wording | undefined {
  if (err instanceof IdentifierConflict && err.kind === "document") return { status: 422, fields: { documento: [TAKEN] } };
  if (err instanceof NotFound) return { message: CLIENT_NOT_FOUND };
  return undefined;
}

/** Fields checked by Laravel's `exists` rule: any present value that is not a catalogue id reads "The selected X is invalid.". */
const catalogueFields = new Set(["id_tipo_cliente", "id_tipo_documento"]);
/** Fields under Laravel's `integer` rule: a string or a fraction alike "must be an integer.". */
const integerFields = new Set(["monto"]);

/**
 * Laravel's messages, plus what its rules say where the generic mapping cannot know:
 * an absent value is "required" whatever rule failed (e.g. `in` for `tipo`), catalogue ids
 * fail `exists`, and `monto` fails `integer`.
 */
export function salesFieldErrors(issues: readonly z.core.$ZodIssue[], input: unknown): FieldErrors {
  return groupByField(issues, (issue, field) => {
    const value = valueAt(input, issue.path);
    if (value === undefined || value === null || (value === "" && catalogueFields.has(field))) return `The ${field} field is required.`;
    if (catalogueFields.has(field)) return `The selected ${field} is invalid.`;
    if (integerFields.has(field) && issue.code === "invalid_type") return `The ${field} field must be an integer.`;
    return laravelFieldErrors([issue], input)[field]?.[0] ?? issue.message;
  });
}

/**
 * Seed 004 is a Laravel back end: `{message, errors}` on 422, `{message}` otherwise.
 * 404 and 409 carry the domain's own sentence ("client not found", "Cannot delete client
 * with existing sales records").
 */
export const salesEnvelope: Envelope = {
  ...laravelEnvelope({ words, useOwnMessage: (status) => status === 404 || status === 409 }),
  fieldErrors: salesFieldErrors,
};

type ErrorStatus = 401 | 404 | 409 | 413 | 415 | 422;

/** The envelope's error responses, for route definitions. */
export const salesErrors = (descriptions: Partial<Record<ErrorStatus, string>>) => errorResponses(SalesError, descriptions, errorExample);

/** Seed 004's error body for `status`, for the documentation (404 and 409 in the domain's own words). */
function errorExample(status: number) {
  return laravelExample(status, { documento: [TAKEN] }, { 404: CLIENT_NOT_FOUND, 409: "Cannot delete client with existing sales records" });
}
