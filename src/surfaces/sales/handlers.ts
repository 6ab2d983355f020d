import type { RouteHandler } from "@hono/zod-openapi";
import { NotFound } from "../../core/errors";
import {
  listClientTypes as clientTypesOf,
  createSalesClient,
  deleteSalesClient,
  listDocumentTypes as documentTypesOf,
  findSalesClient,
  lookupReferences,
  pageClientSales,
  pageSalesClients,
  recordSale as recordSaleOf,
  updateSalesClient,
} from "../../core/sales";
import { localDate } from "../../core/time";
import type { AppEnv } from "../../http/app-env";
import { invalid, RequestError } from "../../http/errors";
import { UNKNOWN_CLIENT, validateClientForm } from "./forms";
import { pageRequest, renderClient, renderClientType, renderDocumentType, renderPage, renderSale } from "./render";
import type {
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

export const listClients: RouteHandler<typeof listClientsRoute, AppEnv> = async (c) => {
  const request = pageRequest(c.req.valid("query"));
  const page = await pageSalesClients(c.get("db"), c.get("principal").tenantId, request);
  return c.json(renderPage(c, request, page, renderClient), 200);
};

export const getClient: RouteHandler<typeof getClientRoute, AppEnv> = async (c) => {
  const client = await findSalesClient(c.get("db"), c.get("principal").tenantId, c.req.valid("param").documento);
  if (!client) throw new NotFound("customer");
  return c.json({ data: renderClient(client) }, 200);
};

export const createClient: RouteHandler<typeof createClientRoute, AppEnv> = async (c) => {
  const form = await validateClientForm(c, { kind: "create" }, c.req.valid("json"));
  // A concurrent create of the same document that won the race is the core's IdentifierConflict: the envelope's 422 "taken".
  const client = await createSalesClient(c.get("db"), c.get("principal").tenantId, form.documento, form.fields, form.catalogues);
  c.header("Location", form.redirectTo ?? `/api/sales/clientes/${encodeURIComponent(client.documentNumber)}`);
  return c.json({ data: renderClient(client) }, 201);
};

export const updateClient: RouteHandler<typeof updateClientRoute, AppEnv> = async (c) => {
  const { documento } = c.req.valid("param");
  const form = await validateClientForm(c, { kind: "update", documento }, c.req.valid("json"));
  const client = await updateSalesClient(c.get("db"), c.get("principal").tenantId, documento, form.fields, form.catalogues);
  if (!client) throw new NotFound("customer");
  return c.json({ data: renderClient(client) }, 200);
};

export const deleteClient: RouteHandler<typeof deleteClientRoute, AppEnv> = async (c) => {
  const outcome = await deleteSalesClient(c.get("db"), c.get("principal").tenantId, c.req.valid("param").documento);
  if (outcome === "not_found") throw new NotFound("customer");
  if (outcome === "has_sales") throw new RequestError("conflict", "Cannot delete client with existing sales records");
  return c.body(null, 204);
};

export const listClientSales: RouteHandler<typeof listClientSalesRoute, AppEnv> = async (c) => {
  const request = pageRequest(c.req.valid("query"));
  const page = await pageClientSales(c.get("db"), c.get("principal").tenantId, c.req.valid("param").documento, request);
  if (!page) throw new NotFound("customer");
  return c.json(renderPage(c, request, page, renderSale), 200);
};

export const recordSale: RouteHandler<typeof recordSaleRoute, AppEnv> = async (c) => {
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const sale = c.req.valid("json");
  // The insert itself checks the client (one statement), so only a default date costs a read.
  const date = sale.fecha ?? localDate(Date.now(), (await lookupReferences(db, tenantId, {})).timezone);
  const recorded = await recordSaleOf(db, tenantId, { documentNumber: sale.documento, apartment: sale.apartamento, amount: sale.monto, kind: sale.tipo, date });
  if (!recorded) throw invalid({ documento: [UNKNOWN_CLIENT] });
  return c.json({ data: renderSale(recorded) }, 201);
};

export const listClientTypes: RouteHandler<typeof listClientTypesRoute, AppEnv> = async (c) => {
  const clientTypes = await clientTypesOf(c.get("db"));
  return c.json({ data: clientTypes.map(renderClientType) }, 200);
};

export const listDocumentTypes: RouteHandler<typeof listDocumentTypesRoute, AppEnv> = async (c) => {
  const documentTypes = await documentTypesOf(c.get("db"));
  return c.json({ data: documentTypes.map(renderDocumentType) }, 200);
};
