import { createSurface, sealSurface } from "../../http/surface";
import { clientsEnvelope } from "./envelope";
import { createClient, deleteClient, getClient, hook, listClients, updateClient } from "./handlers";
import { createClientRoute, deleteClientRoute, getClientRoute, listClientsRoute, updateClientRoute } from "./routes";

// Hono's "/api/clientes/*" also matches "/api/clientes" itself.
const prefixes = ["/api/clientes/*"];

/** Seed 001: the field-service client registry, over the tenant's shared customers. */
export const clientsSurface = createSurface(clientsEnvelope, prefixes)
  .openapi(listClientsRoute, listClients, hook)
  .openapi(getClientRoute, getClient, hook)
  .openapi(createClientRoute, createClient, hook)
  .openapi(updateClientRoute, updateClient, hook)
  .openapi(deleteClientRoute, deleteClient, hook);

sealSurface(clientsSurface, prefixes);
