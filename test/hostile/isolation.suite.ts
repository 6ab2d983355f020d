import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { allTables, hit, type Res, setDestination, tenantSnapshot } from "./client";
import { documentedOperations, routes, type Target } from "./routes";
import { Problems, summary } from "./summary";
import { buildWorld, fresh, idSet, type World } from "./world";

/** The response with the target's identifiers replaced by their names and every other number by `#`, for comparing two targets. */
function normalised(res: Res, target: Target): string {
  const values: Array<[string, string]> = [
    ...Object.entries(target.ids).map(([key, value]) => [key, String(value)] as [string, string]),
    ["clientId", String(target.clientId)],
    ["parkingCustomerId", String(target.parkingCustomerId)],
  ];
  // Whole values only (not digits inside a longer number), and never the status: a customer id
  // of 201 must not read as the status 201.
  const whole = (value: string) => new RegExp(`(?<![0-9])${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9])`, "g");
  let text = res.text;
  for (const [key, value] of values.sort((a, b) => b[1].length - a[1].length)) {
    text = text.replace(whole(value), `<${key}>`).replace(whole(encodeURIComponent(value)), `<${key}>`);
  }
  return `${res.status} ${text.replace(/\d+/g, "#")}`;
}

/** POSTs that write nothing a body could forge (their own fields include some of the forged names). */
const readOnlyPosts = new Set(["POST /api/v3/business/tag/list", "POST /api/lobby/authenticate", "POST /oauth/token"]);

const ghost = (): Target => ({
  ids: idSet("ghost"),
  clientId: 900_000_000 + fresh(),
  parkingCustomerId: 900_000_000 + fresh(),
  endpointId: 900_000_000 + fresh(),
  eventId: `evt_${900_000_000 + fresh()}_1`,
});
const targetOf = (w: World): Target => ({
  ids: w.ids,
  clientId: w.clientId,
  parkingCustomerId: w.parkingCustomerId,
  endpointId: w.endpointId,
  eventId: w.eventId,
});

