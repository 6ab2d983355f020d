import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fragmentKey, reusable } from "../../src/db/batch";
import { call, newTenant } from "../helpers";

/**
 * Statements rendered once per shape (db/batch.ts `reusable`, `preparedPer`): the registry's
 * inserts, updates, key links and their events. A shape is rendered once per isolate, and
 * every request fills in its own values.
 */

describe("reusable statements", () => {
  it("are rendered once per shape and filled with each request's values", () => {
    let builds = 0;
    const statement = reusable(
      (shape: { terms: number }) => (shape.terms > 2 ? null : String(shape.terms)),
      (shape) => {
        builds++;
        return sql`SELECT ${sql.join(
          Array.from({ length: shape.terms }, (_, n) => sql`${sql.placeholder(`v${n}`)}`),
          sql` + `,
        )}`;
      },
    );
    expect(statement({ terms: 2 }, { v0: 1, v1: 2 })).toEqual({ sql: "SELECT ? + ?", params: [1, 2] });
    expect(statement({ terms: 2 }, { v0: 3, v1: 4 })).toEqual({ sql: "SELECT ? + ?", params: [3, 4] });
    expect(builds).toBe(1);
    // A shape without a key is rendered for its request only.
    statement({ terms: 3 }, { v0: 1, v1: 2, v2: 3 });
    statement({ terms: 3 }, { v0: 1, v1: 2, v2: 3 });
    expect(builds).toBe(3);
  });

  it("take SQL fragments into their shape only when those bind no value", () => {
    expect(fragmentKey(sql`(SELECT max(${sql.raw("id")}) FROM ${sql.identifier("customers")})`)).toBe('(SELECT max(id) FROM "customers")');
    expect(fragmentKey(sql`(SELECT ${42})`)).toBeNull();
  });

  it("give two tenants' writes of one shape each its own values, in the rows and in the events", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const create = (t: typeof a, n: string) =>
      call("POST", "/api/clientes", {
        headers: t.auth,
        body: { nombre: `Cliente ${n}`, tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: `7000000${n}`, codigoCliente: `SHAPE-${n}` },
      });
    const [ca, cb] = [await create(a, "1"), await create(b, "2")];
    const update = (t: typeof a, id: number, n: string) =>
      call("PUT", `/api/clientes/${id}`, { headers: t.auth, body: { telefono: `99900000${n}`, email: `c${n}@example.pe` } });
    const [ua, ub] = [await update(a, ca.body.id, "1"), await update(b, cb.body.id, "2")];
    expect([ua.body.telefono, ua.body.email, ub.body.telefono, ub.body.email]).toEqual(["999000001", "c1@example.pe", "999000002", "c2@example.pe"]);
    const feed = async (t: typeof a) =>
      (await call("GET", "/v1/events?limit=10", { headers: t.auth })).body.data.map(
        (e: {
          type: string;
          data: { customer: { id: number; name: string; phone: string | null; identifiers: { value: string }[] }; changed?: string[] };
        }) => ({
          type: e.type,
          id: e.data.customer.id,
          name: e.data.customer.name,
          phone: e.data.customer.phone,
          keys: e.data.customer.identifiers.map((k) => k.value).sort(),
          changed: e.data.changed,
        }),
      );
    expect(await feed(a)).toEqual([
      { type: "customer.created", id: ca.body.id, name: "Cliente 1", phone: null, keys: ["70000001", "SHAPE-1"], changed: undefined },
      { type: "customer.updated", id: ca.body.id, name: "Cliente 1", phone: "999000001", keys: ["70000001", "SHAPE-1"], changed: ["email", "phone"] },
    ]);
    expect(await feed(b)).toEqual([
      { type: "customer.created", id: cb.body.id, name: "Cliente 2", phone: null, keys: ["70000002", "SHAPE-2"], changed: undefined },
      { type: "customer.updated", id: cb.body.id, name: "Cliente 2", phone: "999000002", keys: ["70000002", "SHAPE-2"], changed: ["email", "phone"] },
    ]);
  });
});
