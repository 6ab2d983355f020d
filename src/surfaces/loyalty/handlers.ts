import type { RouteHandler, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type ExpirationInput, type PostInput, postTransaction, reverseTransactions, transferPoints } from "../../core/ledger/posting";
import {
  type Channel,
  customerByExternalId,
  customerHistory,
  customerTransactionsBetween,
  defaultGroup,
  findLedgerCustomer,
  openLots,
  transactionsByCode,
  transactionsByIds,
} from "../../core/ledger/queries";
import type { OrderLine } from "../../core/ledger/statements";
import { isFrontend } from "../../core/reports/counters";
import { dailyProductSummary, dailyStoreSummary } from "../../core/reports/summaries";
import { verifyClientSecret } from "../../core/tenants/credentials";
import { issueAccessToken } from "../../core/tenants/tokens";
import type { AppEnv } from "../../http/app-env";
import { signingKeys } from "../../http/auth";
import { RequestError } from "../../http/errors";
import { clientIp, enforceRateLimitFailOpen } from "../../http/rate-limit";
import { loyaltyOk } from "./envelope";
import {
  type CustomerExtras,
  renderCustomer,
  renderDefaultGroup,
  renderFoundCustomer,
  renderLot,
  renderProductDay,
  renderStoreDay,
  renderTransaction,
  type TransactionEndpoint,
} from "./render";
import type {
  byCodeRoute,
  createCheckbookRoute,
  createTransactionRoute,
  defaultGroupRoute,
  findCustomerRoute,
  historyRoute,
  lotsRoute,
  oauthTokenRoute,
  pointsRoute,
  productSummaryRoute,
  redeemFullBalanceRoute,
  reloadsRoute,
  reverseManyRoute,
  reverseRoute,
  storeSummaryRoute,
  transferRoute,
} from "./routes";
import type { CheckbookBody } from "./schemas";

function channelOf(c: Context<AppEnv>): Channel {
  const platform = c.req.header("platform")?.trim().toLowerCase();
  return isFrontend(platform) ? platform : "loyalty";
}

/** The extras the caller opted into for the response's customer blocks (`include=group`). */
function extrasOf(query: { include?: "group" }): CustomerExtras {
  return { group: query.include === "group" };
}

function expirationOf(value: string | null | undefined): ExpirationInput | null {
  if (!value) return null;
  const [date, time] = value.split(" ");
  return { date: date!, time };
}

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
  };
  return loyaltyOk(c, await postAndRender(c, input, "POST /api/transaction", extrasOf(c.req.valid("query"))));
};

async function postAndRender<E extends TransactionEndpoint>(c: Context<AppEnv>, input: PostInput, endpoint: E, extras: CustomerExtras) {
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const posted = await postTransaction(db, tenantId, input, channelOf(c));
  // A new posting comes back with its view; a replay reads the original.
  const view = posted.view ?? (await transactionsByIds(db, tenantId, [posted.transactionId]))[0]!;
  return renderTransaction(view, endpoint, extras);
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
  };
}

export const createCheckbook: RouteHandler<typeof createCheckbookRoute, AppEnv> = async (c) =>
  loyaltyOk(c, await postAndRender(c, checkbookInput(c.req.valid("json"), "checkbook"), "POST /api/transaction/checkbook", extrasOf(c.req.valid("query"))));

export const redeemFullBalance: RouteHandler<typeof redeemFullBalanceRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const posted = await postTransaction(db, tenantId, checkbookInput(body, "voucher"), channelOf(c));
  const customer = posted.view?.customer ?? (await customerByExternalId(db, tenantId, body.customer.externalId));
  return loyaltyOk(c, renderCustomer(customer, extrasOf(c.req.valid("query"))));
};

export const reverse: RouteHandler<typeof reverseRoute, AppEnv> = async (c) => {
  const { type, code } = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const [view] = await reverseTransactions(db, tenantId, type, [code], true);
  return loyaltyOk(c, renderTransaction(view!, "POST /api/transaction/reverse", extrasOf(c.req.valid("query"))));
};

export const reverseMany: RouteHandler<typeof reverseManyRoute, AppEnv> = async (c) => {
  const { type, codes } = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const views = await reverseTransactions(db, tenantId, type, codes, false);
  const extras = extrasOf(c.req.valid("query"));
  return loyaltyOk(
    c,
    views.map((view) => renderTransaction(view, "POST /api/transaction/reverseMany", extras)),
  );
};

export const transfer: RouteHandler<typeof transferRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const { debitId, creditId, views } = await transferPoints(
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
  const [from, to] = views ?? (await transactionsByIds(db, tenantId, [debitId, creditId]));
  const extras = extrasOf(c.req.valid("query"));
  return loyaltyOk(c, {
    from: renderTransaction(from!, "POST /api/transaction/transfer", extras),
    to: renderTransaction(to!, "POST /api/transaction/transfer", extras),
  });
};

export const history: RouteHandler<typeof historyRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const views = await customerHistory(c.get("db"), c.get("principal").tenantId, query.customerId, query.page, query.asOf);
  return c.json({ data: views.map((view) => renderTransaction(view, "GET /api/transaction/history", extrasOf(query))) }, 200);
};

export const byCode: RouteHandler<typeof byCodeRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const views = await transactionsByCode(c.get("db"), c.get("principal").tenantId, query.type, query.code);
  return loyaltyOk(
    c,
    views.map((view) => renderTransaction(view, "GET /api/transaction/transactionByCode", extrasOf(query))),
  );
};

