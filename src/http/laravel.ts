import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { DomainError, type FieldErrors } from "../core/errors";
import type { AppEnv } from "./app-env";
import { type Envelope, explain, groupByField, isMissing, type Words } from "./envelope";
import { RequestError } from "./errors";

/** What PHP's FILTER_VALIDATE_INT reads as an integer: optional spaces and sign, no leading zeros. */
const PHP_INTEGER = /^\s*[+-]?(0|[1-9]\d*)\s*$/;

/**
 * Laravel's `integer` rule: a JSON integer, or a string PHP reads as one ("71"), which
 * reaches `schema` (and storage) as the number. Anything else reaches `schema` as sent and
 * fails there ("must be an integer").
 */
export function laravelInteger<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (typeof value === "string" && PHP_INTEGER.test(value) ? Number(value) : value), schema);
}

/** The values Laravel's `boolean` rule accepts besides true and false, and what they mean. */
const laravelBooleans = new Map<unknown, boolean>([
  [1, true],
  [0, false],
  ["1", true],
  ["0", false],
]);

/** Laravel's `boolean` rule: true, false, 1, 0, "1" and "0", stored as true or false; anything else fails. */
export const laravelBoolean = () => z.preprocess((value) => laravelBooleans.get(value) ?? value, z.boolean());

const FORM = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/**
 * Laravel reads an HTML form's fields as it reads a JSON body's, through the same rules
 * and messages. This route middleware turns a url-encoded or multipart body into the JSON
 * object PHP would build from it, so the route's JSON validation serves both: a repeated
 * field keeps its last value, `a[]` fields make a list and `a[k]` an object (one level), and
 * an uploaded file is no text (`{}`: the string rules refuse it).
 */
export const formAsJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (FORM.test(c.req.header("content-type") ?? "")) {
    let form: FormData;
    try {
      // Through Hono's body cache: the surface's UTF-8 check has read the body already.
      form = await c.req.formData();
    } catch {
      throw new RequestError("malformed_body", "Malformed request body");
    }
    const fields: Record<string, unknown> = {};
    form.forEach((entry, key) => {
      const value = typeof entry === "string" ? entry : {};
      const open = key.indexOf("[");
      if (open <= 0 || !key.endsWith("]")) {
        fields[key] = value;
        return;
      }
      const name = key.slice(0, open);
      const inner = key.slice(open + 1, -1);
      if (inner === "") {
        const list = Array.isArray(fields[name]) ? (fields[name] as unknown[]) : [];
        fields[name] = [...list, value];
      } else {
        const object = typeof fields[name] === "object" && fields[name] !== null && !Array.isArray(fields[name]) ? fields[name] : {};
        fields[name] = { ...(object as object), [inner]: value };
      }
    });
    const headers = new Headers(c.req.raw.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: JSON.stringify(fields) });
    // The cache holds the form as sent; the route's JSON validation reads the new body.
    c.req.bodyCache = {};
  }
  await next();
};

/** Pages above this are served as page 1, like what PHP cannot read as an integer. */
export const MAX_PAGE = 1_000_000_000;

/**
 * Laravel's paginator reads `page` leniently: an integer of at least 1 (as PHP's
 * FILTER_VALIDATE_INT reads it) is that page; anything else (absent, 0, negative, a
 * fraction, a word, a list) is page 1, never an error.
 */
export function laravelPage(value: unknown): number {
  const page = typeof value === "string" && PHP_INTEGER.test(value) ? Number(value) : Number.NaN;
  return page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** A `page` query parameter as Laravel's paginator reads it (see `laravelPage`). */
export const laravelPageParam = (description: string) =>
  z
    .unknown()
    .optional()
    .transform(laravelPage)
    .openapi({
      param: { name: "page", in: "query" },
      type: "integer",
      default: 1,
      example: 1,
      description: `${description} Read as Laravel's paginator reads it: 0, a negative or an unparsable value (or one above ${MAX_PAGE}) serves page 1.`,
    });

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
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Attempts.",
  500: "Server Error",
  503: "Service Unavailable",
};

/** Laravel's router's 405 sentence: "The GET method is not supported for route api/x. Supported methods: POST." */
function methodNotSupported(details: Record<string, unknown>): string {
  const route = String(details.path).replace(/^\/+/, "");
  return `The ${details.method} method is not supported for route ${route}. Supported methods: ${(details.allow as string[]).join(", ")}.`;
}

/**
 * The envelope of a Laravel API: `{message, errors:{field:[msg]}}` on 422 (a body that
 * is not JSON is a 422 too, never a 500), `{message}` otherwise with Laravel's message for
 * the status (a 405 with its router's sentence naming the supported methods), or the error's own where the surface passes `useOwnMessage` (an unrouted
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
      if (e.code === "method_not_allowed") return c.json({ message: methodNotSupported(e.details) }, 405);
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
