import { describe, expect, it } from "vitest";
import { call, newTenant } from "../helpers";
import { paths, seedCustomer } from "./helpers";

/** NestJS (Express) serves `/path/` like `/path`; a method a path lacks is a 405 in NestJS's error shape. */

describe("POST /api/v3/business/customer/add/ (trailing slash)", () => {
  it("creates the seed's example customer as without the slash", async () => {
    const t = await newTenant();
    const res = await call("POST", `${paths.addCustomer}/`, { headers: t.auth, body: seedCustomer });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: expect.any(Number), tags: [{ tag: "O202020", status: true }] });
    const list = await call("POST", `${paths.listTags}/`, { headers: t.auth, body: { refId: "AAAABBB0001" } });
    expect(list.body).toEqual([{ id: expect.any(Number), code: "O202020", plate: "JPKJ21" }]);
  });
});

describe("parking paths with a method they do not serve", () => {
  it("answer 405 with Allow in NestJS's shape", async () => {
    const t = await newTenant();
    for (const [method, path, allow] of [
      ["GET", paths.listTags, "POST"],
      ["PUT", paths.addCustomer, "POST"],
      ["POST", paths.cancelTags, "PUT"],
      ["DELETE", `${paths.addTags}/`, "POST"],
    ] as const) {
      const res = await call(method, path, { headers: t.auth });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.body).toEqual({ statusCode: 405, message: "Method Not Allowed", error: "Method Not Allowed" });
    }
  });
});
