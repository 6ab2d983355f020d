import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, cost, newTenant, type TestTenant } from "../helpers";
import { countCards } from "../registry";
import { addCustomer, listTags, paths, seedCustomer } from "./helpers";

const addTags = (t: TestTenant, customer: unknown, tags: unknown) => call("POST", paths.addTags, { headers: t.auth, body: { customer, tags } });
const activeRows = (tenantId: number, code: string) =>
  env.DB.prepare("SELECT customer_id FROM identifiers WHERE tenant_id = ? AND kind = 'vehicle_tag' AND value = ? AND status = 'active'")
    .bind(tenantId, code)
    .all<{ customer_id: number }>()
    .then((r) => r.results.map((row) => row.customer_id));

describe("POST /api/v3/business/tag/add", () => {
  it("answers the seed's example", async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await call("POST", "/api/v3/business/tag/add", {
      rawBody: `{
"customer": {
"refId": "AAAABBB0001"
},
"tags": [
{
"code": "J929292",
"plate": "JPKJ20"
}
]
}`,
      headers: { ...t.auth, "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: id, tagsCreate: [{ tag: "J929292", status: true }] });
    expect(await listTags(t, seedCustomer.refId)).toEqual([
      { id: expect.any(Number), code: "O202020", plate: "JPKJ21" },
      { id: expect.any(Number), code: "J929292", plate: "JPKJ20" },
    ]);
    // One read batch (the token check riding in it), one write batch; the credential's rate limiter, acquire + release of one tag lock.
    expect(cost(res.headers)).toMatchObject({ d1RoundTrips: 2, durableCalls: 3 });
  });

  it('takes the seed\'s request template, `"customer": {"id": 0}`, as no customer id', async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await addTags(t, { refId: "AAAABBB0001", id: 0 }, [{ code: "J929292", plate: "JPKJ20" }]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: id, tagsCreate: [{ tag: "J929292", status: true }] });
  });

  it("reports a code already active on this customer, or repeated, as status false and changes nothing", async () => {
    const t = await newTenant();
    const id = await addCustomer(t);
    const res = await addTags(t, { refId: seedCustomer.refId, id }, [
      { code: " o202020", plate: "CHANGED" },
      { code: "N1", plate: "p1" },
      { code: "n1 ", plate: "p2" },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      customer: id,
      tagsCreate: [
        { tag: "O202020", status: false },
        { tag: "N1", status: true },
        { tag: "N1", status: false },
      ],
    });
    expect(await listTags(t, seedCustomer.refId)).toEqual([
      { id: expect.any(Number), code: "O202020", plate: "JPKJ21" },
      { id: expect.any(Number), code: "N1", plate: "P1" },
    ]);
  });

  it("refuses a code active on another customer, naming its holder; nothing of the request is written", async () => {
    const t = await newTenant();
    const holder = await addCustomer(t);
    await addCustomer(t, { refId: "OTHER", tags: [] });
    const before = await countCards();
    const res = await addTags(t, { refId: "OTHER" }, [
      { code: "FREE", plate: "P" },
      { code: "O202020", plate: "JPKJ21" },
    ]);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, message: `User with ID ${holder} sticket active`, error: "Conflict" });
    expect(await countCards()).toBe(before);
  });

  it("keeps a customer that is not unlimited to one active sticker", async () => {
    const t = await newTenant();
    const id = await addCustomer(t, { isUnlimited: false, refId: "LIMITED", tags: [] });
    const first = await addTags(t, { refId: "LIMITED" }, [{ code: "L1", plate: "P1" }]);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ customer: id, tagsCreate: [{ tag: "L1", status: true }] });

    const before = await countCards();
    const second = await addTags(t, { refId: "LIMITED" }, [{ code: "L2", plate: "P2" }]);
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ statusCode: 409, message: `User with ID ${id} sticket active`, error: "Conflict" });
    // Repeating the tag it already holds is no second sticker.
    const same = await addTags(t, { refId: "LIMITED" }, [{ code: "L1", plate: "P1" }]);
    expect(same.status).toBe(201);
    expect(same.body).toEqual({ customer: id, tagsCreate: [{ tag: "L1", status: false }] });
    expect(await countCards()).toBe(before);

    const fresh = await addCustomer(t, { isUnlimited: false, refId: "LIMITED-2", tags: [] });
    const two = await addTags(t, { refId: "LIMITED-2" }, [
      { code: "M1", plate: "P1" },
      { code: "M2", plate: "P2" },
    ]);
    expect(two.status).toBe(409);
    expect(two.body).toEqual({ statusCode: 409, message: `User with ID ${fresh} sticket active`, error: "Conflict" });
    expect(await countCards()).toBe(before);
  });

  it("binds a cancelled tag again, to another customer, as a new row", async () => {
    const t = await newTenant();
    await addCustomer(t);
    const [old] = await listTags(t, seedCustomer.refId);
    const other = await addCustomer(t, { refId: "NEXT", tags: [], isUnlimited: false });
    const cancel = await call("PUT", paths.cancelTags, { headers: t.auth, body: { customer: { refId: seedCustomer.refId }, tags: [seedCustomer.tags[0]] } });
    expect(cancel.status).toBe(200);
    const res = await addTags(t, { refId: "NEXT" }, [{ code: "O202020", plate: "NEWPLT" }]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: other, tagsCreate: [{ tag: "O202020", status: true }] });
    const [rebound] = await listTags(t, "NEXT");
    expect(rebound).toEqual({ id: expect.any(Number), code: "O202020", plate: "NEWPLT" });
    expect(rebound!.id).not.toBe(old!.id);
    expect(await listTags(t, seedCustomer.refId)).toEqual([]);
  });

  it("answers 400 when customer.id is not the refId's customer, writing nothing", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const id = await addCustomer(t);
    const foreign = await addCustomer(other, { refId: "FOREIGN" });
    const before = await countCards();
    for (const wrong of [id + 1000, foreign]) {
      const res = await addTags(t, { refId: seedCustomer.refId, id: wrong }, [{ code: "Z1", plate: "P" }]);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message: `Customer with ID ${wrong} does not have refId AAAABBB0001`, error: "Bad Request" });
    }
    expect(await countCards()).toBe(before);
  });

  it("answers 404 for an unknown refId, and for another tenant's", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await addCustomer(a, { refId: "IN-A" });
    const before = await countCards();
    for (const refId of ["NOPE", "IN-A"]) {
      const res = await addTags(b, { refId }, [{ code: "Z1", plate: "P" }]);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, message: "Customer not found", error: "Not Found" });
    }
    expect(await countCards()).toBe(before);
  });

  it("lets two tenants hold the same code", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await addCustomer(a, { tags: [] });
    await addCustomer(b, { tags: [] });
    for (const t of [a, b]) {
      const res = await addTags(t, { refId: seedCustomer.refId }, [{ code: "SHARED", plate: "P" }]);
      expect(res.status).toBe(201);
    }
  });

  it("refuses bad bodies with 400 and writes nothing", async () => {
    const t = await newTenant();
    await addCustomer(t);
    const before = await countCards();
    const cases: Array<[unknown, string[]]> = [
      [{}, ["customer should not be empty", "tags should not be empty"]],
      [{ customer: "AAAABBB0001", tags: [] }, ["customer must be an object", "tags must contain at least 1 elements"]],
      [{ customer: { id: 1 }, tags: [{ code: "A", plate: "" }] }, ["customer.refId should not be empty", "tags.0.plate should not be empty"]],
      [{ customer: { refId: "AAAABBB0001", id: "1" }, tags: {} }, ["customer.id must be an integer number", "tags must be an array"]],
    ];
    for (const [body, message] of cases) {
      const res = await call("POST", paths.addTags, { headers: t.auth, body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message, error: "Bad Request" });
    }
    const big = await call("POST", paths.addTags, {
      rawBody: JSON.stringify({ customer: { refId: seedCustomer.refId }, tags: [{ code: "A", plate: "x".repeat(100 * 1024) }] }),
      headers: { ...t.auth, "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ statusCode: 413, message: "Payload Too Large", error: "Payload Too Large" });
    expect(await countCards()).toBe(before);
  });

  it("answers 401 without a valid token", async () => {
    const res = await call("POST", paths.addTags, { body: { customer: { refId: "A" }, tags: [{ code: "A", plate: "B" }] } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: "Unauthorized" });
  });

  describe("concurrency", () => {
    it("waits for the tag's CardLock (named tenant:tag:code) before binding", async () => {
      const t = await newTenant();
      const id = await addCustomer(t, { tags: [] });
      const lock = env.CARD_LOCK.get(env.CARD_LOCK.idFromName(`${t.id}:tag:HELD`));
      const grant = (await lock.acquire())!;
      let settled = false;
      const pending = addTags(t, { refId: seedCustomer.refId }, [{ code: " held", plate: "P" }]).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      expect(await activeRows(t.id, "HELD")).toEqual([]);
      await lock.release(grant.token!);
      const res = await pending;
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ customer: id, tagsCreate: [{ tag: "HELD", status: true }] });
    });

    it("binds one code asked for by four customers at once to exactly one of them", async () => {
      const t = await newTenant();
      const refIds = ["C1", "C2", "C3", "C4"];
      const ids = [];
      for (const refId of refIds) ids.push(await addCustomer(t, { refId, tags: [] }));
      const results = await Promise.all(refIds.map((refId) => addTags(t, { refId }, [{ code: "CONTESTED", plate: refId }])));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      const winner = results.find((r) => r.status === 201)!.body.customer as number;
      expect(ids).toContain(winner);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body).toEqual({ statusCode: 409, message: `User with ID ${winner} sticket active`, error: "Conflict" });
      }
      expect(await activeRows(t.id, "CONTESTED")).toEqual([winner]);
    });

    it("gives a customer that is not unlimited one of two codes bound at once", async () => {
      const t = await newTenant();
      const id = await addCustomer(t, { refId: "SOLO", isUnlimited: false, tags: [] });
      const results = await Promise.all(["S1", "S2"].map((code) => addTags(t, { refId: "SOLO" }, [{ code, plate: "P" }])));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body).toEqual({ statusCode: 409, message: `User with ID ${id} sticket active`, error: "Conflict" });
      expect(await listTags(t, "SOLO")).toHaveLength(1);
    });

    it("never deadlocks two requests over the same codes in opposite order", async () => {
      const t = await newTenant();
      await addCustomer(t, { refId: "X", tags: [] });
      await addCustomer(t, { refId: "Y", tags: [] });
      const [x, y] = await Promise.all([
        addTags(t, { refId: "X" }, [
          { code: "D1", plate: "P" },
          { code: "D2", plate: "P" },
        ]),
        addTags(t, { refId: "Y" }, [
          { code: "D2", plate: "P" },
          { code: "D1", plate: "P" },
        ]),
      ]);
      expect([x.status, y.status].sort()).toEqual([201, 409]);
      const winner = (x.status === 201 ? x : y).body.customer;
      expect([...(await activeRows(t.id, "D1")), ...(await activeRows(t.id, "D2"))]).toEqual([winner, winner]);
    });
  });
});
