import { createSurface, sealSurface } from "../../http/surface";
import { clientsEnvelope } from "./envelope";

const prefixes = ["/api/clientes", "/api/clientes/*"];

/** Seed 001: the field-service client registry. */
export const clientsSurface = createSurface(clientsEnvelope, prefixes);

sealSurface(clientsSurface, prefixes);
