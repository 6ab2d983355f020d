import { is, SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import type { Channel, LedgerDirection, LedgerType } from "../db/schema";

/**
 * The SQL the ledger writes with. D1 has no interactive transactions, so every movement
 * of value is one `db.batch()` (atomic and serialised against every other write) whose
 * statements compute amounts from the rows as they are when the batch runs — never
 * from values read earlier — and whose CHECK constraints abort the whole batch when a
 * debit would overdraw an account:
 *
 * - a debit records which lots it takes (`ledger_lot_movements`, first-expiring-first,
 *   computed by a window over the account's open lots), subtracts those takes from the
 *   lots and its amount from the account (`CHECK (balance >= 0)`);
 * - a credit opens a lot and adds to the account;
 * - statements that belong to a transaction refer to it as `max(id)` of
 *   `ledger_transactions`, which inside the batch is the row just inserted.
 *
 * The daily report counters add their statements to the same batch
 * (core/report-counters.ts `entryCounterStatements`).
 */

const dialect = new SQLiteAsyncDialect();

/** A statement for a ledger batch: drizzle `sql` or any drizzle query (anything with `toSQL()`). */
export type BatchStatement = SQL | { toSQL(): { sql: string; params: unknown[] } };

/** Turns drizzle SQL or a drizzle query into a D1 statement on the handle's (metered) client. */
export function prepare(db: Db, statement: BatchStatement): D1PreparedStatement {
  const query = is(statement, SQL) ? dialect.sqlToQuery(statement) : statement.toSQL();
  return db.$client.prepare(query.sql).bind(...query.params);
}

/** Runs statements as one atomic D1 batch and returns each one's rows. */
export async function runBatch(db: Db, statements: BatchStatement[]): Promise<Record<string, unknown>[][]> {
  const results = await db.$client.batch<Record<string, unknown>>(statements.map((s) => prepare(db, s)));
  return results.map((r) => r.results ?? []);
}

/** The transaction the batch inserted last. */
export const lastTransactionId = sql`(SELECT max(id) FROM ledger_transactions)`;
export const lastTransactionAmount = sql`(SELECT amount FROM ledger_transactions WHERE id = ${lastTransactionId})`;

/**
 * One ledger entry as the report counters see it, right after the entry's statements
 * (so `amount`, SQL valid at that point of the batch, is this entry's).
 */
export interface LedgerEntry {
  tenantId: number;
  amount: SQL;
  type: LedgerType;
  direction: LedgerDirection;
  /** True for the entry that reverses a transaction of `type`. */
  reversal: boolean;
  storeExternalId: string | null;
  /** Epoch ms; report days are this instant's date in the tenant's zone. */
  createdAt: number;
  /** The tenant's IANA zone. */
  timeZone: string;
  /** SQL naming the entry's customer (valid at that point of the batch). */
  customer: SQL;
  /** The caller's channel stored on the entry (null on reversals, transfer credits, expirations). */
  channel: Channel | null;
  lines: readonly OrderLine[];
  /** Set on the entry whose batch registers its customer, with the registration channel. */
  customerCreated: Channel | null;
}

export interface OrderLine {
  productExternalId: string;
  productName: string | null;
  /** The product's share of the order's money amount, hundredths. */
  total: number;
  /** Points earned (+) or redeemed (-) by the product, hundredths. */
  earnedRedeemed: number;
}

/** SQL naming a customer by its loyalty `externalId` (used while the row may be created in the same batch). */
export function customerIdOf(tenantId: number, externalId: string): SQL {
  return sql`(SELECT id FROM customers WHERE tenant_id = ${tenantId} AND loyalty_external_id = ${externalId})`;
}

/** SQL naming a customer's account of a unit. */
export function accountIdOf(customer: SQL, unit: string): SQL {
  return sql`(SELECT id FROM ledger_accounts WHERE customer_id = ${customer} AND unit = ${unit})`;
}

/** Creates the customer's account of a unit unless it exists. */
export function ensureAccount(tenantId: number, customer: SQL, unit: string, now: number): SQL {
  return sql`INSERT INTO ledger_accounts (tenant_id, customer_id, unit, balance, earned, created_at, updated_at)
    VALUES (${tenantId}, ${customer}, ${unit}, 0, 0, ${now}, ${now})
    ON CONFLICT (customer_id, unit) DO NOTHING`;
}

/** Registers a store, vendor or product on first sight (the first name seen is kept). */
export function ensurePartnerEntity(table: "ledger_stores" | "ledger_vendors" | "ledger_products", tenantId: number, externalId: string, name: string | null, now: number): SQL {
  return sql`INSERT INTO ${sql.identifier(table)} (tenant_id, external_id, name, created_at)
    VALUES (${tenantId}, ${externalId}, ${name}, ${now})
    ON CONFLICT (tenant_id, external_id) DO NOTHING`;
}

function partnerEntityIdOf(table: "ledger_stores" | "ledger_vendors" | "ledger_products", tenantId: number, externalId: string | null): SQL {
  if (externalId === null) return sql`NULL`;
  return sql`(SELECT id FROM ${sql.identifier(table)} WHERE tenant_id = ${tenantId} AND external_id = ${externalId})`;
}

/** Everything a new transaction row holds besides what the batch computes. */
export interface TransactionRow {
  tenantId: number;
  customer: SQL;
  account: SQL;
  type: LedgerType;
  direction: LedgerDirection;
  /** Hundredths, or SQL computed in the batch (a full-balance voucher). */
  amount: number | SQL;
  title: string;
  code: string | null;
  externalId?: string | null;
  partnerTitle?: string | null;
  description: string | null;
  storeExternalId?: string | null;
  vendorExternalId?: string | null;
  checkbookId?: string | null;
  transferTransactionId?: string | null;
  counterpart?: SQL | null;
  reversesId?: number | null;
  orderTotal?: number | null;
  earnedRedeemed?: number | null;
  requestHash?: string | null;
  /** The caller's channel, on transactions posted in a customer's own name. */
  channel?: Channel | null;
  createdAt: number;
}

/** Inserts a transaction (numbered next in its customer's history) and returns its id. */
export function insertTransaction(row: TransactionRow): SQL {
  const amount = typeof row.amount === "number" ? sql`${row.amount}` : row.amount;
  return sql`INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category,
      code, external_id, title, partner_title, description, store_id, vendor_id, checkbook_id, transfer_transaction_id, counterpart_id,
      reverses_id, order_total, earned_redeemed, request_hash, channel, created_at)
    SELECT ${row.tenantId}, ${row.customer}, (SELECT coalesce(max(customer_seq), 0) + 1 FROM ledger_transactions WHERE customer_id = ${row.customer}),
      ${row.account}, ${row.type.unit}, ${row.direction}, ${amount}, ${row.type.name}, ${row.type.category},
      ${row.code}, ${row.externalId ?? null}, ${row.title}, ${row.partnerTitle ?? null}, ${row.description},
      ${partnerEntityIdOf("ledger_stores", row.tenantId, row.storeExternalId ?? null)},
      ${partnerEntityIdOf("ledger_vendors", row.tenantId, row.vendorExternalId ?? null)},
      ${row.checkbookId ?? null}, ${row.transferTransactionId ?? null}, ${row.counterpart ?? sql`NULL`},
      ${row.reversesId ?? null}, ${row.orderTotal ?? null}, ${row.earnedRedeemed ?? null}, ${row.requestHash ?? null}, ${row.channel ?? null}, ${row.createdAt}
    RETURNING id`;
}

/**
 * Statements of a credit to `account` of the transaction just inserted: opens its lot
 * (none for a zero amount) and adds to the balance (and to `earned` for earning types).
 */
export function creditStatements(tenantId: number, account: SQL, type: LedgerType, expiresAt: number | null, now: number): SQL[] {
  return [
    sql`INSERT INTO ledger_lots (tenant_id, account_id, transaction_id, amount, remaining, expires_at, expired, set_name, created_at)
      SELECT ${tenantId}, ${account}, ${lastTransactionId}, ${lastTransactionAmount}, ${lastTransactionAmount}, ${expiresAt}, 0, ${type.setName}, ${now}
      WHERE ${lastTransactionAmount} > 0`,
    sql`UPDATE ledger_accounts SET balance = balance + ${lastTransactionAmount},
      earned = earned + ${type.earns ? lastTransactionAmount : sql`0`}, updated_at = ${now}
      WHERE id = ${account}`,
  ];
}

/**
 * Statements of a debit from `account` of the transaction just inserted: takes its
 * amount from the open lots first-expiring-first (lots of `preferTransactionId` first:
 * a reversed credit gives back its own lot), then from the balance. The balance CHECK
 * aborts the batch when the account does not cover the amount.
 */
export function debitStatements(tenantId: number, account: SQL, type: LedgerType, now: number, options: { preferTransactionId?: number; reversal?: boolean } = {}): SQL[] {
  const preference = options.preferTransactionId === undefined ? sql`0` : sql`CASE WHEN transaction_id = ${options.preferTransactionId} THEN 0 ELSE 1 END`;
  const earnedDelta = options.reversal && type.earns ? lastTransactionAmount : sql`0`;
  return [
    sql`INSERT INTO ledger_lot_movements (tenant_id, transaction_id, lot_id, amount)
      SELECT ${tenantId}, ${lastTransactionId}, id, min(remaining, ${lastTransactionAmount} - taken_before)
      FROM (
        SELECT id, remaining,
          coalesce(sum(remaining) OVER (ORDER BY ${preference}, expires_at IS NULL, expires_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS taken_before
        FROM ledger_lots WHERE account_id = ${account} AND remaining > 0
      )
      WHERE taken_before < ${lastTransactionAmount}`,
    sql`UPDATE ledger_lots SET remaining = ledger_lots.remaining - m.amount
      FROM (SELECT lot_id, amount FROM ledger_lot_movements WHERE transaction_id = ${lastTransactionId}) AS m
      WHERE ledger_lots.id = m.lot_id`,
    sql`UPDATE ledger_accounts SET balance = balance - ${lastTransactionAmount}, earned = earned - ${earnedDelta}, updated_at = ${now}
      WHERE id = ${account}`,
  ];
}

/** Statements of the reversal (just inserted) of debit `debitId`: gives every lot back exactly what the debit took. */
export function restoreStatements(tenantId: number, account: SQL, debitId: number, now: number): SQL[] {
  return [
    sql`INSERT INTO ledger_lot_movements (tenant_id, transaction_id, lot_id, amount)
      SELECT ${tenantId}, ${lastTransactionId}, lot_id, -amount FROM ledger_lot_movements WHERE transaction_id = ${debitId}`,
    sql`UPDATE ledger_lots SET remaining = ledger_lots.remaining + m.amount
      FROM (SELECT lot_id, sum(amount) AS amount FROM ledger_lot_movements WHERE transaction_id = ${debitId} GROUP BY lot_id) AS m
      WHERE ledger_lots.id = m.lot_id`,
    sql`UPDATE ledger_accounts SET balance = balance + ${lastTransactionAmount}, updated_at = ${now} WHERE id = ${account}`,
  ];
}

/**
 * Statements of the credit half (just inserted) of a transfer: the receiver gets one lot
 * per lot the debit half took, with that lot's expiration, so a transfer never extends
 * the life of points.
 */
export function transferCreditStatements(tenantId: number, account: SQL, now: number): SQL[] {
  const debitId = sql`(SELECT counterpart_id FROM ledger_transactions WHERE id = ${lastTransactionId})`;
  return [
    sql`INSERT INTO ledger_lots (tenant_id, account_id, transaction_id, amount, remaining, expires_at, expired, set_name, created_at)
      SELECT ${tenantId}, ${account}, ${lastTransactionId}, m.amount, m.amount, l.expires_at, 0, l.set_name, ${now}
      FROM ledger_lot_movements m JOIN ledger_lots l ON l.id = m.lot_id
      WHERE m.transaction_id = ${debitId}`,
    sql`UPDATE ledger_accounts SET balance = balance + ${lastTransactionAmount}, updated_at = ${now} WHERE id = ${account}`,
  ];
}

/** Statements of an expiration debit (just inserted) of everything `lotId` still held when it was read. */
export function expireLotStatements(tenantId: number, lotId: number, amount: number, now: number): SQL[] {
  return [
    sql`INSERT INTO ledger_lot_movements (tenant_id, transaction_id, lot_id, amount) VALUES (${tenantId}, ${lastTransactionId}, ${lotId}, ${amount})`,
    sql`UPDATE ledger_lots SET remaining = remaining - ${amount}, expired = expired + ${amount} WHERE id = ${lotId}`,
    sql`UPDATE ledger_accounts SET balance = balance - ${amount}, updated_at = ${now} WHERE id = (SELECT account_id FROM ledger_lots WHERE id = ${lotId})`,
  ];
}

/** The order lines of the checkbook just inserted (products registered on first sight). */
export function orderLineStatements(tenantId: number, lines: readonly OrderLine[], now: number): SQL[] {
  return lines.flatMap((line) => [
    ensurePartnerEntity("ledger_products", tenantId, line.productExternalId, line.productName, now),
    sql`INSERT INTO ledger_order_lines (tenant_id, transaction_id, product_id, total, earned_redeemed)
      VALUES (${tenantId}, ${lastTransactionId}, ${partnerEntityIdOf("ledger_products", tenantId, line.productExternalId)}, ${line.total}, ${line.earnedRedeemed})`,
  ]);
}
