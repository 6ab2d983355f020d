import { describe, expect, it } from "vitest";
import { admin, call, newTenant } from "../helpers";
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
