import { adminAuth } from "../../http/auth";
import { defineRoutes, jsonBody, jsonContent } from "../../http/openapi";
import { adminErrors } from "./envelope";
import {
  AdminCustomer,
  AdminWebhookEndpoint,
  AuditPage,
  AuditQuery,
  ClientIdParam,
  CreateCredentialBody,
  CreateTenantBody,
  CredentialPage,
  Customer360,
  CustomerParams,
  ErasureResult,
  IdParam,
  IssuedCredential,
  LedgerEntryPage,
  MergeBody,
  MergeParams,
  PageQuery,
  PersonalDataExport,
  RebuildResult,
  RedeliverBody,
  Redelivery,
  RotateCredentialBody,
  RotatedCredential,
  SearchPage,
  SearchQuery,
  Tenant,
  TenantPage,
  TenantSummary,
  UpdateTenantBody,
  VltDestinationBody,
  WebhookAttemptPage,
  WebhookEndpointPage,
  WebhookEndpointParams,
} from "./schemas";

const route = defineRoutes({
  tags: ["Admin (provisioning)"],
  security: [{ adminToken: [] }, { consoleSession: [] }],
  middleware: [adminAuth],
  errors: adminErrors({
    401: "Missing or wrong admin token (or console session).",
    403: "A console session's state-changing request without its CSRF token (`X-CSRF-Token`), or from another site.",
  }),
});

const bodyErrors = adminErrors({ 413: "Body larger than MAX_BODY_BYTES.", 422: "Invalid body; `errors` lists the fields." });

export const createTenantRoute = route({
  method: "post",
  path: "/admin/tenants",
  summary: "Create a tenant",
  request: { body: jsonBody(CreateTenantBody) },
  responses: { 201: { description: "Created.", ...jsonContent(Tenant) }, ...bodyErrors },
});

export const createCredentialRoute = route({
  method: "post",
  path: "/admin/tenants/{id}/credentials",
  summary: "Issue a credential for a tenant",
  description: "Returns the secret once; ficha stores only its SHA-256 hash.",
  request: { params: IdParam, body: jsonBody(CreateCredentialBody) },
  responses: { 201: { description: "Created.", ...jsonContent(IssuedCredential) }, ...adminErrors({ 404: "Unknown tenant." }), ...bodyErrors },
});

export const revokeCredentialRoute = route({
  method: "delete",
  path: "/admin/credentials/{client_id}",
  summary: "Revoke a credential",
  description: "The credential and every token issued to it stop working immediately.",
  request: { params: ClientIdParam },
  responses: { 204: { description: "Revoked." }, ...adminErrors({ 404: "Unknown or already revoked credential." }), ...bodyErrors },
});

export const setVltDestinationRoute = route({
  method: "put",
  path: "/admin/settings/vlt-destination",
  summary: "Set the tenant that receives kiosk (VLT) registrations",
  request: { body: jsonBody(VltDestinationBody) },
  responses: { 200: { description: "Set.", ...jsonContent(VltDestinationBody) }, ...adminErrors({ 404: "Unknown tenant." }), ...bodyErrors },
});

export const clearVltDestinationRoute = route({
  method: "delete",
  path: "/admin/settings/vlt-destination",
  summary: "Unset the VLT destination",
  description: "Afterwards `POST /api/clientes/register` answers 503 until a destination is set again.",
  responses: { 204: { description: "Unset." } },
});

export const rebuildReportsRoute = route({
  method: "post",
  path: "/admin/tenants/{id}/reports/rebuild",
  summary: "Recompute a tenant's loyalty report counters from its ledger",
  description:
    "Reads the tenant's whole ledger (in pages, up to its latest transaction when the rebuild starts) and recomputes the daily counters of " +
    "`/api/report/dailySummary/*` by the same rules the incremental counters follow, in the tenant's current time zone (run it after changing the zone), " +
    "then replaces the counters in one atomic batch, only if no transaction of the tenant was written meanwhile; otherwise it starts over, " +
    "and after 3 tries answers 503 (try again when the tenant is quieter). Idempotent. No body.",
  request: { params: IdParam },
  responses: {
    200: { description: "Rebuilt.", ...jsonContent(RebuildResult) },
    ...adminErrors({ 404: "Unknown tenant.", 503: "The ledger kept changing; try again." }),
  },
});

