import { z } from "@hono/zod-openapi";
import { saleKinds } from "../../core/sales";
import { laravelInteger, laravelPageParam } from "../../http/laravel";

/**
 * Seed 004's request and response shapes. Strings are trimmed first and an empty
 * optional string means null, as Laravel's TrimStrings / ConvertEmptyStringsToNull
 * middleware make them before its rules run.
 */

/** A catalogue id: a JSON integer or a string of digits (what an HTML form posts); anything else fails `exists`. */
const catalogueId = (example: number) =>
  z
    .union([
      z.int().positive(),
      z
        .string()
        .regex(/^\d{1,9}$/)
        .transform(Number),
    ])
    .openapi({ type: "integer", example });

const optionalText = (max: number, example: string) => z.string().trim().max(max).nullable().optional().openapi({ example });

const email = z
  .string()
  .trim()
  .refine((value) => value === "" || z.regexes.email.test(value), { message: "The correo field must be a valid email address." })
  .max(150)
  .nullable()
  .optional()
  .openapi({ format: "email", example: "juan.perez@example.com" });

/** Fields shared by create and update, in the seed's rule order (the order errors are listed in). */
const clientFields = {
  nombre: z
    .string()
    .trim()
    .min(1)
    .max(150)
    .openapi({ description: "The whole name: it replaces the surnames other surfaces keep apart.", example: "Juan Pérez" }),
  id_tipo_cliente: catalogueId(1),
  id_tipo_documento: catalogueId(1),
};
const contactFields = {
  direccion: optionalText(200, "Calle 123 #45-67, Bogotá"),
  telefono: optionalText(30, "+57 300 123 4567"),
  correo: email,
};

export const CreateClientBody = z
  .object({
    ...clientFields,
    documento: z.string().trim().min(1).max(40).openapi({ example: "1234567890" }),
    ...contactFields,
    redirect_to: z.string().max(2048).nullable().optional().openapi({
      description:
        "Where the web interface goes after creating. Honoured only as a same-origin relative path (`/…`, not `//…`, no scheme, no backslash or control characters): it is then returned as the `Location` header. Anything else is refused with 422 and nothing is created. Never stored.",
      example: "/ventas/nueva",
    }),
  })
  .openapi("CreateCliente");

export const UpdateClientBody = z
  .object({
    ...clientFields,
    documento: z.unknown().optional().openapi({
      description: "May be omitted or repeat the path's document; any other value is refused (422): the document is the client's key.",
      type: "string",
    }),
    ...contactFields,
  })
  .openapi("UpdateCliente");

export const SaleBody = z
  .object({
    documento: z.string().trim().min(1).max(40).openapi({ description: "Document of an existing client of the tenant.", example: "1234567890" }),
    apartamento: z.string().trim().min(1).max(50).openapi({ example: "Torre 2 - 704" }),
    monto: laravelInteger(z.int().min(1)).openapi({
      type: "integer",
      description: 'Amount in integer cents (Laravel\'s integer rule: `35000` or `"35000"`).',
      example: 35000000000,
    }),
    tipo: z.enum(saleKinds).openapi({ example: "venta" }),
    fecha: z.iso.date().nullable().optional().openapi({ description: "ISO date; defaults to today in the tenant's time zone.", example: "2024-01-15" }),
  })
  .openapi("CreateVenta");

export const DocumentoParam = z.object({
  documento: z.string().openapi({ param: { name: "documento", in: "path" }, description: "Client document number.", example: "1234567890" }),
});

export const PageQuery = z.object({
  page: laravelPageParam("1-based page number (default 1)."),
  per_page: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.int().min(1).max(100))
    .optional()
    .openapi({ param: { name: "per_page", in: "query" }, type: "integer", description: "Items per page, 1 to 100 (default 15).", example: "15" }),
});

const timestamp = z.string().openapi({ description: "ISO 8601 UTC, Laravel's serialisation.", example: "2024-01-15T10:30:00.000000Z" });

export const TipoCliente = z
  .object({
    id_tipo_cliente: z.int().openapi({ example: 1 }),
    nombre: z.string().openapi({ example: "Persona Natural" }),
  })
  .openapi("TipoCliente");

export const TipoDocumento = z
  .object({
    id_tipo_documento: z.int().openapi({ example: 1 }),
    codigo: z.string().openapi({ example: "CC" }),
    nombre: z.string().openapi({ example: "Cédula de Ciudadanía" }),
  })
  .openapi("TipoDocumento");

export const Cliente = z
  .object({
    documento: z.string().openapi({ example: "1234567890" }),
    nombre: z.string().nullable().openapi({
      description: 'Full name or company name: a customer registered with separate surnames (kiosk, parking) reads as one name ("Brandon Mamani Ayala").',
      example: "Juan Pérez",
    }),
    id_tipo_cliente: z.int().nullable().openapi({ example: 1 }),
    id_tipo_documento: z.int().nullable().openapi({ example: 1 }),
    direccion: z.string().nullable().openapi({ example: "Calle 123 #45-67, Bogotá" }),
    telefono: z.string().nullable().openapi({ example: "+57 300 123 4567" }),
    correo: z.string().nullable().openapi({ example: "juan.perez@example.com" }),
    created_at: timestamp,
    updated_at: timestamp,
    tipo_cliente: TipoCliente.nullable().openapi({ description: "Loaded relation; null for a customer registered elsewhere without a client type." }),
    tipo_documento: TipoDocumento.nullable().openapi({ description: "Loaded relation; null when unset." }),
  })
  .openapi("Cliente");

export const Venta = z
  .object({
    id: z.int().openapi({ example: 1 }),
    documento: z.string().openapi({ example: "1234567890" }),
    apartamento: z.string().openapi({ example: "Torre 2 - 704" }),
    monto: z.int().openapi({ description: "Integer cents.", example: 35000000000 }),
    tipo: z.enum(saleKinds),
    fecha: z.string().openapi({ example: "2024-01-15" }),
    created_at: timestamp,
  })
  .openapi("Venta");

const PageLinks = z
  .object({
    first: z.string().openapi({ example: "https://api.example.com/api/sales/clientes?page=1" }),
    last: z.string().openapi({ example: "https://api.example.com/api/sales/clientes?page=4" }),
    prev: z.string().nullable().openapi({ example: null }),
    next: z.string().nullable().openapi({ example: "https://api.example.com/api/sales/clientes?page=2" }),
  })
  .openapi("PageLinks");

const PageMeta = z
  .object({
    current_page: z.int().openapi({ example: 1 }),
    from: z.int().nullable().openapi({ description: "Position of the first item; null on an empty page.", example: 1 }),
    last_page: z.int().openapi({ example: 4 }),
    path: z.string().openapi({ example: "https://api.example.com/api/sales/clientes" }),
    per_page: z.int().openapi({ example: 15 }),
    to: z.int().nullable().openapi({ example: 15 }),
    total: z.int().openapi({ example: 52 }),
  })
  .openapi("PageMeta");

/** Laravel's paginated resource collection `{data, links, meta}`. */
export const paginated = <T extends z.ZodType>(item: T, name: string) => z.object({ data: z.array(item), links: PageLinks, meta: PageMeta }).openapi(name);

/** Laravel's resource wrapper `{data}`. */
export const wrapped = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

export const SalesError = z
  .object({
    message: z.string().openapi({ example: "The documento has already been taken." }),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .openapi({ example: { documento: ["The documento has already been taken."] } }),
  })
  .openapi("SalesError");
