import type { Context } from "hono";
import type { z } from "zod";
import type { DomainError, FieldErrors } from "../core/errors";
import type { InternalError } from "./errors";
import type { AppEnv } from "./app-env";

/**
 * How one surface renders its errors. Every failure of a surface's routes (validation,
 * auth, not found, body limits, internal errors) goes through its envelope, so a caller
 * only ever sees the shapes of the contract it was written against.
 */
export interface Envelope {
  /** Renders a domain or internal error with this surface's status and body. */
  error(c: Context<AppEnv>, err: DomainError | InternalError): Response;
  /** Turns schema violations of `input` into this surface's per-field messages. */
  fieldErrors(issues: readonly z.core.$ZodIssue[], input: unknown): FieldErrors;
}

/** The dotted path of an issue (`customer.externalId`, `tags.0.code`). */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join(".");
}

/** The value an issue is about, read from the raw input along the issue's path. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * True when the issue is about a value that is absent or null where one was required
 * (a type, enum or union mismatch on nothing).
 */
export function isMissing(issue: z.core.$ZodIssue, input: unknown): boolean {
  if (issue.code !== "invalid_type" && issue.code !== "invalid_value" && issue.code !== "invalid_union") return false;
  const value = valueAt(input, issue.path);
  return value === undefined || value === null;
}

/** Groups messages by field, keeping each field's first-seen order. */
export function groupByField(issues: readonly z.core.$ZodIssue[], message: (issue: z.core.$ZodIssue, field: string) => string): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const field = issuePath(issue) || "body";
    (fields[field] ??= []).push(message(issue, field));
  }
  return fields;
}
