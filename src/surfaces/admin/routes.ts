import { createRoute } from "@hono/zod-openapi";
import { adminAuth } from "../../http/auth";
import { jsonBody } from "../../http/openapi";
import { adminErrors } from "./envelope";
import { ClientIdParam, CreateCredentialBody, CreateTenantBody, IdParam, IssuedCredential, Tenant, VltDestinationBody } from "./schemas";

const tags = ["Admin (provisioning)"];
const security = [{ adminToken: [] }];
const errors = adminErrors({
  401: "Missing or wrong admin token.",
  413: "Body larger than MAX_BODY_BYTES.",
  422: "Invalid body; `errors` lists the fields.",
});

export const createTenantRoute = createRoute({
  method: "post",
  path: "/admin/tenants",
  tags,
  security,
  summary: "Create a tenant",
  middleware: [adminAuth] as const,
  request: { body: jsonBody(CreateTenantBody) },
  responses: { 201: { description: "Created.", content: { "application/json": { schema: Tenant } } }, ...errors },
});

export const createCredentialRoute = createRoute({
  method: "post",
  path: "/admin/tenants/{id}/credentials",
  tags,
  security,
  summary: "Issue a credential for a tenant",
  description: "Returns the secret once; ficha stores only its SHA-256 hash.",
  middleware: [adminAuth] as const,
  request: { params: IdParam, body: jsonBody(CreateCredentialBody) },
  responses: {
    201: { description: "Created.", content: { "application/json": { schema: IssuedCredential } } },
    ...adminErrors({ 404: "Unknown tenant." }),
    ...errors,
  },
});

export const revokeCredentialRoute = createRoute({
  method: "delete",
  path: "/admin/credentials/{client_id}",
  tags,
  security,
  summary: "Revoke a credential",
  description: "The credential and every token issued to it stop working immediately.",
  middleware: [adminAuth] as const,
  request: { params: ClientIdParam },
  responses: { 204: { description: "Revoked." }, ...adminErrors({ 404: "Unknown or already revoked credential." }), ...errors },
});

export const setVltDestinationRoute = createRoute({
  method: "put",
  path: "/admin/settings/vlt-destination",
  tags,
  security,
  summary: "Set the tenant that receives kiosk (VLT) registrations",
  middleware: [adminAuth] as const,
  request: { body: jsonBody(VltDestinationBody) },
  responses: {
    200: { description: "Set.", content: { "application/json": { schema: VltDestinationBody } } },
    ...adminErrors({ 404: "Unknown tenant." }),
    ...errors,
  },
});

export const clearVltDestinationRoute = createRoute({
  method: "delete",
  path: "/admin/settings/vlt-destination",
  tags,
  security,
  summary: "Unset the VLT destination",
  description: "Afterwards `POST /api/clientes/register` answers 503 until a destination is set again.",
  middleware: [adminAuth] as const,
  responses: { 204: { description: "Unset." }, ...adminErrors({ 401: "Missing or wrong admin token." }) },
});
