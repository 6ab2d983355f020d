import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, countRows, newTenant } from "../helpers";
import { createClient, laravel422, recordSale, TIMESTAMP } from "./fixtures";

const ventas = "/api/sales/ventas";
const venta = { documento: "1234567890", apartamento: "Torre 2 - 704", monto: 35000000000, tipo: "venta", fecha: "2024-01-15" };

describe("POST /api/sales/ventas", () => {
  it("records a sale for a client (201, monto in integer cents)", async () => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("POST", ventas, { headers: t.auth, body: venta });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        id: expect.any(Number),
        documento: "1234567890",
        apartamento: "Torre 2 - 704",
        monto: 35000000000,
        tipo: "venta",
        fecha: "2024-01-15",
        created_at: expect.stringMatching(TIMESTAMP),
      },
    });
    const row = await env.DB.prepare("SELECT s.* FROM sales s JOIN customers c ON c.id = s.customer_id WHERE s.id = ?").bind(res.body.data.id).first();
    expect(row).toMatchObject({ tenant_id: t.id, apartment: "Torre 2 - 704", amount: 35000000000, kind: "venta", date: "2024-01-15" });
  });

  it("records a separation, dated today in the tenant's time zone when fecha is omitted or null", async () => {
    for (const timezone of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      const t = await newTenant({ timezone });
      await createClient(t);
      for (const fecha of [undefined, null]) {
        const before = new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(Date.now());
        const res = await call("POST", ventas, { headers: t.auth, body: { documento: "1234567890", apartamento: "101", monto: 1, tipo: "separacion", fecha } });
        const after = new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(Date.now());
        expect(res.status).toBe(201);
        expect(res.body.data.tipo).toBe("separacion");
        expect([before, after]).toContain(res.body.data.fecha);
      }
    }
  });

  it("lists every failing field in rule order and writes nothing", async () => {
    const t = await newTenant();
    const before = await countRows("sales");
    const empty = await call("POST", ventas, { headers: t.auth, body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body).toEqual(
      laravel422({
        documento: ["The documento field is required."],
        apartamento: ["The apartamento field is required."],
        monto: ["The monto field is required."],
        tipo: ["The tipo field is required."],
      }),
    );

    const bad = await call("POST", ventas, {
      headers: t.auth,
      body: { documento: "nobody", apartamento: "a".repeat(51), monto: 12.5, tipo: "compra", fecha: "2024-02-30" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual(
      laravel422({
        documento: ["The selected documento is invalid."],
        apartamento: ["The apartamento field must not be greater than 50 characters."],
        monto: ["The monto field must be an integer."],
        tipo: ["The selected tipo is invalid."],
        fecha: ["The fecha field must be a valid date."],
      }),
    );
    expect(await countRows("sales")).toBe(before);
  });

  it.each([
    [0, "The monto field must be at least 1."],
    [-100, "The monto field must be at least 1."],
    ["100.5", "The monto field must be an integer."],
    ["cien", "The monto field must be an integer."],
    [12.5, "The monto field must be an integer."],
    [2 ** 60, "The monto field must not be greater than 9007199254740991."],
  ])("refuses monto %j", async (monto, message) => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("POST", ventas, { headers: t.auth, body: { ...venta, monto } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(laravel422({ monto: [message] }));
  });

  it.each(["15/01/2024", "2024-1-5", "2024-01-15T10:00:00Z", "mañana"])("refuses fecha %j", async (fecha) => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("POST", ventas, { headers: t.auth, body: { ...venta, fecha } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(laravel422({ fecha: ["The fecha field must be a valid date."] }));
  });

  it("accepts an apartamento of 50 characters", async () => {
    const t = await newTenant();
    await createClient(t);
    expect((await recordSale(t, "1234567890", { apartamento: "a".repeat(50) })).apartamento).toBe("a".repeat(50));
  });

  it("refuses (422) a sale for an unknown, deleted or other tenant's client", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(other, { documento: "other" });
    await createClient(t, { documento: "gone" });
    await call("DELETE", "/api/sales/clientes/gone", { headers: t.auth });
    const before = await countRows("sales");
    for (const documento of ["unknown", "other", "gone"]) {
      const res = await call("POST", ventas, { headers: t.auth, body: { ...venta, documento } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(laravel422({ documento: ["The selected documento is invalid."] }));
    }
    expect(await countRows("sales")).toBe(before);
  });

  it("renders hostile bodies in the envelope and writes nothing", async () => {
    const t = await newTenant();
    await createClient(t);
    const before = await countRows("sales");
    const malformed = await call("POST", ventas, { headers: { ...t.auth, "content-type": "application/json" }, rawBody: "not json" });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toEqual(laravel422({ body: ["The request body must be a valid JSON object."] }));
    const huge = await call("POST", ventas, { headers: t.auth, body: { ...venta, apartamento: "x".repeat(100 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ message: "Payload Too Large" });
    const unauthenticated = await call("POST", ventas, { body: venta });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toEqual({ message: "Unauthenticated." });
    expect(await countRows("sales")).toBe(before);

    const injection = await recordSale(t, "1234567890", { apartamento: "'; DELETE FROM sales; --" });
    expect(injection.apartamento).toBe("'; DELETE FROM sales; --");
  });
});

describe("GET /api/sales/clientes/{documento}/ventas", () => {
  it("pages a client's sales and separations in recording order", async () => {
    const t = await newTenant();
    await createClient(t);
    await createClient(t, { documento: "someone-else" });
    await recordSale(t, "someone-else");
    const recorded = [];
    for (let i = 0; i < 3; i++)
      recorded.push(await recordSale(t, "1234567890", { apartamento: `A-${i}`, tipo: i === 1 ? "separacion" : "venta", monto: 100 * (i + 1) }));

    const base = "https://ficha.test/api/sales/clientes/1234567890/ventas";
    const res = await call("GET", "/api/sales/clientes/1234567890/ventas", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: recorded,
      links: { first: `${base}?page=1`, last: `${base}?page=1`, prev: null, next: null },
      meta: { current_page: 1, from: 1, last_page: 1, path: base, per_page: 15, to: 3, total: 3 },
    });

    const paged = await call("GET", "/api/sales/clientes/1234567890/ventas?per_page=2&page=2", { headers: t.auth });
    expect(paged.body.data).toEqual([recorded[2]]);
    expect(paged.body.meta).toEqual({ current_page: 2, from: 3, last_page: 2, path: base, per_page: 2, to: 3, total: 3 });
  });

  it("answers an empty page for a client without sales", async () => {
    const t = await newTenant();
    await createClient(t);
    const res = await call("GET", "/api/sales/clientes/1234567890/ventas", { headers: t.auth });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.total).toBe(0);
  });

  it("answers 404 client not found for an unknown or other tenant's client", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await createClient(other);
    await recordSale(other, "1234567890");
    for (const documento of ["1234567890", "nobody"]) {
      const res = await call("GET", `/api/sales/clientes/${documento}/ventas`, { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: "client not found" });
    }
  });
});
