#!/usr/bin/env node
// `npm run bench`: serves the Worker through Miniflare on a direct loopback socket (the
// same wrangler.toml, a fresh in-memory D1 with the migrations applied), then drives a
// bounded load at every scenario in bench/scenarios/*.mjs and at the bare route
// `GET /health`, in interleaved rounds. Prints per route: req/s (median of the rounds),
// p50/p99 latency, the req/s ratio to the bare route measured in the same run, and D1
// round trips / rows read / rows written / Durable Object calls per request (from the
// Server-Timing header the cost wrapper sets).
//
// A scenario may name its I/O floor (`floor`: a request to a /__floor route of
// bench/floors.ts, which makes the route's D1 trips and DO calls raw and nothing else).
// The bench then serves bench/floor-worker.ts (the deployed Worker plus the floors) and
// runs each floor right beside its route in every round; `real/floor` is the median over
// rounds of the route's req/s over its floor's: the share of the floor's speed the route
// keeps, 1.00 meaning ficha adds nothing measurable to its I/O. The floor's own D1 trips
// and DO calls are printed next to the route's, so a route doing other I/O than its
// floor shows.
//
// The machine may be shared: around every window the bench samples /proc/stat and the
// CPU time of its own processes (this one and workerd). A window during which other
// processes used more than --max-other-cpu cores is run again (up to --retries times);
// `noisy` counts the windows kept although still noisy, and medians then carry that noise.
//
// `--profile` runs, instead of the rounds, one window of each selected route and one of its
// floor under workerd's CPU profiler, and prints the Worker's CPU time per request on each
// side, split by where it is spent (ficha's folders, each package, the runtime), and the
// route's heaviest functions: what the route spends beyond its floor, and on what.
//
//   npm run bench -- --seconds 3 --rounds 5 --concurrency 32 --only tag --no-floors --json out.json
//   npm run bench -- --profile --only history
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { createServer } from "node:net";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { ADMIN_TOKEN, startLocalWorker } from "./local-worker.mjs";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "32" },
    only: { type: "string" },
    "no-floors": { type: "boolean", default: false },
    "max-other-cpu": { type: "string", default: "0.25" },
    retries: { type: "string", default: "2" },
    json: { type: "string" },
    profile: { type: "boolean", default: false },
  },
});
const seconds = Number(opts.seconds);
const rounds = Math.max(3, Number(opts.rounds));
const concurrency = Number(opts.concurrency);
const floorsOn = !opts["no-floors"];
const maxOtherCpu = Number(opts["max-other-cpu"]);
const retries = Number(opts.retries);
// Every Bearer call still makes its rate-limiter call (its cost is what the DO column
// shows), under a per-credential limit no round reaches.
const inspectorPort = opts.profile ? await freePort() : undefined;
const { mf, base, db, root, main } = await startLocalWorker(
  { PARTNER_RATE_LIMIT: "1000000000" },
  { ...(floorsOn ? { entry: "bench/floor-worker.ts" } : {}), inspectorPort },
);

const ctx = await benchContext();
const scenarios = [{ name: "GET /health (bare route)", request: () => ({ method: "GET", path: "/health" }) }];
scenarios.push({
  name: "POST /oauth/token",
  request: () => ({ method: "POST", path: "/oauth/token", body: { grant_type: "client_credentials", ...ctx.tenant.partner } }),
  floor: () => ({ method: "POST", path: "/__floor/oauth/token", body: { grant_type: "client_credentials", ...ctx.tenant.partner } }),
});
for (const file of readdirSync("bench/scenarios")
  .filter((f) => f.endsWith(".mjs"))
  .sort()) {
  const module = await import(`../bench/scenarios/${file}`);
  scenarios.push(...(await module.default(ctx)));
}
const selected = scenarios.filter((s, i) => i === 0 || !opts.only || s.name.includes(opts.only));

