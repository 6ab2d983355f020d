import { pruneEvents } from "./core/events/feed";
import { withOutbox } from "./core/events/outbox";
import { expireDueLots } from "./core/ledger/expiration";
import { webhookConfig } from "./core/webhooks/config";
import { announceEvents, sweep } from "./core/webhooks/delivery";
import { createDb } from "./db/client";

/** What a job did that is worth a log line (`msg` plus its counts), or nothing. */
export type JobReport = { msg: string } & Record<string, unknown>;

/**
 * Jobs run by the cron trigger (wrangler.toml `[triggers]`, every minute), each bounded
 * so one run stays within a Worker invocation's limits. Jobs report rather than log, so
 * the cron handler logs and a caller (a test) can read what happened; a job that fails
 * is reported too, and the others still run.
 */
export type ScheduledJob = (env: Env, scheduledTime: number) => Promise<JobReport | undefined>;

export const scheduledJobs: ScheduledJob[] = [
  // Loyalty ledger: expire POINTS lots past their date (at most 500 lots per run); their events are announced once committed.
  async (env, scheduledTime) => {
    const tenants = new Set<number>();
    const expired = await withOutbox(
      (tenantId) => tenants.add(tenantId),
      () => expireDueLots(createDb(env.DB), scheduledTime),
    );
    await announceEvents(env.WEBHOOKS, tenants);
    return expired > 0 ? { msg: "ledger lots expired", expired } : undefined;
  },
  // Webhooks: announce events and re-enqueue deliveries whose queue messages went missing.
  async (env, scheduledTime) => {
    const swept = await sweep(createDb(env.DB), env.WEBHOOKS, scheduledTime);
    return swept.tenants + swept.deliveries > 0 ? { msg: "webhook sweep re-enqueued", ...swept } : undefined;
  },
  // Events, deliveries and attempts past EVENT_RETENTION_DAYS (at most 1,000 of each per run).
  async (env, scheduledTime) => {
    const pruned = await pruneEvents(createDb(env.DB), scheduledTime, webhookConfig(env).retentionMs);
    return pruned > 0 ? { msg: "events pruned", pruned } : undefined;
  },
];

/** Runs the jobs in turn; returns the reports of those that did something or failed. */
export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const job of scheduledJobs) {
    try {
      const report = await job(env, scheduledTime);
      if (report) reports.push(report);
    } catch (err) {
      reports.push({ msg: "scheduled job failed", level: "error", error: err instanceof Error ? err.message : String(err) });
    }
  }
  return reports;
}
