import { z } from "@hono/zod-openapi";
import { DomainError, type DomainErrorCode, IdentifierConflict, NotFound } from "../../core/errors";
import { type Envelope, explain, groupByField, valueAt, type Wording } from "../../http/envelope";
import { errorResponses } from "../../http/openapi";

/** The message of each failure whose text does not come from this surface's own code. */
const messages: Partial<Record<DomainErrorCode, string>> = {
  invalid: "Error de validación",
  malformed_body: "El cuerpo de la solicitud no es un JSON válido",
  unauthenticated: "No autorizado: token ausente, inválido o expirado",
  forbidden: "No tienes permisos para acceder a este recurso",
  payload_too_large: "La solicitud es demasiado grande",
  unsupported_media_type: "Tipo de contenido no soportado: use application/json",
  rate_limited: "Demasiadas solicitudes",
  unavailable: "Servicio no disponible",
  method_not_allowed: "Método no permitido",
};

/** The core's errors in this contract's words: a missing client, and the one key this contract keeps unique. */
function words(err: DomainError): Wording | undefined {
  if (err instanceof NotFound) return { message: "Cliente no encontrado" };
  if (err instanceof IdentifierConflict && err.kind === "client_code") return { message: "Ya existe un cliente con ese codigoCliente" };
  return undefined;
}

/**
 * Seed 001's system (Spring, `TransactionResponse`): `{success:false, code, message,
 * data:null}` with the HTTP status in `code`, plus `errors` (field -> messages) on 422.
 * Messages are Spanish: this surface's own (400 parameter format, 409 duplicates, 404 for
 * a client) pass through; a path no route serves is "Recurso no encontrado".
 */
export const clientsEnvelope: Envelope = {
  error(c, err) {
    if (!(err instanceof DomainError)) return c.json({ success: false, code: 500, message: "Error interno del servidor", data: null }, 500);
    const e = explain(err, words);
    const message =
      e.code === "rejected" || e.code === "conflict" || (e.code === "not_found" && !e.details.unrouted)
        ? e.message
        : e.code === "not_found"
          ? "Recurso no encontrado"
          : (messages[e.code] ?? e.message);
    const body: Record<string, unknown> = { success: false, code: e.status, message, data: null };
    if (e.status === 422) body.errors = e.fields;
    if (e.status === 401) c.header("WWW-Authenticate", 'Bearer realm="ficha"');
    return c.json(body, e.status as 400);
  },
  // An absent or null field is "obligatorio" whatever rule it failed (an enum reports a missing value as a bad one).
  fieldErrors: (issues, input) =>
    groupByField(issues, (issue) =>
      issue.path.length === 0 ? "El cuerpo debe ser un objeto JSON" : valueAt(input, issue.path) == null ? "El campo es obligatorio" : issue.message,
    ),
};

export const ClientesError = z
  .object({
    success: z.literal(false),
    code: z.number().int().openapi({ description: "The HTTP status.", example: 404 }),
    message: z.string().openapi({ example: "Cliente no encontrado" }),
    data: z.null(),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .openapi({ description: "Only on 422: messages per request field.", example: { nombre: ["El campo es obligatorio"] } }),
  })
  .openapi("ClientesError");

/** Error responses in this surface's envelope, for route definitions. */
export const clientsErrors = (descriptions: Partial<Record<400 | 401 | 404 | 409 | 413 | 415 | 422, string>>) =>
  errorResponses(ClientesError, descriptions, errorExample);

/** The message of each status this surface documents, as its handlers and envelope word it. */
const exampleMessages: Record<number, string> = {
  400: "El parámetro 'id' no tiene un formato válido",
  401: messages.unauthenticated!,
  404: "Cliente no encontrado",
  409: "Ya existe un cliente con ese codigoCliente",
  413: messages.payload_too_large!,
  415: messages.unsupported_media_type!,
  422: messages.invalid!,
};

/** Seed 001's error body for `status`, for the documentation. */
function errorExample(status: number) {
  return {
    success: false,
    code: status,
    message: exampleMessages[status],
    data: null,
    ...(status === 422 ? { errors: { nombre: ["El campo es obligatorio"] } } : {}),
  };
}
