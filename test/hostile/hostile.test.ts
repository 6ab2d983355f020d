import { afterAll, beforeAll, describe, expect, it, type RunnerTestSuite, vi } from "vitest";
import { dumpDatabase, issuedSecrets } from "./client";
import { summary } from "./summary";

/**
 * The hostile-world suite (issue 9), one file so that its suites share one database and
 * one log: the secrets-at-rest check at the end sees everything the run stored and
 * logged, and the summary counts every case. Suites run in import order.
 */

/** Every line the Worker logged during the run (request logs are on for the whole suite). */
const captured: string[] = [];
const print = console.log.bind(console);

beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      captured.push(args.map(String).join(" "));
    });
  }
});

await import("./auth.suite");
await import("./isolation.suite");
await import("./fuzz.suite");
await import("./limiter.suite");
await import("./faults.suite");
await import("./console.suite");

describe("secrets at rest", () => {
  it("no client secret, token, admin token or JWT secret appears in clear in D1 or in the logs of the run", async () => {
    const stored = await dumpDatabase();
    const logs = captured.join("\n");
    expect(
      captured.some((line) => line.includes('"msg":"request"')),
      "request logs were captured",
    ).toBe(true);
    const secrets = [...new Set(issuedSecrets)].filter(Boolean);
    expect(secrets.length).toBeGreaterThan(20);
    const inDatabase = secrets.filter((secret) => stored.includes(secret));
    const inLogs = secrets.filter((secret) => logs.includes(secret));
    summary.secretsChecked = secrets.length;
    expect(inDatabase).toEqual([]);
    expect(inLogs).toEqual([]);
  });
});

function failuresIn(suite: RunnerTestSuite | undefined): number {
  let failed = 0;
  for (const task of suite?.tasks ?? []) {
    if (task.type === "suite") failed += failuresIn(task);
    else if (task.result?.state === "fail") failed += 1;
  }
  return failed;
}

// biome-ignore lint/correctness/noEmptyPattern: vitest reads a hook's first parameter as a fixture pattern and wants it destructured.
afterAll(({}, suite) => {
  vi.restoreAllMocks();
  summary.failures = failuresIn(suite as RunnerTestSuite);
  print(`hostile-suite summary ${JSON.stringify(summary)}`);
});
