import { bearerAuth } from "../../http/auth";
import { formAsJson } from "../../http/laravel";
import { defineRoutes, jsonOrFormBody, methodNotAllowedResponse } from "../../http/openapi";
import { salesErrors } from "./envelope";
import {
  Cliente,
  CreateClientBody,
  DocumentoParam,
  PageQuery,
  paginated,
  SaleBody,
  SalesError,
  TipoCliente,
  TipoDocumento,
  UpdateClientBody,
  Venta,
  wrapped,
} from "./schemas";

const route = defineRoutes({
  tags: ["Sales: clientes"],
  security: [{ bearerAuth: [] }],
  middleware: [bearerAuth],
  errors: {
    ...salesErrors({ 401: "Missing, invalid or revoked token." }),
    ...methodNotAllowedResponse(SalesError, { message: "The PATCH method is not supported for route api/sales/ventas. Supported methods: POST." }),
  },
});

/** Writes read a JSON body or an HTML form, as Laravel does (the seed's `redirect_to` is there for forms). */
const writeMiddleware = [bearerAuth, formAsJson];
const bodies =
  "The body may be JSON, `application/x-www-form-urlencoded` or `multipart/form-data` (an HTML form, as Laravel reads them): the same fields, rules and messages; " +
  "a form's values are text, which the rules read as Laravel does (`id_tipo_cliente=1`, `monto=3500`; an empty field is null). Any other content type -> 415.";

const clientExample = {
  documento: "1234567890",
  nombre: "Juan Pérez",
  id_tipo_cliente: 1,
  id_tipo_documento: 1,
  direccion: "Calle 123 #45-67, Bogotá",
  telefono: "+57 300 123 4567",
  correo: "juan.perez@example.com",
  created_at: "2024-01-15T10:30:00.000000Z",
  updated_at: "2024-01-15T10:30:00.000000Z",
  tipo_cliente: { id_tipo_cliente: 1, nombre: "Persona Natural" },
  tipo_documento: { id_tipo_documento: 1, codigo: "CC", nombre: "Cédula de Ciudadanía" },
};
const clientResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: wrapped(Cliente), example: { data: clientExample } } },
});

const pagination =
  "Paginated like Laravel's resource collections: `{data, links:{first,last,prev,next}, meta:{current_page,from,last_page,path,per_page,to,total}}` " +
  "(absolute links, without a trailing slash; `per_page` is carried in them when given). `page` (default 1) is read as Laravel's paginator reads it: " +
  "0, a negative or an unparsable page serves page 1, never a 422. `per_page` (1 to 100, default 15) must be a positive integer, else 422; " +
  "a page past the last answers an empty `data` with the real `meta`.";
const validation =
  "Rules (seed 004, Laravel messages, all failing fields reported at once in rule order): `nombre` required, max 150; `id_tipo_cliente` and " +
  "`id_tipo_documento` required and present in their catalogue (`GET /api/sales/tipos-cliente`, `/tipos-documento`; a JSON integer or a digit string); " +
  "`direccion` max 200, `telefono` max 30, `correo` a valid email (local part, `@`, a domain with a dot-separated TLD), max 150 (all three optional; an empty string is stored as null). Strings are trimmed.";

export const listClientsRoute = route({
  method: "get",
  path: "/api/sales/clientes",
  summary: "List clients",
  description:
    "The tenant's active customers that hold a document number, in document order (the seed table's primary-key order), each document once: " +
    "when several customers share one (a company's service sites registered through the clients surface), its oldest active holder, the customer " +
    "the kiosk and the loyalty ledger also find by it. Each with " +
    "`tipo_cliente` and `tipo_documento` loaded (null for a customer registered by another surface without them). " +
    pagination,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "One page of clients.",
      content: {
        "application/json": {
          schema: paginated(Cliente, "ClientePage"),
          example: {
            data: [clientExample],
            links: {
              first: "https://api.example.com/api/sales/clientes?page=1",
              last: "https://api.example.com/api/sales/clientes?page=1",
              prev: null,
              next: null,
            },
            meta: { current_page: 1, from: 1, last_page: 1, path: "https://api.example.com/api/sales/clientes", per_page: 15, to: 1, total: 1 },
          },
        },
      },
    },
    ...salesErrors({ 422: "Invalid `page` or `per_page`." }),
  },
});

export const getClientRoute = route({
  method: "get",
  path: "/api/sales/clientes/{documento}",
  summary: "Get a client by document",
  description: 'A customer of another tenant, or a deleted one, is answered exactly like an absent one: 404 `{"message":"client not found"}`.',
  request: { params: DocumentoParam },
  responses: {
    200: clientResponse("The client with its client type and document type."),
    ...salesErrors({ 404: "client not found" }),
  },
});

