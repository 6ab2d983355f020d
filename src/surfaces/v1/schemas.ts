import { z } from "@hono/zod-openapi";
import { eventTypes } from "../../core/events/outbox";
import { MAX_ENDPOINTS_PER_TENANT } from "../../core/webhooks/endpoints";
import { codedErrorSchema } from "../../http/openapi";

/** Most events one feed page returns. */
export const MAX_EVENTS_PER_PAGE = 500;
/** Most attempts one page of an endpoint's log returns. */
export const MAX_ATTEMPTS_PER_PAGE = 100;

/** Digits, read as a number (cursors, ids, limits). */
const digits = (max = 15) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${max}}$`), "Must be a non-negative integer.")
    .transform(Number);

export const EventsQuery = z.object({
  after: digits()
    .optional()
    .openapi({
      param: { name: "after", in: "query" },
      description: "A `next_cursor` from an earlier page; absent: from the oldest retained event.",
      example: "42",
    }),
  limit: digits(3)
    .pipe(z.number().int().min(1).max(MAX_EVENTS_PER_PAGE))
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, description: `1 to ${MAX_EVENTS_PER_PAGE}; default 100.`, example: "100" }),
});

export const EventIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, description: "An event id from the feed or a delivery's `webhook-id`.", example: "evt_1_42" }),
});

export const EndpointIdParam = z.object({
  id: digits().openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

export const AttemptsQuery = z.object({
  cursor: digits()
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "A `next_cursor` from the previous page; absent: the newest attempts." }),
  limit: digits(3)
    .pipe(z.number().int().min(1).max(MAX_ATTEMPTS_PER_PAGE))
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, description: `1 to ${MAX_ATTEMPTS_PER_PAGE}; default 50.`, example: "50" }),
});

const EventType = z.enum(eventTypes).openapi("EventType");
const isoTime = (description: string) => z.string().openapi({ description: `${description} (ISO 8601 UTC).`, example: "2026-08-14T15:04:05.123Z" });

export const Event = z
  .object({
    id: z.string().openapi({ description: "Unique and stable: the feed's id and every delivery's `webhook-id`.", example: "evt_1_42" }),
    type: EventType,
    created_at: isoTime("When the change committed"),
    data: z.record(z.string(), z.unknown()).openapi({ description: "The customer's id and identifiers and what changed; see the README's event catalogue." }),
  })
  .openapi("Event", {
    example: {
      id: "evt_1_42",
      type: "tag.added",
      created_at: "2026-08-14T15:04:05.123Z",
      data: {
        customer: { id: 7, identifiers: [{ kind: "parking_ref", value: "AAAABBB0001", qualifier: null }] },
        tag: { id: 31, code: "O202020", plate: "JPKJ21" },
      },
    },
  });

export const EventsPage = z
  .object({
    data: z.array(Event),
    next_cursor: z.string().openapi({ description: "Pass as `after` to read on; the same cursor again when there was nothing new.", example: "42" }),
  })
  .openapi("EventsPage");

export const Redelivered = z
  .object({
    event_id: z.string().openapi({ example: "evt_1_42" }),
    endpoint_ids: z.array(z.number().int()).openapi({ description: "The endpoints a fresh delivery was queued for.", example: [1] }),
  })
  .openapi("Redelivered");

export const CreateEndpointBody = z
  .object({
    url: z.string().max(2048).openapi({ description: "`https://` to a public host, no credentials.", example: "https://partner.example.com/ficha/webhooks" }),
    events: z
      .array(EventType)
      .min(1)
      .max(eventTypes.length * 2)
      .nullish()
      .openapi({ description: "The event types to receive; absent or null: every type.", example: ["ledger.posted", "tier.changed"] }),
  })
  .openapi("CreateWebhookEndpoint");

export const Endpoint = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    url: z.string().openapi({ example: "https://partner.example.com/ficha/webhooks" }),
    events: z.array(EventType).nullable().openapi({ description: "null: every type." }),
    status: z.enum(["enabled", "disabled"]).openapi({ description: "A disabled endpoint gets no deliveries; `disabled_reason` says why." }),
    disabled_reason: z
      .enum(["gone", "failing"])
      .nullable()
      .openapi({ description: "`gone`: it answered 410; `failing`: no attempt succeeded for WEBHOOK_DISABLE_AFTER_SECONDS (5 days)." }),
    created_at: isoTime("Created"),
    status_changed_at: isoTime("Last enabled, disabled or deleted"),
    previous_secret_expires_at: isoTime("While a rotated-out secret still signs, when it stops").nullable(),
  })
  .openapi("WebhookEndpoint");

const secret = z.string().openapi({
  description: "`whsec_` + base64 of 32 random bytes: shown only here; ficha stores it encrypted.",
  example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
});

export const CreatedEndpoint = Endpoint.extend({ secret }).openapi("CreatedWebhookEndpoint");

export const EndpointList = z.object({ data: z.array(Endpoint) }).openapi("WebhookEndpointList");

export const RotatedSecret = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    secret,
    previous_secret_expires_at: isoTime("Until then, deliveries carry the old secret's signature too"),
  })
  .openapi("RotatedWebhookSecret");

export const Attempt = z
  .object({
    id: z.number().int(),
    delivery_id: z.number().int().openapi({ description: "One delivery of one event to this endpoint (a redelivery is a new one)." }),
    event_id: z.string().openapi({ example: "evt_1_42" }),
    event_type: EventType,
    attempt: z.number().int().openapi({ description: "1 for the first attempt of the delivery.", example: 1 }),
    status_code: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null when none came.", example: 503 }),
    error: z.string().nullable().openapi({
      description: "Without a status: `timeout` or `network`; `endpoint_disabled` or `consumer_failed` (dead-lettered without a request).",
      example: null,
    }),
    duration_ms: z.number().int(),
    attempted_at: isoTime("When the attempt was made"),
    outcome: z.enum(["succeeded", "retrying", "dead"]).openapi({ description: "`dead`: dead-lettered; `POST /v1/events/{id}/redeliver` delivers it afresh." }),
    next_attempt_at: isoTime("When the next attempt is due").nullable(),
  })
  .openapi("WebhookAttempt");

export const AttemptsPage = z
  .object({
    data: z.array(Attempt),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for older attempts; null at the end." }),
  })
  .openapi("WebhookAttemptsPage");

export const V1Error = codedErrorSchema("V1Error", { url: ["Must be https:// to a public host."] });

export { MAX_ENDPOINTS_PER_TENANT };
