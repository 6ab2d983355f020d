import { pruneEvents } from "./core/events/feed";
import { withOutbox } from "./core/events/outbox";
import { expireDueLots } from "./core/ledger/expiration";
import { webhookConfig } from "./core/webhooks/config";
import { announceEvents, sweep } from "./core/webhooks/delivery";
import { createDb } from "./db/client";

/**
 * Jobs run by the cron trigger (wrangler.toml `[triggers]`, every minute), each bounded
 * so one run stays within a Worker invocation's limits. A job that fails is logged and
 * the others still run.
 */
export type ScheduledJob = (env: Env, scheduledTime: number) => Promise<void>;

const info = (msg: string, fields: Record<string, unknown>) => console.log(JSON.stringify({ level: "info", msg, ...fields }));

export const scheduledJobs: ScheduledJob[] = [
  // Loyalty ledger: expire POINTS lots past their date (at most 500 lots per run); their events are announced once committed.
  async (env, scheduledTime) => {
    const tenants = new Set<number>();
    const expired = await withOutbox(
      (tenantId) => tenants.add(tenantId),
      () => expireDueLots(createDb(env.DB), scheduledTime),
    );
    await announceEvents(env.WEBHOOKS, tenants);
    if (expired > 0) info("ledger lots expired", { expired });
  },
  // Webhooks: announce events and re-enqueue deliveries whose queue messages went missing.
  async (env, scheduledTime) => {
    const swept = await sweep(createDb(env.DB), env.WEBHOOKS, scheduledTime);
    if (swept.tenants + swept.deliveries > 0) info("webhook sweep re-enqueued", swept);
  },
  // Events, deliveries and attempts past EVENT_RETENTION_DAYS (at most 1,000 of each per run).
  async (env, scheduledTime) => {
    const pruned = await pruneEvents(createDb(env.DB), scheduledTime, webhookConfig(env).retentionMs);
    if (pruned > 0) info("events pruned", { pruned });
  },
];

export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<void> {
  for (const job of scheduledJobs) {
    try {
      await job(env, scheduledTime);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "scheduled job failed", error: err instanceof Error ? err.message : String(err) }));
    }
  }
}
