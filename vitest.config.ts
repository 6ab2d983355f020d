import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the real D1, Durable Objects and Queues of wrangler.toml.
// Storage is isolated per test file; each test makes its own tenant.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ADMIN_TOKEN: "test-admin-token",
            JWT_SECRET: "test-jwt-secret-that-is-long-enough-for-hs256",
            LOG_REQUESTS: "off",
            WEBHOOK_SECRET_KEY: "test-webhook-secret-key",
            // Endpoints on http://127.0.0.1:<port> are the receiver below; retries come quickly.
            WEBHOOK_ALLOW_LOOPBACK: "on",
            WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1",
            WEBHOOK_TIMEOUT_SECONDS: "2",
          },
          // wrangler.toml's consumers, with no batching wait (each queue hop would otherwise add a second to every webhook test).
          queueConsumers: {
            "ficha-webhooks": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 10, deadLetterQueue: "ficha-webhooks-dlq" },
            "ficha-webhooks-dlq": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3 },
          },
          // Every fetch() the Worker makes (webhook deliveries) goes to this receiver, a worker of its own.
          outboundService: "webhook-receiver",
          workers: [{ name: "webhook-receiver", modules: true, scriptPath: "./test/events/receiver.js", compatibilityDate: "2026-08-01" }],
        },
      }),
    ],
    test: {
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 30_000,
    },
  };
});
