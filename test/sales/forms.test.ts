import { describe, expect, it } from "vitest";
import { call, countRows, newTenant } from "../helpers";
import { createClient, juan, laravel422 } from "./fixtures";

/**
 * Seed 004's back end is Laravel, whose `redirect_to` exists for HTML forms: create and
 * update (and sales) read url-encoded and multipart bodies like JSON ones, with the same
 * rules and messages.
 */

const clientes = "/api/sales/clientes";
const urlencoded = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  contentType: "application/x-www-form-urlencoded",
});
function multipart(fields: Record<string, string>): { rawBody: FormData } {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return { rawBody: form };
}

/** The seed's example client as an HTML form posts it: every value text. */
const juanForm = { ...juan, id_tipo_cliente: "1", id_tipo_documento: "1" };

async function send(t: { auth: Record<string, string> }, method: string, path: string, body: { rawBody: BodyInit; contentType?: string }) {
  const headers: Record<string, string> = { ...t.auth };
  if (body.contentType) headers["content-type"] = body.contentType;
  return call(method, path, { headers, rawBody: body.rawBody });
}

describe("POST /api/sales/clientes from an HTML form", () => {
  it("creates the seed's example client from a url-encoded form, Location following redirect_to, as JSON would", async () => {
    const t = await newTenant();
    const res = await send(t, "POST", clientes, urlencoded({ ...juanForm, redirect_to: "/ventas/nueva" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/ventas/nueva");
    expect(res.body.data.documento).toBe("1234567890");
    const fromJson = await createClient(t, { documento: "1234567891" });
    expect(stripped(res.body.data)).toEqual(stripped(fromJson));
    expect(res.body.data.id_tipo_cliente).toBe(1);
  });

  it("creates from multipart/form-data, an empty optional field stored as null", async () => {
    const t = await newTenant();
    const res = await send(t, "POST", clientes, multipart({ ...juanForm, telefono: "", correo: "" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/sales/clientes/1234567890");
    expect(res.body.data).toMatchObject({ nombre: "Juan Pérez", id_tipo_documento: 1, telefono: null, correo: null, tipo_documento: { codigo: "CC" } });
  });

  it("answers a form with the same Laravel messages as JSON, and writes nothing", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    const bad = { nombre: "", id_tipo_cliente: "99", id_tipo_documento: "abc", documento: "1234567890", correo: "juan@", redirect_to: "https://evil.example" };
    const expected = laravel422({
      nombre: ["The nombre field is required."],
      id_tipo_cliente: ["The selected id_tipo_cliente is invalid."],
      id_tipo_documento: ["The selected id_tipo_documento is invalid."],
      correo: ["The correo field must be a valid email address."],
      redirect_to: ["The redirect_to field format is invalid."],
    });
    for (const body of [urlencoded(bad), multipart(bad)]) {
      const res = await send(t, "POST", clientes, body);
      expect(res.status).toBe(422);
      expect(res.body).toEqual(expected);
    }
    const json = await call("POST", clientes, { headers: t.auth, body: bad });
    expect(json.body).toEqual(expected);
    const missing = await send(t, "POST", clientes, urlencoded({}));
    expect(missing.body.errors).toEqual({
      nombre: ["The nombre field is required."],
      id_tipo_cliente: ["The id_tipo_cliente field is required."],
      id_tipo_documento: ["The id_tipo_documento field is required."],
      documento: ["The documento field is required."],
    });
    // PHP's `nombre[]=…` is a list, which is no string.
    const list = await send(t, "POST", clientes, {
      rawBody: "nombre[]=Juan&id_tipo_cliente=1&id_tipo_documento=1&documento=77",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(list.body).toEqual(laravel422({ nombre: ["The nombre field must be a string."] }));
    expect(await countRows("customers")).toBe(before);
  });

  it("answers a multipart body it cannot parse in the envelope", async () => {
    const t = await newTenant();
    const res = await send(t, "POST", clientes, { rawBody: "--x\r\nnot a part", contentType: "multipart/form-data; boundary=x" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ body: [expect.any(String)] });
  });
});

describe("PUT /api/sales/clientes/{documento} from an HTML form", () => {
  it("updates from url-encoded and multipart forms with the same rules", async () => {
    const t = await newTenant();
    await createClient(t);
    const path = `${clientes}/1234567890`;
    const updated = await send(t, "PUT", path, urlencoded({ nombre: "Juan Pérez Gómez", id_tipo_cliente: "2", id_tipo_documento: "1", direccion: "" }));
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ nombre: "Juan Pérez Gómez", id_tipo_cliente: 2, direccion: null, tipo_cliente: { nombre: "Persona Jurídica" } });
    const refused = await send(t, "PUT", path, multipart({ nombre: "Juan", id_tipo_cliente: "1", id_tipo_documento: "1", documento: "999" }));
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual(laravel422({ documento: ["The documento field cannot be changed."] }));
  });
});

describe("POST /api/sales/ventas from an HTML form, and Laravel's integer rule", () => {
  it("records a sale whose monto comes as text, stored as the integer", async () => {
    const t = await newTenant();
    await createClient(t);
    const form = await send(
      t,
      "POST",
      "/api/sales/ventas",
      urlencoded({ documento: "1234567890", apartamento: "Torre 2 - 704", monto: "35000000000", tipo: "venta", fecha: "2024-01-15" }),
    );
    expect(form.status).toBe(201);
    expect(form.body.data).toMatchObject({ monto: 35000000000, tipo: "venta", fecha: "2024-01-15" });
    const json = await call("POST", "/api/sales/ventas", {
      headers: t.auth,
      body: { documento: "1234567890", apartamento: "T1", monto: "3500", tipo: "separacion" },
    });
    expect(json.status).toBe(201);
    expect(json.body.data.monto).toBe(3500);
  });
});

/** A rendered client without the fields two creates never share. */
function stripped(client: Record<string, unknown>) {
  const { created_at, updated_at, documento, ...rest } = client;
  return rest;
}

describe("GET /openapi.json (sales bodies)", () => {
  it("documents JSON, url-encoded and multipart bodies with the same schema on every write", async () => {
    const { body: doc } = await call("GET", "/openapi.json");
    for (const [path, method, component] of [
      ["/api/sales/clientes", "post", "CreateCliente"],
      ["/api/sales/clientes/{documento}", "put", "UpdateCliente"],
      ["/api/sales/ventas", "post", "CreateVenta"],
    ] as const) {
      const body = doc.paths[path][method].requestBody;
      const ref = { $ref: `#/components/schemas/${component}` };
      expect(body.required, path).toBe(true);
      expect(body.content, path).toEqual({
        "application/json": { schema: ref },
        "application/x-www-form-urlencoded": { schema: ref },
        "multipart/form-data": { schema: ref },
      });
      expect(doc.paths[path][method].description, path).toContain("`multipart/form-data`");
    }
    expect(doc.components.schemas.CreateVenta.properties.monto.type).toBe("integer");
    const page = doc.paths["/api/sales/clientes"].get.parameters.find((p: { name: string }) => p.name === "page");
    expect(page.description).toContain("serves page 1");
  });
});

describe("POST /api/sales/clientes multipart bytes", () => {
  it("refuses a multipart field that is not valid UTF-8 instead of storing U+FFFD", async () => {
    const t = await newTenant();
    const head = new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="nombre"\r\n\r\nJu');
    const tail = new TextEncoder().encode("an\r\n--x--\r\n");
    const res = await send(t, "POST", clientes, { rawBody: new Uint8Array([...head, 0xff, 0xfe, ...tail]), contentType: "multipart/form-data; boundary=x" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ body: [expect.any(String)] });
  });
});
