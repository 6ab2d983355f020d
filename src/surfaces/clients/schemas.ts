import { z } from "@hono/zod-openapi";

/**
 * Page sizes above this are served as pages of this size (the response's `size` says so):
 * Spring Data's default `max-page-size`, far above what partners page with, so a partner
 * that stops on a short page never stops early.
 */
export const MAX_PAGE_SIZE = 2000;

export const clientTypes = ["PERSONA", "EMPRESA", "OTRO"] as const;
export type ClientType = (typeof clientTypes)[number];

/** The contract's four document types; the registry's others (CC, NIT, PASAPORTE from sales) read as OTRO. */
export const clientDocumentTypes = ["RUC", "DNI", "CE", "OTRO"] as const;
export type ClientDocumentType = (typeof clientDocumentTypes)[number];

const REQUIRED = "El campo es obligatorio";
const NOT_TEXT = "Debe ser un texto";
const tooLong = (max: number) => `Debe tener como máximo ${max} caracteres`;
const badParameter = (name: string) => `El parámetro '${name}' no tiene un formato válido`;

/** Why `number` is not a valid document number of `type` (null when it is). */
export function documentNumberProblem(type: ClientDocumentType, number: string): string | null {
  switch (type) {
    case "RUC":
      return /^\d{11}$/.test(number) ? null : "El RUC debe tener exactamente 11 dígitos";
    case "DNI":
      return /^\d{8}$/.test(number) ? null : "El DNI debe tener exactamente 8 dígitos";
    case "CE":
      return /^[A-Za-z0-9]{9,12}$/.test(number) ? null : "El CE debe tener entre 9 y 12 caracteres alfanuméricos";
    case "OTRO":
      return number.length >= 1 && number.length <= 20 ? null : "El documento debe tener entre 1 y 20 caracteres";
  }
}

/** How a stored document type reads in this contract: its own four values, anything else as the catch-all OTRO. */
export function clientDocumentType(stored: string | null): ClientDocumentType | null {
  if (stored === null) return null;
  return (clientDocumentTypes as readonly string[]).includes(stored) ? (stored as ClientDocumentType) : "OTRO";
}

/** A required string: trimmed, not blank, at most `max` characters. */
const requiredText = (max: number, example: string) =>
  z
    .string({ error: NOT_TEXT })
    .trim()
    .min(1, { error: REQUIRED })
    .max(max, { error: tooLong(max) })
    .openapi({ maxLength: max, example });

/** Back-office forms send "" for an empty input: a blank optional field is stored as null. */
const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/** An optional string: trimmed, at most `max` characters; null or blank clears it. */
const optionalText = (max: number, example: string) =>
  z
    .preprocess(
      blankToNull,
      z
        .string({ error: NOT_TEXT })
        .trim()
        .max(max, { error: tooLong(max) })
        .nullable(),
    )
    .optional()
    .openapi({ type: ["string", "null"], maxLength: max, example });

const fields = {
  nombre: requiredText(150, "Empresa Telecom SAC").openapi({
    description: "Nombre completo o razón social. Es el nombre entero: reemplaza los apellidos que otras superficies guardan aparte.",
  }),
  tipoCliente: z.enum(clientTypes, { error: `Debe ser uno de: ${clientTypes.join(", ")}` }).openapi({ example: "EMPRESA" }),
  tipoDocumento: z.enum(clientDocumentTypes, { error: `Debe ser uno de: ${clientDocumentTypes.join(", ")}` }).openapi({ example: "RUC" }),
  numeroDocumento: requiredText(20, "20512345678").openapi({
    description:
      "RUC: 11 dígitos; DNI: 8 dígitos; CE: 9 a 12 caracteres alfanuméricos; OTRO: 1 a 20 caracteres. Varios clientes pueden compartirlo (una empresa con varias sedes).",
  }),
  codigoCliente: requiredText(50, "CLI042").openapi({ description: "Código interno, único entre los clientes activos del tenant." }),
  direccion: optionalText(200, "Av. Principal 123, Lima"),
  telefono: optionalText(20, "999888777"),
  email: z
    .preprocess(
      blankToNull,
      z
        .string({ error: NOT_TEXT })
        .trim()
        .max(100, { error: tooLong(100) })
        .email({ error: "Debe ser un correo electrónico válido" })
        .nullable(),
    )
    .optional()
    .openapi({ type: ["string", "null"], format: "email", maxLength: 100, example: "contacto@telecomsac.pe" }),
  contactoRepresentante: optionalText(150, "Carlos Mendoza").openapi({ description: "Recomendado para clientes EMPRESA." }),
};

/** The number must fit its type; checked once both fields are otherwise valid, so every error is reported at once. */
function checkDocumentPair(value: { tipoDocumento?: ClientDocumentType; numeroDocumento?: string }, ctx: z.RefinementCtx) {
  if (value.tipoDocumento === undefined || value.numeroDocumento === undefined) return;
  const problem = documentNumberProblem(value.tipoDocumento, value.numeroDocumento);
  if (problem) ctx.addIssue({ code: "custom", path: ["numeroDocumento"], message: problem });
}
const pairParsed = {
  when: (payload: z.core.ParsePayload) => !payload.issues.some((i) => !i.path?.length || i.path[0] === "tipoDocumento" || i.path[0] === "numeroDocumento"),
};

