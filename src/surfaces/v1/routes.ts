import { bearerAuth } from "../../http/auth";
import { defineRoutes, jsonBody, jsonContent } from "../../http/openapi";
import { v1Errors } from "./envelope";
import {
  AttemptsPage,
  AttemptsQuery,
  CreatedEndpoint,
  CreateEndpointBody,
  EndpointIdParam,
  EndpointList,
  EventIdParam,
  EventsPage,
  EventsQuery,
  MAX_ENDPOINTS_PER_TENANT,
  Redelivered,
  RotatedSecret,
} from "./schemas";

const route = defineRoutes({
  tags: ["ficha: events and webhooks"],
  security: [{ bearerAuth: [] }],
  middleware: [bearerAuth],
  errors: v1Errors({ 401: "Missing, invalid or revoked token." }),
});

const tenantNote = "Tenant from the Bearer token (a partner credential's): another tenant's events and endpoints do not exist here (404).";
const bodyErrors = v1Errors({
  400: "The body is not JSON.",
  413: "Body larger than MAX_BODY_BYTES.",
  415: "Content type is not JSON.",
  422: "Invalid body; `errors` lists the fields.",
});
const endpointNotFound = v1Errors({ 404: "Unknown endpoint (or another tenant's, or deleted)." });

export const listEventsRoute = route({
  method: "get",
  path: "/v1/events",
  summary: "Read the event feed",
  description: [
    "The tenant's events in commit order, oldest first, after the cursor `after` (absent: from the oldest retained event), at most `limit` (default 100).",
    "`next_cursor` is the position after the last event returned (the same as `after` when there is nothing new): a reader that always passes the",
    "last `next_cursor` it got sees every event exactly once, in order, even under concurrent writes, because events are numbered inside the",
    "write's own batch and D1 commits batches one at a time. A page reads only the rows it returns.",
    "Events are kept EVENT_RETENTION_DAYS (30) days; a cursor older than that resumes at the oldest event still kept.",
    tenantNote,
  ].join(" "),
  request: { query: EventsQuery },
  responses: { 200: { description: "A page of events.", ...jsonContent(EventsPage) }, ...v1Errors({ 422: "`after` or `limit` is not valid." }) },
});

export const redeliverEventRoute = route({
  method: "post",
  path: "/v1/events/{id}/redeliver",
  summary: "Deliver an event again",
  description: [
    "Queues a fresh delivery of the event (same `webhook-id`, attempts counted from 1 again) to each of its endpoints: the enabled endpoints that",
    "receive its type and existed when it was written. Use it for a dead-lettered delivery. Answers 202 with the endpoints it was queued for",
    "(possibly none). No body.",
    tenantNote,
  ].join(" "),
  request: { params: EventIdParam },
  responses: { 202: { description: "Queued.", ...jsonContent(Redelivered) }, ...v1Errors({ 404: "Unknown event (or another tenant's, or pruned)." }) },
});

export const createEndpointRoute = route({
  method: "post",
  path: "/v1/webhook-endpoints",
  summary: "Register a webhook endpoint",
  description: [
    "Events committed from now on (of the types listed in `events`, or every type) are POSTed to `url`, signed per Standard Webhooks 1.0:",
    "headers `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (Unix seconds) and `webhook-signature`",
    "(`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret's base64-decoded bytes). The body is the event as the feed shows it.",
    "A 2xx within WEBHOOK_TIMEOUT_SECONDS (10) is a success; anything else (redirects are not followed) is retried after 5 s, 5 min, 30 min, 2 h, 5 h,",
    "10 h and 10 h (± 10 %), then dead-lettered. A 410 disables the endpoint at once, and so do 5 days of attempts without a success.",
    "`url` must be `https://` to a public host: no credentials, no IP literal in a private, loopback or link-local range, no `localhost` or",
    "`*.local`/`*.internal` name -> 422 on `url`. The `secret` is shown only in this answer.",
    `At most ${MAX_ENDPOINTS_PER_TENANT} endpoints per tenant.`,
    tenantNote,
  ].join(" "),
  request: { body: jsonBody(CreateEndpointBody) },
  responses: {
    201: { description: "Registered.", ...jsonContent(CreatedEndpoint) },
    ...bodyErrors,
    ...v1Errors({ 503: "WEBHOOK_SECRET_KEY is not set on this deployment." }),
  },
});

export const listEndpointsRoute = route({
  method: "get",
  path: "/v1/webhook-endpoints",
  summary: "List webhook endpoints",
  description: [
    "The tenant's endpoints, oldest first, with their status; never their secrets. A disabled endpoint says why (`gone`: it answered 410;",
    "`failing`: 5 days of attempts without a success) and gets no deliveries until an operator enables it again or the URL is registered",
    "again; then it receives the events committed from that moment (those in between stay in the feed, and can be redelivered).",
    tenantNote,
  ].join(" "),
  responses: { 200: { description: "The endpoints.", ...jsonContent(EndpointList) } },
});

export const deleteEndpointRoute = route({
  method: "delete",
  path: "/v1/webhook-endpoints/{id}",
  summary: "Delete a webhook endpoint",
  description: ["No attempt is made to it from now on (queued deliveries are cancelled). Its attempt log goes with it.", tenantNote].join(" "),
  request: { params: EndpointIdParam },
  responses: { 204: { description: "Deleted." }, ...endpointNotFound },
});

export const rotateSecretRoute = route({
  method: "post",
  path: "/v1/webhook-endpoints/{id}/rotate-secret",
  summary: "Rotate an endpoint's signing secret",
  description: [
    "Returns a new secret. For WEBHOOK_SECRET_GRACE_SECONDS (24 h) each delivery carries two signatures in `webhook-signature`, space-delimited",
    "(the new secret's first), so a receiver verifies with either while it switches; a second rotation within that time retires the oldest secret",
    "at once. No body.",
    tenantNote,
  ].join(" "),
  request: { params: EndpointIdParam },
  responses: { 200: { description: "Rotated.", ...jsonContent(RotatedSecret) }, ...endpointNotFound, ...v1Errors({ 503: "WEBHOOK_SECRET_KEY is not set." }) },
});

export const listAttemptsRoute = route({
  method: "get",
  path: "/v1/webhook-endpoints/{id}/deliveries",
  summary: "List an endpoint's delivery attempts",
  description: [
    "Every attempt of every delivery to the endpoint, newest first: the event, the attempt number, the receiver's status (or the error), the",
    "duration, when it was made and when the next one is due. `outcome: dead` marks a dead-lettered delivery.",
    "`limit` defaults to 50 (at most 100); `cursor` pages back. Kept EVENT_RETENTION_DAYS (30) days.",
    tenantNote,
  ].join(" "),
  request: { params: EndpointIdParam, query: AttemptsQuery },
  responses: {
    200: { description: "A page of attempts.", ...jsonContent(AttemptsPage) },
    ...endpointNotFound,
    ...v1Errors({ 422: "Bad `cursor` or `limit`." }),
  },
});
