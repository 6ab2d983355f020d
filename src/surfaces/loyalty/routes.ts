import { z } from "@hono/zod-openapi";
import { HISTORY_PAGE_SIZE, OPEN_LOTS_LIMIT, RANGE_QUERY_LIMIT } from "../../core/ledger/queries";
import { REPORT_MAX_DAYS, REPORT_ROW_LIMIT } from "../../core/reports/summaries";
import { bearerAuth } from "../../http/auth";
import { defineRoutes, jsonBody, methodNotAllowedResponse } from "../../http/openapi";
import { LoyaltyError, loyaltyErrors } from "./envelope";
import { transactionShapesTable } from "./render";
import {
  ByCodeQuery,
  ByCustomerQuery,
  CheckbookBody,
  CustomerIdQuery,
  DefaultGroup,
  ExternalIdQuery,
  FoundCustomer,
  HistoryQuery,
  IncludeQuery,
  Lot,
  LoyaltyCustomer,
  LoyaltyTransaction,
  LoyaltyTransactionWithStore,
  ok,
  ProductDay,
  ReportQuery,
  ReverseBody,
  ReverseManyBody,
  StoreDay,
  TokenRequest,
  TokenResponse,
  TransactionBody,
  TransferBody,
} from "./schemas";

const route = defineRoutes({
  tags: ["Loyalty: transacciones"],
  security: [{ bearerAuth: [] }],
  middleware: [bearerAuth],
  errors: {
    ...loyaltyErrors({ 401: "Missing, invalid or revoked token (Unauthenticated)." }),
    // Seed 003: "405 The method is not implemented".
    ...methodNotAllowedResponse(LoyaltyError, { code: 405, status: "error", message: "Method Not Allowed", warning: [], error: [] }),
  },
});

const writeErrors = loyaltyErrors({
  404: "Unknown transaction (reverse), or unknown path.",
  413: "Body larger than MAX_BODY_BYTES.",
  415: "Body is not JSON.",
  422: "Error de Validacion: `warning.field` names the first failing field, `warning.value` says why.",
});
const readErrors = loyaltyErrors({
  404: "No such customer or transaction for this tenant (another tenant's are answered the same way).",
  422: "Error de Validacion: `warning.field` names the first failing parameter.",
});
const reportErrors = loyaltyErrors({
  422: "Error de Validacion: `warning.field` names the first failing parameter (`startDate` or `endDate`).",
});
const reportTags = ["Loyalty: reportes"];

const ledgerModel = [
  'Ledger: amounts are integers in hundredths (at most two decimals accepted); POINTS render as unit `{id:"1",name:"POINTS",sign:"PTS"}`, COINS as `{id:"2",name:"COINS",sign:"$"}`.',
  "Transactions are immutable; `total` renders as the endpoint's seed example does (see the table below), balances (`total_amount`) always with two decimals (\"250.00\"), `created_at` as `YYYY-MM-DD HH:mm:ss` in the tenant's time zone.",
  '`title` is the type\'s title from the tenant\'s catalogue ("Cupón" for POINTS COUPON, as the seed shows; the partner\'s own `title` is stored); `external_entity_id` repeats `code`; absent values render as the string "null".',
  "Every POINTS credit opens a lot that expires at `expirationDate` (a local date: valid through 23:59:59 of that day; or a local `YYYY-MM-DD HH:mm:ss`), else after the tenant's points lifetime (default 365 days); COINS never expire.",
  "Debits take from lots first-expiring-first; points stay spendable until the expiration job (every 15 minutes) expires their lot.",
  "A balance never goes negative: a debit the balance does not cover is refused (422, nothing written).",
  "Concurrency: each operation is one atomic D1 batch whose statements compute lot takes and balances from the rows as they are when the batch runs, guarded by CHECK (balance >= 0); concurrent debits of one customer are therefore serialised by D1 itself (no Durable Object).",
  "(`type`, `code`) identifies a transaction: posting the same pair again with the same body answers the original transaction (200) and changes nothing; the same pair with a different body -> 422 on `code`.",
  "A customer is named by its `externalId`, the partner's id, resolved in the tenant's one registry: the customer holding it as its loyalty id, else the customer holding it as a document number (e.g. a player the kiosk registered by dni, whatever surface registered the document; when several share it, its oldest active holder), which is then credited and keeps the value as its loyalty id (so `findByExternalId` and `history` find it by it).",
  "Not found at all, the customer is created from the `customer` block (`externalId`, `name`, `data`; the first values seen are kept), with the registration channel taken from the `Platform` header (web, mobile, ios, android; else `loyalty`); a deactivated customer -> 422.",
  "Stores, vendors and products are registered on first sight by `externalId` (the first name seen is kept; responses show the stored name).",
].join(" ");