export const mergeCustomersRoute = route({
  method: "post",
  path: "/admin/tenants/{tenantId}/customers/{survivorId}/merge",
  summary: "Merge a duplicate customer into a survivor",
  description: [
    "One person registered twice (for example at a kiosk and, under another key, by a partner) becomes one customer, in one atomic batch:",
    "the absorbed customer's identifiers (document, VLT codes, client code, parking refId, loyalty externalIds), RFID cards, vehicle tags, sales",
    "and ledger accounts move to the survivor. Balances of the same unit are summed, lots keep their amounts and expirations, and the two",
    "transaction histories become one, numbered by time. The survivor keeps its profile and takes the absorbed customer's values for the fields",
    "it has none of. Report counters (per day and store) do not change.",
    "\n\nThe absorbed customer is deactivated and remembers the survivor: every id partners stored for it keeps answering, on every surface, as",
    "the survivor (`GET /api/clientes/{absorbedId}` returns the survivor; its externalId, refId, VLT code and cards find the survivor).",
    "Both customers' active cards stay active (a player may carry either; the next registered card replaces them all). A document both held",
    "is kept once.",
    "\n\nRefused: `from` equal to the survivor (422 on `from`); a survivor or `from` that is not an active customer of this tenant, another",
    "tenant's included (404). Repeating a merge that already happened answers the survivor again (200).",
  ].join(" "),
  request: { params: MergeParams, body: jsonBody(MergeBody) },
  responses: {
    200: { description: "The survivor, with the identifiers it holds now.", ...jsonContent(AdminCustomer) },
    ...adminErrors({ 404: "Unknown survivor or absorbed customer in this tenant." }),
    ...bodyErrors,
  },
});

/*
 * Operator reads (the operator console's API), tenant settings, secret rotation, the
 * audit log and data-subject requests.
 */

const readErrors = adminErrors({ 422: "Invalid query; `errors` lists the parameters." });

export const listTenantsRoute = route({
  method: "get",
  path: "/admin/tenants",
  summary: "List tenants",
  description:
    "Tenants in id order, with their active customer count and whether public kiosk (VLT) registrations land in them. " +
    "Keyset pages: each reads only its own rows of the tenants table (and the one VLT setting).",
  request: { query: PageQuery },
  responses: { 200: { description: "A page of tenants.", ...jsonContent(TenantPage) }, ...readErrors },
});

export const getTenantRoute = route({
  method: "get",
  path: "/admin/tenants/{id}",
  summary: "Read a tenant",
  request: { params: IdParam },
  responses: { 200: { description: "The tenant.", ...jsonContent(TenantSummary) }, ...adminErrors({ 404: "Unknown tenant." }), ...readErrors },
});

export const updateTenantRoute = route({
  method: "patch",
  path: "/admin/tenants/{id}",
  summary: "Change a tenant's name, time zone, partner rate limit or replica reads",
  description: [
    "Fields absent from the body are left alone. `partnerRateLimit` is the number of requests per minute each partner credential of the tenant",
    "may make on the Bearer routes of every surface (null restores the deployment's PARTNER_RATE_LIMIT); it applies from the next request.",
    "`partnerReplicaReads` lets partner GET routes read from the nearest D1 replica (see its description); each isolate learns it with the next request.",
    "A new time zone applies to report days from now on; `POST /admin/tenants/{id}/reports/rebuild` recounts past days in it. Audited.",
  ].join(" "),
  request: { params: IdParam, body: jsonBody(UpdateTenantBody) },
  responses: { 200: { description: "The tenant as it is now.", ...jsonContent(TenantSummary) }, ...adminErrors({ 404: "Unknown tenant." }), ...bodyErrors },
});

