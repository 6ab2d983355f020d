import { createSurface, sealSurface } from "../../http/surface";
import { adminEnvelope } from "./envelope";
import {
  clearVltDestinationHandler,
  createCredentialHandler,
  createTenantHandler,
  customerOverviewHandler,
  customerTransactionsHandler,
  enableWebhookEndpointHandler,
  eraseCustomerHandler,
  exportCustomerHandler,
  getTenantHandler,
  getWebhookEndpointHandler,
  listAuditHandler,
  listCredentialsHandler,
  listTenantsHandler,
  listWebhookAttemptsHandler,
  listWebhookEndpointsHandler,
  mergeCustomersHandler,
  rebuildReportsHandler,
  redeliverWebhookHandler,
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
  enableWebhookEndpointRoute,
  eraseCustomerRoute,
  exportCustomerRoute,
  getTenantRoute,
  getWebhookEndpointRoute,
  listAuditRoute,
  listCredentialsRoute,
  listTenantsRoute,
  listWebhookAttemptsRoute,
  listWebhookEndpointsRoute,
  mergeCustomersRoute,
  rebuildReportsRoute,
  redeliverWebhookRoute,
  revokeCredentialRoute,
  rotateCredentialRoute,
  searchCustomersRoute,
  setVltDestinationRoute,
  updateTenantRoute,
} from "./routes";

const prefixes = ["/admin/*"];

/** Operator provisioning (tenants, credentials, deployment settings, report rebuilds, customer merges), the audit log, data-subject requests, the operator reads the console uses, and the tenants' webhooks. */
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
  .openapi(customerTransactionsRoute, customerTransactionsHandler)
  // Webhooks: endpoints, their attempts, redelivery and re-enabling.
  .openapi(listWebhookEndpointsRoute, listWebhookEndpointsHandler)
  .openapi(getWebhookEndpointRoute, getWebhookEndpointHandler)
  .openapi(listWebhookAttemptsRoute, listWebhookAttemptsHandler)
  .openapi(redeliverWebhookRoute, redeliverWebhookHandler)
  .openapi(enableWebhookEndpointRoute, enableWebhookEndpointHandler);

sealSurface(adminSurface, prefixes);