describe("object-level isolation: two tenants with overlapping identifiers", () => {
  let a: World;
  let b: World;

  beforeAll(async () => {
    // Both tenants hold objects under the same external ids, card UID, tag code, documents and transaction codes.
    const shared = idSet("shared");
    a = await buildWorld(null, shared);
    b = await buildWorld(null, shared);
  });

  it("tenant A naming tenant B's objects is answered exactly as naming objects that do not exist, and B's rows never change", async () => {
    const problems = new Problems();
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture?.aimed) continue;
      // Objects only B has, fresh for each operation: an earlier write by A must not have created them in A.
      const onlyB = await buildWorld(b.t, idSet("bonly"), b.marker);
      const bTarget = targetOf(onlyB);
      const missing = ghost();
      await setDestination(a.t.id);
      const before = await tenantSnapshot(b.t.id);
      const onB = await hit(fixture.aimed(a, bTarget));
      const onNothing = await hit(fixture.aimed(a, missing));
      summary.isolationCases += 1;
      problems.check(onB.status < 500, () => `${operation}: ${onB.status} ${onB.text.slice(0, 200)}`);
      problems.check(!onB.text.includes(b.marker), () => `${operation}: tenant B's data in the response: ${onB.text.slice(0, 300)}`);
      const [x, y] = [normalised(onB, bTarget), normalised(onNothing, missing)];
      problems.check(x === y, () => `${operation}: B's identifiers -> ${x.slice(0, 300)}\n   missing ones -> ${y.slice(0, 300)}`);
      problems.check(before === (await tenantSnapshot(b.t.id)), () => `${operation}: tenant B's rows changed`);
    }
    expect(problems.all).toEqual([]);
  });

  it("tenant A's reads and writes on the identifiers both tenants use show and touch only A's objects", async () => {
    const problems = new Problems();
    const before = await tenantSnapshot(b.t.id);
    const aCustomers = async () =>
      new Set((await env.DB.prepare("SELECT id FROM customers WHERE tenant_id = ?").bind(a.t.id).all<{ id: number }>()).results.map((r) => r.id));
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture || fixture.auth === "admin") continue;
      const requests = [await fixture.valid(a)];
      // (A delete aimed at A's own shared objects would leave nothing for the tests after this one.)
      if (fixture.aimed && !operation.startsWith("DELETE")) {
        // aimed() at A's own (shared) identifiers; the kiosk must be A's destination for the register route.
        await setDestination(a.t.id);
        requests.push(fixture.aimed(a, targetOf(a)));
      }
      for (const req of requests) {
        const res = await hit(req);
        summary.isolationCases += 1;
        problems.check(res.status < 500, () => `${operation}: ${res.status} ${res.text.slice(0, 200)}`);
        problems.check(!res.text.includes(b.marker), () => `${operation}: tenant B's data in A's response: ${res.text.slice(0, 300)}`);
        if (operation === "POST /api/clientes/register" || operation === "POST /api/lobby/authenticate") {
          problems.check(res.status >= 400 || (await aCustomers()).has(res.body.id), () => `${operation}: answered customer ${res.body.id}, not one of A's`);
        }
      }
    }
    problems.check(before === (await tenantSnapshot(b.t.id)), () => "tenant B's rows changed");
    // The shared card and tag were bound in both tenants, each to its own customer.
    const cards = await env.DB.prepare(
      "SELECT tenant_id, customer_id FROM identifiers WHERE kind IN ('rfid_card', 'vehicle_tag') AND value IN (?, ?) AND status = 'active'",
    )
      .bind(a.ids.cardUid, a.ids.tagCode)
      .all();
    expect(new Set(cards.results.map((c) => c.tenant_id))).toEqual(new Set([a.t.id, b.t.id]));
    expect(problems.all).toEqual([]);
  });

  it("mass assignment: bodies carrying id, tenantId, tenant_id, vigente, balance, status, createdAt … never change those fields", async () => {
    const problems = new Problems();
    const bCustomer = (await env.DB.prepare("SELECT id FROM customers WHERE tenant_id = ? LIMIT 1").bind(b.t.id).first<{ id: number }>())!.id;
    const forged = {
      id: 987_654,
      tenantId: b.t.id,
      tenant_id: b.t.id,
      tid: b.t.id,
      vigente: false,
      active: false,
      balance: 1_234_567.89,
      earned: 1_000_000,
      status: "cancelled",
      createdAt: 0,
      created_at: "1999-01-01T00:00:00.000000Z",
      updatedAt: 0,
      updated_at: "1999-01-01T00:00:00.000000Z",
      customerId: bCustomer,
      customer_id: bCustomer,
      revokedAt: 1,
      revoked_at: 1,
      secret_hash: "0".repeat(64),
      active_customers: 999,
      activeCustomers: 999,
    };
    const tables = await allTables();
    const columns = new Map<string, string[]>();
    for (const table of tables)
      columns.set(
        table,
        (await env.DB.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>()).results.map((c) => c.name),
      );
    const before = await tenantSnapshot(b.t.id);
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture || !["POST", "PUT"].includes(operation.split(" ")[0]!) || readOnlyPosts.has(operation)) continue;
      const req = await fixture.valid(a);
      if (req.body === null || typeof req.body !== "object" || Array.isArray(req.body)) continue;
      const body: Record<string, unknown> = { ...forged, ...(req.body as Record<string, unknown>) };
      // The loyalty customer blocks have no id of their own: forge inside them too.
      for (const key of ["customer", "customerFrom", "customerTo"]) {
        const block = body[key];
        if (block && typeof block === "object" && operation.startsWith("POST /api/transaction")) body[key] = { ...forged, ...block };
      }
      const started = Date.now();
      const res = await hit({ ...req, body });
      summary.massAssignmentCases += 1;
      problems.check(res.status === fixture.ok, () => `${operation}: ${res.status} ${res.text.slice(0, 300)}`);
      for (const table of tables) {
        const has = columns.get(table)!;
        const found = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE rowid = 987654`).first<{ n: number }>();
        problems.check(found!.n === 0, () => `${operation}: a row of ${table} got the forged id`);
        if (has.includes("tenant_id") && has.includes("created_at")) {
          const moved = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE created_at >= ? AND tenant_id NOT IN (?, 0)`)
            .bind(started, operation.startsWith("POST /admin/tenants") ? -1 : a.t.id)
            .first<{ n: number }>();
          // Admin creates belong to the tenant in the path (or a new tenant): never to the forged one.
          const forgedTenant = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE created_at >= ? AND tenant_id = ?`)
            .bind(started, b.t.id)
            .first<{ n: number }>();
          problems.check(forgedTenant!.n === 0, () => `${operation}: a row of ${table} landed in the forged tenant`);
          if (!operation.startsWith("POST /admin") && !operation.startsWith("PUT /admin"))
            problems.check(moved!.n === 0, () => `${operation}: ${table} rows outside tenant A`);
        }
      }
      // (A merge deactivates the customer it absorbs, recording into whom, and an erasure the one it erases: those are meant.)
      const customers = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM customers WHERE updated_at >= ? AND ((active = 0 AND merged_into_id IS NULL AND erased_at IS NULL) OR created_at < 1000000000)",
      )
        .bind(started)
        .first<{ n: number }>();
      problems.check(customers!.n === 0, () => `${operation}: a customer written inactive or with a forged created_at`);
      const odd = await env.DB.prepare(
        `SELECT (SELECT COUNT(*) FROM ledger_accounts a WHERE a.balance != (SELECT total(remaining) FROM ledger_lots l WHERE l.account_id = a.id) OR a.balance = 123456789) +
                (SELECT COUNT(*) FROM credentials WHERE revoked_at = 1 OR secret_hash = ?) +
                (SELECT COUNT(*) FROM identifiers WHERE created_at >= ? AND status != 'active') +
                (SELECT COUNT(*) FROM tenants WHERE active_customers = 999) AS n`,
      )
        .bind(forged.secret_hash, started)
        .first<{ n: number }>();
      problems.check(odd!.n === 0, () => `${operation}: a forged balance, status, revocation, secret or counter was stored`);
    }
    problems.check(before === (await tenantSnapshot(b.t.id)), () => "tenant B's rows changed");
    expect(problems.all).toEqual([]);
  });
});
