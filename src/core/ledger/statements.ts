import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { rendered, reusable, reusableList, type Statement, shapeOf, type TemplateRef, templateRef } from "../../db/batch";
import {
  type Channel,
  type LedgerDirection,
  type LedgerType,
  ledgerAccounts,
  ledgerLotMovements,
  ledgerLots,
  ledgerOrderLines,
  ledgerProducts,
  ledgerStores,
  ledgerTransactions,
  ledgerVendors,
} from "../../db/schema";
import { col, columns } from "../../db/sql";

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
 *   `ledger_transactions`, which inside the batch is the row just inserted (rows are
 *   never deleted, so the newest row has the highest id).
 *
 * The daily report counters add their statements to the same batch (reports/counters.ts).
 */

const t = ledgerTransactions;
const a = ledgerAccounts;
const l = ledgerLots;
const m = ledgerLotMovements;

/** The transaction the batch inserted last. */
export const lastTransactionId = sql<number>`(SELECT max(${t.id}) FROM ${t})`;
export const lastTransactionAmount = sql<number>`(SELECT ${t.amount} FROM ${t} WHERE ${t.id} = ${lastTransactionId})`;

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
  /** The entry's customer: its id, or SQL naming it (valid at that point of the batch). */
  customer: RowRef;
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

/** SQL naming a customer's account of a unit. */
export function accountIdOf(customer: RowRef, unit: string): SQL {
  return sql`(SELECT ${a.id} FROM ${a} WHERE ${a.customerId} = ${customer} AND ${a.unit} = ${unit})`;
}

/** Creates the customer's account of a unit unless it exists. */
export function ensureAccount(tenantId: number, customer: RowRef, unit: string, now: number): SQL {
  return sql`INSERT INTO ${a} (${columns(a.tenantId, a.customerId, a.unit, a.balance, a.earned, a.createdAt, a.updatedAt)})
    VALUES (${tenantId}, ${customer}, ${unit}, 0, 0, ${now}, ${now})
    ON CONFLICT (${columns(a.customerId, a.unit)}) DO NOTHING`;
}

type PartnerTable = typeof ledgerStores | typeof ledgerVendors | typeof ledgerProducts;

/** Registers a store, vendor or product on first sight (the first name seen is kept). */
export function ensurePartnerEntity(table: PartnerTable, tenantId: number, externalId: string, name: string | null, now: number): SQL {
  return sql`INSERT INTO ${table} (${columns(table.tenantId, table.externalId, table.name, table.createdAt)})
    VALUES (${tenantId}, ${externalId}, ${name}, ${now})
    ON CONFLICT (${columns(table.tenantId, table.externalId)}) DO NOTHING`;
}

/** SQL naming a store, vendor or product by its partner id (NULL without one). */
export function partnerEntityIdOf(table: PartnerTable, tenantId: number | SQLWrapper, externalId: string | SQLWrapper | null): SQL {
  if (externalId === null) return sql`NULL`;
  return sql`(SELECT ${table.id} FROM ${table} WHERE ${table.tenantId} = ${tenantId} AND ${table.externalId} = ${externalId})`;
}

/**
 * A statement's customer or account: an id (bound per request), or SQL naming it within
 * the batch. The guarded writes below are rendered once per shape (db/batch.ts
 * `templateRef`): an id is a placeholder, SQL that binds no value (e.g. "the customer
 * this batch inserted") is part of the shape, and SQL binding values renders per request.
 */
export type RowRef = number | SQL;

const placeholder = (name: string) => sql`${sql.placeholder(name)}`;
const NULL = sql`NULL`;

/** Everything a new transaction row holds besides what the batch computes. */
export interface TransactionRow {
  tenantId: number;
  customer: RowRef;
  account: RowRef;
  type: LedgerType;
  direction: LedgerDirection;
  /** Hundredths, or SQL computed in the batch (a full-balance voucher). */
  amount: RowRef;
  title: string;
  code: string | null;
  externalId?: string | null;
  partnerTitle?: string | null;
  description: string | null;
  storeExternalId?: string | null;
  vendorExternalId?: string | null;
  checkbookId?: string | null;
  transferTransactionId?: string | null;
  counterpart?: RowRef | null;
  orderTotal?: number | null;
  earnedRedeemed?: number | null;
  requestHash?: string | null;
  /** The caller's channel, on transactions posted in a customer's own name. */
  channel?: Channel | null;
  /** The channel of the customer this entry's batch registered. */
  registeredChannel?: Channel | null;
  createdAt: number;
}

