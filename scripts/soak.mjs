#!/usr/bin/env node
// `npm run soak -- --minutes N`: a sustained, mixed, concurrent workload against a local
// Worker (Miniflare on a loopback socket, a fresh in-memory D1: scripts/local-worker.mjs),
// checking the registry's invariants while it runs and after. Bounded: it stops by itself
// after N minutes (a watchdog ends it if draining hangs). Not part of `npm test`.
//
// Workload (CONCURRENCY workers, each picking a weighted random operation): kiosk
// registrations and repeated taps of a small card pool (concurrent taps of one card),
// lobby authentication, partner reads and writes on every surface (clients, parking,
// loyalty, sales), loyalty credits, debits, transfers and reversals racing on a few
// shared accounts, vehicle tags added and cancelled on a small pool of codes by several
// customers at once, and the lot-expiration job firing now and then.
//
// Once a minute the workers pause, in-flight requests drain, and the invariants are
// checked on the stored rows (then once more at the end); see `invariants` below. The
// run prints throughput and p50/p99 per minute and ends with PASS or FAIL (exit 1).
//
//   npm run soak -- --minutes 10 [--concurrency 16] [--seed 7]
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { ADMIN_TOKEN, startLocalWorker } from "./local-worker.mjs";

const { values: opts } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    seed: { type: "string", default: "18" },
  },
});
const minutes = Number(opts.minutes);
const concurrency = Number(opts.concurrency);
if (!(minutes > 0 && minutes <= 120)) throw new Error("--minutes must be in (0, 120]");
if (!(concurrency >= 1 && concurrency <= 128)) throw new Error("--concurrency must be 1..128");

// Deterministic choices (mulberry32), so two runs with one seed issue the same mix.
let state = Number(opts.seed) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const runMs = minutes * 60_000;
// The watchdog: whatever happens, the process ends (draining, checks and disposal get 3 minutes).
const watchdog = setTimeout(() => {
  console.error("soak: watchdog fired (the run did not finish within its bound); exiting");
  process.exit(2);
}, runMs + 180_000);
watchdog.unref();

// Every Bearer and lobby call still pays its rate-limiter call; the limits are set beyond the run's reach
// (the hostile suite proves them exact), so the load stays the mix below rather than a wall of 429s.
// The Worker's own log lines (e.g. lots expired) are dropped: the run reports what it measures.
const { mf, base, db } = await startLocalWorker({ PARTNER_RATE_LIMIT: "1000000000", LOBBY_RATE_LIMIT: "1000000000" }, { logs: false });
if (new URL(base).hostname !== "127.0.0.1") throw new Error(`refusing to run against ${base}: loopback only`);
const pool = new Pool(base, { connections: concurrency });

