import { z } from "@hono/zod-openapi";
import { identifierKinds } from "../../core/registry/identifiers";
import { credentialKinds } from "../../core/tenants/credentials";

/** A numeric path parameter (digits only). */
const numericParam = (name: string, description?: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, "Must be a positive integer.")
    .transform(Number)
    .openapi({ param: { name, in: "path" }, description, example: "1" });

export const IdParam = z.object({ id: numericParam("id") });

export const ClientIdParam = z.object({ client_id: numericParam("client_id") });

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
    kind: z
      .enum(credentialKinds)
      .openapi({ description: "`partner` trades its secret for a Bearer token at /oauth/token; `kiosk` sends it as X-Client-Secret." }),
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

export const VltDestinationBody = z.object({ tenantId: z.number().int().positive().openapi({ example: 1 }) }).openapi("VltDestination");

export const AdminError = z
  .object({
    code: z.string().openapi({ example: "invalid" }),
    message: z.string().openapi({ example: "Invalid input" }),
    errors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .openapi({ example: { name: ["Required."] } }),
  })
  .openapi("AdminError");

export const MergeParams = z.object({ tenantId: numericParam("tenantId"), survivorId: numericParam("survivorId", "The customer that stays.") });

export const MergeBody = z
  .object({
    from: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ description: "The duplicate customer to absorb into the survivor.", example: 12 }),
  })
  .openapi("MergeCustomers");

const Identifier = z
  .object({
    kind: z.enum(identifierKinds),
    value: z.string(),
    qualifier: z.string().nullable().openapi({ description: "A document's type." }),
  })
  .openapi("AdminIdentifier");

export const AdminCustomer = z
  .object({
    id: z.number().int().openapi({ example: 11 }),
    channel: z.string().openapi({ description: "The surface that first registered the customer.", example: "kiosk" }),
    name: z.string().nullable(),
    paternalSurname: z.string().nullable(),
    maternalSurname: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    birthDate: z.string().nullable(),
    identifiers: z.array(Identifier).openapi({ description: "Active keys other than cards and tags, oldest first per kind." }),
    createdAt: z.string().openapi({ description: "ISO 8601 UTC." }),
    updatedAt: z.string().openapi({ description: "ISO 8601 UTC." }),
  })
  .openapi("AdminCustomer");

export const RebuildResult = z
  .object({
    transactions: z.number().int().openapi({ description: "Ledger transactions read." }),
    storeRows: z.number().int().openapi({ description: "(day, store) counter rows written." }),
    productRows: z.number().int().openapi({ description: "(day, store, product) counter rows written." }),
  })
  .openapi("ReportRebuildResult");
