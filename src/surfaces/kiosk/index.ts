import { createSurface, sealSurface } from "../../http/surface";
import { kioskEnvelope } from "./envelope";
import { lobbyAuthenticate, register } from "./handlers";
import { lobbyAuthenticateRoute, registerRoute } from "./routes";

const prefixes = ["/api/clientes/register", "/api/lobby/*"];

/** Seed 000: VLT client registration (public, per-IP limit, per-card lock) and lobby card authentication. */
export const kioskSurface = createSurface(kioskEnvelope, prefixes, { trailingSlash: "served" })
  .openapi(registerRoute, register)
  .openapi(lobbyAuthenticateRoute, lobbyAuthenticate);

sealSurface(kioskSurface, prefixes);
