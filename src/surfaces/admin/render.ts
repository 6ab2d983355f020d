import type { CustomerRecord } from "../../core/registry/customers";

/** A customer as the operator API shows it: profile and active keys, times in ISO 8601 UTC. */
export function renderCustomer(customer: CustomerRecord) {
  return {
    id: customer.id,
    channel: customer.channel,
    name: customer.name,
    paternalSurname: customer.paternalSurname,
    maternalSurname: customer.maternalSurname,
    lastName: customer.lastName,
    email: customer.email,
    phone: customer.phone,
    address: customer.address,
    birthDate: customer.birthDate,
    identifiers: Object.entries(customer.identity).flatMap(([kind, values]) => values.map((v) => ({ kind: kind as keyof typeof customer.identity, ...v }))),
    createdAt: new Date(customer.createdAt).toISOString(),
    updatedAt: new Date(customer.updatedAt).toISOString(),
  };
}
