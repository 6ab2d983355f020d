import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, cost, newTenant, type TestTenant } from "../helpers";
import { rowsOf, seedEvents, wholeFeed } from "./support";

const feed = (t: TestTenant, query = "") => call("GET", `/v1/events${query}`, { headers: t.auth });

let serial = 0;
/** One write of each kind a partner makes, each appending its events. */
const writes = (t: TestTenant) => {
  serial += 1;
  const n = serial;
  return [
    () =>
      call("POST", "/api/clientes", {
        headers: t.auth,
        body: { nombre: `Cliente ${n}`, tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `F${n}`, codigoCliente: `FC${n}` },
      }),
    () =>
      call("POST", "/api/transaction", {
        headers: t.auth,
        body: { type: "POINTS COUPON", code: `f-${n}`, total: 5, description: "x", customer: { externalId: `ext-${n % 4}`, name: "X", data: {} } },
      }),
    () =>
      call("POST", "/api/v3/business/customer/add", {
        headers: t.auth,
        body: { email: `p${n}@example.com`, phone: "+56975880800", isUnlimited: true, refId: `ref-${n}`, tags: [{ code: `FT${n}`, plate: "PLT1" }] },
      }),
  ];
};

/** The tenant's events as D1 holds them, in commit order. */
const stored = async (tenantId: number) =>
  (await rowsOf<{ seq: number }>("SELECT seq FROM events WHERE tenant_id = ? ORDER BY seq", tenantId)).map((r) => `evt_${tenantId}_${r.seq}`);

describe("GET /v1/events", () => {
  it("returns the tenant's events in commit order, `limit` at a time, resumable from `next_cursor` (the issue's example)", async () => {
    const t = await newTenant();
    const empty = await feed(t);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ data: [], next_cursor: "0" });
    for (const write of writes(t)) expect((await write()).status).toBeLessThan(300);
    const first = await feed(t, "?limit=2");
    expect(first.body.data.map((e: { id: string; type: string }) => [e.id, e.type])).toEqual([
      [`evt_${t.id}_1`, "customer.created"],
      [`evt_${t.id}_2`, "customer.created"],
    ]);
    expect(first.body.next_cursor).toBe("2");
    const rest = await feed(t, `?after=${first.body.next_cursor}&limit=500`);
    expect(rest.body.data.map((e: { type: string }) => e.type)).toEqual(["ledger.posted", "customer.created", "tag.added"]);
    expect(rest.body.next_cursor).toBe("5");
    // Nothing new: the same cursor back.
    expect((await feed(t, "?after=5")).body).toEqual({ data: [], next_cursor: "5" });
    // Any cursor resumes: from 3 on, exactly the events after number 3.
    expect((await feed(t, "?after=3")).body.data.map((e: { id: string }) => e.id)).toEqual([`evt_${t.id}_4`, `evt_${t.id}_5`]);
  });

  it("never skips or repeats an event for readers that follow next_cursor while writers commit concurrently", async () => {
    const t = await newTenant();
    let writing = true;
    const follow = async (limit: number) => {
      const seen: string[] = [];
      let cursor = "0";
      for (;;) {
        const res = await feed(t, `?after=${cursor}&limit=${limit}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.data.map((e: { id: string }) => e.id));
        if (res.body.data.length === 0 && !writing) return seen;
        cursor = res.body.next_cursor;
      }
    };
    const readers = [follow(1), follow(3), follow(50)];
    const results = await Promise.all(Array.from({ length: 20 }, () => writes(t)).flatMap((batch) => batch.map((write) => write())));
    expect(results.every((r) => r.status < 300)).toBe(true);
    writing = false;
    const all = await stored(t.id);
    expect(all.length).toBeGreaterThanOrEqual(80);
    for (const seen of await Promise.all(readers)) expect(seen).toEqual(all);
  });

  it("reads rows in proportion to the page, not to the log", async () => {
    const t = await newTenant();
    // 20,000 events straight into the log.
    await seedEvents(t.id, 20_000);
    for (const [query, size] of [
      ["?after=10000&limit=10", 10],
      ["?after=19990&limit=500", 10],
      ["?limit=500", 500],
    ] as const) {
      const res = await feed(t, query);
      expect(res.body.data).toHaveLength(size);
      // The page's rows, plus the credential check, in one round trip.
      expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 1, rowsWritten: 0 });
      expect(cost(res.headers).rowsRead).toBeLessThanOrEqual(size + 2);
    }
  });

  it("shows only the caller's tenant: another tenant's events never appear, whatever the cursor", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    for (const write of writes(a)) await write();
    await writes(b)[0]!();
    expect((await wholeFeed(b)).map((e) => e.id)).toEqual([`evt_${b.id}_1`]);
    for (const after of ["0", "1", "4", "999999"]) {
      const res = await feed(b, `?after=${after}`);
      expect(res.body.data.every((e: { id: string }) => e.id.startsWith(`evt_${b.id}_`))).toBe(true);
      expect(res.text).not.toContain(`evt_${a.id}_`);
    }
  });

  it("refuses bad cursors and limits in the v1 envelope; no token is 401", async () => {
    const t = await newTenant();
    for (const query of ["?limit=0", "?limit=501", "?limit=x", "?after=-1", "?after=abc", "?after=1.5"]) {
      const res = await feed(t, query);
      expect(res.status, query).toBe(422);
      expect(res.body).toMatchObject({ code: "invalid", message: "Invalid input", errors: expect.any(Object) });
    }
    const anonymous = await call("GET", "/v1/events");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ code: "unauthenticated", message: "Unauthenticated" });
  });
});
