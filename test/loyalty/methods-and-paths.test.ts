import { describe, expect, it } from "vitest";
import { call, newTenant } from "../helpers";
import { seed } from "./fixtures";

/** Seed 003 lists "405 The method is not implemented"; its Laravel back end serves `/path/` like `/path`. */

const notAllowed = { code: 405, status: "error", message: "Method Not Allowed", warning: [], error: [] };

describe("loyalty paths with a method they do not serve", () => {
  it("answer GET /oauth/token, GET /api/transaction and POST /api/group/default with 405, Allow, in the loyalty envelope", async () => {
    const t = await newTenant();
    for (const [method, path, allow] of [
      ["GET", "/oauth/token", "POST"],
      ["GET", "/api/transaction", "POST"],
      ["POST", "/api/group/default", "GET, HEAD"],
      ["DELETE", "/api/transaction/history", "GET, HEAD"],
      ["PUT", "/api/report/dailySummary/stores/", "GET, HEAD"],
    ] as const) {
      const res = await call(method, path, { headers: t.auth });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.body).toEqual(notAllowed);
    }
  });

  it("keeps an unknown loyalty path a 404", async () => {
    const res = await call("GET", "/api/transaction/nothing");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, status: "error", message: "404 Not Found", warning: [], error: [] });
  });
});

describe("loyalty paths with a trailing slash", () => {
  it("trade a token and post the seed's transaction as without the slash", async () => {
    const t = await newTenant();
    const token = await call("POST", "/oauth/token/", {
      body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.partner.clientSecret },
    });
    expect(token.status).toBe(200);
    const auth = { authorization: `Bearer ${token.body.access_token}` };
    const posted = await call("POST", "/api/transaction/", { headers: auth, body: seed.transaction });
    expect(posted.status).toBe(200);
    expect(posted.body.data).toMatchObject({ code: "Bienvenido", total: "100", type: "CREDIT" });
    const history = await call("GET", "/api/transaction/history/?customerId=0100037894", { headers: auth });
    expect(history.body.data.map((tx: { id: string }) => tx.id)).toEqual([posted.body.data.id]);
    expect((await call("GET", "/api/group/default/", { headers: auth })).body.data.name).toBe("AMIGO");
  });
});
