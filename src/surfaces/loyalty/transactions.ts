import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { postTransaction, reverseTransactions, transferPoints, type ExpirationInput, type PostInput } from "../../core/ledger";
import { customerByExternalId, transactionsByIds } from "../../core/ledger-queries";
import type { OrderLine } from "../../core/ledger-statements";
import type { Channel } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { bearerAuth } from "../../http/auth";
import { loyaltyErrors, loyaltyOk } from "./envelope";
import { renderCustomer, renderTransaction } from "./render";
import { CheckbookBody, LoyaltyCustomer, LoyaltyTransaction, ok, ReverseBody, ReverseManyBody, TransactionBody, TransferBody } from "./schemas";
import { jsonBody } from "../../http/openapi";
import { isFrontend } from "../../core/report-counters";

const tags = ["Loyalty: transacciones"];
const security = [{ bearerAuth: [] }];
const errors = loyaltyErrors({
  401: "Missing, invalid or revoked token (Unauthenticated).",
  404: "Unknown transaction (reverse), or unknown path.",
  413: "Body larger than MAX_BODY_BYTES.",
  415: "Body is not JSON.",
  422: "Error de Validacion: `warning.field` names the first failing field, `warning.value` says why.",
});

const ledgerModel = [
  "Ledger: amounts are integers in hundredths (at most two decimals accepted); POINTS render as unit `{id:\"1\",name:\"POINTS\",sign:\"PTS\"}`, COINS as `{id:\"2\",name:\"COINS\",sign:\"$\"}`.",
  "Transactions are immutable; `total` renders like the seed (\"100\" when whole, \"12.50\" otherwise), balances (`total_amount`) always with two decimals (\"250.00\"), `created_at` as `YYYY-MM-DD HH:mm:ss` in the tenant's time zone.",
  "`title` is the type's title from the tenant's catalogue (\"Cupón\" for POINTS COUPON, as the seed shows; the partner's own `title` is stored); `external_entity_id` repeats `code`; absent values render as the string \"null\".",
  "Every POINTS credit opens a lot that expires at `expirationDate` (a local date: valid through 23:59:59 of that day; or a local `YYYY-MM-DD HH:mm:ss`), else after the tenant's points lifetime (default 365 days); COINS never expire.",
  "Debits take from lots first-expiring-first; points stay spendable until the expiration job (every 15 minutes) expires their lot.",
  "A balance never goes negative: a debit the balance does not cover is refused (422, nothing written).",
  "Concurrency: each operation is one atomic D1 batch whose statements compute lot takes and balances from the rows as they are when the batch runs, guarded by CHECK (balance >= 0); concurrent debits of one customer are therefore serialised by D1 itself (no Durable Object).",
  "(`type`, `code`) identifies a transaction: posting the same pair again with the same body answers the original transaction (200) and changes nothing; the same pair with a different body -> 422 on `code`.",
  "Customers are created on first sight from the `customer` block (`externalId`, `name`, `data`; the first values seen are kept), with the registration channel taken from the `Platform` header (web, mobile, ios, android; else `loyalty`); a deactivated customer -> 422.",
  "Stores, vendors and products are registered on first sight by `externalId` (the first name seen is kept; responses show the stored name).",
  "The customer block adds `group`, the customer's tier (from lifetime POINTS earned), to the seed's fields.",
].join(" ");

/** The registration channel of customers a call creates: the seed's `Platform` header, else the surface itself. */
function channelOf(c: Context<AppEnv>): Channel {
  const platform = c.req.header("platform")?.trim().toLowerCase();
  return isFrontend(platform) ? platform : "loyalty";
}

function expirationOf(value: string | null | undefined): ExpirationInput | null {
  if (!value) return null;
  const [date, time] = value.split(" ");
  return { date: date!, time };
}

const TransactionResponse = ok(LoyaltyTransaction, "LoyaltyTransactionResponse");

export const createTransactionRoute = createRoute({
  method: "post",
  path: "/api/transaction",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Crear transacción",
  description: [
    "Stores one transaction for the customer. The direction and unit come from `type` (the tenant's catalogue: POINTS COUPON, POINTS ORDER, POINTS BALANCE credit POINTS;",
    "POINTS REDEEM debits POINTS; BALANCE RELOAD credits COINS; BALANCE REDEEM debits COINS; unknown types, the transfer type and the system type POINTS EXPIRATION -> 422 on `type`).",
    "`total` is the amount moved (> 0). Required as the seed says: `type`, `description`, `total`, `customer` (with `externalId`, `name` and a `data` object whose keys are the partner's own).",
    "`code` is optional: without it the transaction has no idempotency key.",
    ledgerModel,
  ].join(" "),
  request: { body: jsonBody(TransactionBody) },
  responses: { 200: { description: "The transaction (or the original one, on a retry).", content: { "application/json": { schema: TransactionResponse } } }, ...errors },
});

