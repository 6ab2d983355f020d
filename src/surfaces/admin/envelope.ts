import { DomainError } from "../../core/errors";
import { groupByField, isMissing, type Envelope } from "../../http/envelope";
import { defaultStatus } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { AdminError } from "./schemas";

/**
 * The operator API's own envelope (no seed): `{code, message, errors?}` where `code` is
 * the domain error code (`invalid`, `not_found`, `unauthenticated` …).
 */
export const adminEnvelope: Envelope = {
  error(c, err) {
    if (!(err instanceof DomainError)) return c.json({ code: "internal", message: "Internal Server Error" }, 500);
    // A body that is not JSON is a bad body like any other: 422 with a field error.
    if (err.code === "malformed_body") return c.json({ code: "invalid", message: "Invalid input", errors: { body: ["Must be a JSON object."] } }, 422);
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    if (Object.keys(err.fields).length > 0) body.errors = err.fields;
    return c.json(body, defaultStatus[err.code] as 400);
  },
  fieldErrors: (issues, input) => groupByField(issues, (issue) => (isMissing(issue, input) ? "Required." : issue.message)),
};

/** The operator API's error responses, for route definitions. */
export const adminErrors = (descriptions: Partial<Record<401 | 404 | 413 | 422 | 503, string>>) => errorResponses(AdminError, descriptions);
