import { z } from "@hono/zod-openapi";
import { auditActions } from "../../core/audit";
import { eventTypes } from "../../core/events/outbox";
import { channels, ledgerCategories, ledgerDirections, ledgerUnits } from "../../core/ledger/entries";
import { identifierKinds, identifierStatuses } from "../../core/registry/identifiers";
import { decodeSearchCursor } from "../../core/registry/search";
import { saleKinds } from "../../core/sales";
import { credentialKinds, DEFAULT_ROTATION_GRACE_SECONDS, MAX_ROTATION_GRACE_SECONDS } from "../../core/tenants/credentials";
import { codedErrorSchema } from "../../http/openapi";
import { Event } from "../v1/schemas";

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

export const AdminError = codedErrorSchema("AdminError", { name: ["Required."] });

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
 * Operator reads (the console's API), tenant settings, secret rotation, the audit log and
 * data-subject requests. Lists are keyset pages `{data, nextCursor}`: pass
 * `nextCursor` back as `cursor` for the next page; null means this was the last. Times
 * are ISO 8601 UTC; amounts are units (points or currency) with up to two decimals.
 */

const cursorParam = (description: string) =>
  z
    .string()
    .max(600)
    .optional()
    .openapi({ description: `${description} Pass the previous page's \`nextCursor\`.` });

const limitParam = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(fallback)
    .openapi({ type: "integer", description: `Items per page, 1-100 (default ${fallback}).`, example: fallback });

/** A numeric keyset cursor (an id or a transaction number). */
const numericCursor = cursorParam("Where the page starts.").pipe(
  z
    .string()
    .regex(/^\d{1,15}$/, "Must be a cursor this API returned.")
    .transform(Number)
    .optional(),
);

export const PageQuery = z.object({ cursor: numericCursor, limit: limitParam(50) });

export const CustomerParams = z.object({ tenantId: numericParam("tenantId"), customerId: numericParam("customerId") });

const page = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: "The `cursor` of the next page; null on the last page." }),
    })
    .openapi(name);

export const TenantSummary = Tenant.extend({
  activeCustomers: z.number().int().openapi({ description: "Active customers (a counter kept with every write)." }),
  vltDestination: z.boolean().openapi({ description: "Whether public kiosk (VLT) registrations land in this tenant." }),
  partnerRateLimit: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Requests per minute per partner credential; null: the deployment's PARTNER_RATE_LIMIT applies.", example: 600 }),
  partnerReplicaReads: z.boolean().openapi({ description: "Whether partner GET routes may read from the nearest D1 replica (off by default)." }),
  createdAt: z.string().openapi({ description: "ISO 8601 UTC." }),
}).openapi("TenantSummary");

export const TenantPage = page(TenantSummary, "TenantPage");

export const UpdateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Casino Miraflores" }),
    timezone: z.string().max(64).optional().openapi({ description: "IANA time zone.", example: "America/Lima" }),
    partnerRateLimit: z.number().int().min(1).max(1_000_000).nullable().optional().openapi({
      description:
        "Requests per minute each of the tenant's partner credentials may make on Bearer routes; `null` restores the deployment's PARTNER_RATE_LIMIT.",
      example: 600,
    }),
    partnerReplicaReads: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Lets the tenant's partner GET routes read from the nearest D1 replica: faster far from the primary, but a read may not yet see a write " +
          "made a moment ago (unless the client sends back the `x-d1-bookmark` it got), and a revoked credential may pass for as long as the " +
          "replica lags (usually well under a second). Off by default.",
        example: false,
      }),
  })
  .openapi("UpdateTenant");

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

export const AuditQuery = z.object({
  tenantId: digits("Must be a positive integer.")
    .optional()
    .openapi({ param: { name: "tenantId", in: "query" }, description: "Only the entries about this tenant." }),
  cursor: numericCursor,
  limit: limitParam(50),
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

export const AuditPage = page(AuditEntry, "AuditPage");

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
          balance: z.number(),
          earned: z.number().openapi({ description: "Lifetime points earned (the tier measure)." }),
          createdAt: z.string(),
          lots: z.array(
            z.object({
              id: z.number().int(),
              amount: z.number(),
              remaining: z.number(),
              expired: z.number(),
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
            amount: z.number(),
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
        amount: z.number(),
        kind: z.enum(saleKinds),
        date: z.string(),
        createdAt: z.string(),
      }),
    ),
    events: z.array(Event).openapi({
      description: "The events about the person, oldest first, as the feed serves them (after an erasure: redacted, plus `customer.erased`).",
    }),
  })
  .openapi("PersonalDataExport");

export const ErasureResult = z
  .object({
    customerId: z.number().int(),
    erasedAt: z.string().openapi({ description: "ISO 8601 UTC of the first erasure." }),
    erasedNow: z.boolean().openapi({ description: "False when the person had been erased already." }),
  })
  .openapi("ErasureResult");

