import type { MiddlewareHandler } from "hono";
import { withOutbox } from "../core/events/outbox";
import { announceEvents } from "../core/webhooks/delivery";
import type { AppEnv } from "./app-env";

/**
 * Announces to the webhook queue the tenants whose events the request committed, after
 * the response is sent (`waitUntil`): the events rode the write's own batch, and the
 * announcement costs the request neither a D1 round trip nor waiting. If it is lost, the
 * webhook sweep finds the events within minutes.
 */
export const announceCommittedEvents: MiddlewareHandler<AppEnv> = async (c, next) => {
  const tenants = new Set<number>();
  await withOutbox((tenantId) => tenants.add(tenantId), next);
  if (tenants.size > 0) c.executionCtx.waitUntil(announceEvents(c.env.WEBHOOKS, tenants));
};
