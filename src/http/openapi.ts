import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";

/**
 * Route-definition helpers shared by the surfaces, so every operation declares bodies and
 * error responses the same way.
 */

/** A required JSON request body: a missing body fails validation instead of skipping it. */
export function jsonBody<S extends z.ZodType>(schema: S, example?: unknown) {
  return { content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } }, required: true };
}

/**
 * A required body a Laravel back end reads from JSON or from an HTML form
 * (url-encoded or multipart) alike: the form media types name the same schema component
 * (`component`), and the route's `formAsJson` middleware hands a form to the JSON validation.
 */
export function jsonOrFormBody<S extends z.ZodType>(schema: S, component: string) {
  const sameFields = { schema: { $ref: `#/components/schemas/${component}` } };
  // Typed as the JSON body it is by the time it is validated: the handler reads `valid("json")`.
  return {
    content: { "application/json": { schema }, "application/x-www-form-urlencoded": sameFields, "multipart/form-data": sameFields },
    required: true,
  } as unknown as ReturnType<typeof jsonBody<S>>;
}

/** A JSON response body. */
export function jsonContent<S extends z.ZodType>(schema: S) {
  return { content: { "application/json": { schema } } };
}

/**
 * A surface's error responses: each status with its description, in the surface's error
 * schema (`schemaFor(status)` where one status has its own shape) and with the surface's
 * example of that status (`exampleFor`), so documentation tools show each status's own
 * code and message instead of one built from the shared schema.
 */
export function errorResponses<Status extends number>(
  schemaFor: z.ZodType | ((status: number) => z.ZodType),
  descriptions: Partial<Record<Status, string>>,
  exampleFor: (status: number) => unknown,
) {
  return Object.fromEntries(
    Object.entries<string | undefined>(descriptions).map(([status, description]) => {
      const schema = typeof schemaFor === "function" ? schemaFor(Number(status)) : schemaFor;
      return [status, { description, content: { "application/json": { schema, example: exampleFor(Number(status)) } } }];
    }),
  );
}

/** The error body of `codedEnvelope` (http/envelope.ts), as the OpenAPI component `name`. */
export function codedErrorSchema(name: string, fieldsExample: Record<string, string[]>) {
  return z
    .object({
      code: z.string().openapi({ example: "invalid" }),
      message: z.string().openapi({ example: "Invalid input" }),
      errors: z.record(z.string(), z.array(z.string())).optional().openapi({ example: fieldsExample }),
    })
    .openapi(name);
}

/**
 * The 405 a surface answers when a path of its operations is called with a method that
 * path does not serve: in the surface's error schema (`example`: its body), with `Allow`.
 * Declared once per surface, in its route defaults, so every operation shows it.
 */
export function methodNotAllowedResponse(schema: z.ZodType, example: unknown) {
  return {
    405: {
      description: "This operation's path called with a method it does not serve; `Allow` lists the methods it serves (RFC 9110).",
      headers: { Allow: { description: "The path's methods (HEAD with GET).", schema: { type: "string" as const, example: "GET, HEAD" } } },
      content: { "application/json": { schema, example } },
    },
  };
}

/**
 * A surface's route definer: the defaults every operation of the surface shares (tags,
 * security scheme, auth middleware, the error responses it can always give) are declared
 * once; an operation adds its own (and may override tags, security and middleware, e.g.
 * a public route).
 */
export function defineRoutes(defaults: {
  tags: string[];
  security?: RouteConfig["security"];
  middleware?: MiddlewareHandler<AppEnv>[];
  errors?: RouteConfig["responses"];
}) {
  return <P extends string, R extends Omit<RouteConfig, "path" | "tags"> & { path: P; tags?: string[] }>(config: R) =>
    createRoute({
      tags: defaults.tags,
      security: defaults.security,
      middleware: defaults.middleware,
      ...config,
      responses: { ...defaults.errors, ...config.responses },
    }) as R & { getRoutingPath(): string };
}
