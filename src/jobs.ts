import { expireDueLots } from "./core/ledger/expiration";
import { createDb } from "./db/client";

/** What a job did that is worth a log line (`msg` plus its counts), or nothing. */
export type JobReport = { msg: string } & Record<string, unknown>;

/**
 * Jobs run by the cron trigger (wrangler.toml `[triggers]`), each bounded so one run
 * stays within a Worker invocation's limits. Jobs report rather than log, so the cron
 * handler logs and a caller (a test) can read what happened.
 */
export type ScheduledJob = (env: Env, scheduledTime: number) => Promise<JobReport | undefined>;

export const scheduledJobs: ScheduledJob[] = [
  // Loyalty ledger: expire POINTS lots past their date (at most 500 lots per run).
  async (env, scheduledTime) => {
    const expired = await expireDueLots(createDb(env.DB), scheduledTime);
    return expired > 0 ? { msg: "ledger lots expired", expired } : undefined;
  },
];

/** Runs the jobs in turn; returns the reports of those that did something. */
export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const job of scheduledJobs) {
    const report = await job(env, scheduledTime);
    if (report) reports.push(report);
  }
  return reports;
}