/** The customer's next transaction number (1, 2, 3 …), as the batch sees it. */
const nextSeq = (customer: SQL) => sql`(SELECT coalesce(max(${t.customerSeq}), 0) + 1 FROM ${t} WHERE ${t.customerId} = ${customer})`;

/** Inserts a transaction (numbered next in its customer's history) and returns its id. */
export function insertTransaction(row: TransactionRow): Statement<{ id: number }[]> {
  const values: Record<string, unknown> = {
    tenantId: row.tenantId,
    unit: row.type.unit,
    direction: row.direction,
    type: row.type.name,
    category: row.type.category,
    code: row.code,
    externalId: row.externalId ?? null,
    title: row.title,
    partnerTitle: row.partnerTitle ?? null,
    description: row.description,
    store: row.storeExternalId ?? null,
    vendor: row.vendorExternalId ?? null,
    checkbookId: row.checkbookId ?? null,
    transferTransactionId: row.transferTransactionId ?? null,
    orderTotal: row.orderTotal ?? null,
    earnedRedeemed: row.earnedRedeemed ?? null,
    requestHash: row.requestHash ?? null,
    channel: row.channel ?? null,
    registeredChannel: row.registeredChannel ?? null,
    createdAt: row.createdAt,
  };
  const shape: TransactionShape = {
    customer: templateRef("customer", row.customer),
    account: templateRef("account", row.account),
    amount: templateRef("amount", row.amount),
    counterpart: templateRef("counterpart", row.counterpart ?? NULL),
    store: values.store !== null,
    vendor: values.vendor !== null,
  };
  const refs = [shape.customer, shape.account, shape.amount, shape.counterpart];
  return rendered(transactionInsert(shape, Object.assign(values, ...refs.map((ref) => ref.values))));
}

interface TransactionShape {
  customer: TemplateRef;
  account: TemplateRef;
  amount: TemplateRef;
  counterpart: TemplateRef;
  store: boolean;
  vendor: boolean;
}

const transactionColumns = columns(
  t.tenantId,
  t.customerId,
  t.customerSeq,
  t.accountId,
  t.unit,
  t.direction,
  t.amount,
  t.type,
  t.category,
  t.code,
  t.externalId,
  t.title,
  t.partnerTitle,
  t.description,
  t.storeId,
  t.vendorId,
  t.checkbookId,
  t.transferTransactionId,
  t.counterpartId,
  t.orderTotal,
  t.earnedRedeemed,
  t.requestHash,
  t.channel,
  t.registeredChannel,
  t.createdAt,
);

const transactionInsert = reusable(
  (shape: TransactionShape) => shapeOf([shape.customer, shape.account, shape.amount, shape.counterpart], [shape.store, shape.vendor]),
  ({ customer, account, amount, counterpart, store, vendor }) => {
    const p = placeholder;
    const tenantId = sql.placeholder("tenantId");
    return sql`INSERT INTO ${t} (${transactionColumns})
    SELECT ${p("tenantId")}, ${customer.sql}, ${nextSeq(customer.sql)}, ${account.sql}, ${p("unit")}, ${p("direction")}, ${amount.sql},
      ${p("type")}, ${p("category")}, ${p("code")}, ${p("externalId")}, ${p("title")}, ${p("partnerTitle")}, ${p("description")},
      ${store ? partnerEntityIdOf(ledgerStores, tenantId, sql.placeholder("store")) : NULL},
      ${vendor ? partnerEntityIdOf(ledgerVendors, tenantId, sql.placeholder("vendor")) : NULL},
      ${p("checkbookId")}, ${p("transferTransactionId")}, ${counterpart.sql},
      ${p("orderTotal")}, ${p("earnedRedeemed")}, ${p("requestHash")}, ${p("channel")}, ${p("registeredChannel")}, ${p("createdAt")}
    RETURNING ${col(t.id)}`;
  },
);

/**
 * Inserts the reversal of transaction `originalId`: the opposite direction, the same
 * type, code, customer, account, store and amount, titled as the type's reversal.
 */
export function insertReversal(originalId: number, direction: LedgerDirection, title: string, now: number): SQL {
  const o = sql.identifier("o");
  const from = (column: { name: string }) => sql`${o}.${sql.identifier(column.name)}`;
  const target = columns(
    t.tenantId,
    t.customerId,
    t.customerSeq,
    t.accountId,
    t.unit,
    t.direction,
    t.amount,
    t.type,
    t.category,
    t.code,
    t.title,
    t.description,
    t.storeId,
    t.reversesId,
    t.createdAt,
  );
  return sql`INSERT INTO ${t} (${target})
    SELECT ${from(t.tenantId)}, ${from(t.customerId)}, ${nextSeq(from(t.customerId))}, ${from(t.accountId)}, ${from(t.unit)}, ${direction}, ${from(t.amount)},
      ${from(t.type)}, ${from(t.category)}, ${from(t.code)}, ${title}, ${from(t.description)}, ${from(t.storeId)}, ${from(t.id)}, ${now}
    FROM ${t} AS ${o} WHERE ${from(t.id)} = ${originalId}
    RETURNING ${col(t.id)}`;
}

