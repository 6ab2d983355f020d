#!/usr/bin/env node
// `npm run bench`: serves the Worker through Miniflare on a direct loopback socket (the
// same wrangler.toml, a fresh in-memory D1 with the migrations applied), then drives a
// bounded load at every scenario in bench/scenarios/*.mjs and at the bare route
// `GET /health`, in interleaved rounds. Prints per route: req/s (median of the rounds),
// p50/p99 latency, the req/s ratio to the bare route measured in the same run, and D1
// round trips / rows read / rows written / Durable Object calls per request (from the
// Server-Timing header the cost wrapper sets).
//
//   npm run bench -- --seconds 3 --rounds 3 --concurrency 32 --only tag
import { readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { ADMIN_TOKEN, startLocalWorker } from "./local-worker.mjs";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "32" },
    only: { type: "string" },
  },
});
const seconds = Number(opts.seconds);
const rounds = Math.max(3, Number(opts.rounds));
const concurrency = Number(opts.concurrency);
// Every Bearer call still makes its rate-limiter call (its cost is what the DO column
// shows), under a per-credential limit no round reaches.
const { mf, base, db } = await startLocalWorker({ PARTNER_RATE_LIMIT: "1000000000" });

const ctx = await benchContext();
const scenarios = [{ name: "GET /health (bare route)", request: () => ({ method: "GET", path: "/health" }) }];
scenarios.push({
  name: "POST /oauth/token",
  request: () => ({ method: "POST", path: "/oauth/token", body: { grant_type: "client_credentials", ...ctx.tenant.partner } }),
});
for (const file of readdirSync("bench/scenarios")
  .filter((f) => f.endsWith(".mjs"))
  .sort()) {
  const module = await import(`../bench/scenarios/${file}`);
  scenarios.push(...(await module.default(ctx)));
}
const selected = scenarios.filter((s, i) => i === 0 || !opts.only || s.name.includes(opts.only));

const stats = new Map(selected.map((s) => [s.name, { rps: [], latencies: [], cost: { d1: 0, read: 0, written: 0, do: 0, n: 0 }, statuses: {} }]));
// undici's Pool, not fetch(): fetch's per-request overhead capped a trivial Worker near
// 1,200 req/s on this machine, so the ratios would have measured the client.
const pool = new Pool(base, { connections: concurrency });
let counter = 0;
for (let round = 0; round < rounds; round++) {
  for (const scenario of selected) {
    const s = stats.get(scenario.name);
    const deadline = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const { method, path, headers = {}, body } = scenario.request(counter++);
          const started = performance.now();
          const res = await pool.request({
            path,
            method,
            headers: { "content-type": "application/json", ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          await res.body.arrayBuffer();
          s.latencies.push(performance.now() - started);
          s.statuses[res.statusCode] = (s.statuses[res.statusCode] ?? 0) + 1;
          const timing = String(res.headers["server-timing"] ?? "");
          const desc = (name) => Number(new RegExp(`(?:^|, )${name};[^,]*desc="(\\d+)"`).exec(timing)?.[1] ?? 0);
          s.cost.d1 += desc("d1");
          s.cost.read += desc("d1-rows-read");
          s.cost.written += desc("d1-rows-written");
          s.cost.do += desc("do");
          s.cost.n += 1;
          done++;
        }
      }),
    );
    s.rps.push(done / seconds);
  }
}
await pool.close();
await mf.dispose();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const bare = median(stats.get(selected[0].name).rps);
const rows = selected.map((scenario) => {
  const s = stats.get(scenario.name);
  const per = (x) => (x / s.cost.n).toFixed(2);
  const rps = median(s.rps);
  return {
    route: scenario.name,
    "req/s": rps.toFixed(0),
    ratio: (rps / bare).toFixed(2),
    "p50 ms": pct(s.latencies, 50).toFixed(1),
    "p99 ms": pct(s.latencies, 99).toFixed(1),
    "D1 trips": per(s.cost.d1),
    "rows read": per(s.cost.read),
    "rows written": per(s.cost.written),
    "DO calls": per(s.cost.do),
    statuses: Object.entries(s.statuses)
      .map(([k, v]) => `${k}x${v}`)
      .join(" "),
  };
});
console.log(`\nficha bench: ${rounds} interleaved rounds x ${seconds}s per route, concurrency ${concurrency}, Miniflare on ${base}`);
console.table(rows);

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
    },
  };
}
