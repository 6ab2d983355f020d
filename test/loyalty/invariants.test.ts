import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, newTenant, runCron } from "../helpers";

/**
 * The ledger's invariants under a randomized concurrent workload. Replayable: the
 * workload is a pure function of SEED (named in the test's title); change it to explore
 * another one, put a failing one back to replay it.
 */
const SEED = 20260806;
const OPERATIONS = 2000;
const CUSTOMERS = 20;
const CONCURRENCY = 24;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Operation = { kind: "http"; path: string; body: Record<string, unknown> } | { kind: "expire" };

/** The workload: credits, debits, checkbooks, transfers, reversals, vouchers, verbatim retries and expiry runs. */
function workload(seed: number): Operation[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const customer = () => {
    const id = `cust-${Math.floor(random() * CUSTOMERS)}`;
    return { externalId: id, name: id, data: {} };
  };
  const amount = () => Math.floor(random() * 5000) / 100 + 0.01;
  const posted: { type: string; code: string }[] = [];
  const sent: Operation[] = [];
  const ops: Operation[] = [];
  for (let i = 0; i < OPERATIONS; i++) {
    const roll = random();
    let op: Operation;
    if (roll < 0.3) {
      const type = pick(["POINTS COUPON", "POINTS ORDER", "POINTS BALANCE", "BALANCE RELOAD"]);
      const code = `c${i}`;
      posted.push({ type, code });
      const expirationDate = random() < 0.2 ? "2020-01-01" : random() < 0.5 ? "2099-12-31" : undefined;
      op = { kind: "http", path: "/api/transaction", body: { type, code, description: "credit", total: amount(), customer: customer(), expirationDate } };
    } else if (roll < 0.48) {
      const type = pick(["POINTS REDEEM", "POINTS REDEEM", "BALANCE REDEEM"]);
      const code = `d${i}`;
      posted.push({ type, code });
      op = { kind: "http", path: "/api/transaction", body: { type, code, description: "debit", total: amount() / 2, customer: customer() } };
    } else if (roll < 0.6) {
      const code = `o${i}`;
      posted.push({ type: "POINTS ORDER", code });
      const earnedRedeemed = Math.round((random() * 60 - 20) * 100) / 100;
      op = {
        kind: "http",
        path: "/api/transaction/checkbook",
        body: {
          type: "POINTS ORDER",
          customer: customer(),
          code,
          externalId: `${i}`,
          total: 10,
          earnedRedeemed,
          store: { externalId: `s${i % 3}`, name: "Store" },
          detail: { name: "P", externalId: "p1", total: 10, earnedRedeemed },
        },
      };
    } else if (roll < 0.72) {
      const from = customer();
      let to = customer();
      while (to.externalId === from.externalId) to = customer();
      op = {
        kind: "http",
        path: "/api/transaction/transfer",
        body: { type: "BALANCE TRANSFER DEBIT", total: amount() / 3, customerFrom: from, customerTo: to, code: random() < 0.5 ? `t${i}` : undefined },
      };
    } else if (roll < 0.82 && posted.length > 0) {
      const target = pick(posted);
      op =
        random() < 0.7
          ? { kind: "http", path: "/api/transaction/reverse", body: target }
          : {
              kind: "http",
              path: "/api/transaction/reverseMany",
              body: { type: target.type, codes: [...new Set([target.code, pick(posted.filter((p) => p.type === target.type)).code])] },
            };
    } else if (roll < 0.86) {
      const code = `v${i}`;
      op = {
        kind: "http",
        path: "/api/transaction/redeemFullBalance",
        body: { type: "POINTS ORDER", customer: customer(), code, externalId: `${i}`, total: 5, earnedRedeemed: 0, store: { externalId: "s0", name: "Store" } },
      };
    } else if (roll < 0.98 && sent.length > 0) {
      op = pick(sent); // a verbatim retry
    } else {
      op = { kind: "expire" };
    }
    if (op.kind === "http") sent.push(op);
    ops.push(op);
  }
  return ops;
}

async function rows<T = Record<string, number>>(query: string, ...params: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(query)
      .bind(...params)
      .all()
  ).results as T[];
}

