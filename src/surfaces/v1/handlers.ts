import type { RouteHandler } from "@hono/zod-openapi";
import { readEvents } from "../../core/events/feed";
import { webhookConfig } from "../../core/webhooks/config";
import { redeliver } from "../../core/webhooks/delivery";
import { createEndpoint, deleteEndpoint, listAttempts, listEndpoints, rotateSecret } from "../../core/webhooks/endpoints";
import type { AppEnv } from "../../http/app-env";
import { auditedAs } from "../../http/auth";
import { renderAttempt, renderCursor, renderEndpoint } from "./render";
import type {
  createEndpointRoute,
  deleteEndpointRoute,
  listAttemptsRoute,
  listEndpointsRoute,
  listEventsRoute,
  redeliverEventRoute,
  rotateSecretRoute,
} from "./routes";

export const listEventsHandler: RouteHandler<typeof listEventsRoute, AppEnv> = async (c) => {
  const { after = 0, limit = 100 } = c.req.valid("query");
  const page = await readEvents(c.get("db"), c.get("principal").tenantId, after, limit);
  return c.json({ data: page.events, next_cursor: renderCursor(page.next) }, 200);
};

export const redeliverEventHandler: RouteHandler<typeof redeliverEventRoute, AppEnv> = async (c) => {
  const queued = await redeliver(c.get("db"), c.env.WEBHOOKS, c.get("principal").tenantId, c.req.valid("param").id);
  return c.json({ event_id: queued.eventId, endpoint_ids: queued.endpointIds }, 202);
};

export const createEndpointHandler: RouteHandler<typeof createEndpointRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const created = await createEndpoint(
    c.get("db"),
    webhookConfig(c.env),
    c.get("principal").tenantId,
    { url: body.url, eventTypes: body.events ?? null },
    auditedAs(c),
  );
  return c.json({ ...renderEndpoint(created.endpoint), secret: created.secret }, 201);
};

export const listEndpointsHandler: RouteHandler<typeof listEndpointsRoute, AppEnv> = async (c) => {
  const { endpoints } = await listEndpoints(c.get("db"), c.get("principal").tenantId);
  return c.json({ data: endpoints.map(renderEndpoint) }, 200);
};

export const deleteEndpointHandler: RouteHandler<typeof deleteEndpointRoute, AppEnv> = async (c) => {
  await deleteEndpoint(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id, auditedAs(c));
  return c.body(null, 204);
};

export const rotateSecretHandler: RouteHandler<typeof rotateSecretRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const rotated = await rotateSecret(c.get("db"), webhookConfig(c.env), c.get("principal").tenantId, id, auditedAs(c));
  return c.json({ id, secret: rotated.secret, previous_secret_expires_at: new Date(rotated.previousExpiresAt).toISOString() }, 200);
};

export const listAttemptsHandler: RouteHandler<typeof listAttemptsRoute, AppEnv> = async (c) => {
  const { cursor, limit = 50 } = c.req.valid("query");
  const page = await listAttempts(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id, { before: cursor ?? null, limit });
  return c.json({ data: page.attempts.map(renderAttempt), next_cursor: page.next === null ? null : renderCursor(page.next) }, 200);
};
