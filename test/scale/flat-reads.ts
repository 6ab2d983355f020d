import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { addDays, localDate } from "../../src/core/time";
import { page, signIn } from "../console/support";
import { ADMIN_TOKEN, call, cost, newTenant, type TestTenant } from "../helpers";
import { seed } from "../loyalty/fixtures";

/**
 * Rows read by every list, report and feed as one tenant grows from a thousand ledger
 * transactions to a million: a handful of probe records made through the public APIs (so
 * every write path runs), then bulk rows straight into D1 around them, as a registry of
 * that size would hold them: customers with their identifiers, accounts, transactions,
 * lots, sales, vehicle tags, report counters, events, webhook attempts and audit entries.
 * Bulk rows are set-based `INSERT … SELECT` over a recursive CTE, in chunks; the triggers
 * on those tables run as for any write. Every probe route answers the same number of rows
 * at every size, so its rows read must not change. The exceptions are the two legacy
 * offset pages (`deepPages`).
 */

/** Bulk rows per statement (SQLite inserts this many in well under a second). */
const CHUNK = 100_000;
/** Bulk ids start here, after anything the API writes in the file. */
const BASE = 1_000_000_000;
const BULK_STORES = 10;
const BULK_PRODUCTS = 20;
/** Bulk rows are dated years before the probes' (so every probe date range stays the same). */
const BULK_EPOCH = Date.UTC(2001, 0, 1);
const BULK_DAY = "2001-01-01";

export const PROBE = {
  loyalty: "probe-loyalty",
  document: "1000000001",
  refId: "PROBE-REF",
  code: "probe-coupon-1",
  stores: [
    { externalId: "PS1", name: "Probe Centro" },
    { externalId: "PS2", name: "Probe Alameda" },
    { externalId: "PS3", name: "Probe Sur" },
  ],
  products: ["P-1", "P-2", "P-3", "P-4"],
  /** Days of counters before today in the report window (today's come from the API). */
  windowDays: 30,
} as const;

export interface Probe {
  tenant: TestTenant;
  /** The loyalty probe's customer id (the operator 360 and its transactions). */
  customerId: number;
  /** The probe's webhook endpoint. */
  endpointId: number;
  /** Ledger transactions the probes wrote through the API. */
  apiTransactions: number;
  /** The last event number the probes' writes appended (bulk events follow it). */
  apiEvents: number;
  today: string;
  windowStart: string;
  /** A console session's cookie. */
  console: string;
}

/** What `call` answers (a console page's has no body). */
type Answer = Awaited<ReturnType<typeof call>>;

const ok = async (res: Promise<Answer>) => {
  const done = await res;
  if (done.status !== 200 && done.status !== 201) throw new Error(`${done.status} ${done.text}`);
  return done;
};

const one = (query: string, ...values: unknown[]) =>
  env.DB.prepare(query)
    .bind(...values)
    .first<number>("n")
    .then((n) => n!);