describe("ledger invariants under a randomized concurrent workload", () => {
  it(`hold after ${OPERATIONS} operations across ${CUSTOMERS} customers (SEED=${SEED})`, { timeout: 240_000 }, async () => {
    const t = await newTenant();
    const ops = workload(SEED);
    const statuses: Record<number, number> = {};
    const answers = new Map<string, Set<string>>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ops.length) {
          const op = ops[next++]!;
          if (op.kind === "expire") {
            await runCron();
            continue;
          }
          const res = await call("POST", op.path, { headers: t.auth, body: op.body });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          // A retry of a posted (type, code) must answer the same transaction.
          if (res.status === 200 && op.path !== "/api/transaction/reverse" && op.path !== "/api/transaction/reverseMany" && typeof op.body.code === "string") {
            const key = `${op.path} ${op.body.type} ${op.body.code}`;
            const id = JSON.stringify(
              op.path.endsWith("transfer")
                ? [res.body.data.from.id, res.body.data.to.id]
                : op.path.endsWith("redeemFullBalance")
                  ? "customer"
                  : res.body.data.id,
            );
            (answers.get(key) ?? answers.set(key, new Set()).get(key)!).add(id);
          }
        }
      }),
    );
    await runCron();

    // Only successes and refusals (overdrafts, repeated reversals, unknown codes): never a 500.
    expect(Object.keys(statuses).sort()).toEqual(expect.arrayContaining(["200"]));
    for (const status of Object.keys(statuses)) expect(["200", "404", "422"]).toContain(status);
    expect(statuses[200]).toBeGreaterThan(OPERATIONS / 3);
    for (const [key, ids] of answers) expect(ids.size, key).toBe(1);

    // Every balance = the sum of its lots = its credits - its debits, and never negative.
    const accounts = await rows<{ id: number; balance: number; lots: number; credits: number; debits: number }>(
      `SELECT a.id, a.balance,
        (SELECT coalesce(sum(remaining), 0) FROM ledger_lots WHERE account_id = a.id) AS lots,
        (SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE account_id = a.id AND direction = 'CREDIT') AS credits,
        (SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE account_id = a.id AND direction = 'DEBIT') AS debits
       FROM ledger_accounts a WHERE a.tenant_id = ?`,
      t.id,
    );
    expect(accounts.length).toBeGreaterThan(CUSTOMERS);
    for (const a of accounts) {
      expect(a.balance).toBeGreaterThanOrEqual(0);
      expect(a.lots, `account ${a.id}`).toBe(a.balance);
      expect(a.credits - a.debits, `account ${a.id}`).toBe(a.balance);
    }
    // No lot is negative or above what it opened with; every debit took exactly its amount from lots.
    expect(await rows(`SELECT id FROM ledger_lots WHERE tenant_id = ? AND (remaining < 0 OR remaining > amount)`, t.id)).toEqual([]);
    expect(
      await rows(
        `SELECT t.id FROM ledger_transactions t WHERE t.tenant_id = ? AND t.direction = 'DEBIT'
         AND t.amount <> (SELECT coalesce(sum(amount), 0) FROM ledger_lot_movements WHERE transaction_id = t.id)`,
        t.id,
      ),
    ).toEqual([]);
    // Each (type, code) applied once; each transaction reversed at most once, by its exact opposite.
    expect(
      await rows(
        `SELECT type, code FROM ledger_transactions WHERE tenant_id = ? AND code IS NOT NULL AND reverses_id IS NULL AND counterpart_id IS NULL GROUP BY type, code HAVING count(*) > 1`,
        t.id,
      ),
    ).toEqual([]);
    expect(
      await rows(`SELECT reverses_id FROM ledger_transactions WHERE tenant_id = ? AND reverses_id IS NOT NULL GROUP BY reverses_id HAVING count(*) > 1`, t.id),
    ).toEqual([]);
    expect(
      await rows(
        `SELECT r.id FROM ledger_transactions r JOIN ledger_transactions o ON o.id = r.reverses_id
         WHERE r.tenant_id = ? AND (r.amount <> o.amount OR r.direction = o.direction OR r.account_id <> o.account_id)`,
        t.id,
      ),
    ).toEqual([]);
    // Transfers conserve the total: each credit half equals its debit half, and all POINTS held
    // equal what was credited and debited from outside (transfers excluded).
    expect(
      await rows(
        `SELECT c.id FROM ledger_transactions c JOIN ledger_transactions d ON d.id = c.counterpart_id
         WHERE c.tenant_id = ? AND (c.amount <> d.amount OR c.direction <> 'CREDIT' OR d.direction <> 'DEBIT' OR c.account_id = d.account_id)`,
        t.id,
      ),
    ).toEqual([]);
    const [held] = await rows(`SELECT coalesce(sum(balance), 0) AS n FROM ledger_accounts WHERE tenant_id = ? AND unit = 'POINTS'`, t.id);
    const [external] = await rows(
      `SELECT coalesce(sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END), 0) AS n FROM ledger_transactions
       WHERE tenant_id = ? AND unit = 'POINTS' AND category <> 'transfer'`,
      t.id,
    );
    expect(held!.n).toBe(external!.n);
    const [transfers] = await rows(`SELECT count(*) AS n FROM ledger_transactions WHERE tenant_id = ? AND counterpart_id IS NOT NULL`, t.id);
    const [expirations] = await rows(`SELECT count(*) AS n FROM ledger_transactions WHERE tenant_id = ? AND category = 'expiration'`, t.id);
    const [reversals] = await rows(`SELECT count(*) AS n FROM ledger_transactions WHERE tenant_id = ? AND reverses_id IS NOT NULL`, t.id);
    // The workload did exercise every kind of movement.
    expect(transfers!.n).toBeGreaterThan(10);
    expect(expirations!.n).toBeGreaterThan(0);
    expect(reversals!.n).toBeGreaterThan(10);
    // Nothing is left due after the last run.
    expect(await rows(`SELECT id FROM ledger_lots WHERE tenant_id = ? AND remaining > 0 AND expires_at < ?`, t.id, Date.now() - 60_000)).toEqual([]);
  });
});
