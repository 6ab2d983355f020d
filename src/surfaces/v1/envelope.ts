import { type DomainError, NotConfigured, NotFound, RuleViolation, UnsafeUrl } from "../../core/errors";
import { codedEnvelope, type Envelope, type Wording } from "../../http/envelope";
import { errorResponses } from "../../http/openapi";
import { V1Error } from "./schemas";

const unsafe: Record<UnsafeUrl["reason"], string> = {
  malformed: "Must be an absolute URL.",
  scheme: "Must be https://.",
  credentials: "Must not carry a user name or password.",
  private_address: "Must not be a private, loopback or link-local address.",
  local_host: "Must be a public host name.",
};

/** The core's errors in the ficha API's words. */
function words(err: DomainError): Wording | undefined {
  if (err instanceof NotFound) return { message: err.entity === "event" ? "Event not found" : "Webhook endpoint not found" };
  if (err instanceof UnsafeUrl) return { message: "Invalid input", fields: { url: [unsafe[err.reason]] } };
  if (err instanceof RuleViolation && err.rule === "too_many_webhook_endpoints")
    return { message: "Invalid input", fields: { url: [`A tenant holds at most ${err.detail.limit} webhook endpoints; delete one first.`] } };
  if (err instanceof NotConfigured) return { message: "Webhook signing is not configured on this deployment (WEBHOOK_SECRET_KEY)." };
  return undefined;
}

/**
 * The ficha-native API's plain JSON envelope: successes are bare objects and
 * `{data, next_cursor}` pages; errors are ficha's own `{code, message, errors?}`
 * (codedEnvelope). A body that is not JSON is a 400 `malformed_body`.
 */
export const v1Envelope: Envelope = codedEnvelope(words);

/** The ficha API's error responses, for route definitions. */
export const v1Errors = (descriptions: Partial<Record<400 | 401 | 404 | 413 | 415 | 422 | 503, string>>) =>
  errorResponses(V1Error, descriptions, (status) => errorExamples[status]);

/** The ficha API's error body of each status, for the documentation. */
const errorExamples: Record<number, object> = {
  400: { code: "malformed_body", message: "Malformed request body" },
  401: { code: "unauthenticated", message: "Unauthenticated" },
  404: { code: "not_found", message: "Webhook endpoint not found" },
  413: { code: "payload_too_large", message: "Payload Too Large" },
  415: { code: "unsupported_media_type", message: "Unsupported Media Type" },
  422: { code: "invalid", message: "Invalid input", errors: { url: ["Must be https://."] } },
  503: { code: "unavailable", message: "Webhook signing is not configured on this deployment (WEBHOOK_SECRET_KEY)." },
};
