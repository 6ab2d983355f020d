import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import { dailyProductSummary, dailyStoreSummary, REPORT_MAX_DAYS, REPORT_ROW_LIMIT } from "../../core/reports";
import { addDays, isCalendarDate } from "../../core/local-time";
import type { AppEnv } from "../../http/app-env";
import { bearerAuth } from "../../http/auth";
import { loyaltyErrors, loyaltyOk } from "./envelope";
import { ok, QueryDate } from "./schemas";

const tags = ["Loyalty: reportes"];
const security = [{ bearerAuth: [] }];
const errors = loyaltyErrors({
  401: "Missing, invalid or revoked token (Unauthenticated).",
  422: "Error de Validacion: `warning.field` names the first failing parameter (`startDate` or `endDate`).",
});

const bothDates = (q: { startDate: string; endDate: string }) => isCalendarDate(q.startDate) && isCalendarDate(q.endDate);

const ReportQuery = z
  .object({
    startDate: QueryDate.openapi({ type: "string", example: "2018-07-01" }),
    endDate: QueryDate.openapi({ type: "string", example: "2018-07-30" }),
  })
  // Each rule holds vacuously until both dates are valid (their own errors are reported first).
  .refine((q) => !bothDates(q) || q.startDate <= q.endDate, { path: ["endDate"], error: "The endDate field must be a date after or equal to startDate." })
  .refine((q) => !bothDates(q) || addDays(q.startDate, REPORT_MAX_DAYS - 1) >= q.endDate, {
    path: ["endDate"],
    error: `The date range must not exceed ${REPORT_MAX_DAYS} days.`,
  });

const rules = [
  "`startDate` and `endDate` are days in the tenant's time zone (`YYYY-MM-DD`), both included; `endDate` before `startDate`, or a range longer than",
  `${REPORT_MAX_DAYS} days, -> 422 on \`endDate\`. The seed's examples quote the values (\`'2018-07-01’\`): a value wrapped in one pair of quotes (' \" ‘ ’ “ ”) is read without them;`,
  "anything that is not then exactly a calendar date `YYYY-MM-DD` (a lone quote, `2018-7-1`, `2018-02-30`) -> 422 naming the parameter.",
  "`date` is the local day; `week` is numbered as the seed's examples show (2018-07-12 is week 27, 2018-07-20 week 28): MySQL's `WEEK(date)`, weeks starting on Sunday,",
  "week 1 being the one with the year's first Sunday and the days before it week 0 (ISO-8601 would say 28 and 29). Points are numbers of points (two decimals at most), counts are integers.",
  "Answered from per-day counters kept in the same atomic write as every ledger entry (so a report never sees half a transaction and reads only the rows it returns, however many transactions the days hold);",
  "only days with activity have rows. A transaction's day is the local day when it was written (a transaction at 23:30 local counts on that day).",
  `At most ${REPORT_ROW_LIMIT} rows: a range holding more -> 422 on \`endDate\` (ask for a shorter range).`,
  "`store` is the store's name (its `externalId` when it has none) or \"null\" for activity without a store.",
].join(" ");

const storeCounting = [
  "One row per (date, store), ordered by date then store name. Only POINTS count; COINS and transfers move no column.",
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

const points = (hundredths: number) => hundredths / 100;

const StoreDay = z
  .object({
    date: z.string(),
    week: z.number().int(),
    store: z.string(),
    preregisteredPos: z.number().int(),
    subscribedAfterPos: z.number().int(),
    registeredApp: z.number().int(),
    registeredWeb: z.number().int(),
    referrals: z.number().int(),
    pointEarnedOrders: z.number(),
    pointEarnedCoupons: z.number(),
    pointEarnedBalance: z.number(),
    pointRedeemed: z.number(),
    pointExpired: z.number(),
    pointReversedCoupon: z.number(),
    pointReversedOrder: z.number(),
  })
  .openapi("LoyaltyStoreDaySummary");

const ProductDay = z
  .object({
    date: z.string(),
    week: z.number().int(),
    store: z.string(),
    codProduct: z.string(),
    numOrders: z.number().int(),
    numProducts: z.number().int(),
    pointRedeemed: z.number(),
    pointEarnedOrders: z.number(),
    pointEarnedCoupons: z.number(),
    pointEarnedBalance: z.number(),
    numRedeemed: z.number().int(),
  })
  .openapi("LoyaltyProductDaySummary");

export const storeSummaryRoute = createRoute({
  method: "get",
  path: "/api/report/dailySummary/stores",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Reporte de puntos por tienda",
  description: `${storeCounting} ${rules}`,
  request: { query: ReportQuery },
  responses: { 200: { description: "The rows.", content: { "application/json": { schema: ok(z.array(StoreDay), "LoyaltyStoreSummaryResponse") } } }, ...errors },
});

export const storeSummary: RouteHandler<typeof storeSummaryRoute, AppEnv> = async (c) => {
  const { startDate, endDate } = c.req.valid("query");
  const rows = await dailyStoreSummary(c.get("db"), c.get("principal").tenantId, startDate, endDate);
  return loyaltyOk(
    c,
    rows.map(({ date, week, store, counters: n }) => ({
      date,
      week,
      store: store ?? "null",
      preregisteredPos: n.preregisteredPos,
      subscribedAfterPos: n.subscribedAfterPos,
      registeredApp: n.registeredApp,
      registeredWeb: n.registeredWeb,
      referrals: n.referrals,
      pointEarnedOrders: points(n.pointEarnedOrders),
      pointEarnedCoupons: points(n.pointEarnedCoupons),
      pointEarnedBalance: points(n.pointEarnedBalance),
      pointRedeemed: points(n.pointRedeemed),
      pointExpired: points(n.pointExpired),
      pointReversedCoupon: points(n.pointReversedCoupon),
      pointReversedOrder: points(n.pointReversedOrder),
    })),
    "Proceso exitoso",
  );
};

export const productSummaryRoute = createRoute({
  method: "get",
  path: "/api/report/dailySummary/products",
  tags,
  security,
  middleware: [bearerAuth] as const,
  summary: "Reporte de puntos por productos",
  description: `${productCounting} ${rules}`,
  request: { query: ReportQuery },
  responses: { 200: { description: "The rows.", content: { "application/json": { schema: ok(z.array(ProductDay), "LoyaltyProductSummaryResponse") } } }, ...errors },
});

export const productSummary: RouteHandler<typeof productSummaryRoute, AppEnv> = async (c) => {
  const { startDate, endDate } = c.req.valid("query");
  const rows = await dailyProductSummary(c.get("db"), c.get("principal").tenantId, startDate, endDate);
  return loyaltyOk(
    c,
    rows.map(({ date, week, store, product, counters: n }) => ({
      date,
      week,
      store: store ?? "null",
      codProduct: product,
      numOrders: n.numOrders,
      numProducts: n.numProducts,
      pointRedeemed: points(n.pointRedeemed),
      pointEarnedOrders: points(n.pointEarnedOrders),
      pointEarnedCoupons: points(n.pointEarnedCoupons),
      pointEarnedBalance: points(n.pointEarnedBalance),
      numRedeemed: n.numRedeemed,
    })),
    "Proceso exitoso",
  );
};
