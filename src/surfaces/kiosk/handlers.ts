import type { RouteHandler, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { findCardHolder } from "../../core/cards/lobby";
import { type CardRegistration, registerCard } from "../../core/cards/registration";
import { NotFound } from "../../core/errors";
import { getVltDestinationCached } from "../../core/tenants/tenants";
import type { AppEnv } from "../../http/app-env";
import { RequestError, unauthenticated } from "../../http/errors";
import { afterResponse } from "../../http/observe";
import { clientIp, enforceRateLimitFailOpen } from "../../http/rate-limit";
import { NO_DESTINATION_MESSAGE } from "./envelope";
import { documentTypeOfCode, renderLobbyClient, renderRegistration } from "./render";
import type { lobbyAuthenticateRoute, registerRoute } from "./routes";
import type { RegisterBody } from "./schemas";

/** KIOSK_RATE_LIMIT requests per KIOSK_RATE_WINDOW_SECONDS per client IP, counted before the body is validated. */
export const limitPerClientIp: MiddlewareHandler<AppEnv> = async (c, next) => {
  await enforceRateLimitFailOpen(c, {
    key: `kiosk-register:${clientIp(c)}`,
    limit: Number(c.env.KIOSK_RATE_LIMIT),
    windowSeconds: Number(c.env.KIOSK_RATE_WINDOW_SECONDS),
  });
  await next();
};

/** No secret at all is refused before the body is validated (a wrong one needs the lookup, done with the card's in one query). */
export const requireSecretHeader: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.req.header("x-client-secret")) throw unauthenticated();
  await next();
};

export const register: RouteHandler<typeof registerRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = await getVltDestinationCached(db);
  if (tenantId === null) throw new RequestError("unavailable", NO_DESTINATION_MESSAGE);
  const { customerId, outcome } = await registerCard(db, c.get("locks"), tenantId, toRegistration(body), afterResponse(c));
  const { status, body: answer } = renderRegistration(customerId, body.tarjeta, outcome);
  return c.json(answer, status);
};

function toRegistration(body: z.infer<typeof RegisterBody>): CardRegistration {
  return {
    vltCode: body.codigoClienteVLT,
    cardUid: body.tarjeta,
    email: body.correo,
    consents: { whatsapp: body.enviarWhatsApp, email: body.enviarCorreo, sms: body.enviarSms },
    document: body.dni === undefined ? undefined : { type: documentTypeOfCode(body.tipoDocumento), number: body.dni },
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

export const lobbyAuthenticate: RouteHandler<typeof lobbyAuthenticateRoute, AppEnv> = async (c) => {
  const { cardIdentifier } = c.req.valid("json");
  const secret = c.req.header("x-client-secret")!;
  // The nearest replica answers a tap; a card it does not know (one registered a moment ago) is asked of the primary once.
  // An unknown secret is not: a guess must not cost two reads.
  const io = c.get("io");
  io.preferReplica();
  let found = await findCardHolder(c.get("db"), secret, cardIdentifier);
  if (found && !found.holder) {
    io.readFromPrimary();
    found = await findCardHolder(c.get("db"), secret, cardIdentifier);
  }
  if (!found) throw unauthenticated();
  await enforceRateLimitFailOpen(c, {
    key: `kiosk-lobby:${found.credentialId}`,
    limit: Number(c.env.LOBBY_RATE_LIMIT),
    windowSeconds: Number(c.env.LOBBY_RATE_WINDOW_SECONDS),
  });
  if (!found.holder) throw new NotFound("customer");
  return c.json(renderLobbyClient(found.holder), 200);
};
