import { issueCredential, revokeCredential } from "../../core/credentials";
import { clearVltDestination, createTenant, setVltDestination } from "../../core/tenants";
import { createSurface, sealSurface } from "../../http/surface";
import { adminEnvelope } from "./envelope";
import { rebuildReports, rebuildReportsRoute } from "./reports";
import { clearVltDestinationRoute, createCredentialRoute, createTenantRoute, revokeCredentialRoute, setVltDestinationRoute } from "./routes";

const prefixes = ["/admin/*"];

/** Operator provisioning: tenants, credentials, deployment settings. */
export const adminSurface = createSurface(adminEnvelope, prefixes)
  .openapi(createTenantRoute, async (c) => {
    const tenant = await createTenant(c.get("db"), c.req.valid("json"));
    return c.json({ id: tenant.id, name: tenant.name, timezone: tenant.timezone }, 201);
  })
  .openapi(createCredentialRoute, async (c) => {
    const issued = await issueCredential(c.get("db"), c.req.valid("param").id, c.req.valid("json"));
    return c.json({ client_id: issued.clientId, client_secret: issued.clientSecret, kind: issued.kind }, 201);
  })
  .openapi(revokeCredentialRoute, async (c) => {
    await revokeCredential(c.get("db"), c.req.valid("param").client_id);
    return c.body(null, 204);
  })
  .openapi(setVltDestinationRoute, async (c) => {
    const { tenantId } = c.req.valid("json");
    await setVltDestination(c.get("db"), tenantId);
    return c.json({ tenantId }, 200);
  })
  .openapi(clearVltDestinationRoute, async (c) => {
    await clearVltDestination(c.get("db"));
    return c.body(null, 204);
  })
  .openapi(rebuildReportsRoute, rebuildReports);

sealSurface(adminSurface, prefixes);