/**
 * Seed 003's endpoints disagree on two renderings; each follows its own example and schema.
 * The same table drives the rendering (render.ts `transactionShapes`).
 */
const shapes = [
  "\n\nWhere the seed's endpoints disagree, each endpoint follows its own example and schema:\n\n",
  transactionShapesTable,
  "\n\n`POST /api/transaction/redeemFullBalance` answers the customer block alone (no `store`, no `total`), as its example shows.",
  " Every customer block is the seed's `{id, externalId, name, totals}` exactly; `include=group` adds the customer's tier as `group` (opt-in, off by default).",
].join("");

/** The registration channel of customers a call creates: the seed's `Platform` header, else the surface itself. */

const TransactionResponse = ok(LoyaltyTransaction, "LoyaltyTransactionResponse");
const TransactionWithStoreResponse = ok(LoyaltyTransactionWithStore, "LoyaltyTransactionWithStoreResponse");

export const createTransactionRoute = route({
  method: "post",
  path: "/api/transaction",
  summary: "Crear transacción",
  description:
    [
      "Stores one transaction for the customer. The direction and unit come from `type` (the tenant's catalogue: POINTS COUPON, POINTS ORDER, POINTS BALANCE credit POINTS;",
      "POINTS REDEEM debits POINTS; BALANCE RELOAD credits COINS; BALANCE REDEEM debits COINS; unknown types, the transfer type and the system type POINTS EXPIRATION -> 422 on `type`).",
      "`total` is the amount moved (> 0). Required as the seed says: `type`, `description`, `total`, `customer` (with `externalId`, `name` and a `data` object whose keys are the partner's own).",
      "`code` is optional: without it the transaction has no idempotency key.",
      ledgerModel,
    ].join(" ") + shapes,
  request: { query: IncludeQuery, body: jsonBody(TransactionBody) },
  responses: {
    200: { description: "The transaction (or the original one, on a retry).", content: { "application/json": { schema: TransactionResponse } } },
    ...writeErrors,
  },
});

const checkbookRules =
  "Body as the seed: `type`, `customer` {`externalId`, `name`}, `code`, `externalId`, `total` (the order's money amount, >= 0) and `store` {`externalId`, `name`} required; " +
  "`earnedRedeemed` (points earned when positive, redeemed when negative; default 0), `title`, and `detail` (one product line `{name, externalId, total, earnedRedeemed}` as the seed shows, or an array of up to 100) optional. " +
  "Order lines are stored with their product for the product report.";

export const createCheckbookRoute = route({
  method: "post",
  path: "/api/transaction/checkbook",
  summary: "Crear checkBook",
  description:
    [
      "Stores an order (checkbook) and the points it moves: a CREDIT of `earnedRedeemed` in the type's unit when positive (a lot opens with the tenant's default expiration),",
      "a DEBIT of its absolute value when negative (422 on `earnedRedeemed` when the balance does not cover it), a zero-amount CREDIT when 0.",
      "`description` is the store's stored name (the seed shows the store name there). The response `total` is the points moved.",
      checkbookRules,
      ledgerModel,
    ].join(" ") + shapes,
  request: { query: IncludeQuery, body: jsonBody(CheckbookBody) },
  responses: {
    200: { description: "The checkbook's transaction.", content: { "application/json": { schema: TransactionWithStoreResponse } } },
    ...writeErrors,
  },
});