const newStats = () => ({ rps: [], latencies: [], cost: { d1: 0, read: 0, written: 0, do: 0, n: 0 }, statuses: {}, noisy: 0 });
const stats = new Map(selected.map((s) => [s.name, { real: newStats(), floor: s.floor && floorsOn ? newStats() : null, ratios: [] }]));
// undici's Pool, not fetch(): fetch's per-request overhead capped a trivial Worker near
// 1,200 req/s on this machine, so the ratios would have measured the client.
const pool = new Pool(base, { connections: concurrency });
const cpu = cpuSampler();
let counter = 0;
let retried = 0;
/** Other processes' CPU during each window, in cores. */
const others = [];

/** Drives `request` for one window; returns req/s and what the window's requests cost. */
async function window(request) {
  const deadline = performance.now() + seconds * 1000;
  const w = { done: 0, latencies: [], cost: { d1: 0, read: 0, written: 0, do: 0, n: 0 }, statuses: {} };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const { method, path, headers = {}, body } = request(counter++);
        const started = performance.now();
        const res = await pool.request({
          path,
          method,
          headers: { "content-type": "application/json", ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        await res.body.arrayBuffer();
        w.latencies.push(performance.now() - started);
        w.statuses[res.statusCode] = (w.statuses[res.statusCode] ?? 0) + 1;
        const timing = String(res.headers["server-timing"] ?? "");
        const desc = (name) => Number(new RegExp(`(?:^|, )${name};[^,]*desc="(\\d+)"`).exec(timing)?.[1] ?? 0);
        w.cost.d1 += desc("d1");
        w.cost.read += desc("d1-rows-read");
        w.cost.written += desc("d1-rows-written");
        w.cost.do += desc("do");
        w.cost.n += 1;
        w.done++;
      }
    }),
  );
  return { ...w, rps: w.done / seconds };
}

/** A window, run again while other processes used the CPU (up to `retries` times); the kept one is merged into `s`. */
async function measured(request, s) {
  for (let attempt = 0; ; attempt++) {
    const before = cpu.sample();
    const w = await window(request);
    const other = cpu.otherCores(before, cpu.sample());
    if (other !== null) others.push(other);
    const noisy = other !== null && other > maxOtherCpu;
    if (noisy && attempt < retries) {
      retried++;
      continue;
    }
    s.rps.push(w.rps);
    s.latencies.push(...w.latencies);
    for (const key of Object.keys(s.cost)) s.cost[key] += w.cost[key];
    for (const [status, n] of Object.entries(w.statuses)) s.statuses[status] = (s.statuses[status] ?? 0) + n;
    if (noisy) s.noisy++;
    return w.rps;
  }
}

if (opts.profile) {
  await profileScenarios();
  await pool.close();
  await mf.dispose();
  process.exit(0);
}

