import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the real D1 and Durable Objects of wrangler.toml.
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
            // The suite's own traffic must not trip the per-credential limit; test/security sets low limits per tenant to test it.
            PARTNER_RATE_LIMIT: "1000000",
          },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 30_000,
    },
  };
});