/** The probe tenant with its records made through the public APIs, and a later tenant (so every index range of the probe's ends the same way at every size). */
export async function makeProbe(): Promise<Probe> {
  const t = await newTenant();
  const h = { headers: t.auth };
  const customer = { externalId: PROBE.loyalty, name: "Probe Loyalty", data: {} };
  // Loyalty: coupons and orders at three stores, a reload, a reversal.
  for (const [i, store] of PROBE.stores.entries()) {
    await ok(call("POST", "/api/transaction", { ...h, body: { ...seed.transaction, code: `probe-coupon-${i + 1}`, customer, store } }));
    await ok(
      call("POST", "/api/transaction/checkbook", {
        ...h,
        body: {
          ...seed.checkbook,
          code: `probe-order-${i + 1}`,
          customer,
          store,
          detail: PROBE.products.map((externalId, k) => ({ name: `Product ${externalId}`, externalId, total: 5, earnedRedeemed: k + 1 })),
        },
      }),
    );
  }
  await ok(call("POST", "/api/transaction", { ...h, body: { ...seed.transaction, type: "BALANCE RELOAD", code: "probe-reload", customer } }));
  await ok(call("POST", "/api/transaction/reverse", { ...h, body: { type: "POINTS COUPON", code: PROBE.code } }));
  for (let i = 0; i < 25; i++)
    await ok(call("POST", "/api/transaction", { ...h, body: { type: "POINTS COUPON", code: `probe-more-${i}`, description: "more", total: 1, customer } }));
  // Clients, sales (a client with three sales), parking (a customer with three tags).
  for (let i = 0; i < 5; i++) {
    await ok(
      call("POST", "/api/clientes", {
        ...h,
        body: { nombre: `Probe Cliente ${i}`, tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: `2000000${i}`, codigoCliente: `PROBE${i}` },
      }),
    );
  }
  await ok(
    call("POST", "/api/sales/clientes", { ...h, body: { nombre: "Probe Ventas", documento: PROBE.document, id_tipo_cliente: 1, id_tipo_documento: 1 } }),
  );
  for (let i = 0; i < 3; i++) {
    await ok(
      call("POST", "/api/sales/ventas", { ...h, body: { documento: PROBE.document, apartamento: `P-${i}`, monto: 1000, tipo: "venta", fecha: "2024-01-15" } }),
    );
  }
  await ok(
    call("POST", "/api/v3/business/customer/add", {
      ...h,
      body: {
        email: "probe@example.com",
        phone: "999000111",
        name: "Probe",
        lastname: "Parking",
        isUnlimited: true,
        refId: PROBE.refId,
        tags: [0, 1, 2].map((i) => ({ code: `PT${i}`, plate: `PP${i}` })),
      },
    }),
  );
  // Last of the probe's writes: a webhook endpoint receives only later events, and none come through the API.
  const endpoint = await ok(call("POST", "/v1/webhook-endpoints", { ...h, body: { url: "https://partner.example.com/hooks", events: ["ledger.posted"] } }));

  const today = localDate(Date.now(), "UTC");
  const windowStart = addDays(today, -PROBE.windowDays);
  // The window's earlier days hold counters too (days x stores x products), as a month of activity would.
  const stores = `SELECT 0 AS id UNION ALL SELECT id FROM ledger_stores WHERE tenant_id = ${t.id}`;
  const days = `WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < ${PROBE.windowDays})`;
  const dayOf = `date('${today}', '-' || d.k || ' days')`;
  await env.DB.prepare(
    `${days} INSERT INTO report_store_days (tenant_id, day, store_id, point_earned_coupons) SELECT ${t.id}, ${dayOf}, s.id, 100 FROM d, (${stores}) s`,
  ).run();
  await env.DB.prepare(
    `${days} INSERT INTO report_product_days (tenant_id, day, store_id, product_id, num_orders)
     SELECT ${t.id}, ${dayOf}, s.id, p.id, 1 FROM d, (${stores}) s, ledger_products p WHERE p.tenant_id = ${t.id}`,
  ).run();

  const customerId = await one("SELECT customer_id AS n FROM identifiers WHERE tenant_id = ? AND kind = 'loyalty_id' AND value = ?", t.id, PROBE.loyalty);
  const apiTransactions = await one("SELECT count(*) AS n FROM ledger_transactions WHERE tenant_id = ?", t.id);
  const apiEvents = await one("SELECT max(seq) AS n FROM events WHERE tenant_id = ?", t.id);

  // A later tenant with a row in every index the probe's ranges walk.
  const later = await newTenant();
  await ok(call("POST", "/api/transaction", { headers: later.auth, body: { ...seed.transaction, code: "later" } }));
  await ok(call("POST", "/api/transaction/checkbook", { headers: later.auth, body: { ...seed.checkbook, code: "later-order" } }));
  await ok(call("POST", "/api/sales/clientes", { headers: later.auth, body: { nombre: "Later", documento: "1", id_tipo_cliente: 1, id_tipo_documento: 1 } }));

  const session = await signIn();
  return { tenant: t, customerId, endpointId: endpoint.body.id, apiTransactions, apiEvents, today, windowStart, console: session.cookie };
}

/** `WITH RECURSIVE n(i)`: the integers [?1, ?1 + ?2). D1 binds JS numbers as REAL: the CAST keeps i an integer (i / 10 divides as integers). */
const numbers = "WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < CAST(?1 AS INTEGER) + ?2 - 1)";

/**
 * Grows the probe tenant's bulk from `from` to `to` ledger transactions (bulk index i):
 * customer i/10 (ten transactions each, each opening a lot and appending an event), with
 * a loyalty id, a document and an account, every tenth with a parking refId, a vehicle
 * tag and a sale; a store-day counter row per 100 transactions and a product-day row per
 * 20, on days before the probes'; a webhook attempt per 10 and an audit entry per 100.
 */
