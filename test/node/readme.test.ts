import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sandboxReady } from "./sandbox";

/**
 * README.md's ```sh blocks, pasted in order into one shell right after `npm run dev`, as a
 * reader would: run by bash (`set -euo pipefail`) in the sandbox's project folder against
 * its `npm run dev`, with one substitution, its port for 8787. A block that cannot run
 * there (it starts the server, or needs a Cloudflare account) says why in an HTML comment
 * on the line before it: `<!-- not run by the README test: … -->`.
 */

const root = resolve(import.meta.dirname, "../..");
const SKIP = /^<!-- not run by the README test: .+ -->$/;

interface Block {
  line: number;
  code: string;
}

/** The README's ```sh blocks that are meant to run, with the line each starts on. */
function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```sh") continue;
    const end = lines.indexOf("```", i + 1);
    if (!SKIP.test(lines[i - 1] ?? "")) blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

describe("README.md", () => {
  const sandbox = inject("sandbox");
  beforeAll(() => sandboxReady(sandbox));

  it("every shell block works when pasted in order right after `npm run dev`", () => {
    const blocks = runnableBlocks(readFileSync(join(root, "README.md"), "utf8"));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const script = [
      "set -euo pipefail",
      ...blocks.map((b) => `echo "::README.md line ${b.line}::"\n${b.code.replaceAll("localhost:8787", `localhost:${sandbox.port}`)}`),
    ].join("\n");
    const run = spawnSync("bash", ["-c", script], {
      cwd: sandbox.dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}` },
      timeout: 100_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const failedAt = [...run.stdout.matchAll(/::(README\.md line \d+)::/g)].at(-1)?.[1];
    expect(run.status, `the block at ${failedAt} failed:\n${output.slice(-4_000)}`).toBe(0);
    expect(failedAt, "every block ran").toBe(`README.md line ${blocks.at(-1)?.line}`);
  });
});
