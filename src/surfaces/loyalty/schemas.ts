import { z } from "@hono/zod-openapi";
import { REPORT_MAX_DAYS } from "../../core/reports/summaries";
import { addDays, isCalendarDate } from "../../core/time";
import { laravelPageParam } from "../../http/laravel";

/**
 * Seed 003's request and response shapes. Amounts arrive as JSON numbers with at most
 * two decimals and are handled as integers in hundredths; identifiers may be strings or
 * non-negative integers (kept as strings); optional fields may be null.
 */

/** Most that one amount may be (in units): keeps every sum far inside exact integers. */
export const MAX_AMOUNT = 1_000_000_000;

const hundredths = (value: number) => Math.round(value * 100);
const hasTwoDecimals = (value: number) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;

/** A positive amount (at least 0.01), in hundredths. */
export const PositiveAmount = z
  .number()
  .min(0.01)
  .max(MAX_AMOUNT)
  .refine(hasTwoDecimals, { error: "The amount must have at most two decimals." })
  .transform(hundredths)
  .openapi({ type: "number", example: 100 });

/** An amount of zero or more, in hundredths. */
export const Amount = z
  .number()
  .min(0)
  .max(MAX_AMOUNT)
  .refine(hasTwoDecimals, { error: "The amount must have at most two decimals." })
  .transform(hundredths)
  .openapi({ type: "number", example: 100 });

/** Points earned (+) or redeemed (-), in hundredths. */
export const SignedAmount = z
  .number()
  .min(-MAX_AMOUNT)
  .max(MAX_AMOUNT)
  .refine(hasTwoDecimals, { error: "The amount must have at most two decimals." })
  .transform(hundredths)
  .openapi({ type: "number", example: 20 });

/** A partner identifier: a non-empty string (trimmed, at most 191 characters) or a non-negative integer. */
export const Identifier = z
  .preprocess((v) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? String(v) : v), z.string().trim().min(1).max(191))
  .openapi({ type: "string", example: "0100037894" });

const Name = z.string().trim().max(255);
const Text = z.string().max(1000);

const CustomerData = z.record(z.string(), z.unknown()).openapi({
  example: { vendorId: "1", businessOwner: "2", giftCardAmount: "4", giftCardType: "MONETARY" },
});

export const CustomerBlock = z.object({ externalId: Identifier, name: Name, data: CustomerData.nullish() });
/** `POST /api/transaction` requires the customer's `data` block, as the seed's schema does. */
export const CustomerBlockWithData = z.object({ externalId: Identifier, name: Name, data: CustomerData });
const StoreBlock = z.object({ externalId: Identifier, name: Name.nullish() });

/** `YYYY-MM-DD`, or `YYYY-MM-DD HH:mm:ss`, a local time in the tenant's zone. */
export const ExpirationDate = z
  .string()
  .refine(
    (v) => {
      const match = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(v);
      return !!match && isCalendarDate(match[1]!) && (match[2] === undefined || (Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4]) < 60));
    },
    { error: "The expirationDate field must be a valid date (YYYY-MM-DD or YYYY-MM-DD HH:mm:ss)." },
  )
  .openapi({ example: "2018-06-03" });

const Type = z.string().trim().min(1).max(64).openapi({ example: "POINTS COUPON" });
const Code = z.string().trim().min(1).max(191).openapi({ example: "Bienvenido" });

export const TransactionBody = z
  .object({
    type: Type,
    code: Code.nullish(),
    externalId: Identifier.nullish(),
    expirationDate: ExpirationDate.nullish(),
    title: Name.nullish(),
    description: Text,
    total: PositiveAmount,
    customer: CustomerBlockWithData,
    store: StoreBlock.nullish(),
    vendor: StoreBlock.nullish(),
    checkbookId: Identifier.nullish(),
    transferTransactionId: Identifier.nullish(),
  })
  .openapi("LoyaltyTransactionRequest");

const DetailLine = z.object({
  name: Name,
  externalId: Identifier,
  total: Amount,
  earnedRedeemed: SignedAmount.nullish(),
});