export const rotateCredentialRoute = route({
  method: "post",
  path: "/admin/credentials/{client_id}/rotate",
  summary: "Rotate a credential's secret without downtime",
  description: [
    "Issues a new secret (shown once) for a live partner or kiosk credential. The current secret keeps working until `previous_valid_until`",
    "(`grace_period_seconds`, default 86400 = 24 h, at most 604800 = 7 days; 0 ends it now), at `/oauth/token` and at the lobby alike, so",
    "the partner or kiosk switches at its own pace. Only one previous secret is kept: rotating again during a grace period ends the older",
    "secret at once. Tokens already issued stay valid (they are bound to the credential, not to a secret); `DELETE /admin/credentials/{client_id}`",
    "still ends the credential, both secrets and every token immediately. The body may be omitted. Audited (never with a secret).",
  ].join(" "),
  request: { params: ClientIdParam, body: { ...jsonBody(RotateCredentialBody), required: false } },
  responses: {
    200: { description: "Rotated.", ...jsonContent(RotatedCredential) },
    ...adminErrors({ 404: "Unknown or revoked credential." }),
    ...bodyErrors,
  },
});

export const listAuditRoute = route({
  method: "get",
  path: "/admin/audit",
  summary: "Read the audit log",
  description: [
    "Every operator action — tenant create and update, credential create, rotate and revoke, VLT destination set and unset, merge, export,",
    "erase, report rebuild, webhook endpoint re-enabling and redelivery — and every partner change of its webhook endpoints is one",
    "append-only entry, written in the same atomic batch as",
    "the action (an action never commits without its entry). Newest first, keyset-paginated: follow `nextCursor`; a page reads rows in",
    "proportion to its size. Entries carry ids, field names, non-personal values and counts: never secrets or personal data.",
  ].join(" "),
  request: { query: AuditQuery },
  responses: { 200: { description: "A page of entries.", ...jsonContent(AuditPage) }, ...adminErrors({ 422: "Invalid query; `errors` lists the fields." }) },
});

export const exportCustomerRoute = route({
  method: "get",
  path: "/admin/tenants/{tenantId}/customers/{customerId}/export",
  summary: "Export everything ficha holds about a person (right of access)",
  description: [
    "One JSON document with every row about the person, from every surface: the customer's profile (and those of the duplicates merged into",
    "it: a merged id exports its survivor), identifiers with their history, RFID cards, vehicle tags, consents with their history, ledger",
    "accounts with their lots, every ledger transaction, and sales. Amounts are units (points or currency, up to two decimals), as everywhere in the operator API; times ISO 8601 UTC.",
    "Deactivated and erased customers export too (an erased one shows what was kept). Another tenant's customer is 404. Audited.",
  ].join(" "),
  request: { params: CustomerParams },
  responses: {
    200: { description: "The person's data.", ...jsonContent(PersonalDataExport) },
    ...adminErrors({ 404: "Unknown tenant or customer in this tenant.", 422: "Invalid id." }),
  },
});

export const eraseCustomerRoute = route({
  method: "post",
  path: "/admin/tenants/{tenantId}/customers/{customerId}/erase",
  summary: "Erase a person's data (right to erasure)",
  description: [
    "In one atomic batch, for the customer and every duplicate merged into it: the profile fields and consents are cleared and the consent",
    "history deleted; every identifier (document, VLT code, client code, parking refId, loyalty externalId, RFID cards, vehicle tags and",
    "plates) is cancelled and its value irreversibly replaced (no hash is kept), which frees the values: the same person registering again",
    "is a new customer. Kept, because accounting needs them: the customer row itself (inactive, anonymous), its ledger accounts, lots and",
    "transactions with their amounts, its sales, and the report counters, which a rebuild still reproduces. Every surface then answers the",
    "person as not found; a ledger transaction still read by its type and code shows an anonymous holder. Idempotent: repeating answers",
    "the first erasure's time with `erasedNow: false`. No body. Audited (with counts, never the erased values).",
  ].join(" "),
  request: { params: CustomerParams },
  responses: {
    200: { description: "Erased.", ...jsonContent(ErasureResult) },
    ...adminErrors({ 404: "Unknown tenant or customer in this tenant.", 422: "Invalid id." }),
  },
});