export async function grow(probe: Probe, from: number, to: number): Promise<void> {
  const tenant = probe.tenant.id;
  // Only the chunk's bounds are bound; the rest are this file's own integers, inline.
  const bulk = async (range: [number, number], insert: string) => {
    for (let start = range[0]; start < range[1]; start += CHUNK) {
      await env.DB.prepare(`${numbers} ${insert}`)
        .bind(start, Math.min(CHUNK, range[1] - start))
        .run();
    }
  };
  const per = (n: number): [number, number] => [Math.ceil(from / n), Math.ceil(to / n)];
  if (from === 0) {
    await bulk(
      [0, BULK_STORES],
      `INSERT INTO ledger_stores (id, tenant_id, external_id, name, created_at) SELECT ${BASE} + i, ${tenant}, 'BS' || i, 'Bulk store ' || i, ${BULK_EPOCH} FROM n`,
    );
    await bulk(
      [0, BULK_PRODUCTS],
      `INSERT INTO ledger_products (id, tenant_id, external_id, name, created_at) SELECT ${BASE} + i, ${tenant}, 'BP' || i, 'Bulk product ' || i, ${BULK_EPOCH} FROM n`,
    );
  }
  await bulk(
    per(10),
    `INSERT INTO customers (id, tenant_id, channel, name, created_at, updated_at) SELECT ${BASE} + i, ${tenant}, 'loyalty', 'Bulk ' || i, ${BULK_EPOCH} + i, ${BULK_EPOCH} + i FROM n`,
  );
  await bulk(
    per(10),
    `INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, exclusive, created_at, status_changed_at)
     SELECT ${tenant}, ${BASE} + i, 'loyalty_id', 'bulk-' || i, NULL, 1, ${BULK_EPOCH}, ${BULK_EPOCH} FROM n
     UNION ALL SELECT ${tenant}, ${BASE} + i, 'document', 'B' || printf('%09d', i), 'CC', 1, ${BULK_EPOCH}, ${BULK_EPOCH} FROM n
     UNION ALL SELECT ${tenant}, ${BASE} + i, 'parking_ref', 'BULK-' || i, NULL, 1, ${BULK_EPOCH}, ${BULK_EPOCH} FROM n WHERE i % 10 = 0
     UNION ALL SELECT ${tenant}, ${BASE} + i, 'vehicle_tag', 'BT' || i, 'BP' || i, 1, ${BULK_EPOCH}, ${BULK_EPOCH} FROM n WHERE i % 10 = 0`,
  );
  await bulk(
    per(10),
    `INSERT INTO ledger_accounts (id, tenant_id, customer_id, unit, balance, earned, created_at, updated_at)
     SELECT ${BASE} + i, ${tenant}, ${BASE} + i, 'POINTS', 1000, 1000, ${BULK_EPOCH}, ${BULK_EPOCH} FROM n`,
  );
  await bulk(
    per(10),
    `INSERT INTO sales (tenant_id, customer_id, apartment, amount, kind, date, created_at) SELECT ${tenant}, ${BASE} + i, 'Bulk', 100, 'venta', '${BULK_DAY}', ${BULK_EPOCH} FROM n WHERE i % 10 = 0`,
  );
  await bulk(
    [from, to],
    `INSERT INTO ledger_transactions (id, tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, code, external_id, title, store_id, channel, created_at)
     SELECT ${BASE} + i, ${tenant}, ${BASE} + i / 10, i % 10 + 1, ${BASE} + i / 10, 'POINTS', 'CREDIT', 100, 'POINTS COUPON', 'coupon', 'bulk-' || i, 'bulk-' || i, 'Cupón',
       ${BASE} + i % ${BULK_STORES}, 'loyalty', ${BULK_EPOCH} + i * 60000 FROM n`,
  );
  await bulk(
    [from, to],
    `INSERT INTO ledger_lots (id, tenant_id, account_id, transaction_id, amount, remaining, expires_at, set_name, created_at)
     SELECT ${BASE} + i, ${tenant}, ${BASE} + i / 10, ${BASE} + i, 100, 100, ${BULK_EPOCH} + i * 60000 + 31536000000000, 'PROMOCIONAL', ${BULK_EPOCH} + i * 60000 FROM n`,
  );
  await bulk(
    [from, to],
    `INSERT INTO events (tenant_id, seq, type, created_at, data)
     SELECT ${tenant}, ${probe.apiEvents} + 1 + i, 'ledger.posted', ${BULK_EPOCH} + i * 60000, '{"customer":{"id":' || (${BASE} + i / 10) || '}}' FROM n`,
  );
  await bulk(
    per(10),
    `INSERT INTO webhook_attempts (tenant_id, delivery_id, endpoint_id, event_seq, event_type, attempt, status_code, duration_ms, attempted_at, outcome)
     SELECT ${tenant}, ${BASE} + i, ${probe.endpointId}, ${probe.apiEvents} + 1 + i * 10, 'ledger.posted', 1, 200, 40, ${BULK_EPOCH} + i * 600000, 'succeeded' FROM n`,
  );
  await bulk(
    per(100),
    `INSERT INTO report_store_days (tenant_id, day, store_id, point_earned_coupons)
     SELECT ${tenant}, date('${BULK_DAY}', '+' || (i / ${BULK_STORES}) || ' days'), ${BASE} + i % ${BULK_STORES}, 100 FROM n`,
  );
  await bulk(
    per(20),
    `INSERT INTO report_product_days (tenant_id, day, store_id, product_id, num_orders)
     SELECT ${tenant}, date('${BULK_DAY}', '+' || (i / ${BULK_STORES * BULK_PRODUCTS}) || ' days'), ${BASE} + (i / ${BULK_PRODUCTS}) % ${BULK_STORES},
       ${BASE} + i % ${BULK_PRODUCTS}, 1 FROM n`,
  );
  await bulk(
    per(100),
    `INSERT INTO audit_log (tenant_id, created_at, actor, request_id, action, target, summary)
     SELECT ${tenant}, ${BULK_EPOCH} + i, 'admin:bulk', 'bulk', 'tenant.updated', 'tenant:${tenant}', '{}' FROM n`,
  );
}

