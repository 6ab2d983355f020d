import { createSurface, sealSurface } from "../../http/surface";
import { parkingEnvelope } from "./envelope";
import { addCustomer, addTags, cancelTags, listTags } from "./handlers";
import { addCustomerRoute, addTagsRoute, cancelTagsRoute, listTagsRoute } from "./routes";

const prefixes = ["/api/v3/business/*"];

/** Seed 002: parking customers and their vehicle tags. */
export const parkingSurface = createSurface(parkingEnvelope, prefixes, { trailingSlash: "served" })
  .openapi(addCustomerRoute, addCustomer)
  .openapi(listTagsRoute, listTags)
  .openapi(addTagsRoute, addTags)
  .openapi(cancelTagsRoute, cancelTags);

sealSurface(parkingSurface, prefixes);
