import { createSurface, sealSurface } from "../../http/surface";
import { parkingEnvelope } from "./envelope";

const prefixes = ["/api/v3/business/*"];

/** Seed 002: parking customers and their vehicle tags. */
export const parkingSurface = createSurface(parkingEnvelope, prefixes);

sealSurface(parkingSurface, prefixes);
