// Parking surface (seed 002): binding a fresh tag (lock + read batch + conditional insert),
// listing a customer's tags, and creating a customer with one tag.
export default async function (ctx) {
  const headers = ctx.tenant.auth;
  const customer = (refId, tags) => ({ email: "bench@example.com", phone: "+56975880800", name: "Bench", lastname: "Mark", isUnlimited: true, refId, tags });
  await ctx.call("POST", "/api/v3/business/customer/add", { headers, body: customer("BENCH-TAGS", []) });
  await ctx.call("POST", "/api/v3/business/customer/add", {
    headers,
    body: customer("BENCH-LIST", [
      { code: "L1", plate: "AA0001" },
      { code: "L2", plate: "AA0002" },
      { code: "L3", plate: "AA0003" },
    ]),
  });
  const floor = (path) => `/__floor/${path}?${ctx.tenant.floorIds}`;
  const newTag = (i) => ({ customer: { refId: "BENCH-TAGS" }, tags: [{ code: `T${i}`, plate: "JPKJ20" }] });
  const newCustomer = (i) => customer(`BENCH-${i}`, [{ code: `C${i}`, plate: "JPKJ21" }]);
  return [
    {
      name: "POST /api/v3/business/tag/add (new tag)",
      request: (i) => ({ method: "POST", path: "/api/v3/business/tag/add", headers, body: newTag(i) }),
      floor: (i) => ({ method: "POST", path: floor("tag/add"), body: newTag(i) }),
    },
    {
      name: "POST /api/v3/business/tag/list (3 tags)",
      request: () => ({ method: "POST", path: "/api/v3/business/tag/list", headers, body: { refId: "BENCH-LIST" } }),
      floor: () => ({ method: "POST", path: floor("tag/list"), body: { refId: "BENCH-LIST" } }),
    },
    {
      name: "POST /api/v3/business/customer/add (1 tag)",
      request: (i) => ({ method: "POST", path: "/api/v3/business/customer/add", headers, body: newCustomer(i) }),
      floor: (i) => ({ method: "POST", path: floor("customer/add"), body: newCustomer(i) }),
    },
  ];
}
