import { describe, expect, it } from "vitest";
import { call, cost, newTenant } from "../helpers";
import { addCustomer, paths, seedCustomer } from "./helpers";

const list = (auth: Record<string, string>, body: unknown) => call("POST", paths.listTags, { headers: auth, body });

describe("POST /api/v3/business/tag/list", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    await addCustomer(t);
    const res = await call("POST", "/api/v3/business/tag/list", {
      rawBody: `{
"refId": "AAAABBB0001"
}`,
      headers: { ...t.auth, "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ id: expect.any(Number), code: "O202020", plate: "JPKJ21" }]);
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 1, durableCalls: 1 });
  });

  it('takes the seed\'s request template, `"customerId": 0`, as no customerId', async () => {
    const t = await newTenant();
    await addCustomer(t);
    const res = await list(t.auth, { customerId: 0, refId: "AAAABBB0001" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ id: expect.any(Number), code: "O202020", plate: "JPKJ21" }]);
  });

  it("lists active tags oldest first, and accepts a matching customerId", async () => {
    const t = await newTenant();
    const id = await addCustomer(t, {
      tags: [
        { code: "B2", plate: "P2" },
        { code: "A1", plate: "P1" },
      ],
    });
    const expected = [
      { id: expect.any(Number), code: "B2", plate: "P2" },
      { id: expect.any(Number), code: "A1", plate: "P1" },
    ];
    const res = await list(t.auth, { customerId: id, refId: seedCustomer.refId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
    expect(res.body[0].id).toBeLessThan(res.body[1].id);
    expect((await list(t.auth, { customerId: null, refId: seedCustomer.refId })).body).toEqual(expected);
  });

  it("answers [] for a customer without active tags", async () => {
    const t = await newTenant();
    await addCustomer(t, { tags: [] });
    const res = await list(t.auth, { refId: seedCustomer.refId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it("answers 404 for an unknown refId (compared exactly)", async () => {
    const t = await newTenant();
    await addCustomer(t);
    for (const refId of ["NOPE", "aaaabbb0001", " AAAABBB0001"]) {
      const res = await list(t.auth, { refId });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, message: "Customer not found", error: "Not Found" });
    }
  });

  it("answers 400 when customerId is not the refId's customer", async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await list(t.auth, { customerId: id + 1000, refId: seedCustomer.refId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, message: `Customer with ID ${id + 1000} does not have refId AAAABBB0001`, error: "Bad Request" });
  });

  it("treats another tenant's refId and customer id as unknown", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const inA = await addCustomer(a, { refId: "ONLY-IN-A" });
    await addCustomer(b, { refId: "IN-B", tags: [] });
    const res = await list(b.auth, { refId: "ONLY-IN-A" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, message: "Customer not found", error: "Not Found" });
    // A's customer id next to B's own refId: the same answer as an id that exists nowhere.
    const mismatch = await list(b.auth, { customerId: inA, refId: "IN-B" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toEqual({ statusCode: 400, message: `Customer with ID ${inA} does not have refId IN-B`, error: "Bad Request" });
  });

  it("refuses bad bodies with 400", async () => {
    const t = await newTenant();
    const cases: Array<[unknown, string[]]> = [
      [{}, ["refId should not be empty"]],
      [{ customerId: "1", refId: 5 }, ["customerId must be an integer number", "refId must be a string"]],
      [{ customerId: 1.5, refId: "A" }, ["customerId must be an integer number"]],
      [{ customerId: -1, refId: "A" }, ["customerId must be a positive number"]],
      [{ refId: "r".repeat(65) }, ["refId must be shorter than or equal to 64 characters"]],
    ];
    for (const [body, message] of cases) {
      const res = await list(t.auth, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message, error: "Bad Request" });
    }
    const malformed = await call("POST", paths.listTags, { rawBody: "{refId}", headers: { ...t.auth, "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ statusCode: 400, message: "Malformed request body", error: "Bad Request" });
  });

  it("answers 401 without a valid token", async () => {
    const res = await list({ authorization: "Bearer a.b.c" }, { refId: seedCustomer.refId });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: "Unauthorized" });
  });

  it("answers unknown paths under the prefix with the seed's 404 shape (methods a path lacks: methods-and-paths.test.ts)", async () => {
    const t = await newTenant();
    for (const [method, path] of [
      ["GET", "/api/v3/business/nope"],
      ["POST", "/api/v3/business/tag/nope"],
    ] as const) {
      const res = await call(method, path, { headers: t.auth });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, message: "Not found", error: "Not Found" });
    }
  });
});
