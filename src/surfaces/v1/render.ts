import type { AttemptView, EndpointView } from "../../core/webhooks/endpoints";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** An endpoint as its listing shows it: never its secret. */
export function renderEndpoint(endpoint: EndpointView) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.eventTypes,
    status: endpoint.status,
    disabled_reason: endpoint.disabledReason,
    created_at: iso(endpoint.createdAt),
    status_changed_at: iso(endpoint.statusChangedAt),
    previous_secret_expires_at: isoOrNull(endpoint.previousSecretExpiresAt),
  };
}

export function renderAttempt(attempt: AttemptView) {
  return {
    id: attempt.id,
    delivery_id: attempt.deliveryId,
    event_id: attempt.eventId,
    event_type: attempt.eventType,
    attempt: attempt.attempt,
    status_code: attempt.statusCode,
    error: attempt.error,
    duration_ms: attempt.durationMs,
    attempted_at: iso(attempt.attemptedAt),
    outcome: attempt.outcome,
    next_attempt_at: isoOrNull(attempt.nextAttemptAt),
  };
}

/** A cursor as the wire carries it (opaque digits). */
export const renderCursor = (cursor: number) => String(cursor);
