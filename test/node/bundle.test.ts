import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker } from "../../scripts/local-worker.mjs";

/**
 * What `wrangler deploy` uploads (wrangler.toml's `main`, bundled as `--dry-run` bundles
 * it): the bench's I/O floors (bench/floors.ts, /__floor routes that skip authentication)
 * exist only in the bench's own entry, never in the deployed Worker; and it stays within
 * the size budget README's "Bundle:" paragraph accounts for.
 */

const outdirs = [".wrangler/bundle-test", ".wrangler/bundle-test-bench"];
let deployed: { outdir: string; main: string };
beforeAll(() => {
  deployed = bundleWorker({ outdir: outdirs[0] });
});
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const scripts = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");

/**
 * The gzip size wrangler reports as "Total Upload: … / gzip: …": one gzip over the uploaded
 * modules, the text modules and then the entry (source maps and wrangler's README.md are
 * not uploaded).
 */
function uploadGzipBytes({ outdir, main }: { outdir: string; main: string }): number {
  const modules = readdirSync(outdir)
    .filter((f) => f !== main && /\.(js|css)$/.test(f))
    .concat(main);
  return gzipSync(Buffer.concat(modules.map((f) => readFileSync(join(outdir, f))))).byteLength;
}

describe("the deployed bundle", () => {
  it("holds none of the bench's floor routes, which the bench's own bundle holds", () => {
    const bench = bundleWorker({ entry: "bench/floor-worker.ts", outdir: outdirs[1] });
    expect(scripts(bench.outdir)).toContain("/__floor");
    expect(scripts(deployed.outdir)).not.toContain("__floor");
  });

  it("is at most 300 KiB gzip", () => {
    expect(uploadGzipBytes(deployed) / 1024).toBeLessThanOrEqual(300);
  });
});
