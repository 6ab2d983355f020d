import { expect } from "vitest";
import { call, type TestTenant } from "../helpers";

/** A valid create body (the seed's example client). */
export const juan = {
  nombre: "Juan Pérez",
  id_tipo_cliente: 1,
  id_tipo_documento: 1,
  documento: "1234567890",
  direccion: "Calle 123 #45-67, Bogotá",
  telefono: "+57 300 123 4567",
  correo: "juan.perez@example.com",
};

export const personaNatural = { id_tipo_cliente: 1, nombre: "Persona Natural" };
export const personaJuridica = { id_tipo_cliente: 2, nombre: "Persona Jurídica" };
export const cc = { id_tipo_documento: 1, codigo: "CC", nombre: "Cédula de Ciudadanía" };
export const nit = { id_tipo_documento: 2, codigo: "NIT", nombre: "Número de Identificación Tributaria" };

/** Laravel's timestamp serialisation. */
export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** Creates a client through the API and returns its rendered body. */
export async function createClient(t: TestTenant, overrides: Record<string, unknown> = {}) {
  const res = await call("POST", "/api/sales/clientes", { headers: t.auth, body: { ...juan, ...overrides } });
  expect(res.status, res.text).toBe(201);
  return res.body.data;
}

/** Records a sale through the API. */
export async function recordSale(t: TestTenant, documento: string, overrides: Record<string, unknown> = {}) {
  const res = await call("POST", "/api/sales/ventas", {
    headers: t.auth,
    body: { documento, apartamento: "Torre 2 - 704", monto: 35000000000, tipo: "venta", fecha: "2024-01-15", ...overrides },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.data;
}

/** The 422 body Laravel renders for these field errors. */
export function laravel422(errors: Record<string, string[]>) {
  const messages = Object.values(errors).flat();
  const more = messages.length - 1;
  return { message: more > 0 ? `${messages[0]} (and ${more} more error${more === 1 ? "" : "s"})` : messages[0], errors };
}
