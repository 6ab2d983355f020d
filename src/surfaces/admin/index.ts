import { createSurface, sealSurface } from "../../http/surface";
import { adminEnvelope } from "./envelope";
import {
  clearVltDestinationHandler,
  createCredentialHandler,
  createTenantHandler,
  customerOverviewHandler,
  customerTransactionsHandler,
  eraseCustomerHandler,
  exportCustomerHandler,
  getTenantHandler,
  listAuditHandler,
  listCredentialsHandler,
  listTenantsHandler,
  mergeCustomersHandler,
  rebuildReportsHandler,
  revokeCredentialHandler,
  rotateCredentialHandler,
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
  eraseCustomerRoute,
  exportCustomerRoute,
  getTenantRoute,
  listAuditRoute,
  listCredentialsRoute,
  listTenantsRoute,
  mergeCustomersRoute,
  rebuildReportsRoute,
  revokeCredentialRoute,
  rotateCredentialRoute,
  searchCustomersRoute,
  setVltDestinationRoute,
  updateTenantRoute,
} from "./routes";

const prefixes = ["/admin/*"];

/** Operator provisioning (tenants, credentials, deployment settings, report rebuilds, customer merges), the audit log, data-subject requests, and the operator reads the console uses. */
export const adminSurface = createSurface(adminEnvelope, prefixes)
  .openapi(createTenantRoute, createTenantHandler)
  .openapi(createCredentialRoute, createCredentialHandler)
  .openapi(revokeCredentialRoute, revokeCredentialHandler)
  .openapi(setVltDestinationRoute, setVltDestinationHandler)
  .openapi(clearVltDestinationRoute, clearVltDestinationHandler)
  .openapi(rebuildReportsRoute, rebuildReportsHandler)
  .openapi(mergeCustomersRoute, mergeCustomersHandler)
  .openapi(updateTenantRoute, updateTenantHandler)
  .openapi(rotateCredentialRoute, rotateCredentialHandler)
  .openapi(listAuditRoute, listAuditHandler)
  .openapi(exportCustomerRoute, exportCustomerHandler)
  .openapi(eraseCustomerRoute, eraseCustomerHandler)
  // Operator reads (the operator console's API).
  .openapi(listTenantsRoute, listTenantsHandler)
  .openapi(getTenantRoute, getTenantHandler)
  .openapi(listCredentialsRoute, listCredentialsHandler)
  .openapi(searchCustomersRoute, searchCustomersHandler)
  .openapi(customerOverviewRoute, customerOverviewHandler)
  .openapi(customerTransactionsRoute, customerTransactionsHandler);

sealSurface(adminSurface, prefixes);
