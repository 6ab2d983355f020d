import { laravelEnvelope } from "../../http/laravel";
import { createSurface, sealSurface } from "../../http/surface";

const prefixes = ["/api/sales/*"];

/** Seed 004: sales back office clients keyed by document, catalogues and sales. */
export const salesSurface = createSurface(laravelEnvelope(), prefixes);

sealSurface(salesSurface, prefixes);
