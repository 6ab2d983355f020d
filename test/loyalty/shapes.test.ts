import { describe, expect, it } from "vitest";
import { call, newTenant, type TestTenant } from "../helpers";
import { AMIGO, post, seed } from "./fixtures";

/**
 * Where seed 003's endpoints disagree, each answers as its own example and schema show:
 * the customer block is `{id, externalId, name, totals}` everywhere (the tier only with
 * `include=group`), `store` is "null" or an object per endpoint, `total` two decimals where
 * the endpoint's example shows them.
 */

const CUSTOMER_KEYS = ["id", "externalId", "name", "totals"];
const TRANSACTION_KEYS = ["id", "title", "description", "code", "external_entity_id", "type", "total", "created_at", "unit", "customer", "store"];
const STORE = { id: expect.stringMatching(/^\d+$/), externalId: "1200037894", name: "Centro" };

/** Every endpoint that renders transactions, called once over one tenant's seed-shaped activity; each answer's transactions. */
async function everyEndpoint(t: TestTenant, query = "") {
  const q = query ? `?${query}` : "";
  const amp = query ? `&${query}` : "";
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, { headers: t.auth, body });
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const today = new Date().toISOString().slice(0, 10);
  const transaction = (await send("POST", `/api/transaction${q}`, seed.transaction)).data;
  await send("POST", `/api/transaction${q}`, { ...seed.transaction, type: "BALANCE RELOAD", code: "reload" });
  const checkbook = (await send("POST", `/api/transaction/checkbook${q}`, seed.checkbook)).data;
  const reverse = (await send("POST", `/api/transaction/reverse${q}`, seed.reverse)).data;
  for (const code of seed.reverseMany.codes) await send("POST", "/api/transaction/checkbook", { ...seed.checkbook, code });
  const reverseMany = (await send("POST", `/api/transaction/reverseMany${q}`, seed.reverseMany)).data;
  await post(t, "1716583941", "POINTS COUPON", 10);
  const transfer = (await send("POST", `/api/transaction/transfer${q}`, seed.transfer)).data;
  const redeemFullBalance = (await send("POST", `/api/transaction/redeemFullBalance${q}`, { ...seed.redeemFullBalance, code: "voucher" })).data;
  const history = (await send("GET", `/api/transaction/history?customerId=1716583941${amp}`)).data;
  const byCode = (await send("GET", `/api/transaction/transactionByCode?code=Bienvenido&type=POINTS%20COUPON${amp}`)).data;
  const range = `document=0100037894&from=${today}&to=${today}${amp}`;
  const reloads = (await send("GET", `/api/transaction/reloadsByCustomer?${range}`)).data;
  const points = (await send("GET", `/api/transaction/pointsByCustomer?${range}`)).data;
  const transactions: Record<string, Transaction[]> = {
    "POST /api/transaction": [transaction],
    "POST /api/transaction/checkbook": [checkbook],
    "POST /api/transaction/reverse": [reverse],
    "POST /api/transaction/reverseMany": reverseMany,
    "POST /api/transaction/transfer": [transfer.from, transfer.to],
    "GET /api/transaction/history": history,
    "GET /api/transaction/transactionByCode": byCode,
    "GET /api/transaction/reloadsByCustomer": reloads,
    "GET /api/transaction/pointsByCustomer": points,
  };
  return { transactions, redeemFullBalance: redeemFullBalance as Record<string, unknown> };
}

/** A rendered transaction, as far as these tests read it. */
interface Transaction {
  store: unknown;
  total: string;
  customer: Record<string, unknown>;
}

describe("the loyalty customer block", () => {
  it("is {id, externalId, name, totals} exactly on every endpoint, as in every seed 003 example", async () => {
    const t = await newTenant();
    const { redeemFullBalance, transactions } = await everyEndpoint(t);
    expect(Object.keys(redeemFullBalance)).toEqual(CUSTOMER_KEYS);
    for (const [endpoint, list] of Object.entries(transactions)) {
      expect(list.length, endpoint).toBeGreaterThan(0);
      for (const tx of list) {
        expect(Object.keys(tx), endpoint).toEqual(TRANSACTION_KEYS);
        expect(Object.keys(tx.customer), endpoint).toEqual(CUSTOMER_KEYS);
      }
    }
  });

  it("adds the tier as `group` only when the caller opts in with include=group", async () => {
    const t = await newTenant();
    const { redeemFullBalance, transactions } = await everyEndpoint(t, "include=group");
    expect(redeemFullBalance.group).toEqual(AMIGO);
    for (const [endpoint, list] of Object.entries(transactions)) {
      for (const tx of list) expect(tx.customer.group, endpoint).toEqual(AMIGO);
    }
  });

  it("refuses an include it does not know, naming the parameter", async () => {
    const t = await newTenant();
    const res = await call("POST", "/api/transaction?include=tier", { headers: t.auth, body: seed.transaction });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      code: 422,
      status: "error",
      message: "Error de Validacion",
      warning: { code: "null", field: "include", value: "The selected include is invalid." },
      error: [],
    });
  });
});