export const redeemFullBalanceRoute = route({
  method: "post",
  path: "/api/transaction/redeemFullBalance",
  summary: "Redimir voucher",
  description:
    [
      "Redeems the customer's whole balance of the type's unit as a voucher: one DEBIT of the entire balance (taking every open lot), computed when the write runs,",
      "so a concurrent credit is either fully included or left for later, never half-taken; the order (`total`, `detail` lines) is stored with it like a checkbook.",
      "`earnedRedeemed` is stored as sent (the amount debited is the balance). A customer seen for the first time is created and redeems 0.",
      'Answers the customer with its totals after the redemption (that unit at "0.00").',
      checkbookRules,
      ledgerModel,
    ].join(" ") + shapes,
  request: { query: IncludeQuery, body: jsonBody(CheckbookBody) },
  responses: {
    200: { description: "The customer after the redemption.", content: { "application/json": { schema: ok(LoyaltyCustomer, "LoyaltyCustomerResponse") } } },
    ...writeErrors,
  },
});

const reversalRules =
  'Writes the opposite transaction (same type, code, customer, store and description; `title` is the type\'s reversal title, e.g. "Reverso de orden"). ' +
  "Reversing a credit takes its amount back from the customer's lots (its own lot first) and is refused with 422 when the points were already spent; " +
  "reversing a debit gives every lot back exactly what the debit took. A transaction is reversed at most once (a second reverse -> 422 on the code); " +
  "reversals themselves, transfers and expirations cannot be reversed (422 on `type`).";

export const reverseRoute = route({
  method: "post",
  path: "/api/transaction/reverse",
  summary: "Revertir transacción",
  description: `${reversalRules} Unknown (type, code) -> 404. ${ledgerModel}${shapes}`,
  request: { query: IncludeQuery, body: jsonBody(ReverseBody) },
  responses: { 200: { description: "The reversal.", content: { "application/json": { schema: TransactionWithStoreResponse } } }, ...writeErrors },
});

export const reverseManyRoute = route({
  method: "post",
  path: "/api/transaction/reverseMany",
  summary: "Revertir transacciones",
  description: `All or nothing, in one batch: every code (1 to 100, no repeats) must name a reversible, not yet reversed transaction of \`type\`; otherwise 422 names the first failing item (\`codes.N\`) and nothing is reversed. ${reversalRules} Answers the reversals in the order of \`codes\`. ${ledgerModel}${shapes}`,
  request: { query: IncludeQuery, body: jsonBody(ReverseManyBody) },
  responses: {
    200: { description: "The reversals.", content: { "application/json": { schema: ok(z.array(LoyaltyTransactionWithStore), "LoyaltyReversalsResponse") } } },
    ...writeErrors,
  },
});

export const transferRoute = route({
  method: "post",
  path: "/api/transaction/transfer",
  summary: "Transferir puntos",
  description:
    [
      "Moves `total` points from `customerFrom` to `customerTo` in one atomic batch: a DEBIT of the sender (422 on `total` when its balance does not cover it, nothing written)",
      "and a CREDIT of the receiver (created on first sight). The receiver gets one lot per lot taken from the sender, with the same expiration, so a transfer never extends the life of points.",
      "`type` must be a transfer type of the catalogue (BALANCE TRANSFER DEBIT, which moves POINTS); sender and receiver must differ.",
      "Each half's `description` is the other party's name (as the seed shows); `to` is rendered as the CREDIT it is (the seed's example repeats DEBIT).",
      "An optional `code` makes the transfer idempotent like any (type, code); without it every call is a new transfer. Transfers cannot be reversed: transfer back instead.",
      ledgerModel,
    ].join(" ") + shapes,
  request: { query: IncludeQuery, body: jsonBody(TransferBody) },
  responses: {
    200: {
      description: "Both halves.",
      content: { "application/json": { schema: ok(z.object({ from: LoyaltyTransaction, to: LoyaltyTransaction }), "LoyaltyTransferResponse") } },
    },
    ...writeErrors,
  },
});

const quoting =
  "Query values may be wrapped in one pair of single quotes, as the seed's examples write them (`customerId='1716583941'`); the quotes are removed.";

const TransactionList = ok(z.array(LoyaltyTransaction), "LoyaltyTransactionList");

