import { z } from "@hono/zod-openapi";
import { channels, ledgerCategories, ledgerDirections, ledgerUnits } from "../../core/ledger/entries";
import { identifierKinds, identifierStatuses } from "../../core/registry/identifiers";
import { decodeSearchCursor } from "../../core/registry/search";
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

/*
 * Operator reads (the console's API). Lists are keyset pages `{data, nextCursor}`: pass
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
  createdAt: z.string().openapi({ description: "ISO 8601 UTC." }),
}).openapi("TenantSummary");

export const TenantPage = page(TenantSummary, "TenantPage");

export const UpdateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional().openapi({ example: "Casino Miraflores" }),
    timezone: z.string().max(64).optional().openapi({ description: "IANA time zone.", example: "America/Lima" }),
  })
  .openapi("UpdateTenant");

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