for (let round = 0; round < rounds; round++) {
  for (const scenario of selected) {
    const s = stats.get(scenario.name);
    if (!s.floor) {
      await measured(scenario.request, s.real);
      continue;
    }
    // Route and floor back to back, in alternating order, so a drift of the machine's speed weighs on both alike.
    const order = round % 2 === 0 ? ["real", "floor"] : ["floor", "real"];
    const rps = {};
    for (const side of order) rps[side] = await measured(side === "real" ? scenario.request : scenario.floor, s[side]);
    s.ratios.push(rps.real / rps.floor);
  }
}
await pool.close();
await mf.dispose();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const bare = median(stats.get(selected[0].name).real.rps);
const rows = selected.map((scenario) => {
  const { real: s, floor: f, ratios } = stats.get(scenario.name);
  const per = (x, side = s) => (x / side.cost.n).toFixed(2);
  const rps = median(s.rps);
  return {
    route: scenario.name,
    "req/s": rps.toFixed(0),
    ratio: (rps / bare).toFixed(2),
    "real/floor": f ? median(ratios).toFixed(2) : "",
    "p50 ms": pct(s.latencies, 50).toFixed(1),
    "p99 ms": pct(s.latencies, 99).toFixed(1),
    "D1 trips": per(s.cost.d1),
    "rows read": per(s.cost.read),
    "rows written": per(s.cost.written),
    "DO calls": per(s.cost.do),
    "floor req/s": f ? median(f.rps).toFixed(0) : "",
    "floor D1": f ? per(f.cost.d1, f) : "",
    "floor DO": f ? per(f.cost.do, f) : "",
    "floor rows r/w": f ? `${per(f.cost.read, f)}/${per(f.cost.written, f)}` : "",
    noisy: s.noisy + (f?.noisy ?? 0),
    statuses: Object.entries(s.statuses)
      .map(([k, v]) => `${k}x${v}`)
      .join(" "),
  };
});
console.log(
  `\nficha bench: ${rounds} interleaved rounds x ${seconds}s per route${floorsOn ? " and per floor" : ""}, concurrency ${concurrency}, Miniflare on ${base}`,
);
console.table(rows);
console.log(
  cpu.available
    ? `CPU: ${cpus().length} cores; a window is noisy when other processes used more than ${maxOtherCpu} cores during it. ` +
        `${retried} noisy windows were run again; \`noisy\` counts those kept after ${retries} retries. ` +
        `Other processes used a median ${median(others).toFixed(2)} cores (max ${Math.max(...others).toFixed(2)}) per window.`
    : "CPU: /proc/stat is not readable here, so windows are not checked for other processes' load.",
);
for (const scenario of selected) {
  const failed = Object.keys(stats.get(scenario.name).floor?.statuses ?? {}).filter((status) => Number(status) >= 500);
  if (failed.length > 0) console.log(`floor of "${scenario.name}" answered ${failed.join(", ")}: its I/O is not the route's; see the Worker's log above.`);
}
if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ rounds, seconds, concurrency, rows }, null, 2)}\n`);

/** `--profile`: each selected route and its floor, one window each under the CPU profiler. */
async function profileScenarios() {
  const profiler = await openProfiler(inspectorPort);
  const origins = originsOf(`${root}/${main}`);
  const us = (x) => `${Math.round(x)} µs`;
  for (const scenario of selected.slice(1)) {
    const sides = {};
    for (const side of scenario.floor && floorsOn ? ["real", "floor"] : ["real"]) {
      await profiler.start();
      const w = await window(side === "real" ? scenario.request : scenario.floor);
      sides[side] = cpuPerRequest(await profiler.stop(), origins, w.done);
    }
    const { real, floor } = sides;
    console.log(`\n${scenario.name}: ${us(real.total)} of Worker CPU per request${floor ? `; its floor ${us(floor.total)}` : ""}`);
    const byOrigin = [...real.byOrigin].map(([origin, t]) => [origin, t, t - (floor?.byOrigin.get(origin) ?? 0)]).sort((a, b) => b[2] - a[2]);
    console.log(`  by origin (per request, route${floor ? " / beyond its floor" : ""}):`);
    for (const [origin, t, beyond] of byOrigin.slice(0, 12))
      console.log(`    ${origin.padEnd(34)} ${us(t).padStart(8)}${floor ? ` / ${us(beyond).padStart(8)}` : ""}`);
    console.log("  heaviest functions of the route (self time per request):");
    for (const [fn, t] of [...real.byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${us(t).padStart(8)}  ${fn}`);
  }
  profiler.close();
}

/** Self time per request in a CPU profile, in total, by origin and by function (idle time excluded). */
function cpuPerRequest(profile, originOf, requests) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const result = { total: 0, byOrigin: new Map(), byFunction: new Map() };
  profile.samples.forEach((id, k) => {
    const frame = nodes.get(id);
    if (frame.functionName === "(idle)") return;
    const t = (profile.timeDeltas[k + 1] ?? 0) / requests;
    const { origin, place } = originOf(frame);
    const fn = `${frame.functionName || "(anonymous)"} ${place}`;
    result.total += t;
    result.byOrigin.set(origin, (result.byOrigin.get(origin) ?? 0) + t);
    result.byFunction.set(fn, (result.byFunction.get(fn) ?? 0) + t);
  });
  return result;
}

