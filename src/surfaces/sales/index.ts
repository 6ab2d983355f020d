import { DomainError } from "../../core/errors";
import {
  createSalesClient,
  deleteSalesClient,
  findSalesClient,
  listClientTypes,
  listDocumentTypes,
  lookupReferences,
  pageClientSales,
  pageSalesClients,
  recordSale,
  updateSalesClient,
} from "../../core/sales";
import { localDate } from "../../core/local-time";
import { isUniqueViolation } from "../../db/errors";
import { createSurface, sealSurface } from "../../http/surface";
import { salesEnvelope } from "./envelope";
import { CLIENT_NOT_FOUND, formHook, TAKEN, UNKNOWN_CLIENT, validateClientForm, validateSaleForm } from "./forms";
import { pageRequest, renderClient, renderPage, renderSale } from "./render";
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

const clientNotFound = () => new DomainError("not_found", CLIENT_NOT_FOUND);

/** Seed 004: the real-estate sales back office: clients keyed by document, catalogues and sales. */
export const salesSurface = createSurface(salesEnvelope, prefixes)
  .openapi(listClientsRoute, async (c) => {
    const request = pageRequest(c.req.valid("query"));
    const page = await pageSalesClients(c.get("db"), c.get("principal").tenantId, request);
    return c.json(renderPage(c, request, page, renderClient), 200);
  })
  .openapi(getClientRoute, async (c) => {
    const client = await findSalesClient(c.get("db"), c.get("principal").tenantId, c.req.valid("param").documento);
    if (!client) throw clientNotFound();
    return c.json({ data: renderClient(client) }, 200);
  })
  .openapi(
    createClientRoute,
    async (c) => {
      const form = await validateClientForm(c, { kind: "create" }, c.req.valid("json"));
      const client = await createSalesClient(c.get("db"), c.get("principal").tenantId, form.documento, form.fields, form.catalogues).catch((err) => {
        // A concurrent create of the same document won the race on customers_tenant_document.
        throw isUniqueViolation(err) ? new DomainError("invalid", "Invalid input", { documento: [TAKEN] }) : err;
      });
      c.header("Location", form.redirectTo ?? `/api/sales/clientes/${encodeURIComponent(client.documentNumber)}`);
      return c.json({ data: renderClient(client) }, 201);
    },
    formHook((c, raw) => validateClientForm(c, { kind: "create" }, raw)),
  )
  .openapi(
    updateClientRoute,
    async (c) => {
      const { documento } = c.req.valid("param");
      const form = await validateClientForm(c, { kind: "update", documento }, c.req.valid("json"));
      const client = await updateSalesClient(c.get("db"), c.get("principal").tenantId, documento, form.fields, form.catalogues);
      if (!client) throw clientNotFound();
      return c.json({ data: renderClient(client) }, 200);
    },
    formHook((c, raw) => validateClientForm(c, { kind: "update", documento: c.req.param("documento") ?? "" }, raw)),
  )
  .openapi(deleteClientRoute, async (c) => {
    const outcome = await deleteSalesClient(c.get("db"), c.get("principal").tenantId, c.req.valid("param").documento);
    if (outcome === "not_found") throw clientNotFound();
    if (outcome === "has_sales") throw new DomainError("conflict", "Cannot delete client with existing sales records");
    return c.body(null, 204);
  })
  .openapi(listClientSalesRoute, async (c) => {
    const request = pageRequest(c.req.valid("query"));
    const page = await pageClientSales(c.get("db"), c.get("principal").tenantId, c.req.valid("param").documento, request);
    if (!page) throw clientNotFound();
    return c.json(renderPage(c, request, page, renderSale), 200);
  })
  .openapi(
    recordSaleRoute,
    async (c) => {
      const db = c.get("db");
      const tenantId = c.get("principal").tenantId;
      const sale = c.req.valid("json");
      // The insert itself checks the client (one statement), so only a default date costs a read.
      const date = sale.fecha ?? localDate(Date.now(), (await lookupReferences(db, tenantId, {})).timezone);
      const recorded = await recordSale(db, tenantId, { documentNumber: sale.documento, apartment: sale.apartamento, amount: sale.monto, kind: sale.tipo, date });
      if (!recorded) throw new DomainError("invalid", "Invalid input", { documento: [UNKNOWN_CLIENT] });
      return c.json({ data: renderSale(recorded) }, 201);
    },
    formHook(validateSaleForm),
  )
  .openapi(listClientTypesRoute, async (c) => {
    const clientTypes = await listClientTypes(c.get("db"));
    return c.json({ data: clientTypes.map((type) => ({ id_tipo_cliente: type.id, nombre: type.name })) }, 200);
  })
  .openapi(listDocumentTypesRoute, async (c) => {
    const documentTypes = await listDocumentTypes(c.get("db"));
    return c.json({ data: documentTypes.map((type) => ({ id_tipo_documento: type.id, codigo: type.code, nombre: type.name })) }, 200);
  });

sealSurface(salesSurface, prefixes);
