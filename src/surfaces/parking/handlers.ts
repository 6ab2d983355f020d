import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bindVehicleTags, cancelVehicleTags, createParkingCustomer, listVehicleTags, tagLockName, type TagLockFor } from "../../core/vehicle-tags";
import { meteredStub } from "../../durable/stubs";
import type { AppEnv } from "../../http/app-env";
import type { addCustomerRoute, addTagsRoute, cancelTagsRoute, listTagsRoute } from "./routes";

/** The CardLock of each tag code of the caller's tenant, counted in Server-Timing. */
function tagLocks(c: Context<AppEnv>): TagLockFor {
  const tenantId = c.get("principal").tenantId;
  return (code) => meteredStub(c.env.CARD_LOCK, tagLockName(tenantId, code), c.get("meter"));
}

export const addCustomer: RouteHandler<typeof addCustomerRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const created = await createParkingCustomer(c.get("db"), c.get("principal").tenantId, tagLocks(c), {
    email: body.email,
    phone: body.phone,
    name: body.name,
    lastName: body.lastname,
    unlimited: body.isUnlimited,
    refId: body.refId,
    tags: body.tags ?? [],
  });
  return c.json({ customer: created.customerId, tags: created.tags.map((t) => ({ tag: t.tag, status: t.done })) }, 201);
};

export const listTags: RouteHandler<typeof listTagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const tags = await listVehicleTags(c.get("db"), c.get("principal").tenantId, { refId: body.refId, id: body.customerId ?? undefined });
  return c.json(tags, 200);
};

export const addTags: RouteHandler<typeof addTagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const ref = { refId: body.customer.refId, id: body.customer.id ?? undefined };
  const bound = await bindVehicleTags(c.get("db"), c.get("principal").tenantId, tagLocks(c), ref, body.tags);
  return c.json({ customer: bound.customerId, tagsCreate: bound.tags.map((t) => ({ tag: t.tag, status: t.done })) }, 201);
};

export const cancelTags: RouteHandler<typeof cancelTagsRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const ref = { refId: body.customer.refId, id: body.customer.id ?? undefined };
  const cancelled = await cancelVehicleTags(c.get("db"), c.get("principal").tenantId, ref, body.tags);
  return c.json({ customer: cancelled.customerId, tagsCancell: cancelled.tags.map((t) => ({ tag: t.tag, cancell: t.done })) }, 200);
};