export const reloads: RouteHandler<typeof reloadsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const views = await customerTransactionsBetween(c.get("db"), c.get("principal").tenantId, { ...query, kind: "reloads" });
  return loyaltyOk(
    c,
    views.map((view) => renderTransaction(view, "GET /api/transaction/reloadsByCustomer", extrasOf(query))),
  );
};

export const points: RouteHandler<typeof pointsRoute, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const views = await customerTransactionsBetween(c.get("db"), c.get("principal").tenantId, { ...query, kind: "points" });
  return loyaltyOk(
    c,
    views.map((view) => renderTransaction(view, "GET /api/transaction/pointsByCustomer", extrasOf(query))),
  );
};

export const lots: RouteHandler<typeof lotsRoute, AppEnv> = async (c) => {
  const open = await openLots(c.get("db"), c.get("principal").tenantId, c.req.valid("query").customerId);
  return c.json({ data: open.map(renderLot) }, 200);
};

export const getDefaultGroup: RouteHandler<typeof defaultGroupRoute, AppEnv> = async (c) => {
  const { group, next } = await defaultGroup(c.get("db"), c.get("principal").tenantId);
  return loyaltyOk(c, renderDefaultGroup(group, next), "Proceso exitoso");
};

export const findCustomer: RouteHandler<typeof findCustomerRoute, AppEnv> = async (c) => {
  const found = await findLedgerCustomer(c.get("db"), c.get("principal").tenantId, c.req.valid("query").externalId);
  return c.json({ code: "200", status: "success", message: "Ok", data: renderFoundCustomer(found) }, 200);
};

export const storeSummary: RouteHandler<typeof storeSummaryRoute, AppEnv> = async (c) => {
  const { startDate, endDate } = c.req.valid("query");
  const rows = await dailyStoreSummary(c.get("db"), c.get("principal").tenantId, startDate, endDate);
  return loyaltyOk(c, rows.map(renderStoreDay), "Proceso exitoso");
};

export const productSummary: RouteHandler<typeof productSummaryRoute, AppEnv> = async (c) => {
  const { startDate, endDate } = c.req.valid("query");
  const rows = await dailyProductSummary(c.get("db"), c.get("principal").tenantId, startDate, endDate);
  return loyaltyOk(c, rows.map(renderProductDay), "Proceso exitoso");
};

export const oauthToken: RouteHandler<typeof oauthTokenRoute, AppEnv> = async (c) => {
  const isForm = /^application\/x-www-form-urlencoded/i.test(c.req.header("content-type") ?? "");
  const body = isForm ? c.req.valid("form") : c.req.valid("json");
  const basic = basicCredentials(c.req.header("authorization"));

  const failureRule = {
    key: `oauth-failures:${clientIp(c)}`,
    limit: Number(c.env.OAUTH_FAILURE_LIMIT),
    windowSeconds: Number(c.env.OAUTH_FAILURE_WINDOW_SECONDS),
  };
  await enforceRateLimitFailOpen(c, { ...failureRule, cost: 0 });

  if (body.grant_type === undefined) throw new RequestError("invalid", "Invalid input", { grant_type: ["The grant_type field is required."] });
  if (basic && (body.client_id !== undefined || body.client_secret !== undefined)) {
    throw oauthError(400, "invalid_request", "Use one client authentication method: HTTP Basic or body parameters, not both.");
  }
  const clientId = basic ? basic.clientId : body.client_id;
  const clientSecret = basic ? basic.clientSecret : body.client_secret;
  if (!basic) {
    const missing: Record<string, string[]> = {};
    if (clientId === undefined) missing.client_id = ["The client_id field is required."];
    if (clientSecret === undefined) missing.client_secret = ["The client_secret field is required."];
    if (Object.keys(missing).length > 0) throw new RequestError("invalid", "Invalid input", missing);
  }
  if (body.grant_type !== "client_credentials") {
    throw oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
  }

  const principal = clientId === undefined || clientSecret === undefined ? null : await verifyClientSecret(c.get("db"), clientId, clientSecret);
  if (principal?.kind !== "partner") {
    await enforceRateLimitFailOpen(c, failureRule);
    if (basic) c.header("WWW-Authenticate", 'Basic realm="ficha"');
    throw oauthError(401, "invalid_client", "Client authentication failed");
  }

  const ttl = Number(c.env.TOKEN_TTL_SECONDS);
  const accessToken = await issueAccessToken(principal, signingKeys(c.env), ttl);
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
  return c.json({ token_type: "Bearer" as const, expires_in: ttl, access_token: accessToken }, 200);
};

function oauthError(status: 400 | 401, oauthError: string, message: string): RequestError {
  return new RequestError(status === 401 ? "unauthenticated" : "rejected", message, {}, { oauthError });
}

/** Client id and secret from `Authorization: Basic`, form-urlencoded inside base64 (RFC 6749 §2.3.1). */

function basicCredentials(header: string | undefined): { clientId: number | undefined; clientSecret: string } | null {
  const encoded = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? "")?.[1];
  if (!encoded) return null;
  let decoded: string;
  try {
    decoded = atob(encoded);
  } catch {
    return { clientId: undefined, clientSecret: "" };
  }
  const colon = decoded.indexOf(":");
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replaceAll("+", " "));
    } catch {
      return "";
    }
  };
  const id = decode(colon < 0 ? decoded : decoded.slice(0, colon));
  const clientId = /^\d{1,15}$/.test(id) ? Number(id) : undefined;
  return { clientId, clientSecret: colon < 0 ? "" : decode(decoded.slice(colon + 1)) };
}
