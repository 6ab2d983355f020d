import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// wrangler's informational lines ("Using secrets defined in .dev.vars") would print once per
// test file; its warnings and errors still show.
process.env.WRANGLER_LOG ??= "warn";

// Two projects. "workers": the suite, inside workerd with the real D1 and Durable Objects of
// wrangler.toml; storage is isolated per test file and each test makes its own tenant.
// "node": what runs outside the Worker against a real `npm run dev` (the README's shell
// blocks, a client generated from /openapi.json); test/node/sandbox.ts starts it.
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
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**"],
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
      ],
    },
  };
});
