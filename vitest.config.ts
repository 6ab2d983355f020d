import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// wrangler's informational lines ("Using secrets defined in .dev.vars") would print once per
// test file; its warnings and errors still show.
process.env.WRANGLER_LOG ??= "warn";

// Three projects, all run by `npm test`:
// - "workers": the suite, inside workerd with the real D1, Durable Objects and Queues of
//   wrangler.toml. Storage is isolated per test file; each test makes its own tenant.
// - "node": what runs outside the Worker against a real `npm run dev` (the README's shell
//   blocks, a client generated from /openapi.json); test/node/sandbox.ts starts it.
// - "browser": the operator console in a real headless Chromium (Debian's `chromium`,
//   driven by playwright-core) against the Worker served by Miniflare on a loopback port
//   (scripts/local-worker.mjs).
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: "test-admin-token",
                  JWT_SECRET: "test-jwt-secret-that-is-long-enough-for-hs256",
                  LOG_REQUESTS: "off",
                  // The suite's own traffic must not trip the per-credential limit; test/security sets low limits per tenant to test it.
                  PARTNER_RATE_LIMIT: "1000000",
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
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**", "test/browser/**"],
            setupFiles: ["./test/apply-migrations.ts"],
            testTimeout: 30_000,
          },
        },
        {
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/node/sandbox.ts"],
            testTimeout: 120_000,
            hookTimeout: 120_000,
          },
        },
        {
          test: {
            name: "browser",
            include: ["test/browser/**/*.test.ts"],
            environment: "node",
            testTimeout: 180_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
