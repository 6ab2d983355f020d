import type { z } from "@hono/zod-openapi";
import { clientDocumentType, clientFieldColumns, createClient, getClient, listClients, updateClient, type ClientRecord, type NewClient } from "../../core/clients";
import { deactivateCustomer } from "../../core/customers";
import { conflict, DomainError, invalid } from "../../core/errors";
import { uniqueViolationColumns } from "../../db/errors";
import { createSurface, sealSurface } from "../../http/surface";
import { clientsEnvelope } from "./envelope";
import { createClientRoute, deleteClientRoute, getClientRoute, listClientsRoute, updateClientRoute } from "./routes";
import { MAX_PAGE_SIZE } from "./schemas";

// Hono's "/api/clientes/*" also matches "/api/clientes" itself.
const prefixes = ["/api/clientes/*"];

/**
 * Spring answers a malformed path or query parameter with 400 "El parámetro 'x' no tiene
 * un formato válido" (the schemas carry that message); body problems stay 422 per field.
 */
function hook(result: { target: string } & ({ success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } })): undefined {
  if (result.success) return;
  if (result.target === "param" || result.target === "query") throw new DomainError("rejected", result.error.issues[0]!.message);
  throw invalid(clientsEnvelope.fieldErrors(result.error.issues, (result as { data?: unknown }).data));
}

/** Seed 001: the field-service client registry, over the tenant's shared customers. */
export const clientsSurface = createSurface(clientsEnvelope, prefixes)
  .openapi(
    listClientsRoute,
    async (c) => {
      const { page } = c.req.valid("query");
      const size = Math.min(c.req.valid("query").size, MAX_PAGE_SIZE);
      const { clients, total: counted } = await listClients(c.get("db"), c.get("principal").tenantId, page, size);
      // As Spring Data's PageableExecutionUtils: a short page (non-empty, or the first) tells the total itself.
      const total = clients.length < size && (clients.length > 0 || page === 0) ? page * size + clients.length : counted;
      const totalPages = Math.ceil(total / size);
      return c.json(
        {
          content: clients.map(present),
          totalElements: total,
          totalPages,
          number: page,
          size,
          first: page === 0,
          last: page + 1 >= totalPages,
          numberOfElements: clients.length,
          empty: clients.length === 0,
        },
        200,
      );
    },
    hook,
  )
  .openapi(getClientRoute, async (c) => c.json(present(await getClient(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id)), 200), hook)
  .openapi(
    createClientRoute,
    async (c) => {
      const client = await createClient(c.get("db"), c.get("principal").tenantId, toColumns(c.req.valid("json")) as NewClient).catch(asConflict);
      c.header("Location", `/api/clientes/${client.id}`);
      return c.json(present(client), 201);
    },
    hook,
  )
  .openapi(
    updateClientRoute,
    async (c) => {
      const changes = toColumns(c.req.valid("json"));
      const client = await updateClient(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id, changes).catch(asConflict);
      return c.json(present(client), 200);
    },
    hook,
  )
  .openapi(
    deleteClientRoute,
    async (c) => {
      await deactivateCustomer(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id);
      return c.json({ success: true as const, code: 200 as const, message: "Cliente eliminado correctamente" as const, data: null }, 200);
    },
    hook,
  );

sealSurface(clientsSurface, prefixes);

/** A client in the contract's field order. */
function present(client: ClientRecord) {
  return {
    id: client.id,
    tipoCliente: client.clientType as NewClient["clientType"] | null,
    nombre: client.name,
    tipoDocumento: clientDocumentType(client.documentType),
    codigoCliente: client.clientCode,
    numeroDocumento: client.documentNumber,
    direccion: client.address,
    telefono: client.phone,
    email: client.email,
    contactoRepresentante: client.contactPerson,
  };
}

/** The fields present in a request body, under their customer column names. */
function toColumns(body: Partial<Record<keyof typeof clientFieldColumns, string | null>>): Partial<NewClient> {
  const columns: Record<string, string | null> = {};
  for (const [field, column] of Object.entries(clientFieldColumns)) {
    const value = body[field as keyof typeof clientFieldColumns];
    if (value !== undefined) columns[column] = value;
  }
  return columns as Partial<NewClient>;
}

/** The partial unique indexes are the race-safe guard of both keys; the refusing index's columns say which. */
function asConflict(err: unknown): never {
  const columns = uniqueViolationColumns(err) ?? "";
  if (columns.includes("customers.client_code")) throw conflict("Ya existe un cliente con ese codigoCliente");
  if (columns.includes("customers.document_number")) throw conflict("Ya existe un cliente con ese numeroDocumento");
  throw err;
}
