import { defineConfig } from "drizzle-kit";

// One schema feeds the migrations; wrangler applies them (`npm run db:migrate`) and the
// tests read the same folder. `d1_migrations` is wrangler's bookkeeping, not ours.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
  tablesFilter: ["!d1_migrations", "!_cf_*"],
});
