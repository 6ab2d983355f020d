import type { Context } from "hono";
import type { z } from "zod";
import { DomainError, type DomainErrorCode, type FieldErrors } from "../core/errors";
import type { AppEnv } from "./app-env";
import { defaultStatus, type InternalError, RequestError } from "./errors";

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

/** How a surface words one of the core's domain errors: its status (else the code's default), message and field errors. */
export interface Wording {
  status?: number;
  message?: string;
  fields?: FieldErrors;
}

/** A surface's wording of the core's errors; undefined leaves one at its defaults. */
export type Words = (err: DomainError) => Wording | undefined;

/** An error as an envelope renders it. */
export interface Explained {
  code: DomainErrorCode;
  status: number;
  message: string;
  fields: FieldErrors;
  /** Facts of the HTTP edge (`retryAfterSeconds`, `unrouted`, `oauthError`). */
  details: Record<string, unknown>;
}

/** Normalises an error for rendering: the edge's own errors as they are, the core's in the surface's words. */
export function explain(err: DomainError, words: Words): Explained {
  if (err instanceof RequestError) return { code: err.code, status: defaultStatus[err.code], message: err.message, fields: err.fields, details: err.details };
  const wording = words(err) ?? {};
  return {
    code: err.code,
    status: wording.status ?? defaultStatus[err.code],
    message: wording.message ?? err.message,
    fields: wording.fields ?? {},
    details: {},
  };
}

/**
 * The error envelope of ficha's own APIs, which no seed defines (the operator API, /v1):
 * `{code, message, errors?}`, `code` being the domain error's code (`invalid`,
 * `not_found`, `unauthenticated` …) and `errors` the messages per field. `adjust` lets
 * one API render a kind of error its own way.
 */
export function codedEnvelope(words: Words, adjust: (e: Explained) => Explained = (e) => e): Envelope {
  return {
    error(c, err) {
      if (!(err instanceof DomainError)) return c.json({ code: "internal", message: "Internal Server Error" }, 500);
      const e = adjust(explain(err, words));
      const body: Record<string, unknown> = { code: e.code, message: e.message };
      if (Object.keys(e.fields).length > 0) body.errors = e.fields;
      return c.json(body, e.status as 400);
    },
    fieldErrors: (issues, input) => groupByField(issues, (issue) => (isMissing(issue, input) ? "Required." : issue.message)),
  };
}