async function send(method, path, { headers = {}, body } = {}) {
  const started = performance.now();
  const res = await pool.request({
    path,
    method,
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.18.${int(0, 255)}.${int(1, 254)}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.statusCode, body: parsed, text, ms: performance.now() - started };
}

async function must(method, path, options, status = 200) {
  const res = await send(method, path, options);
  if (res.status !== status) throw new Error(`setup ${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A tenant with a partner token and a kiosk secret. */
async function provision(name) {
  const tenant = await must("POST", "/admin/tenants", { headers: admin, body: { name, timezone: "America/Lima" } }, 201);
  const partner = await must("POST", `/admin/tenants/${tenant.id}/credentials`, { headers: admin, body: { kind: "partner" } }, 201);
  const kiosk = await must("POST", `/admin/tenants/${tenant.id}/credentials`, { headers: admin, body: { kind: "kiosk" } }, 201);
  const token = await must("POST", "/oauth/token", {
    body: { grant_type: "client_credentials", client_id: partner.client_id, client_secret: partner.client_secret },
  });
  return { id: tenant.id, auth: { authorization: `Bearer ${token.access_token}` }, kiosk: { "x-client-secret": kiosk.client_secret } };
}

// Two tenants share every external id below, so a leak across tenants would show in the invariants.
const tenants = [await provision("soak-a"), await provision("soak-b")];
const kioskTenant = tenants[0];
await must("PUT", "/admin/settings/vlt-destination", { headers: admin, body: { tenantId: kioskTenant.id } });

// Small pools, so that requests collide: 40 people with 120 cards, 8 loyalty accounts, 6 parking customers and 12 tag codes.
const PEOPLE = 40;
const cards = Array.from({ length: 120 }, (_, i) => ({ uid: `50AC${i.toString(16).padStart(4, "0").toUpperCase()}`, person: i % PEOPLE }));
const loyalty = Array.from({ length: 8 }, (_, i) => `SOAK-L${i}`);
const parkingRefs = Array.from({ length: 6 }, (_, i) => `SOAK-P${i}`);
const tagCodes = Array.from({ length: 12 }, (_, i) => `SOAKTAG${i}`);
const salesDocs = Array.from({ length: 10 }, (_, i) => `SOAK-D${i}`);
let serial = 0;
const next = () => ++serial;

for (const t of tenants) {
  for (const refId of parkingRefs) {
    await must(
      "POST",
      "/api/v3/business/customer/add",
      { headers: t.auth, body: { email: `${refId}@soak.test`, phone: "+56975880800", name: "Soak", lastname: refId, isUnlimited: true, refId, tags: [] } },
      201,
    );
  }
  for (const externalId of loyalty) {
    for (const [type, total] of [
      ["POINTS COUPON", 500],
      ["BALANCE RELOAD", 100],
    ]) {
      await must("POST", "/api/transaction", {
        headers: t.auth,
        body: { type, code: `seed-${externalId}-${type}`, description: "seed", total, customer: { externalId, name: externalId, data: {} } },
      });
    }
  }
  for (const documento of salesDocs) {
    await must(
      "POST",
      "/api/sales/clientes",
      { headers: t.auth, body: { nombre: `Cliente ${documento}`, id_tipo_cliente: 1, id_tipo_documento: 1, documento } },
      201,
    );
  }
}

/** Type and code of the credits that went through, per tenant: what reversals aim at. */
const credited = new Map(tenants.map((t) => [t.id, []]));
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The operations, with their weights. Each returns the response it got. */
const operations = [
  {
    name: "kiosk register",
    weight: 10,
    run: () => {
      const card = pick(cards);
      return send("POST", "/api/clientes/register", {
        body: {
          codigoClienteVLT: 10_000 + card.person,
          dni: String(30_000_000 + card.person),
          tipoDocumento: 1,
          correo: `p${card.person}@soak.test`,
          nombre: `Persona ${card.person}`,
          enviarWhatsApp: random() < 0.5,
          enviarCorreo: random() < 0.5,
          enviarSms: random() < 0.5,
          tarjeta: card.uid,
        },
      });
    },
  },
  {
    name: "lobby authenticate",
    weight: 8,
    run: () => send("POST", "/api/lobby/authenticate", { headers: kioskTenant.kiosk, body: { cardIdentifier: pick(cards).uid } }),
  },
  {
    name: "loyalty credit",
    weight: 10,
    run: async (t) => {
      const code = `c-${next()}`;
      const type = pick(["POINTS COUPON", "POINTS BALANCE", "BALANCE RELOAD"]);
      const expiring = random() < 0.2;
      const res = await send("POST", "/api/transaction", {
        headers: t.auth,
        body: {
          type,
          code,
          description: "soak",
          total: int(1, 50),
          ...(expiring ? { expirationDate: day(1) } : {}),
          customer: { externalId: pick(loyalty), name: "Soak", data: {} },
          store: { externalId: pick(["S1", "S2", "S3"]), name: "Store" },
        },
      });
      if (res.status === 200) credited.get(t.id).push({ type, code });
      return res;
    },
  },
  {
    name: "loyalty debit",
    weight: 8,
    run: (t) =>
      send("POST", "/api/transaction", {
        headers: t.auth,
        body: {
          type: pick(["POINTS REDEEM", "BALANCE REDEEM"]),
          code: `d-${next()}`,
          description: "soak",
          total: int(1, 40),
          customer: { externalId: pick(loyalty), name: "Soak", data: {} },
        },
      }),
  },
  {
    name: "loyalty checkbook",
    weight: 3,
    run: (t) =>
      send("POST", "/api/transaction/checkbook", {
        headers: t.auth,
        body: {
          type: "POINTS ORDER",
          customer: { externalId: pick(loyalty), name: "Soak" },
          code: `o-${next()}`,
          externalId: "1",
          total: 20,
          earnedRedeemed: int(-5, 10),
          store: { externalId: pick(["S1", "S2"]), name: "Store" },
          detail: { name: "Item", externalId: pick(["P1", "P2"]), total: 20, earnedRedeemed: int(1, 10) },
        },
      }),
  },
  {
    name: "loyalty transfer",
    weight: 6,
    run: (t) => {
      const from = pick(loyalty);
      let to = pick(loyalty);
      if (to === from) to = loyalty[(loyalty.indexOf(from) + 1) % loyalty.length];
      return send("POST", "/api/transaction/transfer", {
        headers: t.auth,
        body: {
          type: "BALANCE TRANSFER DEBIT",
          total: int(1, 30),
          code: `t-${next()}`,
          customerFrom: { externalId: from, name: "From" },
          customerTo: { externalId: to, name: "To" },
        },
      });
    },
  },
  {
    name: "loyalty reversal",
    weight: 5,
    run: (t) => {
      const credits = credited.get(t.id);
      if (credits.length === 0) return send("GET", "/api/group/default", { headers: t.auth });
      // Several workers often reverse the same recent credit at once: exactly one may win.
      return send("POST", "/api/transaction/reverse", { headers: t.auth, body: credits[Math.max(0, credits.length - 1 - int(0, 5))] });
    },
  },
  {
    name: "loyalty reads",
    weight: 8,
    run: (t) => {
      const externalId = pick(loyalty);
      return send(
        "GET",
        pick([
          `/api/transaction/history?customerId=${externalId}`,
          `/api/customer/findByExternalId?externalId=${externalId}`,
          `/api/batch/expiration?customerId=${externalId}`,
          `/api/transaction/pointsByCustomer?document=${externalId}&from=${day(-1)}&to=${day(1)}`,
          `/api/report/dailySummary/stores?startDate=${day(-1)}&endDate=${day(1)}`,
          `/api/report/dailySummary/products?startDate=${day(-1)}&endDate=${day(1)}`,
          "/api/group/default",
        ]),
        { headers: t.auth },
      );
    },
  },
  {
    name: "parking tag add",
    weight: 6,
    run: (t) =>
      send("POST", "/api/v3/business/tag/add", {
        headers: t.auth,
        body: { customer: { refId: pick(parkingRefs) }, tags: [{ code: pick(tagCodes), plate: "SOAK01" }] },
      }),
  },
  {
    name: "parking tag cancel",
    weight: 5,
    run: (t) =>
      send("PUT", "/api/v3/business/tag/cancel", {
        headers: t.auth,
        body: { customer: { refId: pick(parkingRefs) }, tags: [{ code: pick(tagCodes), plate: "SOAK01" }] },
      }),
  },
  { name: "parking tag list", weight: 3, run: (t) => send("POST", "/api/v3/business/tag/list", { headers: t.auth, body: { refId: pick(parkingRefs) } }) },
  {
    name: "clients write",
    weight: 3,
    run: (t) => {
      const n = next();
      return send("POST", "/api/clientes", {
        headers: t.auth,
        body: {
          nombre: `Cliente ${n}`,
          tipoCliente: "PERSONA",
          tipoDocumento: "DNI",
          numeroDocumento: String(60_000_000 + (n % 500)),
          codigoCliente: `SOAK-C${n}`,
        },
      });
    },
  },
  {
    name: "clients read",
    weight: 4,
    run: (t) => send("GET", pick(["/api/clientes?page=0&size=20", `/api/clientes/${int(1, 400)}`]), { headers: t.auth }),
  },
  {
    name: "sales write",
    weight: 3,
    run: (t) =>
      send("POST", "/api/sales/ventas", {
        headers: t.auth,
        body: { documento: pick(salesDocs), apartamento: `Torre ${int(1, 9)}`, monto: int(100, 100_000), tipo: pick(["venta", "separacion"]), fecha: day(0) },
      }),
  },
  {
    name: "sales read",
    weight: 3,
    run: (t) =>
      send("GET", pick(["/api/sales/clientes", `/api/sales/clientes/${pick(salesDocs)}`, `/api/sales/clientes/${pick(salesDocs)}/ventas`]), {
        headers: t.auth,
      }),
  },
];
const totalWeight = operations.reduce((sum, op) => sum + op.weight, 0);
function chooseOperation() {
  let r = random() * totalWeight;
  for (const op of operations) if ((r -= op.weight) < 0) return op;
  return operations[0];
}

/**
 * The invariants, each an SQL query returning the rows that break it (so a violation is
 * named by its rows), run on the stored data while no request is in flight.
 */
const invariants = [
  {
    name: "no RFID card bound to two customers",
    sql: `SELECT tenant_id, value FROM identifiers WHERE kind = 'rfid_card' GROUP BY tenant_id, value HAVING count(DISTINCT customer_id) > 1`,
  },
  {
    name: "no vehicle tag active twice",
    sql: `SELECT tenant_id, value FROM identifiers WHERE kind = 'vehicle_tag' AND status = 'active' GROUP BY tenant_id, value HAVING count(*) > 1`,
  },
  {
    name: "one active card per customer",
    sql: `SELECT customer_id FROM identifiers WHERE kind = 'rfid_card' AND status = 'active' GROUP BY customer_id HAVING count(*) > 1`,
  },
  { name: "no account balance negative", sql: `SELECT id, balance FROM ledger_accounts WHERE balance < 0` },
  {
    name: "every balance = credits - debits of its transactions",
    // Each table is summed once, grouped: a correlated subquery per account would scan the ledger once per account (no index on account_id).
    sql: `SELECT a.id, a.balance, coalesce(s.ledger, 0) AS ledger FROM ledger_accounts a
      LEFT JOIN (SELECT account_id, total(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS ledger FROM ledger_transactions GROUP BY account_id) s
        ON s.account_id = a.id
      WHERE a.balance <> coalesce(s.ledger, 0)`,
  },
  {
    name: "every balance = what its lots still hold",
    sql: `SELECT a.id, a.balance FROM ledger_accounts a
      LEFT JOIN (SELECT account_id, total(remaining) AS held FROM ledger_lots GROUP BY account_id) l ON l.account_id = a.id
      WHERE a.balance <> coalesce(l.held, 0)`,
  },
  {
    name: "every lot = its amount minus what debits and expirations took",
    sql: `SELECT l.id FROM ledger_lots l
      LEFT JOIN (SELECT lot_id, total(amount) AS taken FROM ledger_lot_movements GROUP BY lot_id) m ON m.lot_id = l.id
      WHERE l.remaining < 0 OR l.remaining > l.amount OR l.remaining <> l.amount - coalesce(m.taken, 0)`,
  },
  {
    name: "a customer's transactions are numbered 1..n",
    sql: `SELECT customer_id FROM ledger_transactions GROUP BY customer_id HAVING max(customer_seq) <> count(*) OR min(customer_seq) <> 1`,
  },
  {
    name: "no transaction reversed twice",
    sql: `SELECT reverses_id FROM ledger_transactions WHERE reverses_id IS NOT NULL GROUP BY reverses_id HAVING count(*) > 1`,
  },
  {
    name: "tenant customer counters = their customers",
    sql: `SELECT t.id FROM tenants t WHERE t.active_customers <> (SELECT count(*) FROM customers c WHERE c.tenant_id = t.id AND c.active = 1)`,
  },
  {
    name: "no row of one tenant points at another's customer",
    sql: `SELECT 'identifiers' AS t, i.id FROM identifiers i JOIN customers c ON c.id = i.customer_id WHERE c.tenant_id <> i.tenant_id
      UNION ALL SELECT 'ledger_transactions', x.id FROM ledger_transactions x JOIN customers c ON c.id = x.customer_id WHERE c.tenant_id <> x.tenant_id
      UNION ALL SELECT 'sales', s.id FROM sales s JOIN customers c ON c.id = s.customer_id WHERE c.tenant_id <> s.tenant_id`,
  },
];

const countersSql = (table, key) => `SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY ${key}`;
async function reportCounters(tenantId) {
  const strip = (rows) => rows.map(({ id, ...rest }) => JSON.stringify(rest));
  const stores = await db.prepare(countersSql("report_store_days", "day, store_id")).bind(tenantId).all();
  const products = await db.prepare(countersSql("report_product_days", "day, store_id, product_id")).bind(tenantId).all();
  return [...strip(stores.results), ...strip(products.results)];
}

/**
 * Report counters against a rebuild: the counters the ledger batches kept, then
 * `POST /admin/tenants/{id}/reports/rebuild` recomputes them from the ledger, then the
 * two are compared row by row (no request is in flight, so nothing moves in between).
 */
async function countersMatchRebuild(tenantId) {
  const kept = await reportCounters(tenantId);
  const rebuilt = await send("POST", `/admin/tenants/${tenantId}/reports/rebuild`, { headers: admin });
  if (rebuilt.status !== 200) return [`rebuild answered ${rebuilt.status} ${rebuilt.text.slice(0, 200)}`];
  const recomputed = await reportCounters(tenantId);
  const missing = kept.filter((row) => !recomputed.includes(row)).map((row) => `kept, not in the rebuild: ${row}`);
  const extra = recomputed.filter((row) => !kept.includes(row)).map((row) => `in the rebuild, not kept: ${row}`);
  return [...missing, ...extra];
}

const violations = new Map();
async function checkInvariants() {
  const found = [];
  for (const invariant of invariants) {
    const { results } = await db.prepare(invariant.sql).all();
    if (results.length > 0) found.push([invariant.name, results.slice(0, 5).map((r) => JSON.stringify(r))]);
  }
  for (const t of tenants) {
    const diff = await countersMatchRebuild(t.id);
    if (diff.length > 0) found.push([`tenant ${t.id}: report counters = a rebuild from the ledger`, diff.slice(0, 5)]);
  }
  for (const [name, rows] of found) {
    const seen = violations.get(name) ?? [];
    violations.set(name, [...seen, ...rows].slice(0, 10));
  }
  return found.length;
}

// Statistics: per minute of load, and per operation over the run.
const minuteStats = [];
const perOperation = new Map(operations.map((op) => [op.name, { latencies: [], statuses: {} }]));
const serverErrors = [];
const statusCounts = {};
const pct = (xs, p) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

let paused = false;
let inFlight = 0;
let stop = false;
const resumeWaiters = [];
const waitWhilePaused = () => (paused ? new Promise((resolve) => resumeWaiters.push(resolve)) : Promise.resolve());

async function worker() {
  while (!stop) {
    await waitWhilePaused();
    if (stop) break;
    const op = chooseOperation();
    const tenant = op.name.startsWith("kiosk") || op.name.startsWith("lobby") ? kioskTenant : pick(tenants);
    inFlight++;
    let res;
    try {
      res = await op.run(tenant);
    } catch (err) {
      res = { status: 0, text: String(err), ms: 0 };
    } finally {
      inFlight--;
    }
    const minute = minuteStats[minuteStats.length - 1];
    minute.latencies.push(res.ms);
    minute.count++;
    const stats = perOperation.get(op.name);
    stats.latencies.push(res.ms);
    stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
    statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
    if (res.status >= 500 || res.status === 0) {
      minute.serverErrors++;
      if (serverErrors.length < 20) serverErrors.push(`${op.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
}

/** The lot-expiration job, fired while the load runs, racing the debits: it expires the lots credited with tomorrow's date. */
async function expireLots() {
  try {
    const handler = await mf.getWorker();
    await handler.scheduled({ scheduledTime: new Date(Date.now() + 3 * 86_400_000), cron: "*/15 * * * *" });
    return true;
  } catch (err) {
    console.log(`  (expiration job not fired: ${String(err).slice(0, 120)})`);
    return false;
  }
}

/** Pauses the workers and waits until no request is in flight and the ledger has stopped moving (an expiration job may still run). */
async function quiesce() {
  paused = true;
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  let last = -1;
  for (;;) {
    const { n } = await db
      .prepare("SELECT count(*) + total(remaining) AS n FROM ledger_transactions, (SELECT total(remaining) AS remaining FROM ledger_lots)")
      .first();
    if (n === last) return;
    last = n;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
function resume() {
  paused = false;
  for (const wake of resumeWaiters.splice(0)) wake();
}

console.log(`ficha soak: ${minutes} min, ${concurrency} concurrent workers, seed ${opts.seed}, Miniflare on ${base} (loopback, in-memory D1)`);
console.log(`tenants ${tenants.map((t) => t.id).join(", ")} sharing every external id; kiosk registrations land in tenant ${kioskTenant.id}`);
console.log(`workload: ${operations.map((op) => `${op.name} ${Math.round((100 * op.weight) / totalWeight)}%`).join(", ")}`);
console.log("each minute: load pauses, requests drain, invariants and the report rebuild comparison run, load resumes");
console.log("per minute: requests answered, req/s over that minute's load (the checks excluded), latency, 5xx (or no answer), invariants broken\n");
console.log("minute  requests   req/s   p50 ms   p99 ms   5xx   invariants broken");

const startedAt = Date.now();
const deadline = startedAt + runMs;
minuteStats.push({ count: 0, latencies: [], serverErrors: 0, activeMs: 0 });
const workers = Array.from({ length: concurrency }, worker);
let expirationsFired = 0;
let checkpoints = 0;
let violationRows = 0;
while (Date.now() < deadline) {
  const minuteStart = Date.now();
  const minuteEnd = Math.min(deadline, minuteStart + 60_000);
  while (Date.now() < minuteEnd) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(20_000, minuteEnd - Date.now())));
    if (Date.now() < minuteEnd && (await expireLots())) expirationsFired++;
  }
  const minute = minuteStats[minuteStats.length - 1];
  minute.activeMs = Date.now() - minuteStart;
  await quiesce();
  const broken = await checkInvariants();
  checkpoints++;
  violationRows += broken;
  const rps = minute.count / (minute.activeMs / 1000);
  console.log(
    `${String(minuteStats.length).padStart(6)}  ${String(minute.count).padStart(8)}  ${rps.toFixed(1).padStart(6)}  ${pct(minute.latencies, 50).toFixed(1).padStart(7)}  ${pct(minute.latencies, 99).toFixed(1).padStart(7)}  ${String(minute.serverErrors).padStart(4)}   ${broken}`,
  );
  if (Date.now() < deadline) {
    minuteStats.push({ count: 0, latencies: [], serverErrors: 0, activeMs: 0 });
    resume();
  }
}
stop = true;
resume();
await Promise.all(workers);
// After the run: the lots that expired meanwhile too, then the invariants once more.
if (await expireLots()) expirationsFired++;
await quiesce();
const finalBroken = await checkInvariants();
violationRows += finalBroken;
await pool.close();
await mf.dispose();

const total = minuteStats.reduce((sum, m) => sum + m.count, 0);
const activeSeconds = minuteStats.reduce((sum, m) => sum + m.activeMs, 0) / 1000;
const all = minuteStats.flatMap((m) => m.latencies);
const fiveXX = Object.entries(statusCounts)
  .filter(([status]) => Number(status) >= 500 || status === "0")
  .reduce((sum, [, n]) => sum + n, 0);
console.log(
  `\ntotal: ${total} requests in ${activeSeconds.toFixed(0)} s of load (${(total / activeSeconds).toFixed(1)} req/s), p50 ${pct(all, 50).toFixed(1)} ms, p99 ${pct(all, 99).toFixed(1)} ms`,
);
console.log(
  `statuses: ${Object.entries(statusCounts)
    .sort()
    .map(([s, n]) => `${s}x${n}`)
    .join(" ")}  (4xx are expected answers: overdrafts, duplicates, taken tags, reversed codes)`,
);
console.log(`expiration job fired ${expirationsFired} times; invariants checked at ${checkpoints} checkpoints and after the run\n`);
console.table(
  [...perOperation].map(([name, s]) => ({
    operation: name,
    requests: s.latencies.length,
    "p50 ms": pct(s.latencies, 50).toFixed(1),
    "p99 ms": pct(s.latencies, 99).toFixed(1),
    statuses: Object.entries(s.statuses)
      .sort()
      .map(([k, v]) => `${k}x${v}`)
      .join(" "),
  })),
);
console.log("invariants:");
for (const invariant of [...invariants.map((i) => i.name), ...tenants.map((t) => `tenant ${t.id}: report counters = a rebuild from the ledger`)]) {
  const rows = violations.get(invariant);
  console.log(`  ${rows ? "FAIL" : "ok  "}  ${invariant}${rows ? `\n          ${rows.join("\n          ")}` : ""}`);
}
for (const line of serverErrors) console.log(`  5xx: ${line}`);
const pass = fiveXX === 0 && violationRows === 0;
console.log(
  `\nRESULT: ${pass ? "PASS" : "FAIL"} — ${fiveXX} responses of 5xx (or no response), ${violationRows} invariant violations (invariants broken, summed over ${checkpoints + 1} checks)`,
);
clearTimeout(watchdog);
process.exit(pass ? 0 : 1);
