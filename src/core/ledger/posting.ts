import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { rendered, reusableList, rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { isCheckViolation, isUniqueViolation } from "../../db/errors";
import {
  type Channel,
  identifiers,
  type LedgerDirection,
  type LedgerType,
  ledgerAccounts,
  ledgerStores,
  ledgerTransactions,
  ledgerVendors,
  tenants,
} from "../../db/schema";
import { sha256Hex } from "../crypto";
import { CustomerInactive, NotFound, Overdraft, type Party, RuleViolation } from "../errors";
import { customerCreated, customerUpdated, ledgerPosted, tierChangedByPosting } from "../events/payloads";
import { insertCustomerStatement, lastCustomerId } from "../registry/customers";
import { holderOf, linkIdentifier, normalise } from "../registry/identifiers";
import { decide, holdersStatement } from "../registry/resolution";
import { entryCounterStatements } from "../reports/counters";
import { localToInstant } from "../time";
import { typeByName } from "./catalogue";
import { lastTransactionViewStatements, readTransactionViews, type TransactionView, transactionViewStatements, tx } from "./queries";
import {
  accountIdOf,
  creditStatements,
  debitStatements,
  ensureAccount,
  ensurePartnerEntity,
  insertReversal,
  insertTransaction,
  lastTransactionAmount,
  lastTransactionId,
  type OrderLine,
  orderLineStatements,
  type RowRef,
  restoreStatements,
  transferCreditStatements,
} from "./statements";

/**
 * The loyalty ledger's writes: transactions, checkbooks, full-balance vouchers,
 * transfers and reversals. Each is one read (catalogue, customers, accounts, an earlier
 * transaction of the same type and code) and one atomic batch of guarded statements
 * (statements.ts). A party is named by a partner value, resolved as the registry's
 * loyalty row says: its loyalty id, else a document number (a kiosk's player credited by
 * its dni); found by the document, the batch links the value as its loyalty id, and not
 * found at all, the batch creates the customer. Two requests racing on the same new
 * customer or the same (type, code) meet a unique index: the loser's batch is rolled back
 * whole and the operation is read again, so it replays the winner's transaction.
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

interface ResolvedParty {
  customerId: number;
  /** Found by its document: the batch links the partner value as its loyalty id. */
  linkLoyaltyId: boolean;
}