export const historyRoute = route({
  method: "get",
  path: "/api/transaction/history",
  tags: ["Loyalty: transacciones"],
  summary: "Obtener Transacciones",
  description:
    [
      `The customer's transactions, newest first, ${HISTORY_PAGE_SIZE} per page; \`page\` is 1-based (default 1). \`customerId\` is the customer's \`externalId\` (the partner's identifier, as the seed's examples show).`,
      "Answered as the seed shows: `{data:[...]}` only. Pages are ranges of the customer's transaction numbers (each customer's transactions are numbered 1, 2, 3 … as they are written),",
      "so a page reads only its own rows however long the history is, and the order never ties or shuffles.",
      "Stable paging under concurrent inserts: pass `asOf` = the `id` of the first transaction of page 1 to count every page from that transaction (newer ones are left out), so no row shows up twice while paging.",
      "Unknown customer -> 404. A page past the end -> empty `data`; `page=0`, a negative or an unparsable page serves page 1, as Laravel's paginator does.",
      quoting,
    ].join(" ") + shapes,
  request: { query: HistoryQuery },
  responses: {
    200: { description: "One page.", content: { "application/json": { schema: z.object({ data: z.array(LoyaltyTransaction) }).openapi("LoyaltyHistory") } } },
    ...readErrors,
  },
});

export const byCodeRoute = route({
  method: "get",
  path: "/api/transaction/transactionByCode",
  tags: ["Loyalty: transacciones"],
  summary: "Obtener transacción por código",
  description: `The transaction of (\`type\`, \`code\`) followed by its reversal, if it was reversed (both halves of a transfer posted with a code). Unknown pair -> 404. ${quoting}${shapes}`,
  request: { query: ByCodeQuery },
  responses: { 200: { description: "The transaction(s).", content: { "application/json": { schema: TransactionList } } }, ...readErrors },
});

const rangeRules = [
  "`document` names the customer as every ledger call does: the customer holding it as loyalty `externalId`, else the oldest active customer holding it as a document number, whatever surface registered it; the answer stays the same when other surfaces later register the same document for another customer. Unknown -> 404.",
  "`from` and `to` are local dates (`YYYY-MM-DD`) in the tenant's time zone, both inclusive; `to` before `from` -> 422 on `to`.",
  `Newest first, at most ${RANGE_QUERY_LIMIT} transactions.`,
  quoting,
].join(" ");

export const reloadsRoute = route({
  method: "get",
  path: "/api/transaction/reloadsByCustomer",
  tags: ["Loyalty: transacciones"],
  summary: "Obtener transacción de recargas por cliente",
  description: `The customer's COINS reloads ("recargas": transactions of a reload type such as BALANCE RELOAD, not their reversals) in the date range. ${rangeRules}${shapes}`,
  request: { query: ByCustomerQuery },
  responses: { 200: { description: "The reloads.", content: { "application/json": { schema: TransactionList } } }, ...readErrors },
});

export const pointsRoute = route({
  method: "get",
  path: "/api/transaction/pointsByCustomer",
  tags: ["Loyalty: transacciones"],
  summary: "Obtener transacción de puntos por cliente",
  description: `Every POINTS transaction of the customer (credits, debits, reversals, transfers, expirations) in the date range. ${rangeRules}${shapes}`,
  request: { query: ByCustomerQuery },
  responses: { 200: { description: "The POINTS transactions.", content: { "application/json": { schema: TransactionList } } }, ...readErrors },
});

export const lotsRoute = route({
  method: "get",
  path: "/api/batch/expiration",
  tags: ["Loyalty: lotes"],
  summary: "Obtener Lotes Activos",
  description: [
    "The customer's open lots (something left to spend), in the order debits consume them: POINTS first, first-expiring-first; COINS lots (which never expire) last.",
    `At most ${OPEN_LOTS_LIMIT}. Answered as the seed shows: \`{data:[...]}\` only. Each lot: \`id\`, \`total_amount\` (what remains, two decimals), \`unit\`,`,
    '`batch object` (the seed\'s key, with a space): `id` = the transaction that opened the lot, `start_date` = when it opened, `end_date` "null", `expiration_date` (tenant\'s time zone; "null" when it never expires),',
    "and `set_name` (the opening type's set, e.g. PROMOCIONAL for coupons).",
    "`customerId` is the customer's `externalId` (resolved as the ledger resolves it: loyalty id, else document number); unknown -> 404.",
    quoting,
  ].join(" "),
  request: { query: CustomerIdQuery },
  responses: {
    200: { description: "The open lots.", content: { "application/json": { schema: z.object({ data: z.array(Lot) }).openapi("LoyaltyLots") } } },
    ...readErrors,
  },
});