export const createTransaction: RouteHandler<typeof createTransactionRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const input: PostInput = {
    operation: "transaction",
    type: body.type,
    code: body.code ?? null,
    externalId: body.externalId ?? null,
    title: body.title ?? null,
    description: body.description,
    amount: body.total,
    direction: null,
    customer: { externalId: body.customer.externalId, name: body.customer.name, data: body.customer.data },
    store: body.store ? { externalId: body.store.externalId, name: body.store.name ?? null } : null,
    vendor: body.vendor ? { externalId: body.vendor.externalId, name: body.vendor.name ?? null } : null,
    checkbookId: body.checkbookId ?? null,
    transferTransactionId: body.transferTransactionId ?? null,
    expiration: expirationOf(body.expirationDate),
    orderTotal: null,
    earnedRedeemed: null,
    lines: [],
    amountField: "total",
  };
  return loyaltyOk(c, await postAndRender(c, input));
};

async function postAndRender(c: Context<AppEnv>, input: PostInput) {
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const posted = await postTransaction(db, tenantId, input, channelOf(c));
  // A new posting comes back with its view; a replay reads the original.
  const view = posted.view ?? (await transactionsByIds(db, tenantId, [posted.transactionId]))[0]!;
  return renderTransaction(view);
}

/** A checkbook or voucher body as a posting: `earnedRedeemed` decides the direction and the amount. */
function checkbookInput(body: z.output<typeof CheckbookBody>, operation: "checkbook" | "voucher"): PostInput {
  const detail = body.detail ? (Array.isArray(body.detail) ? body.detail : [body.detail]) : [];
  const lines: OrderLine[] = detail.map((line) => ({
    productExternalId: line.externalId,
    productName: line.name,
    total: line.total,
    earnedRedeemed: line.earnedRedeemed ?? 0,
  }));
  const earnedRedeemed = body.earnedRedeemed ?? 0;
  return {
    operation,
    type: body.type,
    code: body.code,
    externalId: body.externalId,
    title: body.title ?? null,
    description: null,
    amount: Math.abs(earnedRedeemed),
    direction: earnedRedeemed < 0 ? "DEBIT" : "CREDIT",
    customer: { externalId: body.customer.externalId, name: body.customer.name, data: body.customer.data },
    store: { externalId: body.store.externalId, name: body.store.name },
    vendor: null,
    checkbookId: null,
    transferTransactionId: null,
    expiration: null,
    orderTotal: body.total,
    earnedRedeemed,
    lines,
    amountField: "earnedRedeemed",
  };
}

const checkbookRules =
  "Body as the seed: `type`, `customer` {`externalId`, `name`}, `code`, `externalId`, `total` (the order's money amount, >= 0) and `store` {`externalId`, `name`} required; " +
  "`earnedRedeemed` (points earned when positive, redeemed when negative; default 0), `title`, and `detail` (one product line `{name, externalId, total, earnedRedeemed}` as the seed shows, or an array of up to 100) optional. " +
  "Order lines are stored with their product for the product report.";

export const createCheckbookRoute = createRoute({
  method: "post",
  path: "/api/transaction/checkbook",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Crear checkBook",
  description: [
    "Stores an order (checkbook) and the points it moves: a CREDIT of `earnedRedeemed` in the type's unit when positive (a lot opens with the tenant's default expiration),",
    "a DEBIT of its absolute value when negative (422 on `earnedRedeemed` when the balance does not cover it), a zero-amount CREDIT when 0.",
    "`description` is the store's stored name (the seed shows the store name there). The response `total` is the points moved.",
    checkbookRules,
    ledgerModel,
  ].join(" "),
  request: { body: jsonBody(CheckbookBody) },
  responses: { 200: { description: "The checkbook's transaction.", content: { "application/json": { schema: TransactionResponse } } }, ...errors },
});

export const createCheckbook: RouteHandler<typeof createCheckbookRoute, AppEnv> = async (c) =>
  loyaltyOk(c, await postAndRender(c, checkbookInput(c.req.valid("json"), "checkbook")));

export const redeemFullBalanceRoute = createRoute({
  method: "post",
  path: "/api/transaction/redeemFullBalance",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Redimir voucher",
  description: [
    "Redeems the customer's whole balance of the type's unit as a voucher: one DEBIT of the entire balance (taking every open lot), computed when the write runs,",
    "so a concurrent credit is either fully included or left for later, never half-taken; the order (`total`, `detail` lines) is stored with it like a checkbook.",
    "`earnedRedeemed` is stored as sent (the amount debited is the balance). A customer seen for the first time is created and redeems 0.",
    "Answers the customer with its totals after the redemption (that unit at \"0.00\").",
    checkbookRules,
    ledgerModel,
  ].join(" "),
  request: { body: jsonBody(CheckbookBody) },
  responses: {
    200: { description: "The customer after the redemption.", content: { "application/json": { schema: ok(LoyaltyCustomer, "LoyaltyCustomerResponse") } } },
    ...errors,
  },
});