/**
 * Statements of a credit to `account` of the transaction just inserted: opens its lot
 * (none for a zero amount) and adds to the balance (and to `earned` for earning types).
 */
export function creditStatements(tenantId: number, account: RowRef, type: LedgerType, expiresAt: number | null, now: number): Statement<never[]>[] {
  const ref = templateRef("account", account);
  return creditSql({ account: ref, earns: type.earns }, { ...ref.values, tenantId, expiresAt, setName: type.setName, now }).map((query) =>
    rendered<never>(query),
  );
}

const creditSql = reusableList(
  ({ account, earns }: { account: TemplateRef; earns: boolean }) => shapeOf([account], [earns]),
  ({ account: { sql: account }, earns }) => {
    const p = placeholder;
    return [
      sql`INSERT INTO ${l} (${columns(l.tenantId, l.accountId, l.transactionId, l.amount, l.remaining, l.expiresAt, l.expired, l.setName, l.createdAt)})
        SELECT ${p("tenantId")}, ${account}, ${lastTransactionId}, ${lastTransactionAmount}, ${lastTransactionAmount}, ${p("expiresAt")}, 0, ${p("setName")}, ${p("now")}
        WHERE ${lastTransactionAmount} > 0`,
      sql`UPDATE ${a} SET ${col(a.balance)} = ${a.balance} + ${lastTransactionAmount},
        ${col(a.earned)} = ${a.earned} + ${earns ? lastTransactionAmount : sql`0`}, ${col(a.updatedAt)} = ${p("now")}
        WHERE ${a.id} = ${account}`,
    ];
  },
);

/**
 * Statements of a debit from `account` of the transaction just inserted: takes its
 * amount from the open lots first-expiring-first (lots of `preferTransactionId` first:
 * a reversed credit gives back its own lot), then from the balance. The balance CHECK
 * aborts the batch when the account does not cover the amount.
 */
export function debitStatements(
  tenantId: number,
  account: RowRef,
  type: LedgerType,
  now: number,
  options: { preferTransactionId?: number; reversal?: boolean } = {},
): Statement<never[]>[] {
  const ref = templateRef("account", account);
  const shape = { account: ref, prefer: options.preferTransactionId !== undefined, earnedBack: !!options.reversal && type.earns };
  return debitSql(shape, { ...ref.values, tenantId, now, prefer: options.preferTransactionId ?? null }).map((query) => rendered<never>(query));
}

const debitSql = reusableList(
  ({ account, prefer, earnedBack }: { account: TemplateRef; prefer: boolean; earnedBack: boolean }) => shapeOf([account], [prefer, earnedBack]),
  ({ account: { sql: account }, prefer, earnedBack }) => {
    const p = placeholder;
    const preference = prefer ? sql`CASE WHEN ${l.transactionId} = ${p("prefer")} THEN 0 ELSE 1 END` : sql`0`;
    const earnedDelta = earnedBack ? lastTransactionAmount : sql`0`;
    const taken = sql.identifier("taken_before");
    return [
      sql`INSERT INTO ${m} (${columns(m.tenantId, m.transactionId, m.lotId, m.amount)})
        SELECT ${p("tenantId")}, ${lastTransactionId}, ${sql.identifier("id")}, min(${sql.identifier("remaining")}, ${lastTransactionAmount} - ${taken})
        FROM (
          SELECT ${l.id} AS ${sql.identifier("id")}, ${l.remaining} AS ${sql.identifier("remaining")},
            coalesce(sum(${l.remaining}) OVER (ORDER BY ${preference}, ${l.expiresAt} IS NULL, ${l.expiresAt}, ${l.id} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS ${taken}
          FROM ${l} WHERE ${l.accountId} = ${account} AND ${l.remaining} > 0
        )
        WHERE ${taken} < ${lastTransactionAmount}`,
      sql`UPDATE ${l} SET ${col(l.remaining)} = ${l.remaining} - ${sql.identifier("taken")}.${sql.identifier("amount")}
        FROM (SELECT ${m.lotId} AS ${sql.identifier("lot_id")}, ${m.amount} AS ${sql.identifier("amount")} FROM ${m} WHERE ${m.transactionId} = ${lastTransactionId}) AS ${sql.identifier("taken")}
        WHERE ${l.id} = ${sql.identifier("taken")}.${sql.identifier("lot_id")}`,
      sql`UPDATE ${a} SET ${col(a.balance)} = ${a.balance} - ${lastTransactionAmount}, ${col(a.earned)} = ${a.earned} - ${earnedDelta}, ${col(a.updatedAt)} = ${p("now")}
        WHERE ${a.id} = ${account}`,
    ];
  },
);

