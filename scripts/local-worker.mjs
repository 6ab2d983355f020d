// Serves the Worker through Miniflare on a direct loopback socket: the same wrangler.toml
// (bindings, Durable Objects, assets), a fresh in-memory D1 with migrations/ applied.
// Used by the benchmark and the OpenAPI check; `wrangler dev`'s proxy chain would cap
// and blur what they measure.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, extname } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export const ADMIN_TOKEN = "local-admin-token";

/**
 * Bundles the Worker as `wrangler deploy` would (`--dry-run`): wrangler.toml's `main`, or
 * `entry` in its place (the bench's bench/floor-worker.ts), each into a folder of its own
 * unless `outdir` names one. Returns the folder and the entry module's file name in it.
 */
export function bundleWorker({ entry, outdir = entry ? `.wrangler/local-build-${basename(entry, extname(entry))}` : ".wrangler/local-build" } = {}) {
  process.env.WRANGLER_SEND_METRICS = "false";
  rmSync(outdir, { recursive: true, force: true });
  const build = spawnSync("wrangler", ["deploy", "--dry-run", "--outdir", outdir, ...(entry ? [entry] : [])], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`bundle failed:\n${build.stdout}\n${build.stderr}`);
  return { outdir, main: entry ? `${basename(entry, extname(entry))}.js` : "index.js" };
}

/**
 * `vars` override wrangler.toml's (e.g. a partner rate limit no load run reaches); `logs:
 * false` drops the Worker's console output; `entry` serves another entry module than
 * wrangler.toml's `main` (see `bundleWorker`) with the same configuration; `inspectorPort`
 * opens workerd's DevTools inspector there (the bench's `--profile`).
 */
export async function startLocalWorker(vars = {}, { logs = true, entry, inspectorPort } = {}) {
  const { outdir: root, main } = bundleWorker({ entry });
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
  // Miniflare 5 takes `{ workers: [{ config, dev }] }`; wrangler still hands out v4-shaped
  // worker options, which Miniflare's own converter translates. The bundle is the entry
  // module plus the text modules of wrangler.toml's `[[rules]]` (the console's script and
  // stylesheet), which wrangler writes beside it under hashed names; they are listed
  // explicitly, so wrangler's module rules are dropped (the converter refuses them).
  const textModules = readdirSync(root)
    .filter((f) => f !== main && /\.(js|css)$/.test(f))
    .map((f) => ({ type: "Text", path: `${root}/${f}` }));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...workerOptions,
      modulesRules: undefined,
      name: "ficha",
      modulesRoot: root,
      modules: [{ type: "ESModule", path: `${root}/${main}` }, ...textModules],
      bindings: { ...workerOptions.bindings, ADMIN_TOKEN, JWT_SECRET: "local-jwt-secret-long-enough", LOG_REQUESTS: "off", SERVER_TIMING: "on", ...vars },
      host: "127.0.0.1",
      port: 0,
      ...(inspectorPort ? { inspectorPort } : {}),
      ...(logs ? {} : { handleStructuredLogs: () => {} }),
    }),
  );
  const base = (await mf.ready).origin.replace(/\/$/, "");
  const db = await mf.getD1Database("DB");
  for (const file of readdirSync("migrations")
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const statements = readFileSync(`migrations/${file}`, "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const statement of statements) await db.prepare(statement).run();
  }
  // `root` and `main`: the bundle served (its folder and entry module), for source maps.
  return { mf, base, db, root, main };
}
