import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call, type TestTenant } from "../helpers";

/** Seed 003's request bodies, verbatim. */
export const seed = {
  transaction: {
    type: "POINTS COUPON",
    code: "Bienvenido",
    externalId: "123",
    expirationDate: "2018-06-03",
    title: "Titulo",
    description: "Beneficio de puntos por Bienvenida",
    total: 100,
    customer: {
      externalId: "0100037894",
      name: "Santiago",
      data: { vendorId: "1", businessOwner: "2", giftCardAmount: "4", giftCardType: "MONETARY" },
    },
    store: { externalId: "1200037894", name: "Centro" },
    vendor: { externalId: "1200015849", name: "Vendor" },
    checkbookId: "12240",
    transferTransactionId: "5446",
  },
  checkbook: {
    type: "POINTS ORDER",
    customer: { externalId: "0100037894", name: "Santiago" },
    code: "Bienvenido",
    externalId: "123",
    total: 100,
    earnedRedeemed: 20,
    store: { externalId: "1200037894", name: "Centro" },
    title: "Titulo",
    detail: { name: "Twister", externalId: "39535", total: 10, earnedRedeemed: 20 },
  },
  reverse: { type: "POINTS ORDER", code: "Bienvenido" },
  reverseMany: { type: "POINTS ORDER", codes: ["Bienvenido3", "Bienvenido4"] },
  transfer: {
    type: "BALANCE TRANSFER DEBIT",
    total: 1,
    title: "Transferencia",
    customerFrom: { externalId: "1716583941", name: "David" },
    customerTo: { externalId: "1716583941001", name: "Santiago" },
  },
  redeemFullBalance: {
    type: "POINTS ORDER",
    customer: { externalId: "0100037894", name: "0100037894" },
    code: "Bienvenido",
    externalId: "123",
    total: 100,
    earnedRedeemed: 20,
    store: { externalId: "1200037894", name: "Centro" },
    title: "Titulo",
    detail: { name: "Twister", externalId: "39535", total: 10, earnedRedeemed: 20 },
  },
} as const;

export const POINTS = { id: "1", name: "POINTS", sign: "PTS" };
export const COINS = { id: "2", name: "COINS", sign: "$" };
export const AMIGO = { id: expect.any(String), name: "AMIGO", description: "AMIGO" };
export const LOCAL_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
export const ID = expect.stringMatching(/^\d+$/);

/** A totals entry as the seed renders it. */
export const total = (amount: string, unit = POINTS) => ({ id: ID, total_amount: amount, unit, batch: "null", set_name: "null" });

/** Posts a plain transaction for a customer (credit or debit by type). */
export async function post(t: TestTenant, customer: string, type: string, amount: number, code: string | null = null, extra: Record<string, unknown> = {}) {
  return call("POST", "/api/transaction", {
    headers: t.auth,
    body: { type, code, description: "test", total: amount, customer: { externalId: customer, name: `Customer ${customer}`, data: {} }, ...extra },
  });
}

/** The balance (hundredths) of a customer's account, straight from D1 (null: no account). */
export async function balanceOf(tenantId: number, externalId: string, unit = "POINTS"): Promise<number | null> {
  const row = await env.DB.prepare(
    `SELECT a.balance FROM ledger_accounts a JOIN customers c ON c.id = a.customer_id WHERE c.tenant_id = ? AND c.id = (SELECT customer_id FROM identifiers WHERE tenant_id = c.tenant_id AND kind = 'loyalty_id' AND value = ?) AND a.unit = ?`,
  )
    .bind(tenantId, externalId, unit)
    .first<number>("balance");
  return row;
}

/** Rows of a tenant in a table, for "nothing was written" checks. */
export async function tenantRows(table: string, tenantId: number): Promise<number> {
  return (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`).bind(tenantId).first<number>("n")) ?? 0;
}

/** Every ledger row count of a tenant (customers included). */
export async function ledgerFootprint(tenantId: number) {
  const tables = [
    "customers",
    "ledger_accounts",
    "ledger_transactions",
    "ledger_lots",
    "ledger_lot_movements",
    "ledger_order_lines",
    "ledger_stores",
    "ledger_products",
  ];
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await tenantRows(table, tenantId)] as const)));
}
