import { type CustomerRecord, documentOf, firstValue, fullName } from "../../core/registry/customers";
import { type ClientType, clientDocumentType } from "./schemas";

/** A customer as a ClienteResponse, in the contract's field order. */
export function renderClient(customer: CustomerRecord) {
  const document = documentOf(customer.identity);
  return {
    id: customer.id,
    tipoCliente: customer.clientType as ClientType | null,
    // "Full name (individual) or company name".
    nombre: fullName(customer),
    tipoDocumento: clientDocumentType(document?.type ?? null),
    codigoCliente: firstValue(customer.identity, "client_code"),
    numeroDocumento: document?.number ?? null,
    direccion: customer.address,
    telefono: customer.phone,
    email: customer.email,
    contactoRepresentante: customer.contactPerson,
  };
}

/**
 * A Spring page. As Spring Data's PageableExecutionUtils: a short page (non-empty, or the
 * first) tells the total itself.
 */
export function renderPage(customers: CustomerRecord[], counted: number, page: number, size: number) {
  const total = customers.length < size && (customers.length > 0 || page === 0) ? page * size + customers.length : counted;
  const totalPages = Math.ceil(total / size);
  return {
    content: customers.map(renderClient),
    totalElements: total,
    totalPages,
    number: page,
    size,
    first: page === 0,
    last: page + 1 >= totalPages,
    numberOfElements: customers.length,
    empty: customers.length === 0,
  };
}
