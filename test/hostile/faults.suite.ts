import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rfidLockName } from "../../src/core/cards/locks";
import { cardText } from "../../src/core/registry/identifiers";
import { faultyD1 } from "../faults";
import { hit, newTenant, type Req, setDestination, type Tenant } from "./client";
import { envelopeProblem, type Surface } from "./envelopes";
import { registration } from "./routes";
import { summary } from "./summary";
import { fresh } from "./world";

/** A refusal the client can retry: a 5xx in the surface's envelope, nothing else. */
function expectRetryable(surface: Surface, res: { status: number; body: unknown; text: string; headers: Headers }) {
  expect([500, 503], res.text).toContain(res.status);
  expect(envelopeProblem(surface, res as never)).toBeNull();
}

const rows = async (sql: string, ...values: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...values)
      .all<Record<string, number>>()
  ).results;

/** The tenant's active-customer counter agrees with its customers. */
async function counterAgrees(tenantId: number): Promise<boolean> {
  const [row] = await rows(
    "SELECT (SELECT active_customers FROM tenants WHERE id = ?1) AS counter, (SELECT COUNT(*) FROM customers WHERE tenant_id = ?1 AND active = 1) AS actual",
    tenantId,
  );
  return row!.counter === row!.actual;
}

/** The customers holding a VLT code (one, once a registration committed). */
const VLT_HOLDERS = "SELECT customer_id FROM identifiers WHERE tenant_id = ? AND kind = 'vlt_code' AND value = ?";

