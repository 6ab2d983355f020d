/**
 * The webhook settings, read once from the deployment's vars and secrets (wrangler.toml
 * `[vars]`, `.dev.vars`, `wrangler secret put`). A var that does not parse falls back to
 * its default.
 */
export interface WebhookConfig {
  /** WEBHOOK_SECRET_KEY: the key endpoints' signing secrets are encrypted with at rest (absent: endpoints cannot be created). */
  secretKey: string | undefined;
  /** A 2xx within this is a success (WEBHOOK_TIMEOUT_SECONDS, default 10). */
  timeoutMs: number;
  /** Delays before each retry (WEBHOOK_RETRY_SCHEDULE_SECONDS); after the last, the delivery is dead-lettered. */
  retrySchedule: number[];
  /** How long a rotated-out secret keeps signing (WEBHOOK_SECRET_GRACE_SECONDS, default 24 h). */
  graceMs: number;
  /** An endpoint whose attempts have all failed for this long is disabled (WEBHOOK_DISABLE_AFTER_SECONDS, default 5 days). */
  disableAfterMs: number;
  /** WEBHOOK_ALLOW_LOOPBACK=on admits http://127.0.0.1:<port> and http://localhost:<port> (development and tests only). */
  allowLoopback: boolean;
  /** Events, deliveries and attempts older than this are deleted (EVENT_RETENTION_DAYS, default 30). */
  retentionMs: number;
}

/** Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

export interface WebhookVars {
  WEBHOOK_SECRET_KEY?: string;
  WEBHOOK_TIMEOUT_SECONDS?: string;
  WEBHOOK_RETRY_SCHEDULE_SECONDS?: string;
  WEBHOOK_SECRET_GRACE_SECONDS?: string;
  WEBHOOK_DISABLE_AFTER_SECONDS?: string;
  WEBHOOK_ALLOW_LOOPBACK?: string;
  EVENT_RETENTION_DAYS?: string;
}

const seconds = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
};

function schedule(value: string | undefined): number[] {
  const delays = (value ?? "").split(",").map((part) => Number(part.trim()));
  return value && delays.every((d) => Number.isInteger(d) && d >= 0) ? delays : DEFAULT_RETRY_SCHEDULE;
}

export function webhookConfig(vars: WebhookVars): WebhookConfig {
  return {
    secretKey: vars.WEBHOOK_SECRET_KEY || undefined,
    timeoutMs: seconds(vars.WEBHOOK_TIMEOUT_SECONDS, 10) * 1000,
    retrySchedule: schedule(vars.WEBHOOK_RETRY_SCHEDULE_SECONDS),
    graceMs: seconds(vars.WEBHOOK_SECRET_GRACE_SECONDS, 86_400) * 1000,
    disableAfterMs: seconds(vars.WEBHOOK_DISABLE_AFTER_SECONDS, 432_000) * 1000,
    allowLoopback: vars.WEBHOOK_ALLOW_LOOPBACK === "on",
    retentionMs: seconds(vars.EVENT_RETENTION_DAYS, 30) * 86_400_000,
  };
}
