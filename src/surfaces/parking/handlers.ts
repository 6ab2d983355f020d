import type { RouteHandler } from "@hono/zod-openapi";
import { bindVehicleTags, cancelVehicleTags, createTaggedCustomer, listVehicleTags } from "../../core/cards/vehicle-tags";
import type { AppEnv } from "../../http/app-env";
import { renderCancelled, renderCreated } from "./render";
import type { addCustomerRoute, addTagsRoute, cancelTagsRoute, listTagsRoute } from "./routes";

export const addCustomer: RouteHandler<typeof addCustomerRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const created = await createTaggedCustomer(c.get("db"), c.get("locks"), c.get("principal").tenantId, {
    email: body.email,
    phone: body.phone,
    name: body.name,
    lastName: body.lastname,
    unlimited: body.isUnlimited,
    refId: body.refId,
    tags: body.tags ?? [],
  });
  return c.json({ customer: created.customerId, tags: renderCreated(created.tags) }, 201);
};

export const listTags: RouteHandler<typeof listTagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const tags = await listVehicleTags(c.get("db"), c.get("principal").tenantId, { refId: body.refId, id: body.customerId ?? undefined });
  return c.json(tags, 200);
};

export const addTags: RouteHandler<typeof addTagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const ref = { refId: body.customer.refId, id: body.customer.id ?? undefined };
  const bound = await bindVehicleTags(c.get("db"), c.get("locks"), c.get("principal").tenantId, ref, body.tags);
  return c.json({ customer: bound.customerId, tagsCreate: renderCreated(bound.tags) }, 201);
};

export const cancelTags: RouteHandler<typeof cancelTagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const ref = { refId: body.customer.refId, id: body.customer.id ?? undefined };
  const cancelled = await cancelVehicleTags(c.get("db"), c.get("principal").tenantId, ref, body.tags);
  return c.json({ customer: cancelled.customerId, tagsCancell: renderCancelled(cancelled.tags) }, 200);
};