interface PostingContext {
  timezone: string;
  pointsLifetimeDays: number;
  type: LedgerType | null;
  /** Per partner value: the customer it names (null: a new customer). */
  parties: Map<string, ResolvedParty | null>;
  /** Accounts by `${customerId}|${unit}`. */
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

const t = ledgerTransactions;

/**
 * The context reads of a posting besides the type and the parties' holders: the tenant's
 * settings, the accounts of every customer a party value may name, and the (type, code)
 * transaction a retry would replay. Rendered once per number of parties and presence of
 * a code (db/batch.ts `reusableList`).
 */
const contextReads = reusableList(
  ({ parties, withCode }: { parties: number; withCode: boolean }) => `${parties}|${withCode}`,
  ({ parties, withCode }) => {
    const tenantId = sql.placeholder("tenantId");
    const each = (name: string) => Array.from({ length: parties }, (_, i) => sql.placeholder(`${name}${i}`));
    const candidates = sql`(SELECT ${identifiers.customerId} FROM ${identifiers} WHERE ${and(
      eq(identifiers.tenantId, tenantId),
      eq(identifiers.exclusive, 1),
      or(
        and(eq(identifiers.kind, "loyalty_id"), inArray(identifiers.value, each("loyaltyId"))),
        and(eq(identifiers.kind, "document"), inArray(identifiers.value, each("document"))),
      ),
    )})`;
    const a = ledgerAccounts;
    return [
      sql`SELECT ${tenants.timezone} AS "timezone", ${tenants.pointsLifetimeDays} AS "pointsLifetimeDays" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`,
      sql`SELECT ${a.id} AS "id", ${a.customerId} AS "customerId", ${a.unit} AS "unit" FROM ${a} WHERE ${a.customerId} IN ${candidates}`,
      withCode
        ? sql`SELECT ${t.id} AS "id", ${t.requestHash} AS "requestHash" FROM ${t}
            WHERE ${t.tenantId} = ${tenantId} AND ${t.type} = ${sql.placeholder("type")} AND ${t.code} = ${sql.placeholder("code")}
              AND ${t.reversesId} IS NULL AND ${t.counterpartId} IS NULL`
        : sql`SELECT NULL WHERE 0`,
    ];
  },
);

async function readContext(
  db: Db,
  tenantId: number,
  typeName: string,
  parties: { value: string; party: Party }[],
  code: string | null,
): Promise<PostingContext> {
  const values: Record<string, unknown> = { tenantId, type: typeName, code };
  parties.forEach((p, i) => {
    values[`loyaltyId${i}`] = normalise("loyalty_id", p.value);
    values[`document${i}`] = normalise("document", p.value);
  });
  const [tenantQuery, accountsQuery, existingQuery] = contextReads({ parties: parties.length, withCode: code !== null }, values);
  const [tenant, type, accounts, existing, ...holders] = await runBatch(db, [
    rendered<{ timezone: string; pointsLifetimeDays: number }>(tenantQuery!),
    typeByName(db, tenantId, typeName),
    rendered<{ id: number; customerId: number; unit: string }>(accountsQuery!),
    rendered<{ id: number; requestHash: string | null }>(existingQuery!),
    ...parties.map((p) => holdersStatement(tenantId, "loyalty", { externalId: p.value })),
  ]);
  const resolved = new Map<string, ResolvedParty | null>();
  parties.forEach((p, i) => {
    const match = decide("loyalty", holders[i]!);
    if (match && !match.active) throw new CustomerInactive("loyalty_id", p.party);
    resolved.set(p.value, match ? { customerId: match.customerId, linkLoyaltyId: match.kind !== "loyalty_id" } : null);
  });
  return {
    timezone: tenant[0]?.timezone ?? "UTC",
    pointsLifetimeDays: tenant[0]?.pointsLifetimeDays ?? 365,
    type: type[0] ?? null,
    parties: resolved,
    accounts: new Map(accounts.map((account) => [`${account.customerId}|${account.unit}`, account.id])),
    existing: existing[0] ?? null,
  };
}

/**
 * Statements that make sure the party's customer and its account of `unit` exist (linking
 * the partner value to a customer found by its document, or creating the customer with
 * its channel), and SQL naming both.
 */
function partyStatements(
  db: Db,
  ctx: PostingContext,
  tenantId: number,
  customer: CustomerInput,
  unit: string,
  channel: Channel,
  now: number,
): { statements: Statement<unknown>[]; customer: RowRef; account: RowRef; created: boolean } {
  const resolved = ctx.parties.get(customer.externalId) ?? null;
  const loyaltyId = { kind: "loyalty_id" as const, value: normalise("loyalty_id", customer.externalId) };
  const statements: Statement<unknown>[] = [];
  let customerRef: RowRef;
  if (resolved) {
    customerRef = resolved.customerId;
    if (resolved.linkLoyaltyId) {
      statements.push(
        rows(linkIdentifier(tenantId, resolved.customerId, loyaltyId, now)),
        customerUpdated(tenantId, resolved.customerId, {}, ["loyalty_id"], now),
      );
    }
  } else {
    const loyaltyData = customer.data === undefined || customer.data === null ? null : JSON.stringify(customer.data);
    statements.push(insertCustomerStatement(db, tenantId, channel, { name: customer.name, loyaltyData }, now));
    customerRef = holderOf(tenantId, "loyalty_id", loyaltyId.value);
    statements.push(rows(linkIdentifier(tenantId, lastCustomerId, loyaltyId, now)), customerCreated(tenantId, customerRef, now));
  }
  const accountId = resolved ? ctx.accounts.get(`${resolved.customerId}|${unit}`) : undefined;
  if (accountId === undefined) statements.push(rows(ensureAccount(tenantId, customerRef, unit, now)));
  return { statements, customer: customerRef, account: accountId ?? accountIdOf(customerRef, unit), created: !resolved };
}

/** When a credit's lot stops being spendable: POINTS at the partner's date, else after the tenant's lifetime; COINS never. */
function lotExpiry(ctx: PostingContext, type: LedgerType, expiration: ExpirationInput | null, now: number): number | null {
  if (type.unit !== "POINTS") return null;
  if (expiration) return localToInstant(expiration.date, expiration.time ?? "23:59:59", ctx.timezone);
  return now + ctx.pointsLifetimeDays * 86_400_000;
}

export interface PostInput {
  /** Which operation posted it: part of the request identity, so a checkbook and a plain transaction never replay each other. */
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
    const ctx = await readContext(db, tenantId, input.type, [{ value: input.customer.externalId, party: "customer" }], input.code);
    const type = ctx.type;
    if (!type || type.internal || type.category === "transfer") throw new RuleViolation("unknown_ledger_type");
    if (ctx.existing) return replay(ctx.existing, hash);

