import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects, both run by `npm test`:
// - "workers": inside workerd with the real D1 and Durable Objects of wrangler.toml.
//   Storage is isolated per test file; each test makes its own tenant.
// - "browser": in Node, the operator console in a real headless Chromium (Debian's
//   `chromium`, driven by playwright-core) against the Worker served by Miniflare on a
//   loopback port (scripts/local-worker.mjs).
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
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/browser/**"],
            setupFiles: ["./test/apply-migrations.ts"],
            testTimeout: 30_000,
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
