import { DomainError } from "../../core/errors";
import { groupByField, isMissing, type Envelope } from "../../http/envelope";
import { defaultStatus } from "../../http/errors";

const reasons: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Seed 002's system (NestJS): `{statusCode, message, error}`; 401 is `{statusCode, message:"Unauthorized"}`. */
export const parkingEnvelope: Envelope = {
  error(c, err) {
    const status = err instanceof DomainError ? defaultStatus[err.code] : 500;
    if (status === 401) return c.json({ statusCode: 401, message: "Unauthorized" }, 401);
    const fieldMessages = err instanceof DomainError ? Object.values(err.fields).flat() : [];
    const message = fieldMessages.length > 0 ? fieldMessages : status === 500 ? "Internal server error" : err.message;
    return c.json({ statusCode: status, message, error: reasons[status] ?? "Error" }, status as 400);
  },
  fieldErrors: (issues, input) =>
    groupByField(issues, (issue, field) => (isMissing(issue, input) ? `${field} should not be empty` : `${field}: ${issue.message}`)),
};
