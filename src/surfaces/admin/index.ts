import { createSurface, sealSurface } from "../../http/surface";
import { adminEnvelope } from "./envelope";
import {
  clearVltDestinationHandler,
  createCredentialHandler,
  createTenantHandler,
  mergeCustomersHandler,
  rebuildReportsHandler,
  revokeCredentialHandler,
  setVltDestinationHandler,
} from "./handlers";
import {
  clearVltDestinationRoute,
  createCredentialRoute,
  createTenantRoute,
  mergeCustomersRoute,
  rebuildReportsRoute,
  revokeCredentialRoute,
  setVltDestinationRoute,
} from "./routes";

const prefixes = ["/admin/*"];

/** Operator provisioning: tenants, credentials, deployment settings, report rebuilds and customer merges. */
export const adminSurface = createSurface(adminEnvelope, prefixes)
  .openapi(createTenantRoute, createTenantHandler)
  .openapi(createCredentialRoute, createCredentialHandler)
  .openapi(revokeCredentialRoute, revokeCredentialHandler)
  .openapi(setVltDestinationRoute, setVltDestinationHandler)
  .openapi(clearVltDestinationRoute, clearVltDestinationHandler)
  .openapi(rebuildReportsRoute, rebuildReportsHandler)
  .openapi(mergeCustomersRoute, mergeCustomersHandler);

sealSurface(adminSurface, prefixes);
