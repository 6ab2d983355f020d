import { createSurface, sealSurface } from "../../http/surface";
import { loyaltyEnvelope } from "./envelope";
import {
  byCode,
  createCheckbook,
  createTransaction,
  findCustomer,
  getDefaultGroup,
  history,
  lots,
  oauthToken,
  points,
  productSummary,
  redeemFullBalance,
  reloads,
  reverse,
  reverseMany,
  storeSummary,
  transfer,
} from "./handlers";
import {
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

/** Seed 003's paths; everything under them answers in the loyalty envelope. */
const prefixes = ["/oauth/*", "/api/transaction/*", "/api/report/*", "/api/batch/*", "/api/group/*", "/api/customer/*"];

/** Seed 003 (MS Loyalty API): OAuth2 tokens, the points/coins ledger, lots, tiers, customer look-up and daily reports. */
export const loyaltySurface = createSurface(loyaltyEnvelope, prefixes, { trailingSlash: "served" })
  .openapi(oauthTokenRoute, oauthToken)
  .openapi(createTransactionRoute, createTransaction)
  .openapi(createCheckbookRoute, createCheckbook)
  .openapi(reverseRoute, reverse)
  .openapi(reverseManyRoute, reverseMany)
  .openapi(transferRoute, transfer)
  .openapi(redeemFullBalanceRoute, redeemFullBalance)
  .openapi(historyRoute, history)
  .openapi(byCodeRoute, byCode)
  .openapi(reloadsRoute, reloads)
  .openapi(pointsRoute, points)
  .openapi(lotsRoute, lots)
  .openapi(defaultGroupRoute, getDefaultGroup)
  .openapi(findCustomerRoute, findCustomer)
  .openapi(storeSummaryRoute, storeSummary)
  .openapi(productSummaryRoute, productSummary);

sealSurface(loyaltySurface, prefixes);