export const defaultGroupRoute = route({
  method: "get",
  path: "/api/group/default",
  tags: ["Loyalty: grupos"],
  summary: "Api de grupos",
  description:
    "The tenant's entry tier (seeded: AMIGO, then BUEN AMIGO at 1,000 lifetime POINTS earned) with `group_rules` (the units whose earnings count towards tiers: POINTS) " +
    'and `next_group` ("null" at the top). Customers move up by lifetime POINTS earned through earning types (coupons, orders, balance), less reversals of those; transfers and spending never lower a tier.',
  responses: {
    200: { description: "The default tier.", content: { "application/json": { schema: ok(DefaultGroup, "LoyaltyGroupResponse") } } },
    ...readErrors,
  },
});

export const findCustomerRoute = route({
  method: "get",
  path: "/api/customer/findByExternalId",
  tags: ["Loyalty: clientes"],
  summary: "Verificar si existe un cliente por su externalId",
  description:
    'Whether the tenant has an active customer this `externalId` names: the one holding it as its loyalty id, else the one holding it as a document number (a player registered at the kiosk is found by its dni). Answered as the seed shows: `{code, status, message:"Ok", data}` with `data` = ' +
    "`{exists, id (number), external_id, name, data}` (`data` is the customer's stored `data` block, as sent when it was created). " +
    `Unknown (or another tenant's) -> 200 with \`exists:false\` and the other fields null. ${quoting}`,
  request: { query: ExternalIdQuery },
  responses: { 200: { description: "Whether it exists.", content: { "application/json": { schema: FoundCustomer } } }, ...readErrors },
});

const rules = [
  "`startDate` and `endDate` are days in the tenant's time zone (`YYYY-MM-DD`), both included; `endDate` before `startDate`, or a range longer than",
  `${REPORT_MAX_DAYS} days, -> 422 on \`endDate\`. The seed's examples quote the values (\`'2018-07-01’\`): a value wrapped in one pair of quotes (' " ‘ ’ “ ”) is read without them;`,
  "anything that is not then exactly a calendar date `YYYY-MM-DD` (a lone quote, `2018-7-1`, `2018-02-30`) -> 422 naming the parameter.",
  "`date` is the local day; `week` is numbered as the seed's examples show (2018-07-12 is week 27, 2018-07-20 week 28): MySQL's `WEEK(date)`, weeks starting on Sunday,",
  "week 1 being the one with the year's first Sunday and the days before it week 0 (ISO-8601 would say 28 and 29). Points are numbers of points (two decimals at most), counts are integers.",
  "Answered from per-day counters kept in the same atomic write as every ledger entry (so a report never sees half a transaction and reads only the rows it returns, however many transactions the days hold);",
  "only days with activity have rows. A transaction's day is the local day when it was written (a transaction at 23:30 local counts on that day).",
  `At most ${REPORT_ROW_LIMIT} rows: a range holding more -> 422 on \`endDate\` (ask for a shorter range).`,
  '`store` is the store\'s name (its `externalId` when it has none) or "null" for activity without a store.',
].join(" ");

const storeCounting = [
  'One row per (date, store), ordered by date then store name. `store` is the store\'s stored name (the first one sent, else its `externalId`), or `"null"` for transactions without a store (listed last of their day).',
  "Only POINTS count; COINS and transfers move no column.",
  "`pointEarnedOrders` / `pointEarnedCoupons` / `pointEarnedBalance`: credits of order (POINTS ORDER, checkbooks that earn), coupon (POINTS COUPON) and balance (POINTS BALANCE) types;",
  "`pointRedeemed`: POINTS debits (POINTS REDEEM, checkbooks that redeem, full-balance vouchers); `pointExpired`: points expired by the expiration job, at the store where they were earned;",
  "`pointReversedCoupon` / `pointReversedOrder`: reversals of coupon / order credits, on the day of the reversal. The seed has no column for other reversals:",
  "reversing a balance credit subtracts from that day's `pointEarnedBalance`, reversing a redemption subtracts from that day's `pointRedeemed`.",
  "Registrations count each customer once, on the day and at the store of the transaction that first named it: `preregisteredPos` = created by a partner call without a `Platform` header (the point of sale);",
  "`registeredWeb` = created with `Platform: web`; `registeredApp` = created with `Platform: mobile`, `ios` or `android`;",
  "`subscribedAfterPos` = a customer preregistered at the point of sale whose own first call from a frontend (`Platform` header) arrives later;",
  "`referrals` = new customers whose `customer.data.referredBy` is a non-empty value (counted besides their channel).",
].join(" ");

