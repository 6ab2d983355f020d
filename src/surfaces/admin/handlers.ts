import type { RouteHandler } from "@hono/zod-openapi";
import { listAuditEntries } from "../../core/audit";
import { erasePersonalData, exportPersonalData } from "../../core/data-subject";
import { customerEntries } from "../../core/ledger/entries";
import { mergeCustomers } from "../../core/registry/merge";
import { customerOverview } from "../../core/registry/overview";
import { encodeSearchCursor, searchCustomers } from "../../core/registry/search";
import { rebuildReportCounters } from "../../core/reports/rebuild";
import { DEFAULT_ROTATION_GRACE_SECONDS, issueCredential, listCredentials, revokeCredential, rotateCredential } from "../../core/tenants/credentials";
import { clearVltDestination, createTenant, getTenantSummary, listTenants, setVltDestination, updateTenant } from "../../core/tenants/tenants";
import { redeliver } from "../../core/webhooks/delivery";
import { enableEndpoint, getEndpoint, listAttempts, listEndpoints } from "../../core/webhooks/endpoints";
import type { AppEnv } from "../../http/app-env";
import { auditedAs } from "../../http/auth";
import {
  renderAuditEntry,
  renderCredential,
  renderCustomer,
  renderEntry,
  renderOverview,
  renderPage,
  renderPersonalData,
  renderSearchHit,
  renderTenantSummary,
  renderWebhookAttempt,
  renderWebhookEndpoint,
} from "./render";
import type {
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

export const createTenantHandler: RouteHandler<typeof createTenantRoute, AppEnv> = async (c) => {
  const tenant = await createTenant(c.get("db"), c.req.valid("json"), auditedAs(c));
  return c.json({ id: tenant.id, name: tenant.name, timezone: tenant.timezone }, 201);
};

export const createCredentialHandler: RouteHandler<typeof createCredentialRoute, AppEnv> = async (c) => {
  const issued = await issueCredential(c.get("db"), c.req.valid("param").id, c.req.valid("json"), auditedAs(c));
  return c.json({ client_id: issued.clientId, client_secret: issued.clientSecret, kind: issued.kind }, 201);
};

export const revokeCredentialHandler: RouteHandler<typeof revokeCredentialRoute, AppEnv> = async (c) => {
  await revokeCredential(c.get("db"), c.req.valid("param").client_id, auditedAs(c));
  return c.body(null, 204);
};

export const setVltDestinationHandler: RouteHandler<typeof setVltDestinationRoute, AppEnv> = async (c) => {
  const { tenantId } = c.req.valid("json");
  await setVltDestination(c.get("db"), tenantId, auditedAs(c));
  return c.json({ tenantId }, 200);
};

export const clearVltDestinationHandler: RouteHandler<typeof clearVltDestinationRoute, AppEnv> = async (c) => {
  await clearVltDestination(c.get("db"), auditedAs(c));
  return c.body(null, 204);
};

export const rebuildReportsHandler: RouteHandler<typeof rebuildReportsRoute, AppEnv> = async (c) =>
  c.json(await rebuildReportCounters(c.get("db"), c.req.valid("param").id, auditedAs(c)), 200);

export const mergeCustomersHandler: RouteHandler<typeof mergeCustomersRoute, AppEnv> = async (c) => {
  const { tenantId, survivorId } = c.req.valid("param");
  const survivor = await mergeCustomers(c.get("db"), c.get("locks"), tenantId, survivorId, c.req.valid("json").from, auditedAs(c));
  return c.json(renderCustomer(survivor), 200);
};

export const updateTenantHandler: RouteHandler<typeof updateTenantRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  await updateTenant(c.get("db"), id, c.req.valid("json"), auditedAs(c));
  return c.json(renderTenantSummary(await getTenantSummary(c.get("db"), id)), 200);
};

export const rotateCredentialHandler: RouteHandler<typeof rotateCredentialRoute, AppEnv> = async (c) => {
  const grace = c.req.valid("json").grace_period_seconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  const rotated = await rotateCredential(c.get("db"), c.req.valid("param").client_id, grace, auditedAs(c));
  return c.json(
    { client_id: rotated.clientId, client_secret: rotated.clientSecret, previous_valid_until: new Date(rotated.previousValidUntil).toISOString() },
    200,
  );
};

export const listAuditHandler: RouteHandler<typeof listAuditRoute, AppEnv> = async (c) => {
  const { tenantId, cursor, limit } = c.req.valid("query");
  const page = await listAuditEntries(c.get("db"), { tenantId, before: cursor, limit });
  return c.json(renderPage(page.entries, renderAuditEntry, page.next), 200);
};

