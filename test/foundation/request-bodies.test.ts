import { describe, expect, it } from "vitest";
import { admin, call, countRows, newTenant } from "../helpers";

/**
 * Every surface reads a JSON or form body once and refuses it as malformed when it is not
 * valid UTF-8 (src/http/surface.ts): decoding it leniently would store U+FFFD instead of
 * what the client sent. Valid text, multi-byte characters included, reaches the handler
 * as sent, whatever the content type.
 */

/** `{"<field>":"<prefix>` + bytes no UTF-8 decoder accepts (a lone 0xFF, a bad continuation, a surrogate) + `"}` merged into `body`. */
function invalidUtf8(body: Record<string, unknown>, field: string): Uint8Array {
  const text = JSON.stringify({ ...body, [field]: "MARK" });
  const [before, after] = text.split("MARK") as [string, string];
  const encode = (s: string) => new TextEncoder().encode(s);
  return new Uint8Array([...encode(before), 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, ...encode(after)]);
}

const NAME = "Ñuñoa Peña 🎰";

describe("request bodies that are not UTF-8", () => {
  it("are refused in each surface's own envelope, with nothing written", async () => {
    const t = await newTenant();
    await admin("PUT", "/admin/settings/vlt-destination", { tenantId: t.id });
    const json = { "content-type": "application/json" };
    const cases = [
      {
        path: "/api/clientes/register",
        headers: json,
        body: invalidUtf8({ codigoClienteVLT: 9, correo: "a@b.pe", enviarWhatsApp: true, enviarCorreo: true, enviarSms: true, tarjeta: "UTF8CARD" }, "nombre"),
        expected: {
          status: 422,
          body: { message: "The request body must be a valid JSON object.", errors: { body: ["The request body must be a valid JSON object."] } },
        },
      },
      {
        path: "/api/clientes",
        headers: { ...json, ...t.auth },
        body: invalidUtf8({ tipoCliente: "PERSONA" }, "nombre"),
        expected: { status: 400, body: { success: false, code: 400, message: "El cuerpo de la solicitud no es un JSON válido", data: null } },
      },
      {
        path: "/api/v3/business/customer/add",
        headers: { ...json, ...t.auth },
        body: invalidUtf8({ email: "a@b.cl", phone: "1", isUnlimited: false, refId: "R1" }, "name"),
        expected: { status: 400, body: { statusCode: 400, message: "Malformed request body", error: "Bad Request" } },
      },
      {
        path: "/api/transaction",
        headers: { ...json, ...t.auth },
        body: invalidUtf8({ type: "POINTS COUPON", code: "c", total: 1, customer: { externalId: "E", data: {} } }, "description"),
        expected: {
          status: 422,
          body: {
            code: 422,
            status: "error",
            message: "Error de Validacion",
            warning: { code: "null", field: "body", value: "The request body is not valid JSON." },
            error: [],
          },
        },
      },
      {
        path: "/api/sales/clientes",
        headers: { ...json, ...t.auth },
        body: invalidUtf8({ documento: "1", id_tipo_cliente: 1, id_tipo_documento: 1 }, "nombre"),
        expected: {
          status: 422,
          body: { message: "The request body must be a valid JSON object.", errors: { body: ["The request body must be a valid JSON object."] } },
        },
      },
      {
        path: "/api/sales/clientes",
        headers: { "content-type": "application/x-www-form-urlencoded", ...t.auth },
        body: new Uint8Array([...new TextEncoder().encode("documento=1&id_tipo_cliente=1&id_tipo_documento=1&nombre="), 0xff, 0xfe]),
        expected: {
          status: 422,
          body: { message: "The request body must be a valid JSON object.", errors: { body: ["The request body must be a valid JSON object."] } },
        },
      },
      {
        path: "/v1/webhook-endpoints",
        headers: { ...json, ...t.auth },
        body: invalidUtf8({ url: "https://partner.example.com/hook" }, "description"),
        expected: { status: 400, body: { code: "malformed_body", message: "Malformed request body" } },
      },
      {
        path: "/admin/tenants",
        headers: { ...json, authorization: "Bearer test-admin-token" },
        body: invalidUtf8({}, "name"),
        expected: { status: 422, body: { code: "invalid", message: "Invalid input", errors: { body: ["Must be a JSON object."] } } },
      },
    ];
    const before = (await countRows("customers")) + (await countRows("tenants")) + (await countRows("webhook_endpoints"));
    const answers = [];
    for (const c of cases) {
      const res = await call("POST", c.path, { headers: c.headers, rawBody: c.body });
      answers.push({ path: c.path, status: res.status, body: res.body });
    }
    expect(answers).toEqual(cases.map((c) => ({ path: c.path, ...c.expected })));
    expect((await countRows("customers")) + (await countRows("tenants")) + (await countRows("webhook_endpoints"))).toBe(before);
  });
});

describe("request bodies in UTF-8", () => {
  it("reach the handler as sent, multi-byte characters included, as JSON, url-encoded and multipart", async () => {
    const t = await newTenant();
    const asJson = await call("POST", "/api/clientes", {
      headers: t.auth,
      body: { nombre: NAME, tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "11111111", codigoCliente: "UTF-1" },
    });
    expect(asJson.status).toBe(201);
    expect((await call("GET", `/api/clientes/${asJson.body.id}`, { headers: t.auth })).body.nombre).toBe(NAME);

    const fields = { nombre: NAME, id_tipo_cliente: "1", id_tipo_documento: "1" };
    const urlencoded = await call("POST", "/api/sales/clientes", {
      headers: { ...t.auth, "content-type": "application/x-www-form-urlencoded" },
      rawBody: new URLSearchParams({ ...fields, documento: "2222222222" }).toString(),
    });
    const form = new FormData();
    for (const [key, value] of Object.entries({ ...fields, documento: "3333333333" })) form.append(key, value);
    const multipart = await call("POST", "/api/sales/clientes", { headers: t.auth, rawBody: form });
    expect([urlencoded.status, urlencoded.body.data.nombre, multipart.status, multipart.body.data.nombre]).toEqual([201, NAME, 201, NAME]);
  });

  it("may start with a byte order mark, which is not part of the JSON", async () => {
    const t = await newTenant();
    const body = JSON.stringify({ nombre: NAME, tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "44444444", codigoCliente: "UTF-BOM" });
    const res = await call("POST", "/api/clientes", { headers: { ...t.auth, "content-type": "application/json" }, rawBody: `\uFEFF${body}` });
    expect([res.status, res.body.nombre]).toEqual([201, NAME]);
  });
});
