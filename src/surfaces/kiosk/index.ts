import { laravelEnvelope } from "../../http/laravel";
import { createSurface, sealSurface } from "../../http/surface";

const prefixes = ["/api/clientes/register", "/api/lobby/*"];

/** Seed 000: VLT client registration and lobby card authentication. */
export const kioskSurface = createSurface(laravelEnvelope(), prefixes);

sealSurface(kioskSurface, prefixes);
