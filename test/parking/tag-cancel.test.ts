import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, cost, newTenant, type TestTenant } from "../helpers";
import { addCustomer, listTags, paths, seedCustomer } from "./helpers";

const cancel = (t: TestTenant, customer: unknown, tags: unknown) => call("PUT", paths.cancelTags, { headers: t.auth, body: { customer, tags } });
const statuses = (tenantId: number) =>
  env.DB.prepare("SELECT value AS uid, status FROM identifiers WHERE tenant_id = ? AND kind = 'vehicle_tag' ORDER BY id")
    .bind(tenantId)
    .all<{ uid: string; status: string }>()
    .then((r) => r.results);

describe("PUT /api/v3/business/tag/cancel", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await call("PUT", "/api/v3/business/tag/cancel", {
      rawBody: `{
"customer": {
"refId": "AAAABBB0001"
},
"tags": [
{
"code": "O202020",
"plate": "JPKJ21"
}
]
}`,
      headers: { ...t.auth, "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ customer: id, tagsCancell: [{ tag: "O202020", cancell: true }] });
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 2, durableCalls: 1 });
    expect(await listTags(t, seedCustomer.refId)).toEqual([]);
    expect(await statuses(t.id)).toEqual([{ uid: "O202020", status: "cancelled" }]);
  });

  it('takes the seed\'s request template, `"customer": {"id": 0, …}`, as no customer id', async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await cancel(t, { id: 0, refId: "AAAABBB0001" }, [{ code: "O202020", plate: "JPKJ21" }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ customer: id, tagsCancell: [{ tag: "O202020", cancell: true }] });
  });

  it("cancels only tags active on this customer with that code and plate", async () => {
    const t = await newTenant();
    const id = await addCustomer(t, {
      tags: [
        { code: "A1", plate: "P1" },
        { code: "B2", plate: "P2" },
      ],
    });
    await addCustomer(t, { refId: "OTHER", tags: [{ code: "THEIRS", plate: "P9" }] });
    const res = await cancel(t, { refId: seedCustomer.refId, id }, [
      { code: " a1 ", plate: "p1" }, // normalised: cancelled
      { code: "A1", plate: "P1" }, // already cancelled by the entry before
      { code: "B2", plate: "WRONG" }, // another plate: left active
      { code: "THEIRS", plate: "P9" }, // another customer's: never touched
      { code: "UNKNOWN", plate: "P0" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      customer: id,
      tagsCancell: [
        { tag: "A1", cancell: true },
        { tag: "A1", cancell: false },
        { tag: "B2", cancell: false },
        { tag: "THEIRS", cancell: false },
        { tag: "UNKNOWN", cancell: false },
      ],
    });
    expect(await statuses(t.id)).toEqual([
      { uid: "A1", status: "cancelled" },
      { uid: "B2", status: "active" },
      { uid: "THEIRS", status: "active" },
    ]);
    const again = await cancel(t, { refId: seedCustomer.refId }, [{ code: "A1", plate: "P1" }]);
    expect(again.body).toEqual({ customer: id, tagsCancell: [{ tag: "A1", cancell: false }] });
  });

  it("frees the one sticker of a customer that is not unlimited", async () => {
    const t = await newTenant();
    const id = await addCustomer(t, { isUnlimited: false });
    expect((await cancel(t, { refId: seedCustomer.refId }, [seedCustomer.tags[0]])).status).toBe(200);
    const res = await call("POST", paths.addTags, { headers: t.auth, body: { customer: { refId: seedCustomer.refId }, tags: [{ code: "NEXT", plate: "P" }] } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: id, tagsCreate: [{ tag: "NEXT", status: true }] });
  });

  it("answers 400 when customer.id is not the refId's customer, cancelling nothing", async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await cancel(t, { refId: seedCustomer.refId, id: id + 1 }, [seedCustomer.tags[0]]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, message: `Customer with ID ${id + 1} does not have refId AAAABBB0001`, error: "Bad Request" });
    expect(await statuses(t.id)).toEqual([{ uid: "O202020", status: "active" }]);
  });

  it("answers 404 for an unknown refId and for another tenant's, whose tags stay active", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await addCustomer(a);
    for (const refId of [seedCustomer.refId, "NOPE"]) {
      const res = await cancel(b, { refId }, [seedCustomer.tags[0]]);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, message: "Customer not found", error: "Not Found" });
    }
    expect(await statuses(a.id)).toEqual([{ uid: "O202020", status: "active" }]);
  });

  it("refuses bad bodies with 400 and changes nothing", async () => {
    const t = await newTenant();
    await addCustomer(t);
    const cases: Array<[unknown, string[]]> = [
      [{ customer: { refId: seedCustomer.refId } }, ["tags should not be empty"]],
      [{ customer: { refId: seedCustomer.refId }, tags: [{ code: "O202020" }] }, ["tags.0.plate should not be empty"]],
      [{ customer: null, tags: [seedCustomer.tags[0]] }, ["customer should not be empty"]],
      [{ customer: { refId: seedCustomer.refId, id: -1 }, tags: [seedCustomer.tags[0]] }, ["customer.id must be a positive number"]],
    ];
    for (const [body, message] of cases) {
      const res = await call("PUT", paths.cancelTags, { headers: t.auth, body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message, error: "Bad Request" });
    }
    const malformed = await call("PUT", paths.cancelTags, { rawBody: "not json", headers: { ...t.auth, "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ statusCode: 400, message: "Malformed request body", error: "Bad Request" });
    expect(await statuses(t.id)).toEqual([{ uid: "O202020", status: "active" }]);
  });

  it("answers 401 without a valid token", async () => {
    const res = await call("PUT", paths.cancelTags, { body: { customer: { refId: "A" }, tags: [{ code: "A", plate: "B" }] } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: "Unauthorized" });
  });
});
