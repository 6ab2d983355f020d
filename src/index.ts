import { createApp } from "./app";
import { runScheduledJobs } from "./jobs";

export { CardLock } from "./durable/card-lock";
export { RateLimiter } from "./durable/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: async (controller, env, ctx) => {
    ctx.waitUntil(
      runScheduledJobs(env, controller.scheduledTime).then((reports) => {
        for (const report of reports) console.log(JSON.stringify({ level: "info", ...report }));
      }),
    );
  },
} satisfies ExportedHandler<Env>;
