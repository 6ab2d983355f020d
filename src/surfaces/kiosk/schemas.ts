import { z } from "@hono/zod-openapi";
import { isCalendarDate } from "../../core/time";
import { laravelBoolean, laravelInteger } from "../../http/laravel";

/** An optional text field: trimmed, and absent when null or empty (Laravel's TrimStrings + ConvertEmptyStringsToNull). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => value || undefined);

/** An optional integer under Laravel's `integer` rule (71 or "71"); absent when null. */
const optionalInteger = (min: number, max: number) =>
  laravelInteger(z.int().min(min).max(max))
    .nullish()
    .transform((value) => value ?? undefined);

/** Laravel's `boolean` rule: true, false, 1, 0, "1" or "0", stored as true or false. */
const consent = (description: string) =>
  laravelBoolean().openapi({ type: "boolean", description: `${description} Laravel's boolean rule: true, false, 1, 0, "1" or "0".`, example: true });

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** The calendar date an ISO 8601 date or date-time starts with, if it is a real day from 1900 to today. */
function birthDateOf(value: string): string | null {
  const date = value.slice(0, 10);
  return ISO_DATE_TIME.test(value) && isCalendarDate(date) && date >= "1900-01-01" && Date.parse(date) <= Date.now() ? date : null;
}

const birthDate = z
  .string()
  .trim()
  .nullish()
  .transform((value, ctx) => {
    if (!value) return undefined;
    const date = birthDateOf(value);
    if (date === null) {
      ctx.addIssue({ code: "custom", message: "The fechaNacimiento field must be a valid date." });
      return z.NEVER;
    }
    return date;
  })
  .openapi({
    type: "string",
    description:
      "ISO 8601 date-time (`YYYY-MM-DDTHH:mm:ss.sssZ`, any offset) or date (`YYYY-MM-DD`); a real day from 1900 up to today. " +
      "The calendar date as written is stored (the time of day is not).",
    example: "1995-04-23T13:47:04.200Z",
  });

/** Seed 000's registration body. Field order is the order Laravel reports errors in (the seed's 422 example). */
export const RegisterBody = z
  .object({
    codigoClienteVLT: laravelInteger(z.int().min(1)).openapi({
      type: "integer",
      description: "The VLT system's client number (positive integer; as Laravel's integer rule, a digit string such as \"70\" too).",
      example: 70,
    }),
    correo: z.string().trim().min(1).max(254).pipe(z.email()).openapi({ type: "string", format: "email", example: "cliente70@gmail.com" }),
    tarjeta: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .openapi({ description: "RFID card UID as read (1-64 characters); matched trimmed and case-insensitively.", example: "A0C2BBCA" }),
    enviarWhatsApp: consent("Consent to WhatsApp messages."),
    enviarCorreo: consent("Consent to email."),
    enviarSms: consent("Consent to SMS."),
    tipoDocumento: optionalInteger(0, 99).openapi({
      type: "integer",
      description:
        'SUNAT catalogue code: 1 DNI, 4 CE, 6 RUC, 7 PASAPORTE; any other (e.g. 0) is OTRO. With `dni` but without this, DNI. An integer or a digit string ("1").',
      example: 1,
    }),
    dni: optionalText(20).openapi({ type: "string", description: "Document number (max 20 characters).", example: "74658993" }),
    nombre: optionalText(100).openapi({ type: "string", example: "Brandon" }),
    apellidoPaterno: optionalText(100).openapi({ type: "string", example: "Mamani" }),
    apellidoMaterno: optionalText(100).openapi({ type: "string", example: "Ayala" }),
    fechaNacimiento: birthDate,
    direccion: optionalText(255).openapi({ type: "string", example: "Av. Bolognesi 123" }),
    telefono: optionalText(30).openapi({ type: "string", example: "928570056" }),
    ubigeo: optionalText(10).openapi({ type: "string", example: "230101" }),
    sexo: optionalInteger(0, 9).openapi({
      type: "integer",
      description: "Gender identifier (0-9; an integer or a digit string), stored as a number.",
      example: 1,
    }),
  })
  .openapi("KioskRegistration", {
    example: {
      tipoDocumento: 1,
      dni: "74658993",
      nombre: "Brandon",
      apellidoPaterno: "Mamani",
      apellidoMaterno: "Ayala",
      fechaNacimiento: "1995-04-23T13:47:04.200Z",
      direccion: "Av. Bolognesi 123",
      telefono: "928570056",
      ubigeo: "230101",
      sexo: 1,
      codigoClienteVLT: 70,
      correo: "cliente70@gmail.com",
      enviarWhatsApp: true,
      enviarCorreo: true,
      enviarSms: true,
      tarjeta: "A0C2BBCA",
    },
  });

export const RegisterResult = z
  .object({
    id: z.number().int().openapi({ description: "Identifier of the registered client.", example: 11 }),
    tarjeta: z.string().openapi({ description: "The card identifier sent in the request.", example: "A0C2BBCA" }),
    mensaje: z.enum(["cliente nuevo", "tarjeta agregada al cliente existente", "registro duplicado"]).openapi({ example: "cliente nuevo" }),
    esDuplicado: z.boolean().openapi({ description: "true when the card had already been registered.", example: false }),
  })
  .openapi("KioskRegistrationResult");

export const LobbyAuthenticateBody = z
  .object({
    cardIdentifier: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .openapi({ description: "The card UID the lobby reader returned (the `tarjeta` sent at registration).", example: "A0C2BBCA" }),
  })
  .openapi("LobbyAuthenticate", { example: { cardIdentifier: "A0C2BBCA" } });

export const LobbyClient = z
  .object({
    id: z.number().int().openapi({ example: 11 }),
    nombre: z.string().nullable().openapi({ example: "Brandon" }),
    apellidoPaterno: z.string().nullable().openapi({ example: "Mamani" }),
    apellidoMaterno: z.string().nullable().openapi({ example: "Ayala" }),
    tipoDocumento: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "SUNAT code as at registration (1 DNI, 4 CE, 6 RUC, 7 PASAPORTE, 0 other); null without a document.", example: 1 }),
    dni: z.string().nullable().openapi({ example: "74658993" }),
    codigoClienteVLT: z.number().int().nullable().openapi({ example: 70 }),
    enviarWhatsApp: consent("Consent to WhatsApp messages."),
    enviarCorreo: consent("Consent to email."),
    enviarSms: consent("Consent to SMS."),
    tarjeta: z.string().openapi({ description: "The active card, as stored (trimmed, upper-case).", example: "A0C2BBCA" }),
  })
  .openapi("LobbyClient");
