import { createSurface, sealSurface } from "../../http/surface";
import { salesEnvelope } from "./envelope";
import { formHook, validateClientForm, validateSaleForm } from "./forms";
import { createClient, deleteClient, getClient, listClientSales, listClients, listClientTypes, listDocumentTypes, recordSale, updateClient } from "./handlers";
import {
  createClientRoute,
  deleteClientRoute,
  getClientRoute,
  listClientSalesRoute,
  listClientsRoute,
  listClientTypesRoute,
  listDocumentTypesRoute,
  recordSaleRoute,
  updateClientRoute,
} from "./routes";

const prefixes = ["/api/sales/*"];

/** Seed 004: the real-estate sales back office: clients keyed by document, catalogues and sales. */
export const salesSurface = createSurface(salesEnvelope, prefixes, { trailingSlash: "served" })
  .openapi(listClientsRoute, listClients)
  .openapi(getClientRoute, getClient)
  .openapi(
    createClientRoute,
    createClient,
    formHook((c, raw) => validateClientForm(c, { kind: "create" }, raw)),
  )
  .openapi(
    updateClientRoute,
    updateClient,
    formHook((c, raw) => validateClientForm(c, { kind: "update", documento: c.req.param("documento") ?? "" }, raw)),
  )
  .openapi(deleteClientRoute, deleteClient)
  .openapi(listClientSalesRoute, listClientSales)
  .openapi(recordSaleRoute, recordSale, formHook(validateSaleForm))
  .openapi(listClientTypesRoute, listClientTypes)
  .openapi(listDocumentTypesRoute, listDocumentTypes);

sealSurface(salesSurface, prefixes);
