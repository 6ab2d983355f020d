import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, cost, countRows, newTenant } from "../helpers";
import { countCards } from "../registry";
import { addCustomer, listTags, paths, seedCustomer } from "./helpers";

const customerRow = (id: number) =>
  env.DB.prepare(
    "SELECT tenant_id, active, channel, email, phone, name, last_name, (SELECT value FROM identifiers WHERE customer_id = customers.id AND kind = 'parking_ref') AS parking_ref_id, parking_unlimited FROM customers WHERE id = ?",
  )
    .bind(id)
    .first();
const activeCustomers = (tenantId: number) => env.DB.prepare("SELECT active_customers AS n FROM tenants WHERE id = ?").bind(tenantId).first<number>("n");

describe("POST /api/v3/business/customer/add", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    const res = await call("POST", "/api/v3/business/customer/add", {
      rawBody: `{
"email": "customer@example.com",
"phone": "+56975880800",
"name": "John",
"lastname": "Doe",
"isUnlimited": true,
"refId": "AAAABBB0001",
"tags": [
{
"code": "O202020",
"plate": "JPKJ21"
}
]
}`,
      headers: { ...t.auth, "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: expect.any(Number), tags: [{ tag: "O202020", status: true }] });
    expect(await customerRow(res.body.customer)).toEqual({
      tenant_id: t.id,
      active: 1,
      channel: "parking",
      email: "customer@example.com",
      phone: "+56975880800",
      name: "John",
      last_name: "Doe",
      parking_ref_id: "AAAABBB0001",
      parking_unlimited: 1,
    });
    expect(await listTags(t, "AAAABBB0001")).toEqual([{ id: expect.any(Number), code: "O202020", plate: "JPKJ21" }]);
    // The tenant's customer on every surface: the shared counter moved with the insert.
    expect(await activeCustomers(t.id)).toBe(1);
  });

  it("costs two D1 round trips, one lock per tag and the credential's rate limiter", async () => {
    const t = await newTenant();
    const res = await call("POST", paths.addCustomer, { headers: t.auth, body: seedCustomer });
    expect(res.status).toBe(201);
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 2, durableCalls: 3 });
  });

  it("accepts a customer without tags (omitted or null) and optional names", async () => {
    const t = await newTenant();
    const { name: _n, lastname: _l, tags: _t, ...required } = seedCustomer;
    const a = await call("POST", paths.addCustomer, { headers: t.auth, body: { ...required, refId: "NO-TAGS" } });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({ customer: expect.any(Number), tags: [] });
    expect(await customerRow(a.body.customer)).toMatchObject({ name: null, last_name: null });
    const b = await call("POST", paths.addCustomer, { headers: t.auth, body: { ...seedCustomer, refId: "NULL-TAGS", tags: null, name: null } });
    expect(b.status).toBe(201);
    expect(b.body).toEqual({ customer: a.body.customer + 1, tags: [] });
    // Only the credential's rate limiter: no tag, no lock.
    expect(cost(b.headers).durableCalls).toBe(1);
  });

  it("normalises codes and plates; a repeated code is bound once (status false)", async () => {
    const t = await newTenant();
    const res = await call("POST", paths.addCustomer, {
      headers: t.auth,
      body: {
        ...seedCustomer,
        tags: [
          { code: "  o202020 ", plate: " jpkj21 " },
          { code: "O202020", plate: "OTHER1" },
          { code: "x1", plate: "p2" },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      customer: expect.any(Number),
      tags: [
        { tag: "O202020", status: true },
        { tag: "O202020", status: false },
        { tag: "X1", status: true },
      ],
    });
    expect(await listTags(t, seedCustomer.refId)).toEqual([
      { id: expect.any(Number), code: "O202020", plate: "JPKJ21" },
      { id: expect.any(Number), code: "X1", plate: "P2" },
    ]);
  });

  it("lets a customer that is not unlimited start with one tag, and refuses two (400, nothing written)", async () => {
    const t = await newTenant();
    const one = await call("POST", paths.addCustomer, { headers: t.auth, body: { ...seedCustomer, isUnlimited: false, refId: "ONE" } });
    expect(one.status).toBe(201);
    expect(one.body).toEqual({ customer: expect.any(Number), tags: [{ tag: "O202020", status: true }] });
    expect(await customerRow(one.body.customer)).toMatchObject({ parking_unlimited: 0 });

    const [customers, cards] = [await countRows("customers"), await countCards()];
    const two = await call("POST", paths.addCustomer, {
      headers: t.auth,
      body: {
        ...seedCustomer,
        isUnlimited: false,
        refId: "TWO",
        tags: [
          { code: "A1", plate: "P1" },
          { code: "A2", plate: "P2" },
        ],
      },
    });
    expect(two.status).toBe(400);
    expect(two.body).toEqual({ statusCode: 400, message: ["tags must contain no more than 1 elements unless isUnlimited is true"], error: "Bad Request" });
    expect([await countRows("customers"), await countCards()]).toEqual([customers, cards]);
  });

  it("refuses a refId already used in the tenant (409, nothing written)", async () => {
    const t = await newTenant();
    await addCustomer(t);
    const [customers, cards] = [await countRows("customers"), await countCards()];
    const res = await call("POST", paths.addCustomer, { headers: t.auth, body: { ...seedCustomer, tags: [{ code: "NEW1", plate: "P1" }] } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, message: "User with refId AAAABBB0001 already exists", error: "Conflict" });
    expect([await countRows("customers"), await countCards()]).toEqual([customers, cards]);
    expect(await activeCustomers(t.id)).toBe(1);
  });

  it("refuses a tag active on another customer, naming its holder (409, customer not created)", async () => {
    const t = await newTenant();
    const holder = await addCustomer(t);
    const [customers, cards] = [await countRows("customers"), await countCards()];
    const res = await call("POST", paths.addCustomer, {
      headers: t.auth,
      body: {
        ...seedCustomer,
        refId: "SECOND",
        tags: [
          { code: "FREE1", plate: "P1" },
          { code: "o202020", plate: "P2" },
        ],
      },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, message: `User with ID ${holder} sticket active`, error: "Conflict" });
    expect([await countRows("customers"), await countCards()]).toEqual([customers, cards]);
    expect(await activeCustomers(t.id)).toBe(1);
  });

  it("stores injection strings verbatim", async () => {
    const t = await newTenant();
    const hostile = "Robert'); DROP TABLE customers;--";
    const res = await call("POST", paths.addCustomer, {
      headers: t.auth,
      body: {
        ...seedCustomer,
        name: hostile,
        lastname: "<script>alert(1)</script>",
        refId: "' OR 1=1 --",
        tags: [{ code: "'; DELETE FROM cards;", plate: '"x"' }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: expect.any(Number), tags: [{ tag: "'; DELETE FROM CARDS;", status: true }] });
    expect(await customerRow(res.body.customer)).toMatchObject({ name: hostile, last_name: "<script>alert(1)</script>", parking_ref_id: "' OR 1=1 --" });
    expect(await listTags(t, "' OR 1=1 --")).toEqual([{ id: expect.any(Number), code: "'; DELETE FROM CARDS;", plate: '"X"' }]);
  });

  describe("refuses bad bodies with 400 and writes nothing", () => {
    const cases: Array<[string, unknown, string[]]> = [
      ["an empty object", {}, ["email should not be empty", "phone should not be empty", "isUnlimited should not be empty", "refId should not be empty"]],
      [
        "wrong types",
        { email: 1, phone: 56975880800, name: 5, lastname: false, isUnlimited: "true", refId: 7, tags: "O202020" },
        [
          "email must be a string",
          "phone must be a string",
          "name must be a string",
          "lastname must be a string",
          "isUnlimited must be a boolean value",
          "refId must be a string",
          "tags must be an array",
        ],
      ],
      ["an invalid email", { ...seedCustomer, email: "not-an-email" }, ["email must be an email"]],
      ["empty strings", { ...seedCustomer, phone: "  ", refId: "" }, ["phone should not be empty", "refId should not be empty"]],
      [
        "over-long strings",
        { ...seedCustomer, name: "n".repeat(101), refId: "r".repeat(65), tags: [{ code: "c".repeat(65), plate: "p".repeat(21) }] },
        [
          "name must be shorter than or equal to 100 characters",
          "refId must be shorter than or equal to 64 characters",
          "tags.0.code must be shorter than or equal to 64 characters",
          "tags.0.plate must be shorter than or equal to 20 characters",
        ],
      ],
      [
        "tags without code or plate",
        { ...seedCustomer, tags: [{}, { code: "A", plate: 3 }] },
        ["tags.0.code should not be empty", "tags.0.plate should not be empty", "tags.1.plate must be a string"],
      ],
      ["a tag that is not an object", { ...seedCustomer, tags: ["O202020"] }, ["tags.0 must be an object"]],
      [
        "too many tags",
        { ...seedCustomer, tags: Array.from({ length: 21 }, (_, i) => ({ code: `C${i}`, plate: "P" })) },
        ["tags must contain no more than 20 elements"],
      ],
      ["a body that is an array", [seedCustomer], ["body must be an object"]],
    ];
    for (const [name, body, message] of cases) {
      it(name, async () => {
        const t = await newTenant();
        const before = [await countRows("customers"), await countCards()];
        const res = await call("POST", paths.addCustomer, { headers: t.auth, body });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ statusCode: 400, message, error: "Bad Request" });
        expect([await countRows("customers"), await countCards()]).toEqual(before);
      });
    }

    it("malformed JSON", async () => {
      const t = await newTenant();
      const res = await call("POST", paths.addCustomer, { rawBody: '{"email": ', headers: { ...t.auth, "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message: "Malformed request body", error: "Bad Request" });
    });

    it("a body that is not JSON (415)", async () => {
      const t = await newTenant();
      const res = await call("POST", paths.addCustomer, {
        rawBody: "email=a@b.cl",
        headers: { ...t.auth, "content-type": "application/x-www-form-urlencoded" },
      });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ statusCode: 415, message: "Unsupported Media Type", error: "Unsupported Media Type" });
    });

    it("a 100 KiB body (413)", async () => {
      const t = await newTenant();
      const before = await countRows("customers");
      const res = await call("POST", paths.addCustomer, {
        rawBody: JSON.stringify({ ...seedCustomer, name: "x".repeat(100 * 1024) }),
        headers: { ...t.auth, "content-type": "application/json" },
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, message: "Payload Too Large", error: "Payload Too Large" });
      expect(await countRows("customers")).toBe(before);
    });
  });

  it("answers 401 without a valid token, before looking at the body", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    const unauthorized: Array<Record<string, string>> = [{}, { authorization: "Bearer nope" }, { authorization: `Basic ${t.token}` }];
    for (const headers of unauthorized) {
      const res = await call("POST", paths.addCustomer, { headers, body: seedCustomer });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: "Unauthorized" });
    }
    const invalid = await call("POST", paths.addCustomer, { body: {} });
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({ statusCode: 401, message: "Unauthorized" });
    expect(await countRows("customers")).toBe(before);
  });

  it("keeps tenants apart: the same refId and tag code live in two tenants", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const inA = await addCustomer(a);
    const inB = await addCustomer(b);
    expect(inB).not.toBe(inA);
    expect(await listTags(a, seedCustomer.refId)).toEqual([{ id: expect.any(Number), code: "O202020", plate: "JPKJ21" }]);
    expect(await listTags(b, seedCustomer.refId)).toEqual([{ id: expect.any(Number), code: "O202020", plate: "JPKJ21" }]);
  });

  it("creates one customer when the same refId arrives twice at once", async () => {
    const t = await newTenant();
    const before = await countRows("customers");
    const results = await Promise.all(
      [0, 1].map((i) => call("POST", paths.addCustomer, { headers: t.auth, body: { ...seedCustomer, tags: [{ code: `RACE${i}`, plate: "P" }] } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body).toEqual({ statusCode: 409, message: "User with refId AAAABBB0001 already exists", error: "Conflict" });
    expect(await countRows("customers")).toBe(before + 1);
    expect(await activeCustomers(t.id)).toBe(1);
    expect(await listTags(t, seedCustomer.refId)).toHaveLength(1);
  });

  it("binds a tag to one of two new customers that ask for it at once", async () => {
    const t = await newTenant();
    const results = await Promise.all(
      ["FIRST", "SECOND"].map((refId) => call("POST", paths.addCustomer, { headers: t.auth, body: { ...seedCustomer, refId } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results.find((r) => r.status === 201)!.body.customer;
    expect(results.find((r) => r.status === 409)!.body).toEqual({ statusCode: 409, message: `User with ID ${winner} sticket active`, error: "Conflict" });
    expect(await activeCustomers(t.id)).toBe(1);
  });
});
