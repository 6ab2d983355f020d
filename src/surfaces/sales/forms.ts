import type { Context } from "hono";
import type { z } from "zod";
import { type FieldErrors, NotFound } from "../../core/errors";
import { type ClientType, type DocumentType, lookupReferences, type SalesClientFields } from "../../core/sales";
import type { AppEnv } from "../../http/app-env";
import { invalid } from "../../http/errors";
import { salesFieldErrors, TAKEN } from "./envelope";
import { CreateClientBody, SaleBody, UpdateClientBody } from "./schemas";

/**
 * Laravel validates a form in one pass: its own rules and the database rules (`exists`,
 * `unique`) together, every failing field listed in rule order. So a body that fails
 * its schema still gets its database rules checked before the 422 is rendered, and the
 * same function serves the validation hook (schema failed) and the handler (schema passed).
 */

export const UNKNOWN_CLIENT = "The selected documento is invalid.";

/** Same-origin relative paths only: "/x", never "//host", "/\host", a scheme, whitespace or control characters (URL parsers strip tabs). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point of this pattern.
const RELATIVE_PATH = /^\/(?![/\\])[^\\\s\x00-\x1f\x7f]*$/;

type Mode = { kind: "create" } | { kind: "update"; documento: string };

export interface ClientForm {
  documento: string;
  fields: SalesClientFields;
  catalogues: { clientType: ClientType; documentType: DocumentType };
  /** Create only: the caller's safe relative redirect, or null. */
  redirectTo: string | null;
}

/** Validates a create or update body against the seed's rules; throws 422 (or 404 for an absent client on update). */
export async function validateClientForm(c: Context<AppEnv>, mode: Mode, raw: unknown): Promise<ClientForm> {
  const schema = mode.kind === "create" ? CreateClientBody : UpdateClientBody;
  const { input, data, fields } = parse(schema, raw);
  const clientTypeId = fieldValue(schema.shape.id_tipo_cliente, input.id_tipo_cliente, fields.id_tipo_cliente);
  const documentTypeId = fieldValue(schema.shape.id_tipo_documento, input.id_tipo_documento, fields.id_tipo_documento);
  const documento = mode.kind === "update" ? mode.documento : fieldValue(CreateClientBody.shape.documento, input.documento, fields.documento);

  const refs = await lookupReferences(c.get("db"), c.get("principal").tenantId, { clientTypeId, documentTypeId, documentNumber: documento });
  if (mode.kind === "update" && refs.customerId === null) throw new NotFound("customer");

  if (clientTypeId !== undefined && !refs.clientType) fields.id_tipo_cliente = ["The selected id_tipo_cliente is invalid."];
  if (documentTypeId !== undefined && !refs.documentType) fields.id_tipo_documento = ["The selected id_tipo_documento is invalid."];
  if (mode.kind === "create" && documento !== undefined && refs.customerId !== null) (fields.documento ??= []).push(TAKEN);
  if (mode.kind === "update" && input.documento !== undefined && (typeof input.documento !== "string" || input.documento.trim() !== mode.documento)) {
    fields.documento = ["The documento field cannot be changed."];
  }
  const redirectTo = mode.kind === "create" && typeof input.redirect_to === "string" ? input.redirect_to : null;
  if (redirectTo !== null && !fields.redirect_to && !RELATIVE_PATH.test(redirectTo)) {
    fields.redirect_to = ["The redirect_to field format is invalid."];
  }
  throwIfAny(fields, schema);

  const body = data as z.output<typeof UpdateClientBody>;
  return {
    documento: documento!,
    fields: {
      name: body.nombre,
      clientTypeId: body.id_tipo_cliente,
      documentTypeId: body.id_tipo_documento,
      address: emptyToNull(body.direccion),
      phone: emptyToNull(body.telefono),
      email: emptyToNull(body.correo),
    },
    catalogues: { clientType: refs.clientType!, documentType: refs.documentType! },
    redirectTo,
  };
}

/** Validates a sale body with its `exists` rule (the client must be an active customer of the tenant); throws the 422. */
export async function validateSaleForm(c: Context<AppEnv>, raw: unknown): Promise<void> {
  const { input, fields } = parse(SaleBody, raw);
  const documento = fieldValue(SaleBody.shape.documento, input.documento, fields.documento);
  const refs = await lookupReferences(c.get("db"), c.get("principal").tenantId, { documentNumber: documento });
  if (documento !== undefined && refs.customerId === null) fields.documento = [UNKNOWN_CLIENT];
  throwIfAny(fields, SaleBody);
}

/**
 * The validation hook of a route whose body goes through `validate`: a failed body is
 * re-validated with its database rules (and the merged 422 thrown from there); other
 * targets (path, query) fail as the envelope says.
 */
export function formHook(validate: (c: Context<AppEnv>, raw: unknown) => Promise<unknown>) {
  return (result: { success: boolean; target: string; error?: { issues: z.core.$ZodIssue[] } }, c: Context<AppEnv>): Promise<never> | undefined => {
    if (result.success) return undefined;
    // The validator passes the raw input along on failure too.
    const raw = (result as { data?: unknown }).data;
    return (async () => {
      if (result.target === "json") await validate(c, raw);
      throw invalid(salesFieldErrors(result.error?.issues ?? [], raw));
    })();
  };
}

/** A body that is not a JSON object is read as an empty form, as Laravel does (every required field is then missing). */
function parse<S extends z.ZodObject>(schema: S, raw: unknown) {
  const input: Record<string, unknown> = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const result = schema.safeParse(input);
  return { input, data: result.data, fields: result.success ? {} : salesFieldErrors(result.error.issues, input) };
}

/** A field's parsed value when it passed its own rules (so its database rule is worth checking). */
function fieldValue<T>(schema: z.ZodType<T>, value: unknown, errors: string[] | undefined): NonNullable<T> | undefined {
  if (errors) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success && parsed.data !== null && parsed.data !== undefined ? parsed.data : undefined;
}

/** Throws the 422 with fields in the schema's (the seed's rule) order. */
function throwIfAny(fields: FieldErrors, schema: z.ZodObject): void {
  if (Object.keys(fields).length === 0) return;
  const order = Object.keys(schema.shape);
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b)));
  throw invalid(sorted);
}

function emptyToNull(value: string | null | undefined): string | null | undefined {
  return value === "" ? null : value;
}
