import { z } from "@hono/zod-openapi";
import { credentialKinds } from "../../db/schema";

export const IdParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, "Must be a positive integer.")
    .transform(Number)
    .openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

export const ClientIdParam = z.object({
  client_id: z
    .string()
    .regex(/^\d{1,15}$/, "Must be a positive integer.")
    .transform(Number)
    .openapi({ param: { name: "client_id", in: "path" }, example: "1" }),
});

export const CreateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: "Casino Miraflores" }),
    timezone: z.string().max(64).optional().openapi({ description: "IANA time zone; defaults to UTC.", example: "America/Lima" }),
  })
  .openapi("CreateTenant");

export const Tenant = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "Casino Miraflores" }),
    timezone: z.string().openapi({ example: "America/Lima" }),
  })
  .openapi("Tenant");

export const CreateCredentialBody = z
  .object({
    kind: z.enum(credentialKinds).openapi({ description: "`partner` trades its secret for a Bearer token at /oauth/token; `kiosk` sends it as X-Client-Secret." }),
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Lobby kiosk 3" }),
  })
  .openapi("CreateCredential");

export const IssuedCredential = z
  .object({
    client_id: z.number().int().openapi({ example: 1 }),
    client_secret: z.string().openapi({ description: "Shown only in this response; ficha stores its hash.", example: "q3J9…" }),
    kind: z.enum(credentialKinds),
  })
  .openapi("IssuedCredential");

export const VltDestinationBody = z
  .object({ tenantId: z.number().int().positive().openapi({ example: 1 }) })
  .openapi("VltDestination");

export const AdminError = z
  .object({
    code: z.string().openapi({ example: "invalid" }),
    message: z.string().openapi({ example: "Invalid input" }),
    errors: z.record(z.string(), z.array(z.string())).optional().openapi({ example: { name: ["Required."] } }),
  })
  .openapi("AdminError");
