import { bearerAuth } from "../../http/auth";
import { defineRoutes, jsonBody, methodNotAllowedResponse } from "../../http/openapi";
import { ParkingError, parkingErrors } from "./envelope";
import { AddCustomerBody, AddCustomerResponse, AddTagsResponse, CancelTagsResponse, ListTagsBody, MAX_TAGS_PER_REQUEST, TagList, TagsBody } from "./schemas";

const route = defineRoutes({
  tags: ["Parking: customers and vehicle tags"],
  security: [{ bearerAuth: [] }],
  middleware: [bearerAuth],
  errors: {
    ...parkingErrors({ 401: "Missing, bad or revoked token.", 413: "Body too large.", 415: "Content type is not JSON." }),
    ...methodNotAllowedResponse(ParkingError, { statusCode: 405, message: "Method Not Allowed", error: "Method Not Allowed" }),
  },
});

const common = [
  "Tenant from the Bearer token; another tenant's customers do not exist here.",
  "Tag codes and plates are trimmed and upper-cased before they are stored or compared (the response echoes the normalised code).",
  `At most ${MAX_TAGS_PER_REQUEST} tags per request.`,
  "Bad bodies (missing or ill-typed fields, over-long strings, malformed JSON) -> 400 with NestJS ValidationPipe's `message: [..]`.",
].join(" ");

const refRule =
  '`customer.id` 0 or null is not given (the seed\'s request templates send `"id": 0`). ' +
  "If `customer.id` is given and is not the id of the customer `customer.refId` names -> 400, nothing written " +
  "(the id of a customer an operator merged into another names that other one).";

export const addCustomerRoute = route({
  method: "post",
  path: "/api/v3/business/customer/add",
  summary: "Create Client",
  description: [
    "Creates a customer (keyed by the operator's `refId`) and binds its tags, all in one write; answers 201 (NestJS's default for POST).",
    "`tags[].status` is true when the tag was bound; false for a code repeated earlier in the same request (bound once).",
    "All or nothing: a `refId` already used in the tenant (also by a customer since deleted on another surface: refIds are never reused) -> 409 `User with refId {refId} already exists`;",
    "a tag code active on another customer -> 409 `User with ID {holder} sticket active` (the id of the customer holding it);",
    "more than one tag when `isUnlimited` is false -> 400. In every refusal nothing is written, the customer included.",
    "`email` must be an email address. The customer is the tenant's customer on every surface.",
    common,
  ].join(" "),
  request: { body: jsonBody(AddCustomerBody) },
  responses: {
    201: { description: "Customer created.", content: { "application/json": { schema: AddCustomerResponse } } },
    ...parkingErrors({
      400: "Invalid body.",
      409: "`refId` already used in the tenant, or a tag active on another customer.",
      503: "A tag is locked by another request for too long; retry.",
    }),
  },
});

export const listTagsRoute = route({
  method: "post",
  path: "/api/v3/business/tag/list",
  summary: "Get All Tags",
  description: [
    "The customer's active tags, oldest first (cancelled tags are not listed); answers 200.",
    'Unknown `refId` -> 404. `customerId` 0 or null is not given (the seed\'s request template sends `"customerId": 0`);',
    "if it is given and is not the id of the customer `refId` names -> 400.",
    common,
  ].join(" "),
  request: { body: jsonBody(ListTagsBody) },
  responses: {
    200: { description: "Active tags.", content: { "application/json": { schema: TagList } } },
    ...parkingErrors({
      400: "Invalid body, or `customerId` disagrees with `refId`.",
      404: "Unknown customer.",
    }),
  },
});

export const addTagsRoute = route({
  method: "post",
  path: "/api/v3/business/tag/add",
  summary: "Create Tags User",
  description: [
    "Binds tags to an existing customer; answers 201.",
    "`tagsCreate[].status` is true when the tag was bound now; false when that code is already active on this customer",
    "(nothing changes, its plate included) or repeats a code earlier in the request.",
    "All or nothing: a code active on another customer of the tenant -> 409 `User with ID {holder} sticket active`",
    "(the id of the customer holding it); a customer without `isUnlimited` that would hold more than one active tag",
    "-> 409 `User with ID {customer} sticket active`. Nothing is written on a 409.",
    "Concurrent binds of one code are serialised: exactly one wins, the others get 409. A cancelled code can be bound again.",
    "Unknown `customer.refId` -> 404.",
    refRule,
    common,
  ].join(" "),
  request: { body: jsonBody(TagsBody) },
  responses: {
    201: { description: "Tags bound (see `status`).", content: { "application/json": { schema: AddTagsResponse } } },
    ...parkingErrors({
      400: "Invalid body, or `customer.id` disagrees with `customer.refId`.",
      404: "Unknown customer.",
      409: "Tag active on another customer, or the customer already has its one active sticker.",
      503: "A tag is locked by another request for too long; retry.",
    }),
  },
});

export const cancelTagsRoute = route({
  method: "put",
  path: "/api/v3/business/tag/cancel",
  summary: "Cancel Tag",
  description: [
    "Cancels tags of a customer; answers 200. `tagsCancell[].cancell` is true when a tag with that code and plate was active on",
    "this customer and is now cancelled; false otherwise (unknown code, already cancelled, a different plate, or another",
    "customer's tag, which is never touched). A cancelled tag leaves the list and may be bound again (to any customer).",
    "Unknown `customer.refId` -> 404.",
    refRule,
    common,
  ].join(" "),
  request: { body: jsonBody(TagsBody) },
  responses: {
    200: { description: "Tags cancelled (see `cancell`).", content: { "application/json": { schema: CancelTagsResponse } } },
    ...parkingErrors({
      400: "Invalid body, or `customer.id` disagrees with `customer.refId`.",
      404: "Unknown customer.",
    }),
  },
});
