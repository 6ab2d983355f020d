import type { RouteHandler, z } from "@hono/zod-openapi";
import {
  createCustomer,
  deactivateCustomer,
  documentOf,
  getCustomer,
  type KeyChange,
  type Profile,
  pageCustomers,
  updateCustomer,
  wholeName,
} from "../../core/registry/customers";
import { normalise } from "../../core/registry/identifiers";
import type { AppEnv } from "../../http/app-env";
import { invalid, RequestError } from "../../http/errors";
import { clientsEnvelope } from "./envelope";
import { renderClient, renderPage } from "./render";
import type { createClientRoute, deleteClientRoute, getClientRoute, listClientsRoute, updateClientRoute } from "./routes";
import { type ClienteUpdateRequest, clientDocumentType, documentNumberProblem, MAX_PAGE_SIZE } from "./schemas";

type ClientBody = z.output<typeof ClienteUpdateRequest>;

/**
 * Spring answers a malformed path or query parameter with 400 "El parámetro 'x' no tiene
 * un formato válido" (the schemas carry that message); body problems stay 422 per field.
 */
export function hook(result: { target: string } & ({ success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } })): undefined {
  if (result.success) return;
  if (result.target === "param" || result.target === "query") throw new RequestError("rejected", result.error.issues[0]!.message);
  throw invalid(clientsEnvelope.fieldErrors(result.error.issues, (result as { data?: unknown }).data));
}

export const listClients: RouteHandler<typeof listClientsRoute, AppEnv> = async (c) => {
  const { page } = c.req.valid("query");
  const size = Math.min(c.req.valid("query").size, MAX_PAGE_SIZE);
  const { customers, total } = await pageCustomers(c.get("db"), c.get("principal").tenantId, { offset: page * size, limit: size });
  return c.json(renderPage(customers, total, page, size), 200);
};

export const getClient: RouteHandler<typeof getClientRoute, AppEnv> = async (c) =>
  c.json(renderClient(await getCustomer(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id)), 200);

export const createClient: RouteHandler<typeof createClientRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const client = await createCustomer(c.get("db"), c.get("principal").tenantId, {
    channel: "clients",
    profile: profileOf(body),
    identifiers: [
      { kind: "client_code", value: normalise("client_code", body.codigoCliente) },
      { kind: "document", value: normalise("document", body.numeroDocumento), qualifier: body.tipoDocumento },
    ],
  });
  c.header("Location", `/api/clientes/${client.id}`);
  return c.json(renderClient(client), 201);
};

/**
 * The document type and number must agree on the merged record: a pair sent whole was
 * checked by the schema; when only one of them changes, the stored other one is read
 * first (one more round trip) and checked here, a stored type this contract does not
 * know (CC, NIT …) as OTRO, and kept.
 */
export const updateClient: RouteHandler<typeof updateClientRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const db = c.get("db");
  const tenantId = c.get("principal").tenantId;
  const id = c.req.valid("param").id;
  const keys: KeyChange[] = [];
  if (body.codigoCliente !== undefined) keys.push({ kind: "client_code", value: normalise("client_code", body.codigoCliente) });
  if ((body.tipoDocumento === undefined) !== (body.numeroDocumento === undefined)) {
    keys.push(checkedHalf(body, documentOf((await getCustomer(db, tenantId, id)).identity)));
  } else if (body.tipoDocumento !== undefined && body.numeroDocumento !== undefined) {
    keys.push({ kind: "document", value: normalise("document", body.numeroDocumento), qualifier: body.tipoDocumento });
  }
  return c.json(renderClient(await updateCustomer(db, tenantId, id, profileOf(body), keys)), 200);
};

/** The document change of a body that sends one half of the pair, checked against the stored other half. */
function checkedHalf(body: ClientBody, stored: { number: string; type: string | null } | null): KeyChange {
  const type = body.tipoDocumento ?? clientDocumentType(stored?.type ?? null);
  const number = body.numeroDocumento ?? stored?.number ?? null;
  if (type === null) throw invalid({ tipoDocumento: ["El campo es obligatorio"] });
  if (number === null) throw invalid({ numeroDocumento: ["El campo es obligatorio"] });
  const problem = documentNumberProblem(type, number);
  if (problem) throw invalid({ numeroDocumento: [problem] });
  // A type this contract does not know stays as stored unless a type was sent.
  return { kind: "document", value: normalise("document", number), qualifier: body.tipoDocumento ?? stored?.type ?? type };
}

export const deleteClient: RouteHandler<typeof deleteClientRoute, AppEnv> = async (c) => {
  await deactivateCustomer(c.get("db"), c.get("principal").tenantId, c.req.valid("param").id);
  return c.json({ success: true as const, code: 200 as const, message: "Cliente eliminado correctamente" as const, data: null }, 200);
};

/**
 * The profile fields present in a body (undefined leaves a stored value alone; null clears
 * it). `nombre` is the whole name, so it replaces the surnames other surfaces keep apart.
 */
function profileOf(body: ClientBody): Profile {
  return {
    ...(body.nombre === undefined ? {} : wholeName(body.nombre)),
    clientType: body.tipoCliente,
    address: body.direccion,
    phone: body.telefono,
    email: body.email,
    contactPerson: body.contactoRepresentante,
  };
}
