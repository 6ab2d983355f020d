import type { z } from "zod";
import { DomainError, type FieldErrors } from "../core/errors";
import { type Envelope, explain, groupByField, isMissing, type Words } from "./envelope";

/**
 * Laravel's validation messages ("The dni field must not be greater than 20
 * characters."). Three of the seeds (kiosk, loyalty, sales) document Laravel back ends,
 * so their callers see these exact sentences.
 */
export function laravelFieldErrors(issues: readonly z.core.$ZodIssue[], input: unknown): FieldErrors {
  return groupByField(issues, (issue, field) => laravelMessage(issue, field, input));
}

function laravelMessage(issue: z.core.$ZodIssue, field: string, input: unknown): string {
  if (isMissing(issue, input)) return `The ${field} field is required.`;
  switch (issue.code) {
    case "invalid_type":
      switch (issue.expected) {
        case "string":
          return `The ${field} field must be a string.`;
        case "int":
          return `The ${field} field must be an integer.`;
        case "number":
          return `The ${field} field must be a number.`;
        case "boolean":
          return `The ${field} field must be true or false.`;
        default:
          return `The ${field} field must be an array.`;
      }
    case "too_big":
      return issue.origin === "string"
        ? `The ${field} field must not be greater than ${issue.maximum} characters.`
        : issue.origin === "array"
          ? `The ${field} field must not have more than ${issue.maximum} items.`
          : `The ${field} field must not be greater than ${issue.maximum}.`;
    case "too_small":
      return issue.origin === "string"
        ? issue.minimum === 1
          ? `The ${field} field is required.`
          : `The ${field} field must be at least ${issue.minimum} characters.`
        : issue.origin === "array"
          ? `The ${field} field must have at least ${issue.minimum} items.`
          : `The ${field} field must be at least ${issue.minimum}.`;
    case "invalid_format":
      if (issue.format === "email") return `The ${field} field must be a valid email address.`;
      if (issue.format === "datetime" || issue.format === "date") return `The ${field} field must be a valid date.`;
      return `The ${field} field format is invalid.`;
    case "invalid_value":
      return `The selected ${field} is invalid.`;
    default:
      return issue.message;
  }
}

/** Laravel's summary line: the first message, plus "(and N more errors)" when there are more. */
export function laravelSummary(fields: FieldErrors): string {
  const messages = Object.values(fields).flat();
  const [first = "The given data was invalid."] = messages;
  const more = messages.length - 1;
  return more > 0 ? `${first} (and ${more} more error${more === 1 ? "" : "s"})` : first;
}

/** Laravel's default messages for non-validation failures. */
const laravelMessages: Record<number, string> = {
  401: "Unauthenticated.",
  403: "This action is unauthorized.",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Attempts.",
  500: "Server Error",
  503: "Service Unavailable",
};

/**
 * The envelope of a Laravel API: `{message, errors:{field:[msg]}}` on 422 (a body that
 * is not JSON is a 422 too, never a 500), `{message}` otherwise with Laravel's message for
 * the status, or the error's own where the surface passes `useOwnMessage` (an unrouted
 * path keeps Laravel's "Not Found"). `words` says how the surface words the core's errors.
 */
export function laravelEnvelope(options: { words: Words; useOwnMessage?: (status: number) => boolean }): Envelope {
  return {
    error(c, err) {
      if (!(err instanceof DomainError)) return c.json({ message: laravelMessages[500] }, 500);
      const e = explain(err, options.words);
      const status = e.code === "malformed_body" ? 422 : e.status;
      if (status === 422) {
        const errors = Object.keys(e.fields).length > 0 ? e.fields : { body: ["The request body must be a valid JSON object."] };
        return c.json({ message: laravelSummary(errors), errors }, 422);
      }
      const own = options.useOwnMessage?.(status) && !e.details.unrouted;
      const message = own ? e.message : (laravelMessages[status] ?? e.message);
      return c.json({ message }, status as 400);
    },
    fieldErrors: laravelFieldErrors,
  };
}

/**
 * A Laravel error body for `status`, as the envelope renders it, for the documentation:
 * `fields` and their summary on 422, otherwise Laravel's message or the surface's own
 * (`own`, for the statuses where the surface words the error itself).
 */
export function laravelExample(status: number, fields: FieldErrors, own: Partial<Record<number, string>> = {}) {
  return status === 422 ? { message: laravelSummary(fields), errors: fields } : { message: own[status] ?? laravelMessages[status] ?? laravelMessages[500] };
}
