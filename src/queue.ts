import { webhookConfig } from "./core/webhooks/config";
import { deadLetter, deliver, dispatch, type Handled, type WebhookMessage } from "./core/webhooks/delivery";
import { createDb } from "./db/client";

/** The dead-letter queue of `ficha-webhooks` (wrangler.toml): messages the consumer kept failing on. */
const DEAD_LETTERS = "ficha-webhooks-dlq";

/**
 * The Worker's queue consumer: webhook dispatch and delivery (core/webhooks/delivery.ts),
 * and the dead letters of both. Messages of a batch are handled concurrently (each
 * delivery is an outbound request of up to WEBHOOK_TIMEOUT_SECONDS). A message whose
 * handling throws is retried by the queue with a growing delay, and after `max_retries`
 * lands in the dead-letter queue.
 */
export async function consumeWebhooks(batch: MessageBatch<WebhookMessage>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const config = webhookConfig(env);
  const handle = async (message: WebhookMessage): Promise<Handled> => {
    if (batch.queue === DEAD_LETTERS) {
      await deadLetter(db, message);
      return {};
    }
    if (message.kind === "dispatch") {
      await dispatch(db, env.WEBHOOKS, message.tenantId);
      return {};
    }
    return deliver(db, env.WEBHOOKS, config, message.deliveryId, message.attempt);
  };
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const handled = await handle(message.body);
        if (handled.retryAfterSeconds) message.retry({ delaySeconds: handled.retryAfterSeconds });
        else message.ack();
      } catch (err) {
        console.error(
          JSON.stringify({ level: "error", msg: "webhook message failed", queue: batch.queue, error: err instanceof Error ? err.message : String(err) }),
        );
        message.retry({ delaySeconds: Math.min(300, 2 ** message.attempts) });
      }
    }),
  );
}
