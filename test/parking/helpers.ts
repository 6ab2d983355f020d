import { call, type TestTenant } from "../helpers";

export const paths = {
  addCustomer: "/api/v3/business/customer/add",
  listTags: "/api/v3/business/tag/list",
  addTags: "/api/v3/business/tag/add",
  cancelTags: "/api/v3/business/tag/cancel",
} as const;

/** The seed's customer/add example body. */
export const seedCustomer = {
  email: "customer@example.com",
  phone: "+56975880800",
  name: "John",
  lastname: "Doe",
  isUnlimited: true,
  refId: "AAAABBB0001",
  tags: [{ code: "O202020", plate: "JPKJ21" }],
};

/** Creates a parking customer for `tenant`; returns its id. */
export async function addCustomer(tenant: TestTenant, overrides: Partial<typeof seedCustomer> = {}): Promise<number> {
  const res = await call("POST", paths.addCustomer, { headers: tenant.auth, body: { ...seedCustomer, ...overrides } });
  if (res.status !== 201) throw new Error(`customer/add: ${res.status} ${res.text}`);
  return res.body.customer as number;
}

/** The customer's active tags as tag/list answers them. */
export async function listTags(tenant: TestTenant, refId: string) {
  const res = await call("POST", paths.listTags, { headers: tenant.auth, body: { refId } });
  if (res.status !== 200) throw new Error(`tag/list: ${res.status} ${res.text}`);
  return res.body as Array<{ id: number; code: string; plate: string }>;
}
