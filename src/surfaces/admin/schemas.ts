import { z } from "@hono/zod-openapi";
import { auditActions } from "../../core/audit";
import { ledgerDirections, ledgerUnits } from "../../core/data-subject";
import { identifierKinds, identifierStatuses } from "../../core/registry/identifiers";
import { saleKinds } from "../../core/sales";
import { credentialKinds, DEFAULT_ROTATION_GRACE_SECONDS, MAX_ROTATION_GRACE_SECONDS } from "../../core/tenants/credentials";

/** Digits (at most `max`), read as a number: ids and counts in paths and query strings. */
const digits = (message: string, max = 15) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${max}}$`), message)
    .transform(Number);

/** A numeric path parameter (digits only). */
const numericParam = (name: string, description?: string) =>
  digits("Must be a positive integer.").openapi({ param: { name, in: "path" }, description, example: "1" });

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

/*
 * Security and operations: tenant settings, secret rotation, the audit log and
 * data-subject requests.
 */

export const UpdateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Casino Miraflores" }),
    timezone: z.string().max(64).optional().openapi({ description: "IANA time zone.", example: "America/Lima" }),
    partnerRateLimit: z.number().int().min(1).max(1_000_000).nullable().optional().openapi({
      description:
        "Requests per minute each of the tenant's partner credentials may make on Bearer routes; `null` restores the deployment's PARTNER_RATE_LIMIT.",
      example: 600,
    }),
  })
  .openapi("UpdateTenant");

export const TenantSettings = Tenant.extend({
  partnerRateLimit: z.number().int().nullable().openapi({ description: "Null: the deployment's PARTNER_RATE_LIMIT applies.", example: 600 }),
}).openapi("TenantSettings");

export const RotateCredentialBody = z
  .object({
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_ROTATION_GRACE_SECONDS)
      .optional()
      .openapi({
        description: `How long the current secret keeps working; default ${DEFAULT_ROTATION_GRACE_SECONDS} (24 h), at most 7 days, 0 ends it now.`,
        example: 3600,
      }),
  })
  .openapi("RotateCredential");

export const RotatedCredential = z
  .object({
    client_id: z.number().int().openapi({ example: 1 }),
    client_secret: z.string().openapi({ description: "The new secret, shown only in this response.", example: "q3J9…" }),
    previous_valid_until: z
      .string()
      .openapi({ description: "ISO 8601 UTC: until then the previous secret is accepted too.", example: "2026-05-02T10:00:00.000Z" }),
  })
  .openapi("RotatedCredential");

const PAGE_LIMIT = "Must be an integer from 1 to 100.";

export const AuditQuery = z.object({
  tenantId: digits("Must be a positive integer.")
    .optional()
    .openapi({ param: { name: "tenantId", in: "query" }, description: "Only the entries about this tenant." }),
  cursor: digits("Must be a cursor returned as next_cursor.")
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "The `next_cursor` of the previous page." }),
  limit: digits(PAGE_LIMIT, 3)
    .pipe(z.number().int().min(1, PAGE_LIMIT).max(100, PAGE_LIMIT))
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, description: "Entries per page, 1-100 (default 50)." }),
});

const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ description: "ISO 8601 UTC." }),
    actor: z
      .string()
      .openapi({ description: "`admin:` + the first 16 hex digits of the admin token's SHA-256, or the console session.", example: "admin:3f0c9a1b2c4d5e6f" }),
    requestId: z.string().openapi({ description: "The request's X-Request-Id." }),
    action: z.enum(auditActions),
    tenantId: z.number().int().nullable(),
    target: z.string().openapi({ example: "credential:12" }),
    summary: z
      .record(z.string(), z.unknown())
      .openapi({ description: "What changed: field names, non-personal values, counts.", example: { graceSeconds: 86400 } }),
  })
  .openapi("AuditEntry");

export const AuditPage = z
  .object({
    data: z.array(AuditEntry).openapi({ description: "Newest first." }),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .openapi("AuditPage");

export const CustomerParams = z.object({ id: numericParam("id", "The tenant."), customerId: numericParam("customerId") });

const Consent = z.object({ granted: z.boolean().nullable(), at: z.string().nullable() });

const ExportedRecord = z.object({
  id: z.number().int(),
  active: z.boolean(),
  mergedIntoId: z.number().int().nullable(),
  channel: z.string(),
  erasedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  profile: z.record(z.string(), z.unknown()).openapi({ description: "Every profile field any surface stored (null when none did)." }),
  consents: z.object({ whatsapp: Consent, email: Consent, sms: Consent }),
});

const StatusTimes = { status: z.enum(identifierStatuses), createdAt: z.string(), statusChangedAt: z.string() };

export const PersonalDataExport = z
  .object({
    exportedAt: z.string(),
    tenantId: z.number().int(),
    customerId: z.number().int().openapi({ description: "The person's customer id (the survivor, when the id asked for was merged)." }),
    records: z.array(ExportedRecord).openapi({ description: "The customer first, then the duplicates merged into it." }),
    identifiers: z.array(
      z.object({ customerId: z.number().int(), kind: z.enum(identifierKinds), value: z.string(), qualifier: z.string().nullable(), ...StatusTimes }),
    ),
    cards: z.array(z.object({ customerId: z.number().int(), uid: z.string(), ...StatusTimes })),
    tags: z.array(z.object({ customerId: z.number().int(), code: z.string(), plate: z.string().nullable(), ...StatusTimes })),
    consentHistory: z.array(z.object({ customerId: z.number().int(), kind: z.string(), granted: z.boolean(), channel: z.string(), at: z.string() })),
    ledger: z.object({
      accounts: z.array(
        z.object({
          id: z.number().int(),
          unit: z.enum(ledgerUnits),
          balance: z.number().int().openapi({ description: "Hundredths." }),
          earned: z.number().int().openapi({ description: "Lifetime points earned (the tier measure), hundredths." }),
          createdAt: z.string(),
          lots: z.array(
            z.object({
              id: z.number().int(),
              amount: z.number().int(),
              remaining: z.number().int(),
              expired: z.number().int(),
              expiresAt: z.string().nullable(),
              setName: z.string(),
              createdAt: z.string(),
            }),
          ),
        }),
      ),
      transactions: z
        .array(
          z.object({
            id: z.number().int(),
            customerId: z.number().int(),
            unit: z.enum(ledgerUnits),
            direction: z.enum(ledgerDirections),
            amount: z.number().int().openapi({ description: "Hundredths." }),
            type: z.string(),
            title: z.string(),
            partnerTitle: z.string().nullable(),
            description: z.string().nullable(),
            code: z.string().nullable(),
            externalId: z.string().nullable(),
            store: z.object({ externalId: z.string(), name: z.string().nullable() }).nullable(),
            reversesId: z.number().int().nullable(),
            channel: z.string().nullable(),
            createdAt: z.string(),
          }),
        )
        .openapi({ description: "Every transaction, oldest first." }),
    }),
    sales: z.array(
      z.object({
        id: z.number().int(),
        customerId: z.number().int(),
        apartment: z.string(),
        amount: z.number().int().openapi({ description: "Cents." }),
        kind: z.enum(saleKinds),
        date: z.string(),
        createdAt: z.string(),
      }),
    ),
  })
  .openapi("PersonalDataExport");

export const ErasureResult = z
  .object({
    customerId: z.number().int(),
    erasedAt: z.string().openapi({ description: "ISO 8601 UTC of the first erasure." }),
    erasedNow: z.boolean().openapi({ description: "False when the person had been erased already." }),
  })
  .openapi("ErasureResult");
