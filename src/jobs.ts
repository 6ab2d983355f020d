import { expireDueLots } from "./core/ledger/expiration";
import { createDb } from "./db/client";

/**
 * Jobs run by the cron trigger (wrangler.toml `[triggers]`), each bounded so one run
 * stays within a Worker invocation's limits.
 */
export type ScheduledJob = (env: Env, scheduledTime: number) => Promise<void>;

export const scheduledJobs: ScheduledJob[] = [
  // Loyalty ledger: expire POINTS lots past their date (at most 500 lots per run).
  async (env, scheduledTime) => {
    const expired = await expireDueLots(createDb(env.DB), scheduledTime);
    if (expired > 0) console.log(JSON.stringify({ level: "info", msg: "ledger lots expired", expired }));
  },
];

export async function runScheduledJobs(env: Env, scheduledTime: number): Promise<void> {
  for (const job of scheduledJobs) await job(env, scheduledTime);
}