    const now = Date.now();
    const direction: LedgerDirection = input.operation === "voucher" ? "DEBIT" : (input.direction ?? type.direction);
    const party = partyStatements(db, ctx, tenantId, input.customer, type.unit, channel, now);
    const statements: Statement<unknown>[] = [...party.statements];
    if (input.store) statements.push(rows(ensurePartnerEntity(ledgerStores, tenantId, input.store.externalId, input.store.name, now)));
    if (input.vendor) statements.push(rows(ensurePartnerEntity(ledgerVendors, tenantId, input.vendor.externalId, input.vendor.name, now)));
    const insertAt = statements.length;
    const balance = sql`(SELECT ${ledgerAccounts.balance} FROM ${ledgerAccounts} WHERE ${ledgerAccounts.id} = ${party.account})`;
    statements.push(
      insertTransaction({
        tenantId,
        customer: party.customer,
        account: party.account,
        type,
        direction,
        amount: input.operation === "voucher" ? balance : input.amount,
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
        registeredChannel: party.created ? channel : null,
        createdAt: now,
      }),
    );
    const effects = [
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
    ];
    statements.push(
      ...(direction === "CREDIT"
        ? creditStatements(tenantId, party.account, type, lotExpiry(ctx, type, input.expiration, now), now)
        : debitStatements(tenantId, party.account, type, now)),
      ...effects.map((s) => rows(s)),
      ledgerPosted(tenantId, direction === "CREDIT" ? "credit" : "debit", now),
    );
    if (direction === "CREDIT" && type.earns) statements.push(tierChangedByPosting(tenantId, party.account, lastTransactionAmount, now));
    // The batch ends by reading back what it wrote, so the caller renders it without another round trip.
    const readBack = lastTransactionViewStatements(tenantId);
    const results = await runOrOverdraft(db, [...statements, ...readBack], () => new Overdraft("customer", input.operation));
    const views = readTransactionViews(results.slice(-readBack.length) as Parameters<typeof readTransactionViews>[0], input.customer.externalId);
    return { transactionId: (results[insertAt] as { id: number }[])[0]!.id, view: views[0]! };
  });
}

/** The original of a retried (type, code); `view: null` tells the caller to read it. */
function replay(existing: NonNullable<PostingContext["existing"]>, hash: string): { transactionId: number; view: null } {
  if (existing.requestHash !== hash) throw new RuleViolation("code_reused");
  return { transactionId: existing.id, view: null };
}

