import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * The node project's global setup: a real `npm run dev` (scripts/dev.mjs, so wrangler dev,
 * the migrations and the demo tenant) in a sandbox, a temporary folder whose entries link to
 * the project's, except what `npm run dev` writes: .dev.vars and .wrangler (local D1 state,
 * demo tenant). The developer's own files and a dev server already running stay untouched.
 * It serves on a free port and boots while the workers project runs; each test file awaits
 * it with `sandboxReady()`.
 */

export interface Sandbox {
  /** The sandbox folder: the working directory of what the tests run. */
  dir: string;
  port: number;
  base: string;
  /** The file holding what `npm run dev` printed, for failure messages. */
  log: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    sandbox: Sandbox;
  }
}

const root = resolve(import.meta.dirname, "../..");
const ownState = new Set([".git", ".wrangler", ".dev.vars"]);

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "ficha-sandbox-"));
  for (const entry of readdirSync(root)) if (!ownState.has(entry)) symlinkSync(join(root, entry), join(dir, entry));
  const port = await freePort();
  const log = join(dir, "dev.log");
  const out = openSync(log, "w");
  const dev: ChildProcess = spawn(process.execPath, ["scripts/dev.mjs", "--port", String(port)], {
    cwd: dir,
    env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}` },
    stdio: ["ignore", out, out],
    // Its own process group, so the teardown stops wrangler and workerd with it.
    detached: true,
  });
  project.provide("sandbox", { dir, port, base: `http://localhost:${port}`, log });
  return async () => {
    if (dev.exitCode === null && dev.pid) {
      const exited = new Promise((done) => dev.once("exit", done));
      process.kill(-dev.pid, "SIGTERM");
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Waits until the sandbox's `npm run dev` has printed its banner (its demo tenant is then provisioned). */
export async function sandboxReady(sandbox: Sandbox, timeoutMs = 100_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const log = readFileSync(sandbox.log, "utf8");
    if (log.includes("ficha is running") && existsSync(join(sandbox.dir, ".wrangler/demo.json"))) return;
    if (log.includes("Could not provision")) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm run dev did not come up:\n${readFileSync(sandbox.log, "utf8").slice(-3_000)}`);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}
