import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Channel, LedgerDirection, LedgerType } from "../db/schema";
import { sha256Hex } from "./crypto";
import { insertCustomer } from "./customers";
import { isCheckViolation, isUniqueViolation } from "../db/errors";
import { invalid, notFound } from "./errors";
import {
  accountIdOf,
  creditStatements,
  customerIdOf,
  debitStatements,
  ensureAccount,
  ensurePartnerEntity,
  insertTransaction,
  lastTransactionId,
  orderLineStatements,
  restoreStatements,
  runBatch,
  transferCreditStatements,
  type BatchStatement,
  type OrderLine,
} from "./ledger-statements";
import { toTransactionViews, transactionViewStatements, type TransactionView } from "./ledger-queries";
import { localToInstant } from "./local-time";
import { entryCounterStatements } from "./report-counters";

/**
 * The loyalty ledger's writes: transactions, checkbooks, full-balance vouchers,
 * transfers and reversals. Each is one read (catalogue, customer, accounts, an earlier
 * transaction of the same type and code) and one atomic batch of guarded statements
 * (see ledger-statements.ts). Two requests racing on the same new customer or the same
 * (type, code) meet a unique index: the loser's batch is rolled back whole and the
 * operation is read again, so it replays the winner's transaction.
 */

export interface CustomerInput {
  externalId: string;
  name: string | null;
  /** The partner's free-form `data` block, stored as JSON. */
  data?: unknown;
}

export interface PartnerRef {
  externalId: string;
  name: string | null;
}

/** An expiration given by the partner: a local date (valid through its last second) or a local date and time. */
export interface ExpirationInput {
  date: string;
  time?: string;
}

interface PostingContext {
  timezone: string;
  pointsLifetimeDays: number;
  type: LedgerType | null;
  customers: Map<string, { id: number; active: boolean }>;
  accounts: Map<string, number>;
  existing: { id: number; requestHash: string | null } | null;
}

const OVERDRAFT = "ledger_accounts_balance_non_negative";
const ATTEMPTS = 4;

/** Runs an operation again (from its read) when its batch lost a race on a unique index. */
async function retryingRaces<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= ATTEMPTS) throw err;
    }
  }
}

/** Canonical JSON (sorted keys) of a request, hashed: the identity a retry must repeat. */
async function requestHash(value: unknown): Promise<string> {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return sha256Hex(JSON.stringify(canonical(value)));
}

/** The catalogue type (the tenant's own row of that name, else the default) as a raw-SQL row maps to. */
export const typeByName = (tenantId: number, name: string) =>
  sql`SELECT * FROM ledger_types WHERE tenant_id IN (0, ${tenantId}) AND name = ${name} ORDER BY tenant_id DESC LIMIT 1`;

export function typeFromRow(t: Record<string, unknown>): LedgerType {
  return {
    id: Number(t.id),
    tenantId: Number(t.tenant_id),
    name: String(t.name),
    unit: t.unit as LedgerType["unit"],
    direction: t.direction as LedgerDirection,
    category: t.category as LedgerType["category"],
    title: String(t.title),
    reversalTitle: String(t.reversal_title),
    setName: String(t.set_name),
    earns: Boolean(t.earns),
    reversible: Boolean(t.reversible),
    internal: Boolean(t.internal),
  };
}

