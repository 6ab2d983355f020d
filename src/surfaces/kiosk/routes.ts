import { VLT_DESTINATION_CACHE_MS } from "../../core/tenants/tenants";
import { defineRoutes, jsonBody, methodNotAllowedResponse } from "../../http/openapi";
import { KioskError, kioskErrors } from "./envelope";
import { limitPerClientIp, requireSecretHeader } from "./handlers";
import { LobbyAuthenticateBody, LobbyClient, RegisterBody, RegisterResult } from "./schemas";

const route = defineRoutes({
  tags: ["Kiosk (VLT)"],
  errors: {
    ...kioskErrors({ 413: "Body larger than MAX_BODY_BYTES.", 415: "Content type is not JSON.", 500: "Internal error." }),
    ...methodNotAllowedResponse(KioskError, { message: "The GET method is not supported for route api/clientes/register. Supported methods: POST." }),
  },
});

export const registerRoute = route({
  method: "post",
  path: "/api/clientes/register",
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
    "with its owner's id, nothing changes. Otherwise the client is matched by `codigoClienteVLT`, else by `dni`: the tenant's customer holding that document number,",
    "whatever surface registered it (when several share it, the oldest active holder, the same rule the sales and loyalty surfaces follow).",
    "No match -> new client + active card, 201 `cliente nuevo`. A match -> 201 `tarjeta agregada al cliente existente`:",
    "the new card becomes the client's active one, the previous active card is marked `replaced`, and the profile fields sent (nombre, apellidos,",
    "fechaNacimiento, direccion, telefono, ubigeo, sexo, correo) overwrite the stored ones while absent, null or empty ones leave them alone.",
    "A client matched by `dni` that comes with a `codigoClienteVLT` it does not have gets that code too: its earlier codes keep finding it, and the newest",
    "is the one the lobby answers with. A document (`tipoDocumento` + `dni`) is only filled in where the client has none.",
    "Consents are stored with the time each was given or withdrawn (a repeated unchanged value keeps its time).",
    "\n\nConflicts -> 422 naming the field, nothing written: `codigoClienteVLT` and `dni` match different clients; the client with this `codigoClienteVLT`",
    "has another document number; the `codigoClienteVLT` belongs to a deactivated client (VLT codes are never reused).",
    "\n\n`tipoDocumento` uses SUNAT's catalogue: 1 DNI, 4 CE, 6 RUC, 7 PASAPORTE, any other code (0-99) OTRO; `dni` without it is a DNI.",
    'Types follow Laravel\'s rules: an integer is a JSON integer or a digit string (`70` or `"70"`), a boolean is true, false, 1, 0, `"1"` or `"0"`;',
    "values are stored as the integer or boolean they mean, anything else is a 422. Unknown fields are ignored; strings are trimmed.",
    "Malformed JSON is a 422 (`errors.body`). Concurrent taps of one card are serialised by its lock: exactly one registers, the others are duplicates;",
    "concurrent registrations of one new person (same dni, different cards) make one client.",
    "503 also when the card's lock cannot be obtained (retry).",
  ].join(" "),
  middleware: [limitPerClientIp],
  request: { body: jsonBody(RegisterBody) },
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
    200: {
      description: "Duplicate registration: the card had been registered before.",
      content: { "application/json": { schema: RegisterResult, example: { id: 11, tarjeta: "A0C2BBCA", mensaje: "registro duplicado", esDuplicado: true } } },
    },
    ...kioskErrors({
      422: "Validation failed (missing or ill-typed fields, malformed JSON), or the keys conflict with the registry.",
      429: "Rate limit exceeded (60 requests per minute per IP).",
      503: "The system has no destination client configured for VLT registrations. Contact support.",
    }),
  },
});

export const lobbyAuthenticateRoute = route({
  method: "post",
  path: "/api/lobby/authenticate",
  summary: "Lobby card authentication",
  description: [
    "A lobby kiosk (`X-Client-Secret` of a kiosk credential) identifies a player by the card it read. 200 with the client when `cardIdentifier`",
    "(trimmed, case-insensitive) is the active RFID card of an active client in the kiosk's tenant. An unknown, replaced or cancelled card, another",
    'tenant\'s card, or a deactivated client\'s card all answer the same 404 (`{"message":"Not Found"}`): the kiosk learns nothing about which.',
    "Missing, wrong or revoked secret, or a partner credential's secret -> 401. The secret and the card are checked in one D1 query.",
    "Limited per credential (LOBBY_RATE_LIMIT per LOBBY_RATE_WINDOW_SECONDS, every authenticated attempt counts) -> 429 with Retry-After;",
    "if the limiter cannot be reached the request is served (fail open, logged). Consents never given render as false.",
    "`codigoClienteVLT` is the newest VLT code the client registered with; `dni` and `tipoDocumento` its document (null without one).",
  ].join(" "),
  security: [{ kioskSecret: [] }],
  middleware: [requireSecretHeader],
  request: { body: jsonBody(LobbyAuthenticateBody, { cardIdentifier: "A0C2BBCA" }) },
  responses: {
    200: {
      description: "The card's client.",
      content: {
        "application/json": {
          schema: LobbyClient,
          example: {
            id: 11,
            nombre: "Brandon",
            apellidoPaterno: "Mamani",
            apellidoMaterno: "Ayala",
            tipoDocumento: 1,
            dni: "74658993",
            codigoClienteVLT: 70,
            enviarWhatsApp: true,
            enviarCorreo: true,
            enviarSms: true,
            tarjeta: "A0C2BBCA",
          },
        },
      },
    },
    ...kioskErrors({
      401: "Missing or wrong X-Client-Secret (`Unauthenticated.`).",
      404: "The card is not an active card of an active client of this tenant (`Not Found`).",
      422: "Missing or ill-typed `cardIdentifier`, or malformed JSON.",
      429: "Too many requests from this kiosk credential.",
    }),
  },
});