export const listCredentialsRoute = route({
  method: "get",
  path: "/admin/tenants/{id}/credentials",
  summary: "List a tenant's credentials",
  description: "Newest first, revoked ones included (with the time they were revoked). Never a secret or its hash: a secret is shown once, when issued.",
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: { description: "A page of credentials.", ...jsonContent(CredentialPage) },
    ...adminErrors({ 404: "Unknown tenant." }),
    ...readErrors,
  },
});

export const searchCustomersRoute = route({
  method: "get",
  path: "/admin/tenants/{id}/customers",
  summary: "Search a tenant's customers",
  description: [
    "One text, matched against every key of the registry: a document number (any type), a VLT code, a client code, a parking `refId`,",
    "a loyalty `externalId`, an RFID card UID, a vehicle tag code or plate (cards, tags and plates as upper case, trimmed), whatever the",
    "key's status (a replaced card still finds its player: `matches` says which key matched and its status), a customer id, and the",
    "beginning of the name or of the surname (`apellidoPaterno`, else the parking `lastname`; ASCII letters case-insensitively).",
    "Inactive and merged customers are found too (`status`).",
    "\n\nOrder: exact key matches by id, then name matches by name, then surname matches by surname; each customer once. Keyset pages:",
    "every statement seeks straight to the cursor through an index and reads at most `limit + 1` rows (an exact value is read whole: all",
    "the holders of one document), so a page reads rows in proportion to its size, however large the registry. Without `q`: the newest",
    "active customers. Another tenant's customers never match.",
  ].join(" "),
  request: { params: IdParam, query: SearchQuery },
  responses: { 200: { description: "A page of customers.", ...jsonContent(SearchPage) }, ...adminErrors({ 404: "Unknown tenant." }), ...readErrors },
});

export const customerOverviewRoute = route({
  method: "get",
  path: "/admin/tenants/{tenantId}/customers/{customerId}",
  summary: "The customer 360",
  description: [
    "Everything the registry holds about one customer, in one D1 round trip: the profile with every surface's fields (consents, the",
    "clients surface's type and contact, the parking flag, the loyalty `data` block, the sales catalogue ids), every identifier it holds or",
    "held with its status and when it changed (cards and tags: active, replaced, cancelled), the customers merged into it, its ledger",
    "accounts (balance and lifetime earned per unit), open lots first-expiring-first, its tier and its 10 latest transactions",
    "(`transactions.nextCursor` continues at `/transactions`). Any customer of the tenant, active or not: an absorbed one shows",
    "`status: merged` and `mergedIntoId` (ids are not followed here, so an operator sees what happened).",
  ].join(" "),
  request: { params: CustomerParams },
  responses: {
    200: { description: "The customer 360.", ...jsonContent(Customer360) },
    ...adminErrors({ 404: "No such customer in this tenant (another tenant's included)." }),
  },
});

export const customerTransactionsRoute = route({
  method: "get",
  path: "/admin/tenants/{tenantId}/customers/{customerId}/transactions",
  summary: "A customer's ledger history",
  description:
    "Newest first, in pages of the customer's transaction numbers (`seq`): each page is one index range. Reversals are linked both ways " +
    "(`reversesId` on the reversal, `reversedById` on what it reversed); a transfer's halves name each other (`counterpartId`).",
  request: { params: CustomerParams, query: PageQuery },
  responses: {
    200: { description: "A page of transactions.", ...jsonContent(LedgerEntryPage) },
    ...adminErrors({ 404: "No such customer in this tenant (another tenant's included)." }),
    ...readErrors,
  },
});

/*
 * Webhooks: a tenant's endpoints (registered by its partners through /v1) and their
 * delivery attempts, for operators answering "why did the partner not get it?".
 */

