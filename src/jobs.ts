/**
 * Jobs run by the cron trigger (wrangler.toml `[triggers]`), each bounded so one run
 * stays within a Worker invocation's limits. Surfaces register theirs here (the loyalty
 * ledger's lot expiration arrives with that surface).
 */
export type ScheduledJob = (env: Env, scheduledTime: number) => Promise<void>;

export const scheduledJobs: ScheduledJob[] = [];

export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<void> {
  for (const job of scheduledJobs) await job(env, scheduledTime);
}
