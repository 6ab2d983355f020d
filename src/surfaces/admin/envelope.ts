import { Busy, type DomainError, NotFound, RuleViolation } from "../../core/errors";
import { codedEnvelope, type Envelope, type Wording } from "../../http/envelope";
import { errorResponses } from "../../http/openapi";
import { AdminError } from "./schemas";

const entities = {
  customer: "Customer",
  transaction: "Transaction",
  tenant: "Tenant",
  credential: "Credential",
  tiers: "Tiers",
  event: "Event",
  webhook_endpoint: "Webhook endpoint",
} as const;

/** The core's errors in the operator API's words. */
function words(err: DomainError): Wording | undefined {
  if (err instanceof NotFound) return { message: `${entities[err.entity]} not found` };
  if (err instanceof RuleViolation && err.rule === "unknown_time_zone") return { message: "Invalid input", fields: { timezone: ["Unknown IANA time zone."] } };
  if (err instanceof RuleViolation && err.rule === "self_merge")
    return { message: "Invalid input", fields: { from: ["A customer cannot be merged into itself."] } };
  if (err instanceof Busy) return { message: "The tenant's ledger kept changing during the rebuild; try again." };
  return undefined;
}

/**
 * The operator API's envelope: ficha's own `{code, message, errors?}` (codedEnvelope),
 * where a body that is not JSON is a bad body like any other: 422 with a field error.
 */
export const adminEnvelope: Envelope = codedEnvelope(words, (e) =>
  e.code === "malformed_body" ? { ...e, code: "invalid", status: 422, message: "Invalid input", fields: { body: ["Must be a JSON object."] } } : e,
);

/** The operator API's error responses, for route definitions. */
export const adminErrors = (descriptions: Partial<Record<401 | 403 | 404 | 413 | 422 | 503, string>>) =>
  errorResponses(AdminError, descriptions, (status) => errorExamples[status]);

/** The operator API's error body of each status, for the documentation. */
const errorExamples: Record<number, object> = {
  401: { code: "unauthenticated", message: "Unauthenticated" },
  403: { code: "forbidden", message: "Missing or wrong CSRF token" },
  404: { code: "not_found", message: "Tenant not found" },
  413: { code: "payload_too_large", message: "Payload Too Large" },
  422: { code: "invalid", message: "Invalid input", errors: { name: ["Required."] } },
  503: { code: "unavailable", message: "The tenant's ledger kept changing during the rebuild; try again." },
};
