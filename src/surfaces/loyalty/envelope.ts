import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CustomerInactive, DomainError, Overdraft, type Party, RuleViolation } from "../../core/errors";
import type { AppEnv } from "../../http/app-env";
import { type Envelope, explain, type Wording } from "../../http/envelope";
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

/** The request field that names a party's customer. */
const partyField: Record<Party, string> = { customer: "customer.externalId", sender: "customerFrom.externalId", receiver: "customerTo.externalId" };

/** The item of a reversal request an error is about: `code`, or `codes.N` of a list. */
const itemField = (err: RuleViolation | Overdraft) =>
  err.detail.listed ? ("index" in err.detail && err.detail.index !== undefined ? `codes.${err.detail.index}` : "codes") : "code";

const ruleMessages: Partial<Record<RuleViolation["rule"], [field: (err: RuleViolation) => string, message: (err: RuleViolation) => string]>> = {
  unknown_ledger_type: [() => "type", () => "The selected type is invalid."],
  not_reversible: [() => "type", () => "Transactions of this type cannot be reversed."],
  code_reused: [() => "code", () => "The code was already used by a different transaction of this type."],
  listed_twice: [itemField, () => "The code is listed twice."],
  unknown_transaction: [itemField, () => "The transaction does not exist."],
  already_reversed: [itemField, () => "The transaction has already been reversed."],
  same_party: [() => "customerTo.externalId", () => "The sender and the receiver must be different customers."],
  too_many_rows: [() => "endDate", (err) => `The report holds more than ${err.detail.limit} rows; ask for a shorter date range.`],
};

/** The core's errors in this contract's words: each 422 names the request field it is about. */
function words(err: DomainError): Wording | undefined {
  if (err instanceof RuleViolation) {
    const wording = ruleMessages[err.rule];
    return wording && { fields: { [wording[0](err)]: [wording[1](err)] } };
  }
  if (err instanceof Overdraft) {
    switch (err.operation) {
      case "transaction":
        return { fields: { total: ["The customer's balance does not cover this amount."] } };
      case "checkbook":
      case "voucher":
        return { fields: { earnedRedeemed: ["The customer's balance does not cover this amount."] } };
      case "transfer":
        return { fields: { total: ["The sender's balance does not cover this amount."] } };
      case "reversal":
        return { fields: { [itemField(err)]: ["The customer's balance no longer holds the points to take back."] } };
    }
  }
  if (err instanceof CustomerInactive) return { fields: { [partyField[err.party]]: ["The customer is inactive."] } };
  return undefined;
}

/**
 * Seed 003's envelope `{code, status, message, data, warning, error}`. Successes carry
 * `code` as a string ("200"), errors as a number (422), as the seed shows. A validation
 * error names its first failing field in `warning` ({code:"null", field, value}).
 */
export const loyaltyEnvelope: Envelope = {
  error(c, err) {
    const e = err instanceof DomainError ? explain(err, words) : null;
    const status = e ? (e.code === "malformed_body" ? 422 : e.status) : 500;
    let warning: unknown = [];
    if (e && status === 422) {
      const [field = "body", [value = "The request body is not valid JSON."] = []] = Object.entries(e.fields)[0] ?? [];
      warning = { code: "null", field, value };
    }
    const error = e && typeof e.details.oauthError === "string" ? [e.details.oauthError] : [];
    const message = status === 400 && e ? e.message : (messages[status] ?? e?.message ?? messages[500]);
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
  errorResponses(LoyaltyError, descriptions, errorExample);

/**
 * Seed 003's error body for `status`, for the documentation: a 422 names its first failing
 * field in `warning`; a 400 is an OAuth2 token request refused, with its RFC 6749 code in `error`.
 */
function errorExample(status: number) {
  return {
    code: status,
    status: "error",
    message: status === 400 ? "The authorization grant type is not supported by the authorization server." : messages[status],
    warning: status === 422 ? { code: "null", field: "customer.externalId", value: "The customer.externalId field is required." } : [],
    error: status === 400 ? ["unsupported_grant_type"] : [],
  };
}