/**
 * Where a profiled frame's code comes from, by the bundle's source map: its `origin` (a
 * package, a folder of src/core or src/surfaces, another file of src or bench, or the
 * runtime: "(garbage collector)", builtins) and its `place` (source file and line).
 */
function originsOf(bundle) {
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
  return (frame) => {
    if (!frame.url.endsWith(main)) {
      const origin = frame.url ? frame.url.replace(/^.*\//, "") : frame.functionName;
      return { origin, place: `(${origin})` };
    }
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    // drizzle-orm's published source maps point one folder too high: node_modules/src/….
    const source = (entry?.originalSource ?? "").replace(/^(\.\.\/)+/, "").replace(/^node_modules\/src\//, "node_modules/drizzle-orm/src/");
    const place = source ? `${source.replace(/^node_modules\//, "")}:${(entry?.originalLine ?? 0) + 1}` : "(bundle)";
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
    const folder = /^src\/(core|surfaces)\/([^/]+)\//.exec(source);
    return { origin: pkg ? pkg[1] : folder ? `src/${folder[1]}/${folder[2]}` : source || "(bundle)", place };
  };
}

/** The Worker's DevTools inspector, as a CPU profiler sampling every 100 µs. */
async function openProfiler(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(targets.find((t) => t.id === "core:user:ficha").webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const pending = new Map();
  ws.onmessage = (message) => {
    const reply = JSON.parse(message.data);
    pending.get(reply.id)?.(reply.result);
    pending.delete(reply.id);
  };
  let id = 0;
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  return { start: () => send("Profiler.start"), stop: async () => (await send("Profiler.stop")).profile, close: () => ws.close() };
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * CPU time on this machine (from /proc/stat) and of the bench's own processes (this one
 * and its descendants: workerd), in clock ticks; `otherCores` is the CPU others used
 * between two samples, in cores. Null everywhere /proc is not there.
 */
function cpuSampler() {
  const available = existsSync("/proc/stat");
  const TICKS = 100; // USER_HZ on Linux
  const descendants = () => {
    const parents = new Map();
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        parents.set(pid, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      } catch {}
    }
    const own = new Set([String(process.pid)]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, parent] of parents) {
        if (own.has(pid) || !own.has(parent)) continue;
        own.add(pid);
        grew = true;
      }
    }
    return [...own];
  };
  const ticksOf = (pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  };
  return {
    available,
    sample() {
      if (!available) return null;
      const [, ...cols] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
      const [user, nice, system, , , irq, softirq, steal] = cols;
      return { at: performance.now(), busy: user + nice + system + irq + softirq + steal, own: descendants().reduce((sum, pid) => sum + ticksOf(pid), 0) };
    },
    otherCores(before, after) {
      if (!before || !after) return null;
      const seconds = (after.at - before.at) / 1000;
      return Math.max(0, after.busy - before.busy - (after.own - before.own)) / TICKS / seconds;
    },
  };
}

/** What scenario files get: the base URL, an admin caller, and a provisioned tenant. */
async function benchContext() {
  const json = async (method, path, { headers = {}, body } = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const admin = (method, path, body) => json(method, path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body });
  const tenant = await admin("POST", "/admin/tenants", { name: "bench" });
  const partner = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "partner" });
  const kiosk = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "kiosk" });
  await admin("PUT", "/admin/settings/vlt-destination", { tenantId: tenant.id });
  const token = await json("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: partner.client_id, client_secret: partner.client_secret },
  });
  return {
    base,
    call: json,
    admin,
    /** Direct D1 access for bulk seeding (e.g. 100,000 rows) without going through HTTP. */
    db,
    tenant: {
      id: tenant.id,
      partner: { client_id: partner.client_id, client_secret: partner.client_secret },
      kioskSecret: kiosk.client_secret,
      auth: { authorization: `Bearer ${token.access_token}` },
      /** The query string a floor takes in place of the token: `t` tenant, `c` credential. */
      floorIds: `t=${tenant.id}&c=${partner.client_id}`,
    },
  };
}
