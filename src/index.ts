import { createApp } from "./app";
import type { WebhookMessage } from "./core/webhooks/delivery";
import { runScheduledJobs } from "./jobs";
import { consumeWebhooks } from "./queue";

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
  queue: consumeWebhooks,
} satisfies ExportedHandler<Env, WebhookMessage>;