async function readContext(db: Db, tenantId: number, typeName: string, externalIds: string[], code: string | null): Promise<PostingContext> {
  const ids = sql.join(
    externalIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const [tenant, type, customers, accounts, existing] = await runBatch(db, [
    sql`SELECT timezone, points_lifetime_days FROM tenants WHERE id = ${tenantId}`,
    typeByName(tenantId, typeName),
    sql`SELECT id, active, loyalty_external_id FROM customers WHERE tenant_id = ${tenantId} AND loyalty_external_id IN (${ids})`,
    sql`SELECT a.id, a.unit, c.loyalty_external_id FROM customers c JOIN ledger_accounts a ON a.customer_id = c.id
      WHERE c.tenant_id = ${tenantId} AND c.loyalty_external_id IN (${ids})`,
    code === null
      ? sql`SELECT NULL WHERE 0`
      : sql`SELECT id, request_hash FROM ledger_transactions
          WHERE tenant_id = ${tenantId} AND type = ${typeName} AND code = ${code} AND reverses_id IS NULL AND counterpart_id IS NULL`,
  ]);
  const t = type![0];
  const e = existing![0];
  return {
    timezone: String(tenant![0]?.timezone ?? "UTC"),
    pointsLifetimeDays: Number(tenant![0]?.points_lifetime_days ?? 365),
    type: t ? typeFromRow(t) : null,
    customers: new Map(customers!.map((c) => [String(c.loyalty_external_id), { id: Number(c.id), active: Boolean(c.active) }])),
    accounts: new Map(accounts!.map((a) => [`${a.loyalty_external_id}|${a.unit}`, Number(a.id)])),
    existing: e ? { id: Number(e.id), requestHash: (e.request_hash as string | null) ?? null } : null,
  };
}

const invalidType = () => invalid({ type: ["The selected type is invalid."] });

/**
 * Statements that make sure the customer and its account of `unit` exist (creating the
 * customer on first sight with its channel), and SQL naming both.
 */
function customerAndAccount(
  db: Db,
  ctx: PostingContext,
  tenantId: number,
  customer: CustomerInput,
  unit: string,
  channel: Channel,
  field: string,
  now: number,
): { statements: BatchStatement[]; customer: SQL; account: SQL; created: boolean } {
  const known = ctx.customers.get(customer.externalId);
  if (known && !known.active) throw invalid({ [`${field}.externalId`]: ["The customer is inactive."] });
  const statements: BatchStatement[] = [];
  if (!known) {
    statements.push(
      insertCustomer(db, tenantId, {
        channel,
        name: customer.name,
        loyaltyExternalId: customer.externalId,
        loyaltyData: customer.data === undefined || customer.data === null ? null : JSON.stringify(customer.data),
      }),
    );
  }
  const customerSql = known ? sql`${known.id}` : customerIdOf(tenantId, customer.externalId);
  const accountId = ctx.accounts.get(`${customer.externalId}|${unit}`);
  if (accountId === undefined) statements.push(ensureAccount(tenantId, customerSql, unit, now));
  return { statements, customer: customerSql, account: accountId === undefined ? accountIdOf(customerSql, unit) : sql`${accountId}`, created: !known };
}

/** When a credit's lot stops being spendable: POINTS at the partner's date, else after the tenant's lifetime; COINS never. */
function lotExpiry(ctx: PostingContext, type: LedgerType, expiration: ExpirationInput | null, now: number): number | null {
  if (type.unit !== "POINTS") return null;
  if (expiration) return localToInstant(expiration.date, expiration.time ?? "23:59:59", ctx.timezone);
  return now + ctx.pointsLifetimeDays * 86_400_000;
}

export interface PostInput {
  /** Which endpoint posted it: part of the request identity, so a checkbook and a plain transaction never replay each other. */
  operation: "transaction" | "checkbook" | "voucher";
  type: string;
  code: string | null;
  externalId: string | null;
  title: string | null;
  description: string | null;
  /** Hundredths moved (ignored by a voucher, which takes the whole balance). */
  amount: number;
  /** Checkbooks: CREDIT when points are earned, DEBIT when redeemed; otherwise the type's. */
  direction: LedgerDirection | null;
  customer: CustomerInput;
  store: PartnerRef | null;
  vendor: PartnerRef | null;
  checkbookId: string | null;
  transferTransactionId: string | null;
  expiration: ExpirationInput | null;
  orderTotal: number | null;
  earnedRedeemed: number | null;
  lines: OrderLine[];
  /** The request field that names the amount (an overdraft is reported on it). */
  amountField: string;
}

/**
 * Posts one transaction (a plain one, a checkbook, or a voucher that takes the whole
 * balance of the type's unit), or replays the one already posted with the same
 * (type, code) and body. Returns its id, and its view when it was posted now (a replay has none).
 */
export async function postTransaction(
  db: Db,
  tenantId: number,
  input: PostInput,
  channel: Channel,
): Promise<{ transactionId: number; view: TransactionView | null }> {
  const hash = await requestHash({ ...input, customer: { ...input.customer } });
  return retryingRaces(async () => {
    const ctx = await readContext(db, tenantId, input.type, [input.customer.externalId], input.code);
    const type = ctx.type;
    if (!type || type.internal || type.category === "transfer") throw invalidType();
    if (ctx.existing) return replay(ctx.existing, hash);

    const now = Date.now();
    const direction: LedgerDirection = input.operation === "voucher" ? "DEBIT" : (input.direction ?? type.direction);
    const party = customerAndAccount(db, ctx, tenantId, input.customer, type.unit, channel, "customer", now);
    const statements: BatchStatement[] = [...party.statements];
    if (input.store) statements.push(ensurePartnerEntity("ledger_stores", tenantId, input.store.externalId, input.store.name, now));
    if (input.vendor) statements.push(ensurePartnerEntity("ledger_vendors", tenantId, input.vendor.externalId, input.vendor.name, now));
    const insertAt = statements.length;
    statements.push(
      insertTransaction({
        tenantId,
        customer: party.customer,
        account: party.account,
        type,
        direction,
        amount: input.operation === "voucher" ? sql`(SELECT balance FROM ledger_accounts WHERE id = ${party.account})` : input.amount,
        title: type.title,
        code: input.code,
        externalId: input.externalId,
        partnerTitle: input.title,
        description: input.description ?? input.store?.name ?? null,
        storeExternalId: input.store?.externalId ?? null,
        vendorExternalId: input.vendor?.externalId ?? null,
        checkbookId: input.checkbookId,
        transferTransactionId: input.transferTransactionId,
        orderTotal: input.orderTotal,
        earnedRedeemed: input.earnedRedeemed,
        requestHash: hash,
        channel,
        createdAt: now,
      }),
    );
    statements.push(
      ...(direction === "CREDIT"
        ? creditStatements(tenantId, party.account, type, lotExpiry(ctx, type, input.expiration, now), now)
        : debitStatements(tenantId, party.account, type, now)),
      ...orderLineStatements(tenantId, input.lines, now),
      ...entryCounterStatements({
        tenantId,
        type,
        direction,
        reversal: false,
        storeExternalId: input.store?.externalId ?? null,
        createdAt: now,
        timeZone: ctx.timezone,
        customer: party.customer,
        channel,
        lines: input.lines,
        customerCreated: party.created ? channel : null,
      }),
    );
    // The batch ends by reading back what it wrote, so the caller renders it without another round trip.
    statements.push(
      ...transactionViewStatements(tenantId, {
        where: sql`t.id = ${lastTransactionId}`,
        orderBy: sql`t.id`,
        limit: 1,
        customerIds: sql`(SELECT customer_id FROM ledger_transactions WHERE id = ${lastTransactionId})`,
      }),
    );
    const results = await runOrOverdraft(db, statements, { [input.amountField]: ["The customer's balance does not cover this amount."] });
    return { transactionId: Number(results[insertAt]![0]!.id), view: toTransactionViews(results)[0]! };
  });
}

/** The original of a retried (type, code); `view: null` tells the caller to read it. */
function replay(existing: NonNullable<PostingContext["existing"]>, hash: string): { transactionId: number; view: null } {
  if (existing.requestHash !== hash) {
    throw invalid({ code: ["The code was already used by a different transaction of this type."] });
  }
  return { transactionId: existing.id, view: null };
}

async function runOrOverdraft(db: Db, statements: BatchStatement[], overdraft: Record<string, string[]>) {
  try {
    return await runBatch(db, statements);
  } catch (err) {
    if (isCheckViolation(err, OVERDRAFT)) throw invalid(overdraft);
    throw err;
  }
}

export interface TransferInput {
  type: string;
  code: string | null;
  title: string | null;
  amount: number;
  from: CustomerInput;
  to: CustomerInput;
}

/**
 * Moves points from one customer to another in one batch: a DEBIT of the sender (lots
 * first-expiring-first) and a CREDIT of the receiver that opens one lot per lot taken,
 * with the same expiration. With a `code`, a retry replays the original pair.
 */
export async function transferPoints(db: Db, tenantId: number, input: TransferInput, channel: Channel): Promise<{ debitId: number; creditId: number }> {
  if (input.from.externalId === input.to.externalId) throw invalid({ "customerTo.externalId": ["The sender and the receiver must be different customers."] });
  const hash = await requestHash({ operation: "transfer", ...input });
  return retryingRaces(async () => {
    const ctx = await readContext(db, tenantId, input.type, [input.from.externalId, input.to.externalId], input.code);
    const type = ctx.type;
    if (!type || type.internal || type.category !== "transfer") throw invalidType();
    if (ctx.existing) {
      const { transactionId } = replay(ctx.existing, hash);
      const [credit] = await runBatch(db, [sql`SELECT id FROM ledger_transactions WHERE counterpart_id = ${transactionId} AND tenant_id = ${tenantId}`]);
      return { debitId: transactionId, creditId: Number(credit![0]!.id) };
    }
    const now = Date.now();
    const from = customerAndAccount(db, ctx, tenantId, input.from, type.unit, channel, "customerFrom", now);
    const to = customerAndAccount(db, ctx, tenantId, input.to, type.unit, channel, "customerTo", now);
    const common = { tenantId, type, title: type.title, partnerTitle: input.title, code: input.code, createdAt: now } as const;
    const entry = { tenantId, type, reversal: false, storeExternalId: null, createdAt: now, timeZone: ctx.timezone, lines: [] } as const;
    const statements: BatchStatement[] = [...from.statements, ...to.statements];
    const debitAt = statements.length;
    statements.push(
      insertTransaction({ ...common, customer: from.customer, account: from.account, direction: "DEBIT", amount: input.amount, description: input.to.name, requestHash: hash, channel }),
      ...debitStatements(tenantId, from.account, type, now),
      ...entryCounterStatements({ ...entry, direction: "DEBIT", customer: from.customer, channel, customerCreated: from.created ? channel : null }),
    );
    const creditAt = statements.length;
    statements.push(
      insertTransaction({
        ...common,
        customer: to.customer,
        account: to.account,
        direction: "CREDIT",
        amount: input.amount,
        description: input.from.name,
        counterpart: sql`(SELECT max(id) FROM ledger_transactions)`,
      }),
      ...transferCreditStatements(tenantId, to.account, now),
      ...entryCounterStatements({ ...entry, direction: "CREDIT", customer: to.customer, channel: null, customerCreated: to.created ? channel : null }),
    );
    const results = await runOrOverdraft(db, statements, { total: ["The sender's balance does not cover this amount."] });
    return { debitId: Number(results[debitAt]![0]!.id), creditId: Number(results[creditAt]![0]!.id) };
  });
}

/**
 * Reverses the transactions of `type` with the given codes, all or none: each gets one
 * opposite transaction (same type, code, customer and store). Reversing a credit takes
 * its amount back, from its own lot first; reversing a debit gives every lot back what
 * the debit took. Unknown codes, codes already reversed, and credits whose points were
 * spent are refused with nothing written. `field` names the request field for errors
 * ("code", or "codes" whose items are reported as "codes.N").
 */
export async function reverseTransactions(db: Db, tenantId: number, typeName: string, codes: readonly string[], field: "code" | "codes"): Promise<number[]> {
  const fieldOf = (i: number) => (field === "code" ? "code" : `codes.${i}`);
  const duplicate = codes.findIndex((code, i) => codes.indexOf(code) !== i);
  if (duplicate >= 0) throw invalid({ [fieldOf(duplicate)]: ["The code is listed twice."] });
  return retryingRaces(async () => {
    const list = sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    );
    const [tenant, types, originals] = await runBatch(db, [
      sql`SELECT timezone FROM tenants WHERE id = ${tenantId}`,
      typeByName(tenantId, typeName),
      sql`SELECT t.id, t.code, t.customer_id, t.account_id, t.direction, t.amount, t.description, t.store_id, s.external_id AS store_external_id,
          (SELECT r.id FROM ledger_transactions r WHERE r.reverses_id = t.id) AS reversed_by
        FROM ledger_transactions t LEFT JOIN ledger_stores s ON s.id = t.store_id
        WHERE t.tenant_id = ${tenantId} AND t.type = ${typeName} AND t.code IN (${list}) AND t.reverses_id IS NULL AND t.counterpart_id IS NULL`,
    ]);
    const row = types![0];
    if (!row) throw invalidType();
    const type = typeFromRow(row);
    if (!type.reversible) throw invalid({ type: ["Transactions of this type cannot be reversed."] });
    const byCode = new Map(originals!.map((o) => [String(o.code), o]));
    codes.forEach((code, i) => {
      const original = byCode.get(code);
      if (!original) {
        if (field === "code") throw notFound("Transaction not found");
        throw invalid({ [fieldOf(i)]: ["The transaction does not exist."] });
      }
      if (original.reversed_by !== null) throw invalid({ [fieldOf(i)]: ["The transaction has already been reversed."] });
    });

    const now = Date.now();
    const statements: BatchStatement[] = [];
    const insertAt: number[] = [];
    for (const code of codes) {
      const original = byCode.get(code)!;
      const account = sql`${Number(original.account_id)}`;
      const direction: LedgerDirection = original.direction === "CREDIT" ? "DEBIT" : "CREDIT";
      insertAt.push(statements.length);
      statements.push(
        sql`INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, code,
            title, description, store_id, reverses_id, created_at)
          SELECT tenant_id, customer_id, (SELECT max(customer_seq) + 1 FROM ledger_transactions WHERE customer_id = o.customer_id), account_id, unit,
            ${direction}, amount, type, category, code, ${type.reversalTitle}, description, store_id, id, ${now}
          FROM ledger_transactions o WHERE o.id = ${Number(original.id)}
          RETURNING id`,
        ...(direction === "DEBIT"
          ? debitStatements(tenantId, account, type, now, { preferTransactionId: Number(original.id), reversal: true })
          : restoreStatements(tenantId, account, Number(original.id), now)),
        ...entryCounterStatements({
          tenantId,
          type,
          direction,
          reversal: true,
          storeExternalId: (original.store_external_id as string | null) ?? null,
          createdAt: now,
          timeZone: String(tenant![0]?.timezone ?? "UTC"),
          customer: sql`${Number(original.customer_id)}`,
          channel: null,
          lines: [],
          customerCreated: null,
        }),
      );
    }
    const results = await runOrOverdraft(db, statements, { [field]: ["The customer's balance no longer holds the points to take back."] });
    return insertAt.map((i) => Number(results[i]![0]!.id));
  });
}
