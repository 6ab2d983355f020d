import { DomainError } from "../../core/errors";
import { groupByField, isMissing, type Envelope } from "../../http/envelope";
import { defaultStatus } from "../../http/errors";

const messages: Record<number, string> = {
  400: "Solicitud inválida",
  401: "No autorizado",
  404: "Cliente no encontrado",
  409: "Conflicto",
  413: "La solicitud es demasiado grande",
  415: "Tipo de contenido no soportado",
  422: "Error de validación",
  500: "Error interno del servidor",
  503: "Servicio no disponible",
};

/** Seed 001's system (Spring): `{success:false, code, message, data:null, errors?}`. */
export const clientsEnvelope: Envelope = {
  error(c, err) {
    const status = err instanceof DomainError ? defaultStatus[err.code] : 500;
    const body: Record<string, unknown> = { success: false, code: status, message: messages[status] ?? err.message, data: null };
    if (err instanceof DomainError && Object.keys(err.fields).length > 0) body.errors = err.fields;
    return c.json(body, status as 400);
  },
  fieldErrors: (issues, input) => groupByField(issues, (issue) => (isMissing(issue, input) ? "El campo es obligatorio" : issue.message)),
};