async function runOrOverdraft(db: Db, statements: Statement<unknown>[], overdraft: () => Overdraft): Promise<unknown[]> {
  try {
    return await runBatch(db, statements);
  } catch (err) {
    if (isCheckViolation(err, OVERDRAFT)) throw overdraft();
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
/** A transfer's two halves; `views` (debit, credit) unless it was a replay, which the caller reads by id. */
export interface TransferResult {
  debitId: number;
  creditId: number;
  views: [TransactionView, TransactionView] | null;
}

export async function transferPoints(db: Db, tenantId: number, input: TransferInput, channel: Channel): Promise<TransferResult> {
  if (input.from.externalId === input.to.externalId) throw new RuleViolation("same_party");
  const hash = await requestHash({ operation: "transfer", ...input });
  return retryingRaces(async () => {
    const ctx = await readContext(
      db,
      tenantId,
      input.type,
      [
        { value: input.from.externalId, party: "sender" },
        { value: input.to.externalId, party: "receiver" },
      ],
      input.code,
    );
    const type = ctx.type;
    if (!type || type.internal || type.category !== "transfer") throw new RuleViolation("unknown_ledger_type");
    if (ctx.existing) {
      const { transactionId } = replay(ctx.existing, hash);
      const [credit] = await runBatch(db, [
        rows<{ id: number }>(sql`SELECT ${t.id} AS "id" FROM ${t} WHERE ${t.counterpartId} = ${transactionId} AND ${t.tenantId} = ${tenantId}`),
      ]);
      return { debitId: transactionId, creditId: credit[0]!.id, views: null };
    }
    const from = ctx.parties.get(input.from.externalId);
    const to = ctx.parties.get(input.to.externalId);
    // Two partner values can name one customer (a loyalty id and its document number).
    if (from && to && from.customerId === to.customerId) throw new RuleViolation("same_party");
    const now = Date.now();
    const sender = partyStatements(db, ctx, tenantId, input.from, type.unit, channel, now);
    const receiver = partyStatements(db, ctx, tenantId, input.to, type.unit, channel, now);
    const common = { tenantId, type, title: type.title, partnerTitle: input.title, code: input.code, createdAt: now } as const;
    const entry = { tenantId, type, reversal: false, storeExternalId: null, createdAt: now, timeZone: ctx.timezone, lines: [] } as const;
    const statements: Statement<unknown>[] = [...sender.statements, ...receiver.statements];
    const debitAt = statements.length;
    statements.push(
      insertTransaction({
        ...common,
        customer: sender.customer,
        account: sender.account,
        direction: "DEBIT",
        amount: input.amount,
        description: input.to.name,
        requestHash: hash,
        channel,
        registeredChannel: sender.created ? channel : null,
      }),
      ...debitStatements(tenantId, sender.account, type, now),
      ...entryCounterStatements({ ...entry, direction: "DEBIT", customer: sender.customer, channel, customerCreated: sender.created ? channel : null }).map(
        (s) => rows(s),
      ),
      ledgerPosted(tenantId, "transfer", now),
    );
    const creditAt = statements.length;
    statements.push(
      insertTransaction({
        ...common,
        customer: receiver.customer,
        account: receiver.account,
        direction: "CREDIT",
        amount: input.amount,
        description: input.from.name,
        counterpart: lastTransactionId,
        registeredChannel: receiver.created ? channel : null,
      }),
      ...[
        ...transferCreditStatements(tenantId, receiver.account, now),
        ...entryCounterStatements({
          ...entry,
          direction: "CREDIT",
          customer: receiver.customer,
          channel: null,
          customerCreated: receiver.created ? channel : null,
        }),
      ].map((s) => rows(s)),
      ledgerPosted(tenantId, "transfer", now),
    );
    // Read back both halves (the credit is the last transaction, the debit its counterpart): no round trip to render them.
    const halves = sql`(${lastTransactionId}, (SELECT ${t.counterpartId} FROM ${t} WHERE ${t.id} = ${lastTransactionId}))`;
    const readBack = transactionViewStatements(tenantId, {
      where: sql`${tx.id} IN ${halves}`,
      orderBy: sql`${tx.id}`,
      limit: 2,
      customerIds: sql`(SELECT ${t.customerId} FROM ${t} WHERE ${t.id} IN ${halves})`,
    });
    const results = await runOrOverdraft(db, [...statements, ...readBack], () => new Overdraft("sender", "transfer"));
    const [debit, credit] = readTransactionViews(results.slice(-readBack.length) as Parameters<typeof readTransactionViews>[0]);
    return { debitId: (results[debitAt] as { id: number }[])[0]!.id, creditId: (results[creditAt] as { id: number }[])[0]!.id, views: [debit!, credit!] };
  });
}

interface OriginalRow {
  id: number;
  code: string;
  customerId: number;
  accountId: number;
  direction: LedgerDirection;
  storeExternalId: string | null;
  reversedBy: number | null;
}

/**
 * Reverses the transactions of `type` with the given codes, all or none: each gets one
 * opposite transaction (same type, code, customer and store). Reversing a credit takes
 * its amount back, from its own lot first; reversing a debit gives every lot back what
 * the debit took. Unknown codes, codes already reversed, and credits whose points were
 * spent are refused with nothing written; `single` says the request named one code (an
 * unknown one is then not_found rather than an invalid item).
 */
export async function reverseTransactions(db: Db, tenantId: number, typeName: string, codes: readonly string[], single: boolean): Promise<TransactionView[]> {
  const duplicate = codes.findIndex((code, i) => codes.indexOf(code) !== i);
  if (duplicate >= 0) throw new RuleViolation("listed_twice", { index: duplicate, listed: !single });
  return retryingRaces(async () => {
    const reversal = sql`(SELECT ${sql.identifier("r")}.${sql.identifier(t.id.name)} FROM ${t} AS ${sql.identifier("r")}
      WHERE ${sql.identifier("r")}.${sql.identifier(t.reversesId.name)} = ${tx.id})`;
    const [tenant, types, originals] = await runBatch(db, [
      rows<{ timezone: string }>(sql`SELECT ${tenants.timezone} AS "timezone" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`),
      typeByName(db, tenantId, typeName),
      rows<OriginalRow>(sql`SELECT ${tx.id} AS "id", ${tx.code} AS "code", ${tx.customerId} AS "customerId", ${tx.accountId} AS "accountId",
          ${tx.direction} AS "direction", ${ledgerStores.externalId} AS "storeExternalId", ${reversal} AS "reversedBy"
        FROM ${ledgerTransactions} ${tx} LEFT JOIN ${ledgerStores} ON ${ledgerStores.id} = ${tx.storeId}
        WHERE ${and(eq(tx.tenantId, tenantId), eq(tx.type, typeName), inArray(tx.code, [...codes]), isNull(tx.reversesId), isNull(tx.counterpartId))}`),
    ]);
    const type = types[0];
    if (!type) throw new RuleViolation("unknown_ledger_type");
    if (!type.reversible) throw new RuleViolation("not_reversible");
    const byCode = new Map(originals.map((o) => [o.code, o]));
    codes.forEach((code, index) => {
      const original = byCode.get(code);
      if (!original) {
        if (single) throw new NotFound("transaction");
        throw new RuleViolation("unknown_transaction", { index, listed: true });
      }
      if (original.reversedBy !== null) throw new RuleViolation("already_reversed", { index, listed: !single });
    });

    const now = Date.now();
    const statements: Statement<unknown>[] = [];
    const insertAt: number[] = [];
    for (const code of codes) {
      const original = byCode.get(code)!;
      const direction: LedgerDirection = original.direction === "CREDIT" ? "DEBIT" : "CREDIT";
      insertAt.push(statements.length);
      statements.push(
        rows<{ id: number }>(insertReversal(original.id, direction, type.reversalTitle, now)),
        ...(direction === "DEBIT"
          ? debitStatements(tenantId, original.accountId, type, now, { preferTransactionId: original.id, reversal: true })
          : restoreStatements(tenantId, original.accountId, original.id, now).map((s) => rows(s))),
        ...[
          ...entryCounterStatements({
            tenantId,
            type,
            direction,
            reversal: true,
            storeExternalId: original.storeExternalId,
            createdAt: now,
            timeZone: tenant[0]?.timezone ?? "UTC",
            customer: original.customerId,
            channel: null,
            lines: [],
            customerCreated: null,
          }),
        ].map((s) => rows(s)),
        ledgerPosted(tenantId, "reverse", now),
      );
      // Reversing an earning credit takes its points back from the tier measure too.
      if (direction === "DEBIT" && type.earns) statements.push(tierChangedByPosting(tenantId, original.accountId, sql`-${lastTransactionAmount}`, now));
    }
    // Read back the reversals (through the reverses_id index), in the order of the codes: no round trip to render them.
    const reversed = sql`(${sql.join(
      codes.map((code) => sql`${byCode.get(code)!.id}`),
      sql`, `,
    )})`;
    const readBack = transactionViewStatements(tenantId, {
      where: sql`${tx.reversesId} IN ${reversed}`,
      orderBy: sql`${tx.id}`,
      limit: codes.length,
      customerIds: sql`(SELECT ${t.customerId} FROM ${t} WHERE ${t.reversesId} IN ${reversed})`,
    });
    const results = await runOrOverdraft(db, [...statements, ...readBack], () => new Overdraft("customer", "reversal", { listed: !single }));
    const views = readTransactionViews(results.slice(-readBack.length) as Parameters<typeof readTransactionViews>[0]);
    const ids = insertAt.map((i) => (results[i] as { id: number }[])[0]!.id);
    return ids.map((id) => views.find((view) => view.id === id)!);
  });
}
