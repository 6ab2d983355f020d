import type { Context } from "hono";
import type { ClientType, DocumentType, Page, SaleRecord, SalesClient } from "../../core/sales";
import type { AppEnv } from "../../http/app-env";

/** Laravel's JSON timestamp: ISO 8601 UTC with microseconds ("2024-01-15T10:30:00.000000Z"). */
export function laravelTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export const renderClientType = (type: ClientType) => ({ id_tipo_cliente: type.id, nombre: type.name });
export const renderDocumentType = (type: DocumentType) => ({ id_tipo_documento: type.id, codigo: type.code, nombre: type.name });

/** A client as the seed's model serialises it: its attributes, then the loaded relations. */
export function renderClient(client: SalesClient) {
  return {
    documento: client.documentNumber,
    nombre: client.name,
    id_tipo_cliente: client.clientTypeId,
    id_tipo_documento: client.documentTypeId,
    direccion: client.address,
    telefono: client.phone,
    correo: client.email,
    created_at: laravelTimestamp(client.createdAt),
    updated_at: laravelTimestamp(client.updatedAt),
    tipo_cliente: client.clientType && renderClientType(client.clientType),
    tipo_documento: client.documentType && renderDocumentType(client.documentType),
  };
}

export function renderSale(sale: SaleRecord) {
  return {
    id: sale.id,
    documento: sale.documentNumber,
    apartamento: sale.apartment,
    monto: sale.amount,
    tipo: sale.kind,
    fecha: sale.date,
    created_at: laravelTimestamp(sale.createdAt),
  };
}

export const DEFAULT_PER_PAGE = 15;

export interface PageRequest {
  page: number;
  perPage: number;
  /** Carried in the links only when the caller chose it (Laravel keeps other parameters out unless asked). */
  perPageGiven: boolean;
  offset: number;
  limit: number;
}

/** The page a query asks for (defaults: page 1, 15 per page; `page` already read as Laravel's paginator reads it). */
export function pageRequest(query: { page: number; per_page?: number }): PageRequest {
  const page = query.page;
  const perPage = query.per_page ?? DEFAULT_PER_PAGE;
  return { page, perPage, perPageGiven: query.per_page !== undefined, offset: (page - 1) * perPage, limit: perPage };
}

/** Laravel's paginated resource collection: `{data, links, meta}` with absolute links on the request's own URL. */
export function renderPage<T, R>(c: Context<AppEnv>, request: PageRequest, page: Page<T>, render: (item: T) => R) {
  const url = new URL(c.req.url);
  // Laravel's `$request->url()`: without trailing slashes, however the path was called.
  const path = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const lastPage = Math.max(1, Math.ceil(page.total / request.perPage));
  const link = (n: number) => `${path}?page=${n}${request.perPageGiven ? `&per_page=${request.perPage}` : ""}`;
  const empty = page.items.length === 0;
  return {
    data: page.items.map(render),
    links: {
      first: link(1),
      last: link(lastPage),
      prev: request.page > 1 ? link(Math.min(request.page - 1, lastPage)) : null,
      next: request.page < lastPage ? link(request.page + 1) : null,
    },
    meta: {
      current_page: request.page,
      from: empty ? null : request.offset + 1,
      last_page: lastPage,
      path,
      per_page: request.perPage,
      to: empty ? null : request.offset + page.items.length,
      total: page.total,
    },
  };
}
