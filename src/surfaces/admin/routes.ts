import { adminAuth } from "../../http/auth";
import { defineRoutes, jsonBody, jsonContent } from "../../http/openapi";
import { adminErrors } from "./envelope";
import {
  AdminCustomer,
  ClientIdParam,
  CreateCredentialBody,
  CreateTenantBody,
  IdParam,
  IssuedCredential,
  MergeBody,
  MergeParams,
  RebuildResult,
  Tenant,
  VltDestinationBody,
} from "./schemas";

const route = defineRoutes({
  tags: ["Admin (provisioning)"],
  security: [{ adminToken: [] }],
  middleware: [adminAuth],
  errors: adminErrors({ 401: "Missing or wrong admin token." }),
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