export const CredentialSummary = z
  .object({
    client_id: z.number().int().openapi({ example: 1 }),
    kind: z.enum(credentialKinds),
    name: z.string().nullable(),
    createdAt: z.string().openapi({ description: "ISO 8601 UTC." }),
    revokedAt: z.string().nullable().openapi({ description: "ISO 8601 UTC; null while live." }),
  })
  .openapi("CredentialSummary");

export const CredentialPage = page(CredentialSummary, "CredentialPage");

export const SearchQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({
    description: "Any key of a customer, its id, or the beginning of its name or surname. Empty: the newest active customers.",
    example: "A0C2BBCA",
  }),
  cursor: cursorParam("Where the page starts.")
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const cursor = decodeSearchCursor(text);
      if (!cursor) ctx.addIssue({ code: "custom", message: "Must be a cursor this API returned." });
      return cursor ?? undefined;
    })
    .openapi({ type: "string" }),
  limit: limitParam(20),
});

const Match = z
  .object({
    field: z
      .enum([...identifierKinds, "plate", "id", "name", "surname"])
      .openapi({ description: "What matched: an identifier kind, a tag's plate, the id, the name or the surname." }),
    value: z.string(),
    status: z.enum(identifierStatuses).nullable().openapi({ description: "The matching identifier's status." }),
  })
  .openapi("SearchMatch");

const customerStatus = z.enum(["active", "inactive", "merged"]).openapi({ description: "`merged`: absorbed into `mergedIntoId`." });

export const SearchHit = z
  .object({
    id: z.number().int(),
    status: customerStatus,
    mergedIntoId: z.number().int().nullable(),
    channel: z.enum(channels),
    name: z.string().nullable(),
    surname: z.string().nullable(),
    identifiers: z.array(Identifier).openapi({ description: "Active keys other than cards and tags." }),
    createdAt: z.string(),
    matches: z.array(Match),
  })
  .openapi("CustomerSearchHit");

export const SearchPage = page(SearchHit, "CustomerSearchPage");

const HeldIdentifier = z
  .object({
    kind: z.enum(identifierKinds),
    value: z.string(),
    qualifier: z.string().nullable().openapi({ description: "A document's type, a vehicle tag's plate." }),
    status: z.enum(identifierStatuses),
    primary: z.boolean().openapi({ description: "Holds the value exclusively (a shared document: its primary holder)." }),
    createdAt: z.string(),
    statusChangedAt: z.string(),
  })
  .openapi("HeldIdentifier");

export const LedgerEntry = z
  .object({
    id: z.number().int(),
    seq: z.number().int().openapi({ description: "The customer's transaction number (1 = its first)." }),
    createdAt: z.string(),
    unit: z.enum(ledgerUnits),
    direction: z.enum(ledgerDirections),
    amount: z.number(),
    type: z.string().openapi({ example: "POINTS COUPON" }),
    category: z.enum(ledgerCategories),
    title: z.string(),
    partnerTitle: z.string().nullable(),
    description: z.string().nullable(),
    code: z.string().nullable(),
    externalId: z.string().nullable(),
    store: z.object({ externalId: z.string(), name: z.string().nullable() }).nullable(),
    channel: z.enum(channels).nullable(),
    reversesId: z.number().int().nullable().openapi({ description: "The entry this one reverses." }),
    reversedById: z.number().int().nullable().openapi({ description: "The entry that reversed this one." }),
    counterpartId: z.number().int().nullable().openapi({ description: "The other half of a transfer." }),
  })
  .openapi("LedgerEntry");

export const LedgerEntryPage = page(LedgerEntry, "LedgerEntryPage");

export const Customer360 = z
  .object({
    customer: AdminCustomer.omit({ identifiers: true }).extend({
      status: customerStatus,
      mergedIntoId: z.number().int().nullable(),
      sex: z.number().int().nullable(),
      ubigeo: z.string().nullable(),
      consents: z.object({
        whatsapp: z.object({ given: z.boolean().nullable(), at: z.string().nullable() }),
        email: z.object({ given: z.boolean().nullable(), at: z.string().nullable() }),
        sms: z.object({ given: z.boolean().nullable(), at: z.string().nullable() }),
      }),
      clients: z.object({ clientType: z.string().nullable(), contactPerson: z.string().nullable() }),
      parking: z.object({ unlimited: z.boolean().nullable() }),
      loyalty: z.object({ data: z.unknown().openapi({ description: "The partner's `data` block as stored." }) }),
      sales: z.object({ clientTypeId: z.number().int().nullable(), documentTypeId: z.number().int().nullable() }),
    }),
    identifiers: z.array(HeldIdentifier).openapi({ description: "Every key the customer holds or held, cards and tags included, by kind then age." }),
    absorbedIds: z.array(z.number().int()).openapi({ description: "Customers merged into this one." }),
    accounts: z.array(z.object({ unit: z.enum(ledgerUnits), balance: z.number(), earned: z.number() })),
    lots: z
      .array(
        z.object({
          id: z.number().int(),
          transactionId: z.number().int(),
          unit: z.enum(ledgerUnits),
          amount: z.number(),
          remaining: z.number(),
          createdAt: z.string(),
          expiresAt: z.string().nullable(),
          setName: z.string(),
        }),
      )
      .openapi({ description: "Open lots (something remaining), first-expiring-first." }),
    tier: z.object({ id: z.number().int(), name: z.string(), description: z.string() }).nullable(),
    transactions: LedgerEntryPage,
  })
  .openapi("Customer360");