describe("store and total per endpoint", () => {
  it("follow each endpoint's own example and schema", async () => {
    const t = await newTenant();
    const { transactions } = await everyEndpoint(t);
    const stores = Object.fromEntries(Object.entries(transactions).map(([endpoint, list]) => [endpoint, list[0]!.store]));
    expect(stores).toEqual({
      // Seed schema: string. POST /api/transaction's request names a store, and its example still answers "null".
      "POST /api/transaction": "null",
      // Seed schema: object.
      "POST /api/transaction/checkbook": STORE,
      "POST /api/transaction/reverse": STORE,
      "POST /api/transaction/reverseMany": STORE,
      "POST /api/transaction/transfer": "null",
      "GET /api/transaction/history": "null",
      "GET /api/transaction/transactionByCode": "null",
      "GET /api/transaction/reloadsByCustomer": "null",
      "GET /api/transaction/pointsByCustomer": "null",
    });
    const totals = Object.fromEntries(Object.entries(transactions).map(([endpoint, list]) => [endpoint, list[0]!.total]));
    expect(totals).toEqual({
      "POST /api/transaction": "100",
      "POST /api/transaction/checkbook": "20",
      // The seed's examples: "20.00" in reverse and reverseMany, "1.00" in transfer and history.
      "POST /api/transaction/reverse": "20.00",
      "POST /api/transaction/reverseMany": "20.00",
      "POST /api/transaction/transfer": "1.00",
      "GET /api/transaction/history": "1.00",
      "GET /api/transaction/transactionByCode": "100",
      "GET /api/transaction/reloadsByCustomer": "100",
      // The newest POINTS transaction: the full-balance voucher.
      "GET /api/transaction/pointsByCustomer": "100",
    });
  });

  it('renders the object store of a transaction without one as an object of "null"s', async () => {
    const t = await newTenant();
    await post(t, "c1", "POINTS COUPON", 12.5, "no-store");
    const res = await call("POST", "/api/transaction/reverse", { headers: t.auth, body: { type: "POINTS COUPON", code: "no-store" } });
    expect(res.body.data).toMatchObject({ total: "12.50", store: { id: "null", externalId: "null", name: "null" } });
  });
});

describe("GET /api/transaction/history page", () => {
  it("serves page 1 for page=0, a negative or an unparsable page, as Laravel's paginator does", async () => {
    const t = await newTenant();
    for (let i = 0; i < 3; i++) await post(t, "c", "POINTS COUPON", 1, `k${i}`);
    const codes = async (page: string) => {
      const res = await call("GET", `/api/transaction/history?customerId=c&page=${page}`, { headers: t.auth });
      expect(res.status, page).toBe(200);
      return res.body.data.map((tx: { code: string }) => tx.code);
    };
    const first = ["k2", "k1", "k0"];
    for (const page of ["0", "-1", "abc", "2.5", "1e3", "", "'0'", "99999999999"]) expect(await codes(page), page).toEqual(first);
    expect(await codes("'2'")).toEqual([]);
    expect(await codes("+1")).toEqual(first);
  });
});

describe("GET /openapi.json (loyalty shapes)", () => {
  it("documents the endpoint -> shape table, the opt-in group and each endpoint's store schema", async () => {
    const { body: doc } = await call("GET", "/openapi.json");
    const table = "| `POST /api/transaction/reverse` | `{id, externalId, name}`";
    for (const path of [
      "/api/transaction",
      "/api/transaction/checkbook",
      "/api/transaction/reverse",
      "/api/transaction/reverseMany",
      "/api/transaction/transfer",
      "/api/transaction/redeemFullBalance",
    ]) {
      const operation = doc.paths[path].post;
      expect(operation.description, path).toContain(table);
      expect(
        operation.parameters.map((p: { name: string }) => p.name),
        path,
      ).toEqual(["include"]);
    }
    for (const path of [
      "/api/transaction/history",
      "/api/transaction/transactionByCode",
      "/api/transaction/reloadsByCustomer",
      "/api/transaction/pointsByCustomer",
    ]) {
      expect(doc.paths[path].get.description, path).toContain(table);
      expect(
        doc.paths[path].get.parameters.map((p: { name: string }) => p.name),
        path,
      ).toContain("include");
    }
    const schemas = doc.components.schemas;
    expect(schemas.LoyaltyTransaction.properties.store).toMatchObject({ type: "string", enum: ["null"] });
    expect(schemas.LoyaltyTransactionWithStore.properties.store).toEqual({ $ref: "#/components/schemas/LoyaltyStore" });
    expect(schemas.LoyaltyCustomer.required).toEqual(CUSTOMER_KEYS);
    const dataOf = (path: string) => doc.paths[path].post.responses["200"].content["application/json"].schema.$ref.split("/").pop();
    expect(schemas[dataOf("/api/transaction")].properties.data.$ref).toBe("#/components/schemas/LoyaltyTransaction");
    expect(schemas[dataOf("/api/transaction/reverse")].properties.data.$ref).toBe("#/components/schemas/LoyaltyTransactionWithStore");
  });
});
