import { createSurface, sealSurface } from "../../http/surface";
import { adminEnvelope } from "./envelope";
import {
  clearVltDestinationHandler,
  createCredentialHandler,
  createTenantHandler,
  eraseCustomerHandler,
  exportCustomerHandler,
  listAuditHandler,
  mergeCustomersHandler,
  rebuildReportsHandler,
  revokeCredentialHandler,
  rotateCredentialHandler,
  setVltDestinationHandler,
  updateTenantHandler,
} from "./handlers";
import {
  clearVltDestinationRoute,
  createCredentialRoute,
  createTenantRoute,
  eraseCustomerRoute,
  exportCustomerRoute,
  listAuditRoute,
  mergeCustomersRoute,
  rebuildReportsRoute,
  revokeCredentialRoute,
  rotateCredentialRoute,
  setVltDestinationRoute,
  updateTenantRoute,
} from "./routes";

const prefixes = ["/admin/*"];

/** Operator provisioning: tenants, credentials, deployment settings, report rebuilds and customer merges; the audit log and data-subject requests. */
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
  .openapi(eraseCustomerRoute, eraseCustomerHandler);

sealSurface(adminSurface, prefixes);