const endpointNotFound = adminErrors({ 404: "No such webhook endpoint in this tenant (another tenant's, or a deleted one, included)." });

export const listWebhookEndpointsRoute = route({
  method: "get",
  path: "/admin/tenants/{tenantId}/webhook-endpoints",
  summary: "List a tenant's webhook endpoints",
  description: [
    "The endpoints the tenant's partners registered (`POST /v1/webhook-endpoints`), oldest first, deleted ones left out: URL, the event types",
    "they receive, status, why a disabled one was disabled, since when its attempts have been failing, and when it was created. Never a",
    "secret. Keyset pages (a tenant holds at most 20 endpoints, so the default page holds them all).",
  ].join(" "),
  request: { params: WebhookEndpointParams.pick({ tenantId: true }), query: PageQuery },
  responses: {
    200: { description: "A page of endpoints.", ...jsonContent(WebhookEndpointPage) },
    ...adminErrors({ 404: "Unknown tenant." }),
    ...readErrors,
  },
});

export const getWebhookEndpointRoute = route({
  method: "get",
  path: "/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}",
  summary: "Read a webhook endpoint",
  request: { params: WebhookEndpointParams },
  responses: { 200: { description: "The endpoint.", ...jsonContent(AdminWebhookEndpoint) }, ...endpointNotFound },
});

export const listWebhookAttemptsRoute = route({
  method: "get",
  path: "/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/deliveries",
  summary: "List an endpoint's delivery attempts",
  description: [
    "Every attempt of every delivery to the endpoint, newest first, as `GET /v1/webhook-endpoints/{id}/deliveries` shows them to the partner:",
    "the event id and type, the attempt number, the receiver's HTTP status or the error, the duration, the outcome (`dead`: dead-lettered)",
    "and when the next attempt is due. Keyset pages, each one index range. Kept EVENT_RETENTION_DAYS (30) days.",
  ].join(" "),
  request: { params: WebhookEndpointParams, query: PageQuery },
  responses: {
    200: { description: "A page of attempts.", ...jsonContent(WebhookAttemptPage) },
    ...endpointNotFound,
    ...readErrors,
  },
});

export const redeliverWebhookRoute = route({
  method: "post",
  path: "/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/redeliver",
  summary: "Deliver an event to an endpoint again",
  description: [
    "Queues a fresh delivery of the event to this endpoint only (the same `webhook-id`, attempts counted from 1 again), as",
    "`POST /v1/events/{id}/redeliver` does for every endpoint of the partner: use it for a dead-lettered delivery, or any other.",
    "`queued: false` when nothing was queued: the endpoint is disabled (enable it first), or does not receive the event (another type,",
    "or an event older than the endpoint). An unknown, pruned or another tenant's event is 404. Audited (`webhook_endpoint.redelivered`).",
  ].join(" "),
  request: { params: WebhookEndpointParams, body: jsonBody(RedeliverBody) },
  responses: {
    202: { description: "Queued (or not: `queued`).", ...jsonContent(Redelivery) },
    ...adminErrors({ 404: "Unknown endpoint or event in this tenant." }),
    ...bodyErrors,
  },
});

export const enableWebhookEndpointRoute = route({
  method: "post",
  path: "/admin/tenants/{tenantId}/webhook-endpoints/{endpointId}/enable",
  summary: "Enable a disabled webhook endpoint again",
  description: [
    "For a receiver that is fixed: the endpoint's failure streak is forgotten and it receives the events committed from now on. The events",
    "written while it was disabled are not sent in a burst; they stay in the feed (`GET /v1/events`), and each can be redelivered to it",
    "(`…/redeliver`). Enabling an enabled endpoint changes nothing. No body. Audited (`webhook_endpoint.enabled`).",
  ].join(" "),
  request: { params: WebhookEndpointParams },
  responses: { 200: { description: "The endpoint as it is now.", ...jsonContent(AdminWebhookEndpoint) }, ...endpointNotFound },
});
