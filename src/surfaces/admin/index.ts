import { createSurface, sealSurface } from "../../http/surface";
import { adminEnvelope } from "./envelope";
import {
  clearVltDestinationHandler,
  createCredentialHandler,
  createTenantHandler,
  customerOverviewHandler,
  customerTransactionsHandler,
  getTenantHandler,
  listCredentialsHandler,
  listTenantsHandler,
  mergeCustomersHandler,
  rebuildReportsHandler,
  revokeCredentialHandler,
  searchCustomersHandler,
  setVltDestinationHandler,
  updateTenantHandler,
} from "./handlers";
import {
  clearVltDestinationRoute,
  createCredentialRoute,
  createTenantRoute,
  customerOverviewRoute,
  customerTransactionsRoute,
  getTenantRoute,
  listCredentialsRoute,
  listTenantsRoute,
  mergeCustomersRoute,
  rebuildReportsRoute,
  revokeCredentialRoute,
  searchCustomersRoute,
  setVltDestinationRoute,
  updateTenantRoute,
} from "./routes";

const prefixes = ["/admin/*"];

/** Operator provisioning (tenants, credentials, deployment settings, report rebuilds, customer merges) and the operator reads the console uses. */
export const adminSurface = createSurface(adminEnvelope, prefixes)
  .openapi(createTenantRoute, createTenantHandler)
  .openapi(createCredentialRoute, createCredentialHandler)
  .openapi(revokeCredentialRoute, revokeCredentialHandler)
  .openapi(setVltDestinationRoute, setVltDestinationHandler)
  .openapi(clearVltDestinationRoute, clearVltDestinationHandler)
  .openapi(rebuildReportsRoute, rebuildReportsHandler)
  .openapi(mergeCustomersRoute, mergeCustomersHandler)
  // Operator reads and the tenant update (the operator console's API).
  .openapi(listTenantsRoute, listTenantsHandler)
  .openapi(getTenantRoute, getTenantHandler)
  .openapi(updateTenantRoute, updateTenantHandler)
  .openapi(listCredentialsRoute, listCredentialsHandler)
  .openapi(searchCustomersRoute, searchCustomersHandler)
  .openapi(customerOverviewRoute, customerOverviewHandler)
  .openapi(customerTransactionsRoute, customerTransactionsHandler);

sealSurface(adminSurface, prefixes);
