import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import { rebuildReportCounters } from "../../core/report-rebuild";
import type { AppEnv } from "../../http/app-env";
import { adminAuth } from "../../http/auth";
import { adminErrors } from "./envelope";
import { IdParam } from "./schemas";

const RebuildResult = z
  .object({
    transactions: z.number().int().openapi({ description: "Ledger transactions read." }),
    storeRows: z.number().int().openapi({ description: "(day, store) counter rows written." }),
    productRows: z.number().int().openapi({ description: "(day, store, product) counter rows written." }),
  })
  .openapi("ReportRebuildResult");

export const rebuildReportsRoute = createRoute({
  method: "post",
  path: "/admin/tenants/{id}/reports/rebuild",
  tags: ["Admin (provisioning)"],
  security: [{ adminToken: [] }],
  summary: "Recompute a tenant's loyalty report counters from its ledger",
  description:
    "Reads the tenant's whole ledger (in pages, up to its latest transaction when the rebuild starts) and recomputes the daily counters of " +
    "`/api/report/dailySummary/*` by the same rules the incremental counters follow, in the tenant's current time zone (run it after changing the zone), " +
    "then replaces the counters in one atomic batch, only if no transaction of the tenant was written meanwhile; otherwise it starts over, " +
    "and after 3 tries answers 503 (try again when the tenant is quieter). Idempotent. No body.",
  middleware: [adminAuth] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "Rebuilt.", content: { "application/json": { schema: RebuildResult } } },
    ...adminErrors({ 401: "Missing or wrong admin token.", 404: "Unknown tenant.", 503: "The ledger kept changing; try again." }),
  },
});

export const rebuildReports: RouteHandler<typeof rebuildReportsRoute, AppEnv> = async (c) =>
  c.json(await rebuildReportCounters(c.get("db"), c.req.valid("param").id), 200);
