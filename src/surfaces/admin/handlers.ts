import type { RouteHandler } from "@hono/zod-openapi";
import { mergeCustomers } from "../../core/registry/merge";
import { rebuildReportCounters } from "../../core/reports/rebuild";
import { issueCredential, revokeCredential } from "../../core/tenants/credentials";
import { clearVltDestination, createTenant, setVltDestination } from "../../core/tenants/tenants";
import type { AppEnv } from "../../http/app-env";
import { renderCustomer } from "./render";
import type {
  clearVltDestinationRoute,
  createCredentialRoute,
  createTenantRoute,
  mergeCustomersRoute,
  rebuildReportsRoute,
  revokeCredentialRoute,
  setVltDestinationRoute,
} from "./routes";

export const createTenantHandler: RouteHandler<typeof createTenantRoute, AppEnv> = async (c) => {
  const tenant = await createTenant(c.get("db"), c.req.valid("json"));
  return c.json({ id: tenant.id, name: tenant.name, timezone: tenant.timezone }, 201);
};

export const createCredentialHandler: RouteHandler<typeof createCredentialRoute, AppEnv> = async (c) => {
  const issued = await issueCredential(c.get("db"), c.req.valid("param").id, c.req.valid("json"));
  return c.json({ client_id: issued.clientId, client_secret: issued.clientSecret, kind: issued.kind }, 201);
};

export const revokeCredentialHandler: RouteHandler<typeof revokeCredentialRoute, AppEnv> = async (c) => {
  await revokeCredential(c.get("db"), c.req.valid("param").client_id);
  return c.body(null, 204);
};

export const setVltDestinationHandler: RouteHandler<typeof setVltDestinationRoute, AppEnv> = async (c) => {
  const { tenantId } = c.req.valid("json");
  await setVltDestination(c.get("db"), tenantId);
  return c.json({ tenantId }, 200);
};

export const clearVltDestinationHandler: RouteHandler<typeof clearVltDestinationRoute, AppEnv> = async (c) => {
  await clearVltDestination(c.get("db"));
  return c.body(null, 204);
};

export const rebuildReportsHandler: RouteHandler<typeof rebuildReportsRoute, AppEnv> = async (c) =>
  c.json(await rebuildReportCounters(c.get("db"), c.req.valid("param").id), 200);

export const mergeCustomersHandler: RouteHandler<typeof mergeCustomersRoute, AppEnv> = async (c) => {
  const { tenantId, survivorId } = c.req.valid("param");
  const survivor = await mergeCustomers(c.get("db"), c.get("locks"), tenantId, survivorId, c.req.valid("json").from);
  return c.json(renderCustomer(survivor), 200);
};
