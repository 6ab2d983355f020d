import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AuditActor, listAuditEntries } from "../../core/audit";
import { erasePersonalData, exportPersonalData } from "../../core/data-subject";
import { mergeCustomers } from "../../core/registry/merge";
import { rebuildReportCounters } from "../../core/reports/rebuild";
import { DEFAULT_ROTATION_GRACE_SECONDS, issueCredential, revokeCredential, rotateCredential } from "../../core/tenants/credentials";
import { clearVltDestination, createTenant, setVltDestination, updateTenant } from "../../core/tenants/tenants";
import type { AppEnv } from "../../http/app-env";
import { renderAuditEntry, renderCustomer, renderPersonalData, renderTenantSettings } from "./render";
import type {
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

/** The operator and the request an action is recorded under in the audit log. */
const auditedAs = (c: Context<AppEnv>): AuditActor => ({ actor: c.get("actor"), requestId: c.get("requestId") });

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
  const tenant = await updateTenant(c.get("db"), c.req.valid("param").id, c.req.valid("json"), auditedAs(c));
  return c.json(renderTenantSettings(tenant), 200);
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
  const page = await listAuditEntries(c.get("db"), { tenantId, before: cursor, limit: limit ?? 50 });
  return c.json({ data: page.entries.map(renderAuditEntry), next_cursor: page.next === null ? null : String(page.next) }, 200);
};

export const exportCustomerHandler: RouteHandler<typeof exportCustomerRoute, AppEnv> = async (c) => {
  const { id, customerId } = c.req.valid("param");
  const data = await exportPersonalData(c.get("db"), id, customerId, auditedAs(c));
  c.header("Cache-Control", "no-store");
  return c.json(renderPersonalData(id, data), 200);
};

export const eraseCustomerHandler: RouteHandler<typeof eraseCustomerRoute, AppEnv> = async (c) => {
  const { id, customerId } = c.req.valid("param");
  const erased = await erasePersonalData(c.get("db"), c.get("locks"), id, customerId, auditedAs(c));
  return c.json({ customerId: erased.customerId, erasedAt: new Date(erased.erasedAt).toISOString(), erasedNow: erased.erasedNow }, 200);
};
