import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import suite from "./vitest.config";

// `npm run test:scale`: test/scale/flat-reads.test.ts with the tenant grown to 1,000,000 ledger
// transactions instead of the suite's 100,000, in the suite's own workers project (same
// bindings, same migrations).
export default defineConfig(async (env) => {
  const projects = (await suite(env)).test?.projects as TestProjectInlineConfiguration[];
  const workers = projects.find((project) => project.test?.name === "workers")!;
  return {
    test: {
      projects: [
        {
          ...workers,
          test: {
            ...workers.test,
            name: "scale",
            include: ["test/scale/flat-reads.test.ts"],
            exclude: [],
            provide: { flatReadsTransactions: 1_000_000 },
            testTimeout: 1_800_000,
          },
        },
      ],
    },
  };
});