const seedExample = {
  nombre: "Empresa Telecom SAC",
  tipoCliente: "EMPRESA",
  tipoDocumento: "RUC",
  numeroDocumento: "20512345678",
  codigoCliente: "CLI042",
  direccion: "Av. Principal 123, Lima",
  telefono: "999888777",
  email: "contacto@telecomsac.pe",
  contactoRepresentante: "Carlos Mendoza",
} as const;

export const ClienteRequest = z.object(fields).superRefine(checkDocumentPair, pairParsed).openapi("ClienteRequest", { example: seedExample });

export const ClienteUpdateRequest = z
  .object({
    ...fields,
    nombre: fields.nombre.optional(),
    tipoCliente: fields.tipoCliente.optional(),
    tipoDocumento: fields.tipoDocumento.optional(),
    numeroDocumento: fields.numeroDocumento.optional(),
    codigoCliente: fields.codigoCliente.optional(),
  })
  .superRefine(checkDocumentPair, pairParsed)
  .openapi("ClienteUpdateRequest", { example: { telefono: "987654321", email: "nuevo@telecomsac.pe" } });

const nullableText = (example: string) => z.string().nullable().openapi({ example });

export const ClienteResponse = z
  .object({
    id: z.number().int().openapi({ example: 42 }),
    tipoCliente: z.enum(clientTypes).nullable().openapi({ example: "EMPRESA" }),
    nombre: nullableText("Empresa Telecom SAC").openapi({
      description: 'Full name or company name: a customer registered with separate surnames (kiosk, parking) reads as one name ("Brandon Mamani Ayala").',
    }),
    tipoDocumento: z.enum(clientDocumentTypes).nullable().openapi({ example: "RUC" }),
    codigoCliente: nullableText("CLI042"),
    numeroDocumento: nullableText("20512345678"),
    direccion: nullableText("Av. Principal 123, Lima"),
    telefono: nullableText("999888777"),
    email: nullableText("contacto@telecomsac.pe"),
    contactoRepresentante: nullableText("Carlos Mendoza"),
  })
  .openapi("ClienteResponse", {
    description:
      "Clients registered through other surfaces (kiosk, parking, loyalty, sales) appear too, with the fields they lack as null; " +
      "a document type this contract has no value for (CC, NIT, PASAPORTE from sales) reads as OTRO.",
  });

export const ClientePage = z
  .object({
    content: z.array(ClienteResponse),
    totalElements: z.number().int().openapi({ description: "Active clients of the tenant.", example: 1 }),
    totalPages: z.number().int().openapi({ example: 1 }),
    number: z.number().int().openapi({ description: "This page's zero-based index.", example: 0 }),
    size: z
      .number()
      .int()
      .openapi({ description: `Page size used (requested size, at most ${MAX_PAGE_SIZE}).`, example: 20 }),
    first: z.boolean().openapi({ example: true }),
    last: z.boolean().openapi({ example: true }),
    numberOfElements: z.number().int().openapi({ description: "Clients in `content`.", example: 1 }),
    empty: z.boolean().openapi({ example: false }),
  })
  .openapi("ClientePage");

export const ClienteDeleted = z
  .object({
    success: z.literal(true),
    code: z.literal(200),
    message: z.literal("Cliente eliminado correctamente"),
    data: z.null(),
  })
  .openapi("ClienteDeleted");

export const IdParam = z.object({
  id: z
    .string()
    .regex(/^\d+$/, { error: badParameter("id") })
    .transform(Number)
    .openapi({ param: { name: "id", in: "path" }, description: "The client's numeric id (digits only).", pattern: "^\\d+$", example: "42" }),
});

/**
 * A Spring `int` request parameter: absent or empty takes the default, anything but an
 * integer is a format error, and below `min` is refused like Spring's PageRequest does.
 */
const intParam = (name: string, min: number, fallback: number, description: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === "" ? String(fallback) : value))
    .pipe(
      z
        .string()
        .regex(/^[+-]?\d{1,10}$/, { error: badParameter(name) })
        .transform(Number)
        .pipe(
          z
            .number()
            .max(2147483647, { error: badParameter(name) })
            .min(min, { error: `La petición contiene parámetros inválidos: '${name}' debe ser mayor o igual a ${min}` }),
        ),
    )
    .openapi({ param: { name, in: "query" }, type: "integer", minimum: min, default: fallback, description });

export const PageQuery = z.object({
  page: intParam("page", 0, 0, "Zero-based page index."),
  size: intParam("size", 1, 20, `Records per page; sizes above ${MAX_PAGE_SIZE} are served as ${MAX_PAGE_SIZE}.`),
});
