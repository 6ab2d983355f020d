import { z } from "@hono/zod-openapi";

/** Most tags one request may carry (each is a lock round trip to its CardLock). */
export const MAX_TAGS_PER_REQUEST = 20;

/**
 * An optional customer id. 0 means "not given", as null does: the seed's own request
 * templates send `"customerId": 0` and `"customer": {"id": 0}`, and clients whose integer
 * fields cannot be null always send it.
 */
const optionalCustomerId = (description: string) =>
  z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .nullish()
    .transform((id) => id || undefined)
    .openapi({ type: "integer", description: `${description} 0 (as the seed's templates send) or null: not given.`, example: 1 });
const refId = z
  .string()
  .min(1)
  .max(64)
  .openapi({ description: "The operator's own customer key, unique in the tenant; compared exactly (case and spaces matter).", example: "AAAABBB0001" });

export const Tag = z
  .object({
    code: z.string().trim().min(1).max(64).openapi({ description: "Tag (sticker) code; trimmed and upper-cased.", example: "O202020" }),
    plate: z.string().trim().min(1).max(20).openapi({ description: "Vehicle plate; trimmed and upper-cased.", example: "JPKJ21" }),
  })
  .openapi("ParkingTag");

const tags = z.array(Tag).max(MAX_TAGS_PER_REQUEST);

export const CustomerRef = z
  .object({
    refId,
    id: optionalCustomerId("Optional; when given it must be the id of the customer `refId` names."),
  })
  .openapi("ParkingCustomerRef");

export const AddCustomerBody = z
  .object({
    email: z.email().max(254).openapi({ example: "customer@example.com" }),
    phone: z.string().trim().min(1).max(32).openapi({ example: "+56975880800" }),
    name: z.string().max(100).nullish().openapi({ example: "John" }),
    lastname: z.string().max(100).nullish().openapi({ example: "Doe" }),
    isUnlimited: z.boolean().openapi({ description: "Unlimited customers may hold any number of active tags; others at most one.", example: true }),
    refId,
    tags: tags.nullish(),
  })
  .openapi("ParkingAddCustomer", {
    example: {
      email: "customer@example.com",
      phone: "+56975880800",
      name: "John",
      lastname: "Doe",
      isUnlimited: true,
      refId: "AAAABBB0001",
      tags: [{ code: "O202020", plate: "JPKJ21" }],
    },
  });

const TagStatus = z.object({
  tag: z.string().openapi({ example: "O202020" }),
  status: z.boolean().openapi({ example: true }),
});

export const AddCustomerResponse = z
  .object({ customer: z.number().int().openapi({ example: 1 }), tags: z.array(TagStatus) })
  .openapi("ParkingAddCustomerResponse", { example: { customer: 1, tags: [{ tag: "O202020", status: true }] } });

export const ListTagsBody = z
  .object({
    customerId: optionalCustomerId("Optional; when given it must be the id of the customer `refId` names."),
    refId,
  })
  .openapi("ParkingListTags", { example: { refId: "AAAABBB0001" } });

export const TagList = z
  .array(
    z.object({
      id: z.number().int().openapi({ example: 1 }),
      code: z.string().openapi({ example: "O202020" }),
      plate: z.string().openapi({ example: "JPKJ21" }),
    }),
  )
  .openapi("ParkingTagList", { example: [{ id: 1, code: "O202020", plate: "JPKJ21" }] });

export const TagsBody = z
  .object({ customer: CustomerRef, tags: tags.min(1) })
  .openapi("ParkingTagsRequest", { example: { customer: { refId: "AAAABBB0001" }, tags: [{ code: "J929292", plate: "JPKJ20" }] } });

export const AddTagsResponse = z
  .object({ customer: z.number().int().openapi({ example: 1 }), tagsCreate: z.array(TagStatus) })
  .openapi("ParkingAddTagsResponse", { example: { customer: 1, tagsCreate: [{ tag: "J929292", status: true }] } });

export const CancelTagsResponse = z
  .object({
    customer: z.number().int().openapi({ example: 1 }),
    tagsCancell: z.array(z.object({ tag: z.string().openapi({ example: "O202020" }), cancell: z.boolean().openapi({ example: true }) })),
  })
  .openapi("ParkingCancelTagsResponse", { example: { customer: 1, tagsCancell: [{ tag: "O202020", cancell: true }] } });
