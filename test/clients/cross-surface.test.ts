import { describe, expect, it } from "vitest";
import { admin, call, newTenant } from "../helpers";
import { seedExample } from "../kiosk/support";
import { createClient, person } from "./fixtures";

describe("clients and the kiosk share one registry", () => {
  it("a client created here with a DNI is the customer the kiosk matches by that dni", async () => {
    const t = await newTenant();
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
    const id = await createClient(t, person({ tipoDocumento: "DNI", numeroDocumento: "71234567", codigoCliente: "K-1" }));
    const registered = await call("POST", "/api/clientes/register", {
      body: {
        dni: "71234567",
        codigoClienteVLT: 9001,
        correo: "k1@example.com",
        enviarWhatsApp: false,
        enviarCorreo: true,
        enviarSms: false,
        tarjeta: "K1CARD01",
      },
      headers: { "cf-connecting-ip": "203.0.113.9" },
    });
    expect(registered.body).toMatchObject({ id, mensaje: "tarjeta agregada al cliente existente", esDuplicado: false });
    const list = await call("GET", "/api/clientes", { headers: t.auth });
    expect(list.body.totalElements).toBe(1);
    expect(list.body.content[0]).toMatchObject({ id, tipoDocumento: "DNI", numeroDocumento: "71234567", codigoCliente: "K-1" });
  });
});

describe("GET /api/clientes/{id} of a customer registered with separate surnames", () => {
  it('answers `nombre` as the full name: the kiosk seed\'s player is "Brandon Mamani Ayala", the parking seed\'s "John Doe"', async () => {
    const t = await newTenant();
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
    const kiosk = await call("POST", "/api/clientes/register", { body: seedExample, headers: { "cf-connecting-ip": "203.0.113.10" } });
    const parking = await call("POST", "/api/v3/business/customer/add", {
      headers: t.auth,
      body: { email: "customer@example.com", phone: "+56975880800", name: "John", lastname: "Doe", isUnlimited: true, refId: "AAAABBB0001", tags: [] },
    });
    expect((await call("GET", `/api/clientes/${kiosk.body.id}`, { headers: t.auth })).body).toMatchObject({
      nombre: "Brandon Mamani Ayala",
      numeroDocumento: "74658993",
    });
    expect((await call("GET", `/api/clientes/${parking.body.customer}`, { headers: t.auth })).body.nombre).toBe("John Doe");
    const list = await call("GET", "/api/clientes", { headers: t.auth });
    expect(list.body.content.map((client: { nombre: string }) => client.nombre)).toEqual(["Brandon Mamani Ayala", "John Doe"]);
  });

  it("takes a `nombre` written here as the whole name: the surnames kept apart are replaced, never appended twice", async () => {
    const t = await newTenant();
    expect((await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id })).status).toBe(200);
    const kiosk = await call("POST", "/api/clientes/register", { body: seedExample, headers: { "cf-connecting-ip": "203.0.113.11" } });
    const renamed = await call("PUT", `/api/clientes/${kiosk.body.id}`, { headers: t.auth, body: { nombre: "Brandon Mamani Ayala de Soto" } });
    expect(renamed.body.nombre).toBe("Brandon Mamani Ayala de Soto");
    const lobby = await call("POST", "/api/lobby/authenticate", { headers: { "x-client-secret": t.kiosk.clientSecret }, body: { cardIdentifier: "A0C2BBCA" } });
    expect(lobby.body).toMatchObject({ nombre: "Brandon Mamani Ayala de Soto", apellidoPaterno: null, apellidoMaterno: null });
    // A change that leaves `nombre` alone keeps the surnames.
    const other = await call("POST", "/api/clientes/register", {
      body: { ...seedExample, dni: "74658994", codigoClienteVLT: 71, tarjeta: "B1D3CCDB" },
      headers: { "cf-connecting-ip": "203.0.113.12" },
    });
    expect((await call("PUT", `/api/clientes/${other.body.id}`, { headers: t.auth, body: { telefono: "987654321" } })).body.nombre).toBe(
      "Brandon Mamani Ayala",
    );
  });
});
