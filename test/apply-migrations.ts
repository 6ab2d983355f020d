import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// The same migrations/ folder wrangler applies; setup files run before each test file.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