/* Webhooks (the console's view of a tenant's endpoints and their delivery attempts). */

export const WebhookEndpointParams = z.object({ tenantId: numericParam("tenantId"), endpointId: numericParam("endpointId") });

const isoExample = "2026-08-14T15:04:05.123Z";

export const AdminWebhookEndpoint = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.enum(eventTypes)).nullable().openapi({ description: "The event types it receives; null: every type." }),
    status: z.enum(["enabled", "disabled"]).openapi({ description: "A disabled endpoint gets no deliveries; `disabledReason` says why." }),
    disabledReason: z
      .enum(["gone", "failing"])
      .nullable()
      .openapi({ description: "`gone`: it answered 410; `failing`: no attempt succeeded for WEBHOOK_DISABLE_AFTER_SECONDS (5 days)." }),
    failingSince: z
      .string()
      .nullable()
      .openapi({ description: "ISO 8601 UTC: the first failed attempt since its last success; null when the last one succeeded." }),
    createdAt: z.string().openapi({ description: "ISO 8601 UTC." }),
    statusChangedAt: z.string().openapi({ description: "ISO 8601 UTC: last enabled or disabled." }),
    previousSecretExpiresAt: z.string().nullable().openapi({ description: "ISO 8601 UTC: while a rotated-out secret still signs, when it stops." }),
  })
  .openapi("AdminWebhookEndpoint", {
    example: {
      id: 3,
      url: "https://partner.example.com/ficha/webhooks",
      events: ["ledger.posted", "tier.changed"],
      status: "disabled",
      disabledReason: "gone",
      failingSince: isoExample,
      createdAt: "2026-08-01T12:00:00.000Z",
      statusChangedAt: isoExample,
      previousSecretExpiresAt: null,
    },
  });

export const WebhookEndpointPage = page(AdminWebhookEndpoint, "AdminWebhookEndpointPage");

export const AdminWebhookAttempt = z
  .object({
    id: z.number().int(),
    deliveryId: z.number().int().openapi({ description: "One delivery of one event to this endpoint (a redelivery is a new one)." }),
    eventId: z.string().openapi({ description: "The event (its `webhook-id`)." }),
    eventType: z.enum(eventTypes),
    attempt: z.number().int().openapi({ description: "1 for the delivery's first attempt." }),
    statusCode: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null when none came." }),
    error: z.string().nullable().openapi({
      description: "Without a status: `timeout` or `network`; `endpoint_disabled`, `url_refused` or `consumer_failed` (dead-lettered without a request).",
    }),
    durationMs: z.number().int(),
    attemptedAt: z.string().openapi({ description: "ISO 8601 UTC." }),
    outcome: z.enum(["succeeded", "retrying", "dead"]).openapi({ description: "`dead`: dead-lettered (no retry follows); redeliver it." }),
    nextAttemptAt: z.string().nullable().openapi({ description: "ISO 8601 UTC: when the next attempt is due (`retrying`)." }),
  })
  .openapi("AdminWebhookAttempt", {
    example: {
      id: 41,
      deliveryId: 17,
      eventId: "evt_1_42",
      eventType: "ledger.posted",
      attempt: 8,
      statusCode: 503,
      error: null,
      durationMs: 212,
      attemptedAt: isoExample,
      outcome: "dead",
      nextAttemptAt: null,
    },
  });

export const WebhookAttemptPage = page(AdminWebhookAttempt, "AdminWebhookAttemptPage");

export const RedeliverBody = z
  .object({
    eventId: z.string().max(64).openapi({ description: "The event to deliver again: an attempt's `eventId`.", example: "evt_1_42" }),
  })
  .openapi("AdminRedeliver");

export const Redelivery = z
  .object({
    eventId: z.string(),
    endpointId: z.number().int(),
    queued: z.boolean().openapi({ description: "False when nothing was queued: the endpoint is disabled, or does not receive this event." }),
  })
  .openapi("AdminRedelivery", { example: { eventId: "evt_1_42", endpointId: 3, queued: true } });
