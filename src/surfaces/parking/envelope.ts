import { z } from "@hono/zod-openapi";
import { Busy, DomainError, IdentifierConflict, IdentifierMismatch, NotFound, RuleViolation, TagActive } from "../../core/errors";
import { type Envelope, explain, groupByField, isMissing, type Wording } from "../../http/envelope";
import { errorResponses } from "../../http/openapi";

/** NestJS's `error` names per status. */
const reasons: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  503: "Service Unavailable",
};

/** The core's errors in this contract's words (the seed's own 409 sentence, typo included). */
function words(err: DomainError): Wording | undefined {
  if (err instanceof TagActive) return { message: `User with ID ${err.holderId} sticket active` };
  if (err instanceof IdentifierConflict) return { message: `User with refId ${err.detail.value ?? ""} already exists` };
  if (err instanceof IdentifierMismatch) return { status: 400, message: `Customer with ID ${err.detail.customerId} does not have refId ${err.detail.value}` };
  if (err instanceof RuleViolation && err.rule === "one_tag_only") {
    return { status: 400, fields: { tags: [`tags must contain no more than ${err.detail.limit ?? 1} elements unless isUnlimited is true`] } };
  }
  if (err instanceof NotFound) return { message: "Customer not found" };
  if (err instanceof Busy) return { message: "The tag is busy; retry later" };
  return undefined;
}

/**
 * Seed 002's system is NestJS: errors are `{statusCode, message, error}`, 401 is
 * `{statusCode:401, message:"Unauthorized"}` and a 500 is `{statusCode:500,
 * message:"Internal server error"}` (no `error`), as NestJS renders them. Bad bodies are
 * 400 with ValidationPipe's `message: [..]` (class-validator sentences, nested fields
 * dotted: "tags.0.code should not be empty"); a body that is not JSON is a 400 too.
 */
export const parkingEnvelope: Envelope = {
  error(c, err) {
    if (!(err instanceof DomainError)) return c.json({ statusCode: 500, message: "Internal server error" }, 500);
    const e = explain(err, words);
    const status = e.code === "invalid" ? 400 : e.status;
    if (status === 401) return c.json({ statusCode: 401, message: "Unauthorized" }, 401);
    const fieldMessages = Object.values(e.fields).flat();
    const message = fieldMessages.length > 0 ? fieldMessages : e.message;
    return c.json({ statusCode: status, message, error: reasons[status] ?? "Error" }, status as 400);
  },
  fieldErrors: (issues, input) =>
    groupByField(issues, (issue, field) => (isMissing(issue, input) ? `${field} should not be empty` : validatorMessage(issue, field))),
};

/** class-validator's wording for a schema violation. */
function validatorMessage(issue: z.core.$ZodIssue, field: string): string {
  switch (issue.code) {
    case "invalid_type":
      switch (issue.expected) {
        case "string":
          return `${field} must be a string`;
        case "boolean":
          return `${field} must be a boolean value`;
        case "int":
        case "number":
          return `${field} must be an integer number`;
        case "array":
          return `${field} must be an array`;
        default:
          return `${field} must be an object`;
      }
    case "too_big":
      return issue.origin === "string"
        ? `${field} must be shorter than or equal to ${issue.maximum} characters`
        : issue.origin === "array"
          ? `${field} must contain no more than ${issue.maximum} elements`
          : `${field} must not be greater than ${issue.maximum}`;
    case "too_small":
      return issue.origin === "string"
        ? `${field} should not be empty`
        : issue.origin === "array"
          ? `${field} must contain at least ${issue.minimum} elements`
          : `${field} must be a positive number`;
    case "invalid_format":
      return issue.format === "email" ? `${field} must be an email` : `${field} is invalid`;
    default:
      return `${field} ${issue.message}`;
  }
}

export const ParkingError = z
  .object({
    statusCode: z.number().int().openapi({ example: 409 }),
    message: z.union([z.string(), z.array(z.string())]).openapi({ example: "User with ID 1 sticket active" }),
    error: z.string().optional().openapi({ example: "Conflict" }),
  })
  .openapi("ParkingError");

const errorExamples: Record<number, object> = {
  400: { statusCode: 400, message: ["refId should not be empty", "tags.0.code should not be empty"], error: "Bad Request" },
  401: { statusCode: 401, message: "Unauthorized" },
  404: { statusCode: 404, message: "Customer not found", error: "Not Found" },
  409: { statusCode: 409, message: "User with ID 1 sticket active", error: "Conflict" },
  413: { statusCode: 413, message: "Payload Too Large", error: "Payload Too Large" },
  415: { statusCode: 415, message: "Unsupported Media Type", error: "Unsupported Media Type" },
  503: { statusCode: 503, message: "The tag is busy; retry later", error: "Service Unavailable" },
};

/** The seed's error responses, for route definitions. */
export const parkingErrors = (descriptions: Partial<Record<400 | 401 | 404 | 409 | 413 | 415 | 503, string>>) =>
  errorResponses(ParkingError, descriptions, (status) => errorExamples[status]);
