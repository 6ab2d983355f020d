import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import {
  customerHistory,
  customerTransactionsBetween,
  defaultGroup,
  findLoyaltyCustomer,
  HISTORY_PAGE_SIZE,
  OPEN_LOTS_LIMIT,
  openLots,
  RANGE_QUERY_LIMIT,
  transactionsByCode,
} from "../../core/ledger-queries";
import type { AppEnv } from "../../http/app-env";
import { bearerAuth } from "../../http/auth";
import { loyaltyErrors, loyaltyOk } from "./envelope";
import { renderGroup, renderLot, renderTransaction, renderUnit } from "./render";
import { ByCodeQuery, ByCustomerQuery, CustomerIdQuery, DefaultGroup, ExternalIdQuery, FoundCustomer, HistoryQuery, Lot, LoyaltyTransaction, ok } from "./schemas";

const security = [{ bearerAuth: [] }];
const errors = loyaltyErrors({
  401: "Missing, invalid or revoked token (Unauthenticated).",
  404: "No such customer or transaction for this tenant (another tenant's are answered the same way).",
  422: "Error de Validacion: `warning.field` names the first failing parameter.",
});
const quoting = "Query values may be wrapped in one pair of single quotes, as the seed's examples write them (`customerId='1716583941'`); the quotes are removed.";
const TransactionList = ok(z.array(LoyaltyTransaction), "LoyaltyTransactionList");

