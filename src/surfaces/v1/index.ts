import { createSurface, sealSurface } from "../../http/surface";
import { v1Envelope } from "./envelope";
import {
  createEndpointHandler,
  deleteEndpointHandler,
  listAttemptsHandler,
  listEndpointsHandler,
  listEventsHandler,
  redeliverEventHandler,
  rotateSecretHandler,
} from "./handlers";
import {
  createEndpointRoute,
  deleteEndpointRoute,
  listAttemptsRoute,
  listEndpointsRoute,
  listEventsRoute,
  redeliverEventRoute,
  rotateSecretRoute,
} from "./routes";

const prefixes = ["/v1/*"];

/** ficha's own partner API: the event feed and webhook endpoints (no seed; a plain JSON envelope). */
export const v1Surface = createSurface(v1Envelope, prefixes)
  .openapi(listEventsRoute, listEventsHandler)
  .openapi(redeliverEventRoute, redeliverEventHandler)
  .openapi(createEndpointRoute, createEndpointHandler)
  .openapi(listEndpointsRoute, listEndpointsHandler)
  .openapi(deleteEndpointRoute, deleteEndpointHandler)
  .openapi(rotateSecretRoute, rotateSecretHandler)
  .openapi(listAttemptsRoute, listAttemptsHandler);

sealSurface(v1Surface, prefixes);