type Caller = "partner" | "admin" | "console";

export interface Route {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  /** Whose credential calls it (default: the probe's partner token). */
  as?: Caller;
  /** The rows the answer returns (a console page: its table rows). */
  returned: (res: Answer) => number;
  /** A report: at most 2 rows read per row returned (issue 16). */
  report?: boolean;
}

const data = (res: Answer) => res.body.data.length as number;
const tableRows = (res: Answer) => res.text.split("<tr").length - 1;

/** Every list, report and feed (and the console pages built on them), asked for the probes' records. */
export function routes(probe: Probe): Route[] {
  const { today, windowStart, customerId: c, endpointId: e } = probe;
  const t = probe.tenant.id;
  const loyalty = PROBE.loyalty;
  const mid = probe.apiEvents + 500;
  return [
    { name: "clients page 0", method: "GET", path: "/api/clientes?page=0&size=20", returned: (r) => r.body.content.length },
    { name: "clients page 2", method: "GET", path: "/api/clientes?page=2&size=20", returned: (r) => r.body.content.length },
    { name: "sales clients", method: "GET", path: "/api/sales/clientes", returned: data },
    { name: "sales client", method: "GET", path: `/api/sales/clientes/${PROBE.document}`, returned: () => 1 },
    { name: "a client's sales", method: "GET", path: `/api/sales/clientes/${PROBE.document}/ventas`, returned: data },
    { name: "parking tag list", method: "POST", path: "/api/v3/business/tag/list", body: { refId: PROBE.refId }, returned: (r) => r.body.length },
    { name: "loyalty history", method: "GET", path: `/api/transaction/history?customerId=${loyalty}&page=1`, returned: data },
    { name: "loyalty history page 2", method: "GET", path: `/api/transaction/history?customerId=${loyalty}&page=2`, returned: data },
    { name: "reloads by customer", method: "GET", path: `/api/transaction/reloadsByCustomer?document=${loyalty}&from=${today}&to=${today}`, returned: data },
    { name: "points by customer", method: "GET", path: `/api/transaction/pointsByCustomer?document=${loyalty}&from=${today}&to=${today}`, returned: data },
    {
      name: "transaction by code (and its reversal)",
      method: "GET",
      path: `/api/transaction/transactionByCode?type=POINTS%20COUPON&code=${PROBE.code}`,
      returned: data,
    },
    { name: "open lots", method: "GET", path: `/api/batch/expiration?customerId=${loyalty}`, returned: data },
    { name: "find customer", method: "GET", path: `/api/customer/findByExternalId?externalId=${loyalty}`, returned: () => 1 },
    { name: "stores report", method: "GET", path: `/api/report/dailySummary/stores?startDate=${windowStart}&endDate=${today}`, returned: data, report: true },
    {
      name: "products report",
      method: "GET",
      path: `/api/report/dailySummary/products?startDate=${windowStart}&endDate=${today}`,
      returned: data,
      report: true,
    },
    { name: "event feed", method: "GET", path: "/v1/events?limit=20", returned: data },
    { name: "event feed mid-log", method: "GET", path: `/v1/events?after=${mid}&limit=20`, returned: data },
    { name: "webhook endpoints", method: "GET", path: "/v1/webhook-endpoints", returned: data },
    { name: "webhook attempts", method: "GET", path: `/v1/webhook-endpoints/${e}/deliveries?limit=20`, returned: data },
    { name: "admin tenants", method: "GET", path: "/admin/tenants?limit=5", as: "admin", returned: data },
    { name: "admin audit", method: "GET", path: `/admin/audit?tenantId=${t}&limit=5`, as: "admin", returned: data },
    { name: "admin credentials", method: "GET", path: `/admin/tenants/${t}/credentials`, as: "admin", returned: data },
    { name: "admin search by name", method: "GET", path: `/admin/tenants/${t}/customers?q=probe`, as: "admin", returned: data },
    { name: "admin search by id", method: "GET", path: `/admin/tenants/${t}/customers?q=${PROBE.document}`, as: "admin", returned: data },
    { name: "admin customer 360", method: "GET", path: `/admin/tenants/${t}/customers/${c}`, as: "admin", returned: () => 1 },
    { name: "admin ledger entries", method: "GET", path: `/admin/tenants/${t}/customers/${c}/transactions?limit=20`, as: "admin", returned: data },
    { name: "console search", method: "GET", path: `/console/tenants/${t}/customers?q=probe`, as: "console", returned: tableRows },
    { name: "console customer", method: "GET", path: `/console/tenants/${t}/customers/${c}`, as: "console", returned: tableRows },
    { name: "console entries", method: "GET", path: `/console/tenants/${t}/customers/${c}?before=20`, as: "console", returned: tableRows },
    { name: "console reports", method: "GET", path: `/console/tenants/${t}/reports?from=${windowStart}&to=${today}`, as: "console", returned: tableRows },
    { name: "console tenant", method: "GET", path: `/console/tenants/${t}`, as: "console", returned: tableRows },
  ];
}