export const CheckbookBody = z
  .object({
    type: Type.openapi({ example: "POINTS ORDER" }),
    customer: CustomerBlock,
    code: Code,
    externalId: Identifier,
    total: Amount,
    earnedRedeemed: SignedAmount.nullish(),
    store: z.object({ externalId: Identifier, name: Name }),
    title: Name.nullish(),
    detail: z.union([DetailLine, z.array(DetailLine).max(100)]).nullish(),
  })
  .openapi("LoyaltyCheckbookRequest");

export const ReverseBody = z.object({ type: Type.openapi({ example: "POINTS ORDER" }), code: Code }).openapi("LoyaltyReverseRequest");

export const ReverseManyBody = z
  .object({
    type: Type.openapi({ example: "POINTS ORDER" }),
    codes: z
      .array(Code)
      .min(1)
      .max(100)
      .openapi({ example: ["Bienvenido3", "Bienvenido4"] }),
  })
  .openapi("LoyaltyReverseManyRequest");

export const TransferBody = z
  .object({
    type: Type.openapi({ example: "BALANCE TRANSFER DEBIT" }),
    total: PositiveAmount,
    title: Name.nullish(),
    code: Code.nullish(),
    customerFrom: z.object({ externalId: Identifier, name: Name }),
    customerTo: z.object({ externalId: Identifier, name: Name }),
  })
  .openapi("LoyaltyTransferRequest");

/** Quote characters the seed wraps its query examples in (`'1716583941'`, `'2018-07-01’` mixes a straight and a curly one). */
const QUOTES = "'\"‘’“”";

/**
 * A query value as the seed writes its examples: one pair of quotes (any of ' " ‘ ’ “ ”
 * on each side) around the whole value is removed; anything else is taken as is.
 */
export const unquoted = (value: unknown) =>
  typeof value === "string" && value.length > 2 && QUOTES.includes(value[0]!) && QUOTES.includes(value.at(-1)!) ? value.slice(1, -1) : value;

const QueryText = z.preprocess(unquoted, z.string().trim().min(1).max(191));
/** A calendar date (`YYYY-MM-DD`) once its quotes are removed; the seed's truncated `'2018`, `2018-7-1` or `2018-02-30` are refused. */
export const QueryDate = z.preprocess(unquoted, z.string().min(1).refine(isCalendarDate, { error: "The date must be a valid date (YYYY-MM-DD)." }));

/**
 * The opt-in extras of a response's customer blocks (`include=group`: the customer's tier).
 * The seed's blocks have no other keys, and strict clients fail on unknown ones.
 */
export const Include = z.preprocess(unquoted, z.enum(["group"]).optional()).openapi({
  param: { name: "include", in: "query" },
  type: "string",
  enum: ["group"],
  description:
    "Opt-in: `group` adds `group`, the customer's tier (from lifetime POINTS earned), to every customer block of the response. Off by default: the seed's customer block is `{id, externalId, name, totals}` exactly.",
});
export const IncludeQuery = z.object({ include: Include });

export const HistoryQuery = z.object({
  customerId: QueryText.openapi({ type: "string", example: "1716583941" }),
  page: z.preprocess(unquoted, laravelPageParam("1-based page number (default 1).")),
  asOf: z.preprocess(unquoted, z.coerce.number().int().min(1).optional()).openapi({ type: "integer", example: 7874 }),
  include: Include,
});

export const ByCodeQuery = z.object({
  code: QueryText.openapi({ type: "string", example: "Bienvenido732" }),
  type: QueryText.openapi({ type: "string", example: "POINTS COUPON" }),
  include: Include,
});

export const ByCustomerQuery = z
  .object({
    document: QueryText.openapi({ type: "string", example: "0401591714" }),
    from: QueryDate.openapi({ type: "string", example: "2018-09-03" }),
    to: QueryDate.openapi({ type: "string", example: "2018-09-30" }),
    include: Include,
  })
  .refine((q) => q.from <= q.to, { path: ["to"], error: "The to field must be a date after or equal to from." });

export const CustomerIdQuery = z.object({ customerId: QueryText.openapi({ type: "string", example: "1716583941" }) });
export const ExternalIdQuery = z.object({ externalId: QueryText.openapi({ type: "string", example: "w0vww4g1ek" }) });

/* Responses. The seed renders absent values as the string "null". */