describe("lock and storage faults", () => {
  it("the card lock evicted while held, with a burst of taps of the card queued in it: nobody else holds it while the lease runs, one card binding, one customer, refused taps retry into the same answer", async () => {
    const t = await newTenant();
    await setDestination(t.id);
    const body = registration();
    const tap = () => hit({ method: "POST", path: "/api/clientes/register", body });
    const lock = env.CARD_LOCK.get(env.CARD_LOCK.idFromName(rfidLockName(t.id, cardText(body.tarjeta))));
    // A request holds the card (as a slow one would), the burst queues behind it in the object, and the object is evicted.
    const held = (await lock.acquire(1_500))!;
    const leaseEnds = Date.now() + 1_500;
    expect(held.token).toEqual(expect.any(String));
    const answeredAt: number[] = [];
    const taps = Array.from({ length: 30 }, () => tap().then((res) => (answeredAt.push(res.status < 300 ? Date.now() : Infinity), res)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await evictDurableObject(lock);
    summary.faultsInjected += 1;
    const results = await Promise.all(taps);
    // The lease was stored: the restarted object granted nobody while it ran.
    expect(Math.min(...answeredAt)).toBeGreaterThanOrEqual(leaseEnds - 50);
    for (const res of results) {
      if (res.status >= 300) expectRetryable("kiosk", res);
      else expect([200, 201]).toContain(res.status);
    }
    expect(results.filter((r) => r.status === 201).length).toBeLessThanOrEqual(1);
    // Retry the refused taps until each gets its answer (a crashed holder's lease runs out by itself).
    const answers = results.filter((r) => r.status < 300);
    for (const _res of results.filter((r) => r.status >= 300)) answers.push(await tap());
    expect(answers.every((r) => r.status < 300)).toBe(true);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(answers.filter((r) => r.status === 201).length).toBe(1);
    expect(await rows("SELECT id FROM identifiers WHERE tenant_id = ? AND kind = 'rfid_card' AND value = ?", t.id, body.tarjeta)).toHaveLength(1);
    expect(await rows(VLT_HOLDERS, t.id, String(body.codigoClienteVLT))).toHaveLength(1);
    expect(await counterAgrees(t.id)).toBe(true);
  });

  for (const mode of ["lost", "committed"] as const) {
    it(`a D1 failure (${mode}) at each step of a kiosk registration: never half a registration, and the retry binds the card exactly once`, async () => {
      const t = await newTenant();
      await setDestination(t.id);
      for (let failAt = 1; ; failAt++) {
        const body = registration();
        const faulty = faultyD1(env.DB, failAt, mode);
        const req: Req = { method: "POST", path: "/api/clientes/register", body };
        const res = await hit(req, { DB: faulty.db });
        if (!faulty.triggered()) {
          expect(res.status).toBe(201);
          break;
        }
        summary.faultsInjected += 1;
        expectRetryable("kiosk", res);
        const bound = await rows("SELECT customer_id FROM identifiers WHERE tenant_id = ? AND kind = 'rfid_card' AND value = ?", t.id, body.tarjeta);
        expect(bound.length).toBeLessThanOrEqual(1);
        expect(await counterAgrees(t.id)).toBe(true);
        const retry = await hit(req);
        expect([200, 201], retry.text).toContain(retry.status);
        // A write that committed before the failure is found by the retry, not written twice.
        if (bound.length === 1) expect(retry.body).toMatchObject({ id: bound[0]!.customer_id, mensaje: "registro duplicado" });
        expect(await rows("SELECT id FROM identifiers WHERE tenant_id = ? AND kind = 'rfid_card' AND value = ?", t.id, body.tarjeta)).toHaveLength(1);
        expect(await rows(VLT_HOLDERS, t.id, String(body.codigoClienteVLT))).toHaveLength(1);
        expect(await counterAgrees(t.id)).toBe(true);
      }
    });

    it(`a D1 failure (${mode}) at each step of a points transfer: the ledger stays conserved, and the retry with the same code transfers exactly once`, async () => {
      const t: Tenant = await newTenant();
      const [from, to] = [`from-${fresh()}`, `to-${fresh()}`];
      const credit = await hit({
        method: "POST",
        path: "/api/transaction",
        headers: t.auth,
        body: { type: "POINTS COUPON", code: `seed-${fresh()}`, description: "Saldo", total: 1000, customer: { externalId: from, name: "David", data: {} } },
      });
      expect(credit.status).toBe(200);
      const balances = async () => {
        const list = await rows(
          `SELECT (SELECT value FROM identifiers i WHERE i.customer_id = c.id AND i.kind = 'loyalty_id') AS ext, a.balance, (SELECT total(remaining) FROM ledger_lots l WHERE l.account_id = a.id) AS lots
           FROM ledger_accounts a JOIN customers c ON c.id = a.customer_id WHERE a.tenant_id = ? AND a.unit = 'POINTS'`,
          t.id,
        );
        for (const account of list) expect(account.balance).toBe(account.lots);
        const of = (ext: string) => Number(list.find((a) => (a.ext as unknown as string) === ext)?.balance ?? 0);
        return { from: of(from), to: of(to) };
      };
      let transferred = 0;
      for (let failAt = 1; ; failAt++) {
        const code = `tr-${fresh()}`;
        const req: Req = {
          method: "POST",
          path: "/api/transaction/transfer",
          headers: t.auth,
          body: {
            type: "BALANCE TRANSFER DEBIT",
            total: 7,
            code,
            customerFrom: { externalId: from, name: "David" },
            customerTo: { externalId: to, name: "Santiago" },
          },
        };
        const faulty = faultyD1(env.DB, failAt, mode);
        const res = await hit(req, { DB: faulty.db });
        if (!faulty.triggered()) {
          expect(res.status).toBe(200);
          transferred += 700;
          expect(await balances()).toEqual({ from: 100_000 - transferred, to: transferred });
          break;
        }
        summary.faultsInjected += 1;
        expectRetryable("loyalty", res);
        const now = await balances();
        expect(now.from + now.to).toBe(100_000);
        expect([transferred, transferred + 700]).toContain(now.to);
        const retry = await hit(req);
        expect(retry.status, retry.text).toBe(200);
        transferred += 700;
        expect(await balances()).toEqual({ from: 100_000 - transferred, to: transferred });
        expect(await rows("SELECT id FROM ledger_transactions WHERE tenant_id = ? AND code = ? AND direction = 'DEBIT'", t.id, code)).toHaveLength(1);
        expect(await rows("SELECT id FROM ledger_transactions WHERE tenant_id = ? AND code = ? AND direction = 'CREDIT'", t.id, code)).toHaveLength(1);
      }
    });
  }
});