export const createClientRoute = route({
  method: "post",
  path: "/api/sales/clientes",
  summary: "Create a client",
  description:
    validation +
    " `documento` required, max 40, unique among the tenant's active customers (whatever surface registered them): " +
    '"The documento has already been taken."; two concurrent creates of one document give one 201 and one 422. ' +
    "The customer's `document_type` is set to the catalogue code (CC, NIT, CE, PASAPORTE, OTRO) so the other surfaces see it. " +
    "`Location` is the new client's URL, or `redirect_to` when given (a same-origin relative path only: an absolute URL, `//host`, " +
    "a backslash or control characters are refused with 422 `The redirect_to field format is invalid.` and nothing is created, so it can never be an open redirect). " +
    "The response carries the client with its loaded catalogue entries, like GET. " +
    bodies,
  middleware: writeMiddleware,
  request: { body: jsonOrFormBody(CreateClientBody, "CreateCliente") },
  responses: {
    201: clientResponse("Created."),
    ...salesErrors({
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Body is neither JSON nor a form.",
      422: "Validation failed (document taken, invalid email, missing fields, unknown catalogue id, unsafe redirect_to) or malformed JSON.",
    }),
  },
});

export const updateClientRoute = route({
  method: "put",
  path: "/api/sales/clientes/{documento}",
  summary: "Update a client",
  description:
    validation +
    " A full update: `nombre`, `id_tipo_cliente` and `id_tipo_documento` are required as on create; an omitted `direccion`/`telefono`/`correo` " +
    'is left as it is, `null` (or "") clears it. The document is the key and cannot change: a body whose `documento` differs from the path ' +
    "gets 422 `The documento field cannot be changed.` and nothing is written (repeating the same document is accepted). " +
    "An absent client is 404 before any validation, as Laravel's route-model binding answers. " +
    bodies,
  middleware: writeMiddleware,
  request: { params: DocumentoParam, body: jsonOrFormBody(UpdateClientBody, "UpdateCliente") },
  responses: {
    200: clientResponse("Updated."),
    ...salesErrors({
      404: "client not found",
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Body is neither JSON nor a form.",
      422: "Validation failed, or an attempt to change `documento`.",
    }),
  },
});

export const deleteClientRoute = route({
  method: "delete",
  path: "/api/sales/clientes/{documento}",
  summary: "Delete a client",
  description:
    "Soft delete (the customer disappears from every surface; its document can be registered again). A client with any sale or separation " +
    "is refused with 409 `Cannot delete client with existing sales records` and nothing changes. The guard and the delete are one statement, " +
    "so a sale recorded concurrently either lands first (409 here) or finds the client gone (422 there); never a deleted client with sales.",
  request: { params: DocumentoParam },
  responses: {
    204: { description: "Deleted." },
    ...salesErrors({ 404: "client not found", 409: "Cannot delete client with existing sales records" }),
  },
});

export const listClientSalesRoute = route({
  method: "get",
  path: "/api/sales/clientes/{documento}/ventas",
  tags: ["Sales: ventas"],
  summary: "List a client's sales and separations",
  description: `In recording order. ${pagination}`,
  request: { params: DocumentoParam, query: PageQuery },
  responses: {
    200: { description: "One page of the client's sales.", content: { "application/json": { schema: paginated(Venta, "VentaPage") } } },
    ...salesErrors({ 404: "client not found", 422: "Invalid `page` or `per_page`." }),
  },
});

export const recordSaleRoute = route({
  method: "post",
  path: "/api/sales/ventas",
  tags: ["Sales: ventas"],
  summary: "Record a sale or a separation",
  description:
    "`documento` must be an active client of the tenant (else 422 `The selected documento is invalid.`); `apartamento` required, max 50; " +
    '`monto` a positive integer number of cents, as Laravel\'s integer rule reads it (`35000` or `"35000"`; a fraction or a word: `The monto field must be an integer.`); ' +
    "`tipo` `venta` or `separacion`; `fecha` an ISO date (YYYY-MM-DD), today in the tenant's time zone when omitted. " +
    bodies,
  middleware: writeMiddleware,
  request: { body: jsonOrFormBody(SaleBody, "CreateVenta") },
  responses: {
    201: {
      description: "Recorded.",
      content: {
        "application/json": {
          schema: wrapped(Venta),
          example: {
            data: {
              id: 1,
              documento: "1234567890",
              apartamento: "Torre 2 - 704",
              monto: 35000000000,
              tipo: "venta",
              fecha: "2024-01-15",
              created_at: "2024-01-15T10:30:00.000000Z",
            },
          },
        },
      },
    },
    ...salesErrors({
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Body is neither JSON nor a form.",
      422: "Validation failed, or no such client.",
    }),
  },
});

export const listClientTypesRoute = route({
  method: "get",
  path: "/api/sales/tipos-cliente",
  tags: ["Sales: catálogos"],
  summary: "Client types",
  description: "Global catalogue (seeded by migration), in id order.",
  responses: {
    200: {
      description: "The catalogue.",
      content: {
        "application/json": {
          schema: wrapped(TipoCliente.array()),
          example: {
            data: [
              { id_tipo_cliente: 1, nombre: "Persona Natural" },
              { id_tipo_cliente: 2, nombre: "Persona Jurídica" },
            ],
          },
        },
      },
    },
  },
});

export const listDocumentTypesRoute = route({
  method: "get",
  path: "/api/sales/tipos-documento",
  tags: ["Sales: catálogos"],
  summary: "Document types",
  description: "Global catalogue (seeded by migration), in id order: CC, NIT, CE, PASAPORTE, OTRO.",
  responses: {
    200: {
      description: "The catalogue.",
      content: {
        "application/json": {
          schema: wrapped(TipoDocumento.array()),
          example: { data: [{ id_tipo_documento: 1, codigo: "CC", nombre: "Cédula de Ciudadanía" }] },
        },
      },
    },
  },
});