export const redeemFullBalance: RouteHandler<typeof redeemFullBalanceRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const posted = await postTransaction(db, tenantId, checkbookInput(body, "voucher"), channelOf(c));
  return loyaltyOk(c, renderCustomer(posted.view?.customer ?? (await customerByExternalId(db, tenantId, body.customer.externalId))));
};

const reversalRules =
  "Writes the opposite transaction (same type, code, customer, store and description; `title` is the type's reversal title, e.g. \"Reverso de orden\"). " +
  "Reversing a credit takes its amount back from the customer's lots (its own lot first) and is refused with 422 when the points were already spent; " +
  "reversing a debit gives every lot back exactly what the debit took. A transaction is reversed at most once (a second reverse -> 422 on the code); " +
  "reversals themselves, transfers and expirations cannot be reversed (422 on `type`).";

export const reverseRoute = createRoute({
  method: "post",
  path: "/api/transaction/reverse",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Revertir transacción",
  description: `${reversalRules} Unknown (type, code) -> 404. ${ledgerModel}`,
  request: { body: jsonBody(ReverseBody) },
  responses: { 200: { description: "The reversal.", content: { "application/json": { schema: TransactionResponse } } }, ...errors },
});

export const reverse: RouteHandler<typeof reverseRoute, AppEnv> = async (c) => {
  const { type, code } = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const ids = await reverseTransactions(db, tenantId, type, [code], "code");
  const [view] = await transactionsByIds(db, tenantId, ids);
  return loyaltyOk(c, renderTransaction(view!));
};

export const reverseManyRoute = createRoute({
  method: "post",
  path: "/api/transaction/reverseMany",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Revertir transacciones",
  description: `All or nothing, in one batch: every code (1 to 100, no repeats) must name a reversible, not yet reversed transaction of \`type\`; otherwise 422 names the first failing item (\`codes.N\`) and nothing is reversed. ${reversalRules} Answers the reversals in the order of \`codes\`. ${ledgerModel}`,
  request: { body: jsonBody(ReverseManyBody) },
  responses: { 200: { description: "The reversals.", content: { "application/json": { schema: ok(z.array(LoyaltyTransaction), "LoyaltyTransactionListResponse") } } }, ...errors },
});

export const reverseMany: RouteHandler<typeof reverseManyRoute, AppEnv> = async (c) => {
  const { type, codes } = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const ids = await reverseTransactions(db, tenantId, type, codes, "codes");
  return loyaltyOk(c, (await transactionsByIds(db, tenantId, ids)).map(renderTransaction));
};

export const transferRoute = createRoute({
  method: "post",
  path: "/api/transaction/transfer",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Transferir puntos",
  description: [
    "Moves `total` points from `customerFrom` to `customerTo` in one atomic batch: a DEBIT of the sender (422 on `total` when its balance does not cover it, nothing written)",
    "and a CREDIT of the receiver (created on first sight). The receiver gets one lot per lot taken from the sender, with the same expiration, so a transfer never extends the life of points.",
    "`type` must be a transfer type of the catalogue (BALANCE TRANSFER DEBIT, which moves POINTS); sender and receiver must differ.",
    "Each half's `description` is the other party's name (as the seed shows); `to` is rendered as the CREDIT it is (the seed's example repeats DEBIT).",
    "An optional `code` makes the transfer idempotent like any (type, code); without it every call is a new transfer. Transfers cannot be reversed: transfer back instead.",
    ledgerModel,
  ].join(" "),
  request: { body: jsonBody(TransferBody) },
  responses: {
    200: {
      description: "Both halves.",
      content: { "application/json": { schema: ok(z.object({ from: LoyaltyTransaction, to: LoyaltyTransaction }), "LoyaltyTransferResponse") } },
    },
    ...errors,
  },
});

export const transfer: RouteHandler<typeof transferRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const { debitId, creditId } = await transferPoints(
    db,
    tenantId,
    {
      type: body.type,
      code: body.code ?? null,
      title: body.title ?? null,
      amount: body.total,
      from: { externalId: body.customerFrom.externalId, name: body.customerFrom.name },
      to: { externalId: body.customerTo.externalId, name: body.customerTo.name },
    },
    channelOf(c),
  );
  const [from, to] = await transactionsByIds(db, tenantId, [debitId, creditId]);
  return loyaltyOk(c, { from: renderTransaction(from!), to: renderTransaction(to!) });
};
