import { env } from "cloudflare:workers";
import type { WebhookMessage, WebhookQueue } from "../../src/core/webhooks/delivery";
import worker from "../../src/index";

/**
 * A stand-in for the webhook queue that the test drives by hand, for what the real one
 * cannot be made to do on cue: refuse a send, or hand the consumer a failing D1. Messages
 * wait their delay, are retried as the consumer asks, and after `maxRetries` go to the
 * dead-letter queue, as wrangler.toml configures the real one.
 */
export class ManualQueue implements WebhookQueue {
  private waiting: { body: WebhookMessage; attempts: number; due: number; dead: boolean }[] = [];
  sent = 0;
  refused = 0;

  constructor(
    /** Whether this send fails (a queue outage). */
    private readonly refuse: () => boolean = () => false,
    private readonly maxRetries = 10,
    /** Caps the delays (for tests where waiting proves nothing). */
    private readonly maxDelaySeconds = Number.POSITIVE_INFINITY,
  ) {}

  private enqueue(body: WebhookMessage, delaySeconds = 0, attempts = 1, dead = false) {
    this.waiting.push({ body, attempts, dead, due: Date.now() + Math.min(delaySeconds, this.maxDelaySeconds) * 1000 });
  }

  async send(body: WebhookMessage, options?: { delaySeconds?: number }): Promise<void> {
    if (this.refuse()) {
      this.refused += 1;
      throw new Error("Queue send failed (injected)");
    }
    this.sent += 1;
    this.enqueue(body, options?.delaySeconds);
  }

  async sendBatch(messages: Iterable<{ body: WebhookMessage; delaySeconds?: number }>): Promise<void> {
    if (this.refuse()) {
      this.refused += 1;
      throw new Error("Queue sendBatch failed (injected)");
    }
    for (const message of messages) {
      this.sent += 1;
      this.enqueue(message.body, message.delaySeconds);
    }
  }

  /** The same queue, refusing every send (an outage while one request announces its events). */
  refusing(): WebhookQueue {
    const refuse = async () => {
      this.refused += 1;
      throw new Error("Queue send failed (injected)");
    };
    return { send: refuse, sendBatch: refuse };
  }

  get size(): number {
    return this.waiting.length;
  }

  /**
   * Hands due messages to the Worker's queue handler in batches of 10, until none is
   * left; `consumerEnv` gives the env of each batch (e.g. a failing D1 now and then).
   */
  async drain(consumerEnv: () => Record<string, unknown> = () => ({})): Promise<void> {
    while (this.waiting.length > 0) {
      const now = Date.now();
      const due = this.waiting.filter((m) => m.due <= now).slice(0, 40);
      if (due.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      this.waiting = this.waiting.filter((m) => !due.includes(m));
      // Batches of 10 per queue, consumed side by side as the platform would.
      const batches = [true, false].flatMap((dead) => {
        const group = due.filter((m) => m.dead === dead);
        return Array.from({ length: Math.ceil(group.length / 10) }, (_, k) => ({ dead, group: group.slice(k * 10, k * 10 + 10) }));
      });
      await Promise.all(batches.map(({ dead, group }) => this.consume(dead, group, consumerEnv())));
    }
  }

  private async consume(dead: boolean, group: { body: WebhookMessage; attempts: number }[], overrides: Record<string, unknown>): Promise<void> {
    // The consumer's own view of a batch; `getQueueResult` would not say which delay a retry asked for.
    const outcomes = new Map<number, { retry: boolean; delaySeconds?: number }>();
    const batch = {
      queue: dead ? "ficha-webhooks-dlq" : "ficha-webhooks",
      messages: group.map((m, i) => ({
        id: `m${i}`,
        timestamp: new Date(),
        attempts: m.attempts,
        body: m.body,
        ack: () => outcomes.set(i, { retry: false }),
        retry: (options?: { delaySeconds?: number }) => outcomes.set(i, { retry: true, delaySeconds: options?.delaySeconds }),
      })),
    } as unknown as MessageBatch<WebhookMessage>;
    await worker.queue(batch, { ...env, WEBHOOKS: this, ...overrides } as unknown as Env);
    group.forEach((m, i) => {
      const outcome = outcomes.get(i);
      if (outcome && !outcome.retry) return;
      if (m.attempts > this.maxRetries) {
        if (!dead) this.enqueue(m.body, 0, 1, true);
        return;
      }
      this.enqueue(m.body, outcome?.delaySeconds ?? 0, m.attempts + 1, dead);
    });
  }
}