/** Statements of the reversal (just inserted) of debit `debitId`: gives every lot back exactly what the debit took. */
export function restoreStatements(tenantId: number, account: RowRef, debitId: number, now: number): SQL[] {
  const back = sql.identifier("back");
  return [
    sql`INSERT INTO ${m} (${columns(m.tenantId, m.transactionId, m.lotId, m.amount)})
      SELECT ${tenantId}, ${lastTransactionId}, ${m.lotId}, -${m.amount} FROM ${m} WHERE ${m.transactionId} = ${debitId}`,
    sql`UPDATE ${l} SET ${col(l.remaining)} = ${l.remaining} + ${back}.${sql.identifier("amount")}
      FROM (SELECT ${m.lotId} AS ${sql.identifier("lot_id")}, sum(${m.amount}) AS ${sql.identifier("amount")} FROM ${m} WHERE ${m.transactionId} = ${debitId} GROUP BY ${m.lotId}) AS ${back}
      WHERE ${l.id} = ${back}.${sql.identifier("lot_id")}`,
    sql`UPDATE ${a} SET ${col(a.balance)} = ${a.balance} + ${lastTransactionAmount}, ${col(a.updatedAt)} = ${now} WHERE ${a.id} = ${account}`,
  ];
}

/**
 * Statements of the credit half (just inserted) of a transfer: the receiver gets one lot
 * per lot the debit half took, with that lot's expiration, so a transfer never extends
 * the life of points.
 */
export function transferCreditStatements(tenantId: number, account: RowRef, now: number): SQL[] {
  const debitId = sql`(SELECT ${t.counterpartId} FROM ${t} WHERE ${t.id} = ${lastTransactionId})`;
  return [
    sql`INSERT INTO ${l} (${columns(l.tenantId, l.accountId, l.transactionId, l.amount, l.remaining, l.expiresAt, l.expired, l.setName, l.createdAt)})
      SELECT ${tenantId}, ${account}, ${lastTransactionId}, ${m.amount}, ${m.amount}, ${l.expiresAt}, 0, ${l.setName}, ${now}
      FROM ${m} JOIN ${l} ON ${l.id} = ${m.lotId}
      WHERE ${m.transactionId} = ${debitId}`,
    sql`UPDATE ${a} SET ${col(a.balance)} = ${a.balance} + ${lastTransactionAmount}, ${col(a.updatedAt)} = ${now} WHERE ${a.id} = ${account}`,
  ];
}

/** Statements of an expiration debit (just inserted) of everything `lotId` still held when it was read. */
export function expireLotStatements(tenantId: number, lotId: number, amount: number, now: number): SQL[] {
  return [
    sql`INSERT INTO ${m} (${columns(m.tenantId, m.transactionId, m.lotId, m.amount)}) VALUES (${tenantId}, ${lastTransactionId}, ${lotId}, ${amount})`,
    sql`UPDATE ${l} SET ${col(l.remaining)} = ${l.remaining} - ${amount}, ${col(l.expired)} = ${l.expired} + ${amount} WHERE ${l.id} = ${lotId}`,
    sql`UPDATE ${a} SET ${col(a.balance)} = ${a.balance} - ${amount}, ${col(a.updatedAt)} = ${now}
      WHERE ${a.id} = (SELECT ${l.accountId} FROM ${l} WHERE ${l.id} = ${lotId})`,
  ];
}

/** The order lines of the checkbook just inserted (products registered on first sight). */
export function orderLineStatements(tenantId: number, lines: readonly OrderLine[], now: number): SQL[] {
  const o = ledgerOrderLines;
  return lines.flatMap((line) => [
    ensurePartnerEntity(ledgerProducts, tenantId, line.productExternalId, line.productName, now),
    sql`INSERT INTO ${o} (${columns(o.tenantId, o.transactionId, o.productId, o.total, o.earnedRedeemed)})
      VALUES (${tenantId}, ${lastTransactionId}, ${partnerEntityIdOf(ledgerProducts, tenantId, line.productExternalId)}, ${line.total}, ${line.earnedRedeemed})`,
  ]);
}
