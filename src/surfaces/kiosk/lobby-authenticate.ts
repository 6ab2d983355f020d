import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { notFound, unauthenticated } from "../../core/errors";
import { findLobbyCard } from "../../core/kiosk-lobby";
import { kioskCodeOfDocumentType } from "../../core/kiosk-registration";
import type { AppEnv } from "../../http/app-env";
import { enforceRateLimitFailOpen } from "../../http/rate-limit";
import { kioskErrors } from "./envelope";
import { LobbyAuthenticateBody, LobbyClient } from "./schemas";

/** No secret at all is refused before the body is validated (a wrong one needs the lookup, done with the card's in one query). */
const requireSecretHeader: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.req.header("x-client-secret")) throw unauthenticated();
  await next();
};

export const lobbyAuthenticateRoute = createRoute({
  method: "post",
  path: "/api/lobby/authenticate",
  tags: ["Kiosk (VLT)"],
  summary: "Lobby card authentication",
  description: [
    "A lobby kiosk (`X-Client-Secret` of a kiosk credential) identifies a player by the card it read. 200 with the client when `cardIdentifier`",
    "(trimmed, case-insensitive) is the active RFID card of an active client in the kiosk's tenant. An unknown, replaced or cancelled card, another",
    "tenant's card, or a deactivated client's card all answer the same 404 (`{\"message\":\"Not Found\"}`): the kiosk learns nothing about which.",
    "Missing, wrong or revoked secret, or a partner credential's secret -> 401. The secret and the card are checked in one D1 query.",
    "Limited per credential (LOBBY_RATE_LIMIT per LOBBY_RATE_WINDOW_SECONDS, every authenticated attempt counts) -> 429 with Retry-After;",
    "if the limiter cannot be reached the request is served (fail open, logged). Consents never given render as false.",
  ].join(" "),
  security: [{ kioskSecret: [] }],
  middleware: [requireSecretHeader] as const,
  request: {
    body: { content: { "application/json": { schema: LobbyAuthenticateBody, example: { cardIdentifier: "A0C2BBCA" } } }, required: true },
  },
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
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Content type is not JSON.",
      422: "Missing or ill-typed `cardIdentifier`, or malformed JSON.",
      429: "Too many requests from this kiosk credential.",
      500: "Internal error.",
    }),
  },
});

export const lobbyAuthenticate: RouteHandler<typeof lobbyAuthenticateRoute, AppEnv> = async (c) => {
  const { cardIdentifier } = c.req.valid("json");
  const found = await findLobbyCard(c.get("db"), c.req.header("x-client-secret")!, cardIdentifier);
  if (!found) throw unauthenticated();
  await enforceRateLimitFailOpen(c, {
    key: `kiosk-lobby:${found.credentialId}`,
    limit: Number(c.env.LOBBY_RATE_LIMIT),
    windowSeconds: Number(c.env.LOBBY_RATE_WINDOW_SECONDS),
  });
  const customer = found.customer;
  if (!customer) throw notFound();
  return c.json(
    {
      id: customer.id,
      nombre: customer.name,
      apellidoPaterno: customer.paternalSurname,
      apellidoMaterno: customer.maternalSurname,
      tipoDocumento: kioskCodeOfDocumentType(customer.documentType),
      dni: customer.documentNumber,
      codigoClienteVLT: customer.vltCode,
      enviarWhatsApp: customer.consentWhatsapp,
      enviarCorreo: customer.consentEmail,
      enviarSms: customer.consentSms,
      tarjeta: customer.cardUid,
    },
    200,
  );
};