const productCounting = [
  "One row per (date, store, product) of orders (checkbooks and full-balance vouchers with `detail` lines), ordered by date, store name and `codProduct` (the product's `externalId`).",
  "`numOrders`: orders with the product; `numProducts`: its lines in those orders; `pointEarnedOrders` / `pointEarnedCoupons` / `pointEarnedBalance`: points its lines earned (positive `earnedRedeemed`),",
  "by the order type's category; `pointRedeemed` and `numRedeemed`: points its lines redeemed and how many such lines (negative `earnedRedeemed`, or any line of an order that redeems:",
  "a checkbook whose `earnedRedeemed` is negative, a full-balance voucher).",
  "Only POINTS orders count; reversals are reported in the stores report, not here.",
].join(" ");

export const storeSummaryRoute = route({
  method: "get",
  path: "/api/report/dailySummary/stores",
  tags: reportTags,
  summary: "Reporte de puntos por tienda",
  description: `${storeCounting} ${rules}`,
  request: { query: ReportQuery },
  responses: {
    200: { description: "The rows.", content: { "application/json": { schema: ok(z.array(StoreDay), "LoyaltyStoreSummaryResponse") } } },
    ...reportErrors,
  },
});

export const productSummaryRoute = route({
  method: "get",
  path: "/api/report/dailySummary/products",
  tags: reportTags,
  summary: "Reporte de puntos por productos",
  description: `${productCounting} ${rules}`,
  request: { query: ReportQuery },
  responses: {
    200: { description: "The rows.", content: { "application/json": { schema: ok(z.array(ProductDay), "LoyaltyProductSummaryResponse") } } },
    ...reportErrors,
  },
});

export const oauthTokenRoute = route({
  method: "post",
  path: "/oauth/token",
  tags: ["Loyalty: OAuth2"],
  security: [],
  middleware: [],
  summary: "Obtener token de acceso (client credentials)",
  description: [
    "Trades a partner credential for a Bearer token (HS256 JWT, lifetime TOKEN_TTL_SECONDS, default one year as the seed shows).",
    "Accepted exactly as seed 003 shows (JSON body with numeric `client_id`) and as RFC 6749 clients send it:",
    "`application/x-www-form-urlencoded` bodies and HTTP Basic client authentication (`Authorization: Basic base64(client_id:client_secret)`).",
    "Using Basic and body credentials together is refused (400).",
    'Wrong secret, unknown or revoked credential, or a kiosk credential -> 401 (`error: ["invalid_client"]`);',
    'a grant type other than `client_credentials` -> 400 (`error: ["unsupported_grant_type"]`).',
    "Failed attempts are limited per client IP (OAUTH_FAILURE_LIMIT per OAUTH_FAILURE_WINDOW_SECONDS) -> 429 with Retry-After; the limiter is a brake on guessing, not a gate: if it cannot be reached, tokens are still issued.",
    "Revoking the credential (`DELETE /admin/credentials/{client_id}`) stops its tokens immediately.",
  ].join(" "),
  request: {
    body: {
      content: { "application/json": { schema: TokenRequest }, "application/x-www-form-urlencoded": { schema: TokenRequest } },
      required: false,
    },
  },
  responses: {
    200: { description: "Token issued.", content: { "application/json": { schema: TokenResponse } } },
    ...loyaltyErrors({
      400: "Unsupported grant type, or two client authentication methods at once.",
      401: "Invalid client credentials.",
      413: "Body too large.",
      415: "Content type is neither JSON nor form-encoded.",
      422: "Missing or ill-typed fields (Error de Validacion).",
      429: "Too many failed attempts from this IP.",
    }),
  },
});