const Unit = z.object({ id: z.string(), name: z.string(), sign: z.string() }).openapi("LoyaltyUnit");
const Total = z.object({ id: z.string(), total_amount: z.string(), unit: Unit, batch: z.string(), set_name: z.string() }).openapi("LoyaltyTotal");
const Group = z.object({ id: z.string(), name: z.string(), description: z.string() }).openapi("LoyaltyGroupRef");
export const LoyaltyCustomer = z
  .object({
    id: z.string(),
    externalId: z.string(),
    name: z.string(),
    totals: z.array(Total),
    group: z
      .union([Group, z.literal("null")])
      .optional()
      .openapi({ description: 'Only with `include=group`: the customer\'s tier ("null" below the first). Not in the seed, which has no other keys here.' }),
  })
  .openapi("LoyaltyCustomer");
const Store = z.object({ id: z.string(), externalId: z.string(), name: z.string() }).openapi("LoyaltyStore");
const transactionFields = {
  id: z.string(),
  title: z.string(),
  description: z.string(),
  code: z.string(),
  external_entity_id: z.string(),
  type: z.enum(["CREDIT", "DEBIT"]),
  total: z.string(),
  created_at: z.string(),
  unit: Unit,
  customer: LoyaltyCustomer,
};
/** A transaction where the endpoint's schema declares `store` a string: always "null". */
export const LoyaltyTransaction = z
  .object({ ...transactionFields, store: z.literal("null") })
  .openapi("LoyaltyTransaction", { description: 'A transaction of an endpoint whose seed schema declares `store` a string: it is always "null".' });
/** A transaction where the endpoint's schema declares `store` an object. */
export const LoyaltyTransactionWithStore = z.object({ ...transactionFields, store: Store }).openapi("LoyaltyTransactionWithStore", {
  description: 'A transaction of an endpoint whose seed schema declares `store` an object (`id`, `externalId` and `name` "null" when it has no store).',
});

/** Seed 003's success envelope around `data`. */
export const ok = <T extends z.ZodType>(data: T, name: string) =>
  z
    .object({
      code: z.string().openapi({ example: "200" }),
      status: z.string().openapi({ example: "success" }),
      message: z.string(),
      data,
      warning: z.array(z.unknown()),
      error: z.array(z.unknown()),
    })
    .openapi(name);

export const Lot = z
  .object({
    id: z.string(),
    total_amount: z.string(),
    unit: Unit,
    "batch object": z.object({ id: z.string(), start_date: z.string(), end_date: z.string(), expiration_date: z.string() }),
    set_name: z.string(),
  })
  .openapi("LoyaltyLot");

export const DefaultGroup = z
  .object({ id: z.string(), name: z.string(), description: z.string(), group_rules: z.array(Unit), next_group: z.union([Group, z.literal("null")]) })
  .openapi("LoyaltyGroup");

export const FoundCustomer = z
  .object({
    code: z.string().openapi({ example: "200" }),
    status: z.string().openapi({ example: "success" }),
    message: z.string().openapi({ example: "Ok" }),
    data: z.object({ exists: z.boolean(), id: z.number().nullable(), external_id: z.string().nullable(), name: z.string().nullable(), data: z.unknown() }),
  })
  .openapi("LoyaltyFoundCustomer");

const bothDates = (q: { startDate: string; endDate: string }) => isCalendarDate(q.startDate) && isCalendarDate(q.endDate);

export const ReportQuery = z
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

export const StoreDay = z
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

export const ProductDay = z
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

export const TokenRequest = z
  .object({
    grant_type: z.string().max(64).openapi({ example: "client_credentials" }),
    client_id: z
      .union(
        [
          z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
          z
            .string()
            .regex(/^\d{1,15}$/)
            .transform(Number),
        ],
        {
          error: "The client_id field must be a number.",
        },
      )
      .optional()
      .openapi({ type: "number", example: 1 }),
    client_secret: z.string().max(512).optional().openapi({ example: "ghVW0PVbKRRBCo8uRt..." }),
  })
  .openapi("TokenRequest", {
    example: { grant_type: "client_credentials", client_id: 1, client_secret: "ghVW0PVbKRRBCo8uRt..." },
  });

export const TokenResponse = z
  .object({
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ example: 31536000 }),
    access_token: z.string().openapi({ example: "yJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImp0aSI6Ij..." }),
  })
  .openapi("TokenResponse");
