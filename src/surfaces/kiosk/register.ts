import { createRoute, type RouteHandler, type z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { DomainError } from "../../core/errors";
import {
  cardLockName,
  documentTypeFromKioskCode,
  registerKioskCard,
  type KioskRegistration,
  type RegistrationOutcome,
} from "../../core/kiosk-registration";
import { getVltDestinationCached, VLT_DESTINATION_CACHE_MS } from "../../core/tenants";
import { meteredStub } from "../../durable/stubs";
import type { AppEnv } from "../../http/app-env";
import { clientIp, enforceRateLimitFailOpen } from "../../http/rate-limit";
import { kioskErrors, NO_DESTINATION_MESSAGE } from "./envelope";
import { RegisterBody, RegisterResult } from "./schemas";

/** KIOSK_RATE_LIMIT requests per KIOSK_RATE_WINDOW_SECONDS per client IP, counted before the body is validated. */
const limitPerClientIp: MiddlewareHandler<AppEnv> = async (c, next) => {
  await enforceRateLimitFailOpen(c, {
    key: `kiosk-register:${clientIp(c)}`,
    limit: Number(c.env.KIOSK_RATE_LIMIT),
    windowSeconds: Number(c.env.KIOSK_RATE_WINDOW_SECONDS),
  });
  await next();
};

const example = (id: number, tarjeta: string, mensaje: string, esDuplicado: boolean) => ({
  "application/json": { schema: RegisterResult, example: { id, tarjeta, mensaje, esDuplicado } },
});

export const registerRoute = createRoute({
  method: "post",
  path: "/api/clientes/register",
  tags: ["Kiosk (VLT)"],
  summary: "VLT Client Registration",
  description: [
    "Registers a client and binds an RFID card. Public (no credential); KIOSK_RATE_LIMIT requests per KIOSK_RATE_WINDOW_SECONDS (60 per minute) per client IP",
    "(`CF-Connecting-IP`; `X-Forwarded-For` is ignored),",
    "counted before the body is validated (a body over MAX_BODY_BYTES or not valid UTF-8 is refused first, uncounted), with IETF `RateLimit-Policy` / `RateLimit` headers and `Retry-After` on 429.",
    "If the rate limiter cannot be reached the request is served anyway (fail open, logged): the limit is an abuse brake, a lost tap at a lobby is worse,",
    "and the card lock and D1's unique indexes keep the data correct regardless.",
    "\n\nRegistrations land in the tenant set with `PUT /admin/settings/vlt-destination`; with none, 503. Each Worker isolate reads that setting at most",
    `once per ${VLT_DESTINATION_CACHE_MS / 1000} s (so a repeated tap costs no D1 read): after a change, the isolate that served it follows at once and`,
    `the others within ${VLT_DESTINATION_CACHE_MS / 1000} s, during which registrations may still land in the previous destination (or get 503).`,
    "\n\n`tarjeta` is echoed as sent (trimmed). Outcomes: the card UID (trimmed, case-insensitive) already exists in the tenant in any status (active, replaced, cancelled) -> 200 `registro duplicado`",
    "with its owner's id, nothing changes. Otherwise the client is matched by `codigoClienteVLT`, else by `dni` (the active client with that document number,",
    "whatever surface created it). No match -> new client + active card, 201 `cliente nuevo`. A match -> 201 `tarjeta agregada al cliente existente`:",
    "the new card becomes the client's active one, the previous active card is marked `replaced`, and the profile fields sent (nombre, apellidos,",
    "fechaNacimiento, direccion, telefono, ubigeo, sexo, correo) overwrite the stored ones while absent, null or empty ones leave them alone;",
    "`codigoClienteVLT` is set on a client matched by dni, and a document (`tipoDocumento` + `dni`) is only filled in where the client has none.",
    "Consents are stored with the time each was given or withdrawn (a repeated unchanged value keeps its time).",
    "\n\nConflicts -> 422 naming the field, nothing written: `codigoClienteVLT` and `dni` match different clients; `dni` matches a client that has another",
    "`codigoClienteVLT`; the client with this `codigoClienteVLT` has another document number; the `codigoClienteVLT` belongs to a deactivated client.",
    "\n\n`tipoDocumento` uses SUNAT's catalogue: 1 DNI, 4 CE, 6 RUC, 7 PASAPORTE, any other code (0-99) OTRO; `dni` without it is a DNI.",
    "JSON types are strict (no numeric strings for integers, no 0/1 for booleans); unknown fields are ignored; strings are trimmed.",
    "Malformed JSON is a 422 (`errors.body`). Concurrent taps of one card are serialised by its lock: exactly one registers, the others are duplicates.",
    "503 also when the card's lock cannot be obtained (retry).",
  ].join(" "),
  middleware: [limitPerClientIp] as const,
  request: { body: { content: { "application/json": { schema: RegisterBody } }, required: true } },
  responses: {
    201: {
      description: "New client (`cliente nuevo`), or card added to an existing client (`tarjeta agregada al cliente existente`).",
      content: {
        "application/json": {
          schema: RegisterResult,
          examples: {
            newClient: { summary: "New client", value: { id: 11, tarjeta: "A0C2BBCA", mensaje: "cliente nuevo", esDuplicado: false } },
            cardAdded: {
              summary: "Card added to existing client",
              value: { id: 11, tarjeta: "B1D3CCDB", mensaje: "tarjeta agregada al cliente existente", esDuplicado: false },
            },
          },
        },
      },
    },
    200: { description: "Duplicate registration: the card had been registered before.", content: example(11, "A0C2BBCA", "registro duplicado", true) },
    ...kioskErrors({
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Content type is not JSON.",
      422: "Validation failed (missing or ill-typed fields, malformed JSON), or the keys conflict with the registry.",
      429: "Rate limit exceeded (60 requests per minute per IP).",
      500: "Internal error processing the registration.",
      503: "The system has no destination client configured for VLT registrations. Contact support.",
    }),
  },
});

const answers: Record<RegistrationOutcome, { status: 200 | 201; mensaje: z.infer<typeof RegisterResult>["mensaje"] }> = {
  new_customer: { status: 201, mensaje: "cliente nuevo" },
  card_added: { status: 201, mensaje: "tarjeta agregada al cliente existente" },
  duplicate: { status: 200, mensaje: "registro duplicado" },
};

export const register: RouteHandler<typeof registerRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = await getVltDestinationCached(db);
  if (tenantId === null) throw new DomainError("unavailable", NO_DESTINATION_MESSAGE);
  const lock = meteredStub(c.env.CARD_LOCK, cardLockName(tenantId, body.tarjeta), c.get("meter"));
  const { customerId, outcome } = await registerKioskCard(db, lock, tenantId, toRegistration(body));
  const { status, mensaje } = answers[outcome];
  return c.json({ id: customerId, tarjeta: body.tarjeta, mensaje, esDuplicado: outcome === "duplicate" }, status);
};

function toRegistration(body: z.infer<typeof RegisterBody>): KioskRegistration {
  return {
    vltCode: body.codigoClienteVLT,
    cardUid: body.tarjeta,
    email: body.correo,
    consents: { whatsapp: body.enviarWhatsApp, email: body.enviarCorreo, sms: body.enviarSms },
    document: body.dni === undefined ? undefined : { type: documentTypeFromKioskCode(body.tipoDocumento), number: body.dni },
    name: body.nombre,
    paternalSurname: body.apellidoPaterno,
    maternalSurname: body.apellidoMaterno,
    birthDate: body.fechaNacimiento,
    address: body.direccion,
    phone: body.telefono,
    ubigeo: body.ubigeo,
    sex: body.sexo,
  };
}
