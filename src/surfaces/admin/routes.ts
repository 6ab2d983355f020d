import { createRoute } from "@hono/zod-openapi";
import { adminAuth } from "../../http/auth";
import { AdminError, ClientIdParam, CreateCredentialBody, CreateTenantBody, IdParam, IssuedCredential, Tenant, VltDestinationBody } from "./schemas";

const tags = ["Admin (provisioning)"];
const security = [{ adminToken: [] }];
const error = (description: string) => ({ description, content: { "application/json": { schema: AdminError } } });
const errors = {
  401: error("Missing or wrong admin token."),
  413: error("Body larger than MAX_BODY_BYTES."),
  422: error("Invalid body; `errors` lists the fields."),
};
const json = <T>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

export const createTenantRoute = createRoute({
  method: "post",
  path: "/admin/tenants",
  tags,
  security,
  summary: "Create a tenant",
  middleware: [adminAuth] as const,
  request: { body: json(CreateTenantBody) },
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
  request: { params: IdParam, body: json(CreateCredentialBody) },
  responses: {
    201: { description: "Created.", content: { "application/json": { schema: IssuedCredential } } },
    404: error("Unknown tenant."),
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
  responses: { 204: { description: "Revoked." }, 404: error("Unknown or already revoked credential."), ...errors },
});

export const setVltDestinationRoute = createRoute({
  method: "put",
  path: "/admin/settings/vlt-destination",
  tags,
  security,
  summary: "Set the tenant that receives kiosk (VLT) registrations",
  middleware: [adminAuth] as const,
  request: { body: json(VltDestinationBody) },
  responses: {
    200: { description: "Set.", content: { "application/json": { schema: VltDestinationBody } } },
    404: error("Unknown tenant."),
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
  responses: { 204: { description: "Unset." }, 401: errors[401] },
});
