import { bearerAuth } from "../../http/auth";
import { defineRoutes, jsonBody, jsonContent, methodNotAllowedResponse } from "../../http/openapi";
import { ClientesError, clientsErrors } from "./envelope";
import { ClienteDeleted, ClientePage, ClienteRequest, ClienteResponse, ClienteUpdateRequest, IdParam, MAX_PAGE_SIZE, PageQuery } from "./schemas";

const route = defineRoutes({
  tags: ["Clients: field-service clients"],
  security: [{ bearerAuth: [] }],
  middleware: [bearerAuth],
  errors: {
    ...clientsErrors({ 401: "Missing, invalid or expired token." }),
    ...methodNotAllowedResponse(ClientesError, { success: false, code: 405, message: "Método no permitido", data: null }),
  },
});

const envelopeNote =
  "Successes are the bare objects the contract documents (a page, a ClienteResponse); errors are `{success:false, code, message, data:null}` " +
  "with the HTTP status in `code` and Spanish messages (`errors` per field on 422). Another tenant's client answers exactly like a missing one (404).";
const idNote = "`{id}` is digits only; anything else -> 400 \"El parámetro 'id' no tiene un formato válido\".";
const bodyNote =
  "Strings are trimmed; a blank optional field is stored as null; unknown fields are ignored. " +
  "`codigoCliente` is unique among the tenant's active customers (whatever surface registered them): a duplicate -> 409 " +
  "\"Ya existe un cliente con ese codigoCliente\"; a deleted client's code is free again. `numeroDocumento` is not unique, as in the seed's system: " +
  "one company's tax number may hold several clients (service sites). The kiosk, the sales back office and the loyalty ledger, which find a " +
  "customer by document, answer its oldest active holder.";

export const listClientsRoute = route({
  method: "get",
  path: "/api/clientes",
  summary: "List active clients",
  description: [
    "Active clients (`vigente = true`) of the caller's tenant, ordered by id, as a Spring page:",
    "the contract's `content, totalElements, totalPages, number, size` plus Spring's `first, last, numberOfElements, empty`.",
    `\`page\` defaults to 0, \`size\` to 20; \`size\` is honoured as asked up to ${MAX_PAGE_SIZE} (Spring Data's default maximum page size), a larger one is served as ${MAX_PAGE_SIZE}: the response's \`size\` is the size applied.`,
    "A page past the end has an empty `content`. Non-integer parameters -> 400 \"El parámetro 'page' no tiene un formato válido\";",
    "a negative page or a size below 1 -> 400.",
    "`totalElements` is the tenant's active-customer counter, kept in the same batch as every registration and deletion,",
    "so a page reads O(size) rows however many clients there are.",
    envelopeNote,
  ].join(" "),
  request: { query: PageQuery },
  responses: {
    200: { description: "One page of clients.", ...jsonContent(ClientePage) },
    ...clientsErrors({ 400: "Malformed or out-of-range `page` / `size`." }),
  },
});

export const getClientRoute = route({
  method: "get",
  path: "/api/clientes/{id}",
  summary: "Get a client",
  description: [
    "An active client of the caller's tenant. The id of a client an operator merged into another answers as that other one (its own id in the body).",
    idNote,
    envelopeNote,
  ].join(" "),
  request: { params: IdParam },
  responses: {
    200: { description: "The client.", ...jsonContent(ClienteResponse) },
    ...clientsErrors({ 400: "`id` is not digits only.", 404: "No active client with this id in the tenant." }),
  },
});

export const createClientRoute = route({
  method: "post",
  path: "/api/clientes",
  summary: "Create a client",
  description: [
    "Creates an active client; 201 with the client and `Location: /api/clientes/{id}`.",
    "`numeroDocumento` must fit `tipoDocumento`: RUC 11 digits, DNI 8 digits, CE 9 to 12 alphanumerics, OTRO 1 to 20 characters.",
    "A client with `tipoDocumento` DNI is the customer the kiosk finds by that document number.",
    bodyNote,
    envelopeNote,
  ].join(" "),
  request: { body: jsonBody(ClienteRequest) },
  responses: {
    201: { description: "Created.", ...jsonContent(ClienteResponse) },
    ...clientsErrors({
      400: "The body is not valid JSON.",
      409: "`codigoCliente` already belongs to an active customer of the tenant.",
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Content type is not application/json.",
      422: "Invalid fields; `errors` lists them.",
    }),
  },
});

export const updateClientRoute = route({
  method: "put",
  path: "/api/clientes/{id}",
  summary: "Update a client (partial)",
  description: [
    "Only the fields sent change; `null` (or a blank string) clears an optional field (direccion, telefono, email, contactoRepresentante);",
    "the required fields (nombre, tipoCliente, tipoDocumento, numeroDocumento, codigoCliente) cannot be cleared (422).",
    "The `tipoDocumento` / `numeroDocumento` pair is checked on the merged record: sending only one checks it against the stored other;",
    "a stored type this contract does not know (CC, NIT, PASAPORTE from sales) is checked as OTRO and kept unless `tipoDocumento` is sent.",
    "An empty body changes nothing and returns the client.",
    idNote,
    bodyNote,
    envelopeNote,
  ].join(" "),
  request: { params: IdParam, body: jsonBody(ClienteUpdateRequest) },
  responses: {
    200: { description: "The updated client.", ...jsonContent(ClienteResponse) },
    ...clientsErrors({
      400: "`id` is not digits only, or the body is not valid JSON.",
      404: "No active client with this id in the tenant.",
      409: "`codigoCliente` already belongs to another active customer of the tenant.",
      413: "Body larger than MAX_BODY_BYTES.",
      415: "Content type is not application/json.",
      422: "Invalid fields; `errors` lists them.",
    }),
  },
});

export const deleteClientRoute = route({
  method: "delete",
  path: "/api/clientes/{id}",
  summary: "Delete a client (soft)",
  description: [
    "Sets `vigente = false`; the record stays in the database but no longer appears anywhere in this API",
    "(list, get, update and a second delete -> 404) nor in the other surfaces, and its code and document may be reused.",
    'Answers 200 with the seed system\'s success envelope `{success:true, code:200, message:"Cliente eliminado correctamente", data:null}`.',
    idNote,
  ].join(" "),
  request: { params: IdParam },
  responses: {
    200: { description: "Deleted.", ...jsonContent(ClienteDeleted) },
    ...clientsErrors({ 400: "`id` is not digits only.", 404: "No active client with this id in the tenant." }),
  },
});
