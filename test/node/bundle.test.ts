import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleWorker } from "../../scripts/local-worker.mjs";

/**
 * What `wrangler deploy` uploads (wrangler.toml's `main`, bundled as `--dry-run` bundles
 * it): the bench's I/O floors (bench/floors.ts, /__floor routes that skip authentication)
 * exist only in the bench's own entry, never in the deployed Worker.
 */

const outdirs = [".wrangler/bundle-test", ".wrangler/bundle-test-bench"];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const scripts = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");

describe("the deployed bundle", () => {
  it("holds none of the bench's floor routes, which the bench's own bundle holds", () => {
    const deployed = bundleWorker({ outdir: outdirs[0] });
    const bench = bundleWorker({ entry: "bench/floor-worker.ts", outdir: outdirs[1] });
    expect(scripts(bench.outdir)).toContain("/__floor");
    expect(scripts(deployed.outdir)).not.toContain("__floor");
  });
});
