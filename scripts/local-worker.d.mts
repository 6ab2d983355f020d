// Types of local-worker.mjs, for the Node-side tests that import it.
import type { Miniflare } from "miniflare";

export declare const ADMIN_TOKEN: string;
export declare function bundleWorker(options?: { entry?: string; outdir?: string }): { outdir: string; main: string };
export declare function startLocalWorker(
  vars?: Record<string, string>,
  options?: { logs?: boolean; entry?: string; inspectorPort?: number },
): Promise<{ mf: Miniflare; base: string; db: Awaited<ReturnType<Miniflare["getD1Database"]>>; root: string; main: string }>;