export const historyRoute = createRoute({
  method: "get",
  path: "/api/transaction/history",
  tags: ["Loyalty: transacciones"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Obtener Transacciones",
  description: [
    `The customer's transactions, newest first, ${HISTORY_PAGE_SIZE} per page; \`page\` is 1-based (default 1). \`customerId\` is the customer's \`externalId\` (the partner's identifier, as the seed's examples show).`,
    "Answered as the seed shows: `{data:[...]}` only. Pages are ranges of the customer's transaction numbers (each customer's transactions are numbered 1, 2, 3 … as they are written),",
    "so a page reads only its own rows however long the history is, and the order never ties or shuffles.",
    "Stable paging under concurrent inserts: pass `asOf` = the `id` of the first transaction of page 1 to count every page from that transaction (newer ones are left out), so no row shows up twice while paging.",
    "Unknown customer -> 404. A page past the end -> empty `data`.",
    quoting,
  ].join(" "),
  request: { query: HistoryQuery },
  responses: {
    200: { description: "One page.", content: { "application/json": { schema: z.object({ data: z.array(LoyaltyTransaction) }).openapi("LoyaltyHistory") } } },
    ...errors,
  },
});

export const history: RouteHandler<typeof historyRoute, AppEnv> = async (c) => {
  const { customerId, page, asOf } = c.req.valid("query");
  const views = await customerHistory(c.get("db"), c.get("principal").tenantId, customerId, page, asOf);
  return c.json({ data: views.map(renderTransaction) }, 200);
};

export const byCodeRoute = createRoute({
  method: "get",
  path: "/api/transaction/transactionByCode",
  tags: ["Loyalty: transacciones"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Obtener transacción por código",
  description: `The transaction of (\`type\`, \`code\`) followed by its reversal, if it was reversed (both halves of a transfer posted with a code). Unknown pair -> 404. ${quoting}`,
  request: { query: ByCodeQuery },
  responses: { 200: { description: "The transaction(s).", content: { "application/json": { schema: TransactionList } } }, ...errors },
});

export const byCode: RouteHandler<typeof byCodeRoute, AppEnv> = async (c) => {
  const { type, code } = c.req.valid("query");
  const views = await transactionsByCode(c.get("db"), c.get("principal").tenantId, type, code);
  return loyaltyOk(c, views.map(renderTransaction));
};

const rangeRules = [
  "`document` is the customer's document number or, when no customer has that document, its loyalty `externalId`; unknown -> 404.",
  "`from` and `to` are local dates (`YYYY-MM-DD`) in the tenant's time zone, both inclusive; `to` before `from` -> 422 on `to`.",
  `Newest first, at most ${RANGE_QUERY_LIMIT} transactions.`,
  quoting,
].join(" ");

export const reloadsRoute = createRoute({
  method: "get",
  path: "/api/transaction/reloadsByCustomer",
  tags: ["Loyalty: transacciones"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Obtener transacción de recargas por cliente",
  description: `The customer's COINS reloads ("recargas": transactions of a reload type such as BALANCE RELOAD, not their reversals) in the date range. ${rangeRules}`,
  request: { query: ByCustomerQuery },
  responses: { 200: { description: "The reloads.", content: { "application/json": { schema: TransactionList } } }, ...errors },
});

export const reloads: RouteHandler<typeof reloadsRoute, AppEnv> = async (c) => {
  const views = await customerTransactionsBetween(c.get("db"), c.get("principal").tenantId, { ...c.req.valid("query"), kind: "reloads" });
  return loyaltyOk(c, views.map(renderTransaction));
};

export const pointsRoute = createRoute({
  method: "get",
  path: "/api/transaction/pointsByCustomer",
  tags: ["Loyalty: transacciones"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Obtener transacción de puntos por cliente",
  description: `Every POINTS transaction of the customer (credits, debits, reversals, transfers, expirations) in the date range. ${rangeRules}`,
  request: { query: ByCustomerQuery },
  responses: { 200: { description: "The POINTS transactions.", content: { "application/json": { schema: TransactionList } } }, ...errors },
});

export const points: RouteHandler<typeof pointsRoute, AppEnv> = async (c) => {
  const views = await customerTransactionsBetween(c.get("db"), c.get("principal").tenantId, { ...c.req.valid("query"), kind: "points" });
  return loyaltyOk(c, views.map(renderTransaction));
};

export const lotsRoute = createRoute({
  method: "get",
  path: "/api/batch/expiration",
  tags: ["Loyalty: lotes"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Obtener Lotes Activos",
  description: [
    "The customer's open lots (something left to spend), in the order debits consume them: POINTS first, first-expiring-first; COINS lots (which never expire) last.",
    `At most ${OPEN_LOTS_LIMIT}. Answered as the seed shows: \`{data:[...]}\` only. Each lot: \`id\`, \`total_amount\` (what remains, two decimals), \`unit\`,`,
    "`batch object` (the seed's key, with a space): `id` = the transaction that opened the lot, `start_date` = when it opened, `end_date` \"null\", `expiration_date` (tenant's time zone; \"null\" when it never expires),",
    "and `set_name` (the opening type's set, e.g. PROMOCIONAL for coupons).",
    "`customerId` is the customer's `externalId`; unknown -> 404.",
    quoting,
  ].join(" "),
  request: { query: CustomerIdQuery },
  responses: {
    200: { description: "The open lots.", content: { "application/json": { schema: z.object({ data: z.array(Lot) }).openapi("LoyaltyLots") } } },
    ...errors,
  },
});

export const lots: RouteHandler<typeof lotsRoute, AppEnv> = async (c) => {
  const open = await openLots(c.get("db"), c.get("principal").tenantId, c.req.valid("query").customerId);
  return c.json({ data: open.map(renderLot) }, 200);
};

export const defaultGroupRoute = createRoute({
  method: "get",
  path: "/api/group/default",
  tags: ["Loyalty: grupos"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Api de grupos",
  description:
    "The tenant's entry tier (seeded: AMIGO, then BUEN AMIGO at 1,000 lifetime POINTS earned) with `group_rules` (the units whose earnings count towards tiers: POINTS) " +
    "and `next_group` (\"null\" at the top). Customers move up by lifetime POINTS earned through earning types (coupons, orders, balance), less reversals of those; transfers and spending never lower a tier.",
  responses: { 200: { description: "The default tier.", content: { "application/json": { schema: ok(DefaultGroup, "LoyaltyGroupResponse") } } }, ...errors },
});

export const getDefaultGroup: RouteHandler<typeof defaultGroupRoute, AppEnv> = async (c) => {
  const { group, next } = await defaultGroup(c.get("db"), c.get("principal").tenantId);
  return loyaltyOk(
    c,
    { id: String(group.id), name: group.name, description: group.description, group_rules: [renderUnit("POINTS")], next_group: renderGroup(next) },
    "Proceso exitoso",
  );
};

export const findCustomerRoute = createRoute({
  method: "get",
  path: "/api/customer/findByExternalId",
  tags: ["Loyalty: clientes"],
  security,
  middleware: [bearerAuth] as const,
  summary: "Verificar si existe un cliente por su externalId",
  description:
    "Whether the tenant has an active customer with this loyalty `externalId`. Answered as the seed shows: `{code, status, message:\"Ok\", data}` with `data` = " +
    "`{exists, id (number), external_id, name, data}` (`data` is the customer's stored `data` block, as sent when it was created). " +
    `Unknown (or another tenant's) -> 200 with \`exists:false\` and the other fields null. ${quoting}`,
  request: { query: ExternalIdQuery },
  responses: { 200: { description: "Whether it exists.", content: { "application/json": { schema: FoundCustomer } } }, ...errors },
});

export const findCustomer: RouteHandler<typeof findCustomerRoute, AppEnv> = async (c) => {
  const found = await findLoyaltyCustomer(c.get("db"), c.get("principal").tenantId, c.req.valid("query").externalId);
  const data = found
    ? { exists: true, id: found.id, external_id: found.externalId, name: found.name, data: found.data }
    : { exists: false, id: null, external_id: null, name: null, data: null };
  return c.json({ code: "200", status: "success", message: "Ok", data }, 200);
};
