import { describe, expect, it } from "vitest";
import { call, newTenant } from "./helpers";

describe("GET /health", () => {
  it("answers 200", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    const t = await newTenant();
    expect(t.token).toMatch(/\./);
  });
});