export interface Measured {
  returned: number;
  rowsRead: number;
}

function ask(probe: Probe, method: string, path: string, as: Caller = "partner", body?: unknown) {
  if (as === "console") return page(method, path, { cookie: probe.console }).then((res) => ({ ...res, body: undefined }));
  const headers = as === "admin" ? { authorization: `Bearer ${ADMIN_TOKEN}` } : probe.tenant.auth;
  return call(method, path, { headers, body });
}

/** Calls each route once (after one warming call, so isolate caches do not count) and records what it returned and read. */
export async function measure(probe: Probe, list: Route[]): Promise<Map<string, Measured>> {
  const out = new Map<string, Measured>();
  for (const route of list) {
    await ask(probe, route.method, route.path, route.as, route.body);
    const res = await ask(probe, route.method, route.path, route.as, route.body);
    expect(res.status, `${route.name}: ${res.text.slice(0, 300)}`).toBe(200);
    out.set(route.name, { returned: route.returned(res), rowsRead: cost(res.headers).rowsRead });
  }
  return out;
}

export interface DeepPage extends Measured {
  name: string;
  /** Rows before the page (its OFFSET). */
  offset: number;
}

/**
 * The last page of the two legacy lists whose contracts page by number (Spring's
 * zero-based `page`, Laravel's one-based `page`): SQL's OFFSET, so a page reads past the
 * rows before it too, O(offset). Keyset pages would break the contracts' `page=N`; the
 * first pages stay flat (`routes`).
 */
export async function deepPages(probe: Probe): Promise<DeepPage[]> {
  const clients = (await ask(probe, "GET", "/api/clientes?page=0&size=20")).body;
  const sales = (await ask(probe, "GET", "/api/sales/clientes")).body.meta;
  const pages = [
    {
      name: "clients last page",
      path: `/api/clientes?page=${clients.totalPages - 1}&size=20`,
      offset: (clients.totalPages - 1) * 20,
      returned: (r: Answer) => r.body.content.length,
    },
    { name: "sales clients last page", path: `/api/sales/clientes?page=${sales.last_page}`, offset: (sales.last_page - 1) * sales.per_page, returned: data },
  ];
  const out: DeepPage[] = [];
  for (const p of pages) {
    const res = await ask(probe, "GET", p.path);
    expect(res.status, res.text).toBe(200);
    out.push({ name: p.name, offset: p.offset, returned: p.returned(res), rowsRead: cost(res.headers).rowsRead });
  }
  return out;
}

/** The tenant's ledger transactions. */
export const transactionCount = (tenantId: number) => one("SELECT count(*) AS n FROM ledger_transactions WHERE tenant_id = ?", tenantId);

declare module "vitest" {
  export interface ProvidedContext {
    /** The large size of test/scale/flat-reads.test.ts (vitest.scale.config.ts sets it). */
    flatReadsTransactions?: number;
  }
}
