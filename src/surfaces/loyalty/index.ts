import { createSurface, sealSurface } from "../../http/surface";
import { loyaltyEnvelope } from "./envelope";
import { oauthToken, oauthTokenRoute } from "./oauth-token";

/** Seed 003's paths; everything under them answers in the loyalty envelope. */
const prefixes = ["/oauth/*", "/api/transaction/*", "/api/transaction", "/api/report/*", "/api/batch/*", "/api/group/*", "/api/customer/*"];

/** Seed 003 (MS Loyalty API): OAuth2 tokens, and later the ledger and its reports. */
export const loyaltySurface = createSurface(loyaltyEnvelope, prefixes).openapi(oauthTokenRoute, oauthToken);

sealSurface(loyaltySurface, prefixes);