export const exportCustomerHandler: RouteHandler<typeof exportCustomerRoute, AppEnv> = async (c) => {
  const { tenantId, customerId } = c.req.valid("param");
  const data = await exportPersonalData(c.get("db"), tenantId, customerId, auditedAs(c));
  c.header("Cache-Control", "no-store");
  return c.json(renderPersonalData(tenantId, data), 200);
};

export const eraseCustomerHandler: RouteHandler<typeof eraseCustomerRoute, AppEnv> = async (c) => {
  const { tenantId, customerId } = c.req.valid("param");
  const erased = await erasePersonalData(c.get("db"), c.get("locks"), tenantId, customerId, auditedAs(c));
  return c.json({ customerId: erased.customerId, erasedAt: new Date(erased.erasedAt).toISOString(), erasedNow: erased.erasedNow }, 200);
};

/* Operator reads (the operator console's API). */

export const listTenantsHandler: RouteHandler<typeof listTenantsRoute, AppEnv> = async (c) => {
  const { cursor, limit } = c.req.valid("query");
  const found = await listTenants(c.get("db"), { afterId: cursor ?? 0, limit });
  return c.json(renderPage(found.tenants, renderTenantSummary, found.next), 200);
};

export const getTenantHandler: RouteHandler<typeof getTenantRoute, AppEnv> = async (c) =>
  c.json(renderTenantSummary(await getTenantSummary(c.get("db"), c.req.valid("param").id)), 200);

export const listCredentialsHandler: RouteHandler<typeof listCredentialsRoute, AppEnv> = async (c) => {
  const { cursor, limit } = c.req.valid("query");
  const found = await listCredentials(c.get("db"), c.req.valid("param").id, { beforeId: cursor ?? Number.MAX_SAFE_INTEGER, limit });
  return c.json(renderPage(found.credentials, renderCredential, found.next), 200);
};

export const searchCustomersHandler: RouteHandler<typeof searchCustomersRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { q, cursor, limit } = c.req.valid("query");
  const found = await searchCustomers(c.get("db"), id, { text: q, cursor, limit });
  return c.json(renderPage(found.hits, renderSearchHit, found.next && encodeSearchCursor(found.next)), 200);
};

export const customerOverviewHandler: RouteHandler<typeof customerOverviewRoute, AppEnv> = async (c) => {
  const { tenantId, customerId } = c.req.valid("param");
  return c.json(renderOverview(await customerOverview(c.get("db"), tenantId, customerId)), 200);
};

export const customerTransactionsHandler: RouteHandler<typeof customerTransactionsRoute, AppEnv> = async (c) => {
  const { tenantId, customerId } = c.req.valid("param");
  const { cursor, limit } = c.req.valid("query");
  const found = await customerEntries(c.get("db"), tenantId, customerId, { beforeSeq: cursor ?? null, limit });
  return c.json(renderPage(found.entries, renderEntry, found.next), 200);
};

/* Webhooks. */

export const listWebhookEndpointsHandler: RouteHandler<typeof listWebhookEndpointsRoute, AppEnv> = async (c) => {
  const { cursor, limit } = c.req.valid("query");
  const found = await listEndpoints(c.get("db"), c.req.valid("param").tenantId, { afterId: cursor ?? 0, limit });
  return c.json(renderPage(found.endpoints, renderWebhookEndpoint, found.next), 200);
};

export const getWebhookEndpointHandler: RouteHandler<typeof getWebhookEndpointRoute, AppEnv> = async (c) => {
  const { tenantId, endpointId } = c.req.valid("param");
  return c.json(renderWebhookEndpoint(await getEndpoint(c.get("db"), tenantId, endpointId)), 200);
};

export const listWebhookAttemptsHandler: RouteHandler<typeof listWebhookAttemptsRoute, AppEnv> = async (c) => {
  const { tenantId, endpointId } = c.req.valid("param");
  const { cursor, limit } = c.req.valid("query");
  const found = await listAttempts(c.get("db"), tenantId, endpointId, { before: cursor ?? null, limit });
  return c.json(renderPage(found.attempts, renderWebhookAttempt, found.next), 200);
};

export const redeliverWebhookHandler: RouteHandler<typeof redeliverWebhookRoute, AppEnv> = async (c) => {
  const { tenantId, endpointId } = c.req.valid("param");
  const queued = await redeliver(c.get("db"), c.env.WEBHOOKS, tenantId, c.req.valid("json").eventId, { endpointId, by: auditedAs(c) });
  return c.json({ eventId: queued.eventId, endpointId, queued: queued.endpointIds.includes(endpointId) }, 202);
};

export const enableWebhookEndpointHandler: RouteHandler<typeof enableWebhookEndpointRoute, AppEnv> = async (c) => {
  const { tenantId, endpointId } = c.req.valid("param");
  return c.json(renderWebhookEndpoint(await enableEndpoint(c.get("db"), tenantId, endpointId, auditedAs(c))), 200);
};
