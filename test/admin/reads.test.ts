import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, call, cost, newTenant, type TestTenant } from "../helpers";
import { destinationTenant, register, seedExample } from "../kiosk/support";
import { seedCustomer } from "../registry";

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

let serial = 0;
const fresh = () => ++serial;

async function coupon(t: TestTenant, externalId: string, total: number, code = `c-${fresh()}`, extra: Record<string, unknown> = {}) {
  const res = await call("POST", "/api/transaction", {
    body: { type: "POINTS COUPON", code, description: "Cupón", total, customer: { externalId, name: "Cliente", data: {} }, ...extra },
    headers: t.auth,
  });
  if (res.status !== 200) throw new Error(`coupon: ${res.status} ${res.text}`);
  return code;
}

describe("GET /admin/tenants", () => {
  it("lists tenants in id order with their active customer count and the VLT destination flag, in keyset pages", async () => {
    const a = await destinationTenant();
    const b = await newTenant({ timezone: "America/Lima" });
    await seedCustomer(b.id, { channel: "clients", name: "Uno" });
    await seedCustomer(b.id, { channel: "clients", name: "Dos" });
    await seedCustomer(b.id, { channel: "clients", name: "Tres", active: false });

    let cursor: string | null = String(a.id - 1);
    const seen: any[] = [];
    while (cursor !== null) {
      const res = await admin("GET", `/admin/tenants?limit=1&cursor=${cursor}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      {
        id: a.id,
        name: expect.any(String),
        timezone: "UTC",
        activeCustomers: 0,
        vltDestination: true,
        partnerRateLimit: null,
        partnerReplicaReads: false,
        createdAt: ISO,
      },
      {
        id: b.id,
        name: expect.any(String),
        timezone: "America/Lima",
        activeCustomers: 2,
        vltDestination: false,
        partnerRateLimit: null,
        partnerReplicaReads: false,
        createdAt: ISO,
      },
    ]);
  });

  it("reads one row per tenant shown (plus the setting), whatever the number of tenants", async () => {
    for (let i = 0; i < 5; i++) await newTenant();
    const res = await admin("GET", "/admin/tenants?limit=2");
    expect(res.body.data).toHaveLength(2);
    expect(res.body.nextCursor).toBe(String(res.body.data[1].id));
    expect(cost(res.headers).d1RoundTrips).toBe(1);
    expect(cost(res.headers).rowsRead).toBeLessThanOrEqual(2 * 3 + 2);
  });

  it("refuses a cursor it did not hand out and an out-of-range limit with 422", async () => {
    const res = await admin("GET", "/admin/tenants?cursor=abc&limit=0");
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(["cursor", "limit"]);
  });
});

describe("GET /admin/tenants/{id}", () => {
  it("answers the tenant, and 404 for an unknown id", async () => {
    const t = await newTenant({ timezone: "America/Bogota" });
    const res = await admin("GET", `/admin/tenants/${t.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: t.id,
      name: expect.any(String),
      timezone: "America/Bogota",
      activeCustomers: 0,
      vltDestination: false,
      partnerRateLimit: null,
      partnerReplicaReads: false,
      createdAt: ISO,
    });
    const missing = await admin("GET", "/admin/tenants/987654321");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: "not_found", message: "Tenant not found" });
  });
});

describe("PATCH /admin/tenants/{id}", () => {
  it("changes the time zone and the name, leaving out what is not sent", async () => {
    const t = await newTenant();
    const zone = await admin("PATCH", `/admin/tenants/${t.id}`, { timezone: "America/Lima" });
    expect(zone.status).toBe(200);
    expect(zone.body).toMatchObject({ id: t.id, timezone: "America/Lima" });
    const name = await admin("PATCH", `/admin/tenants/${t.id}`, { name: "Casino Miraflores" });
    expect(name.body).toMatchObject({ name: "Casino Miraflores", timezone: "America/Lima" });
  });

  it("refuses an unknown zone with 422 and an unknown tenant with 404, changing nothing", async () => {
    const t = await newTenant();
    const bad = await admin("PATCH", `/admin/tenants/${t.id}`, { timezone: "Mars/Olympus" });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ code: "invalid", message: "Invalid input", errors: { timezone: ["Unknown IANA time zone."] } });
    expect((await admin("GET", `/admin/tenants/${t.id}`)).body.timezone).toBe("UTC");
    expect((await admin("PATCH", "/admin/tenants/987654321", { timezone: "UTC" })).status).toBe(404);
  });
});

describe("GET /admin/tenants/{id}/credentials", () => {
  it("lists client_id, kind, name, created and revoked times, newest first, never a secret or its hash", async () => {
    const t = await newTenant();
    await admin("DELETE", `/admin/credentials/${t.kiosk.clientId}`);
    const res = await admin("GET", `/admin/tenants/${t.id}/credentials`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        { client_id: t.kiosk.clientId, kind: "kiosk", name: null, createdAt: ISO, revokedAt: ISO },
        { client_id: t.partner.clientId, kind: "partner", name: null, createdAt: ISO, revokedAt: null },
      ],
      nextCursor: null,
    });
    const hashes = await env.DB.prepare("SELECT secret_hash FROM credentials WHERE tenant_id = ?").bind(t.id).all<{ secret_hash: string }>();
    for (const { secret_hash } of hashes.results) expect(res.text).not.toContain(secret_hash);
    expect(res.text).not.toContain(t.partner.clientSecret);
  });

  it("pages with the cursor, and answers 404 for an unknown tenant", async () => {
    const t = await newTenant();
    const first = await admin("GET", `/admin/tenants/${t.id}/credentials?limit=1`);
    expect(first.body.data.map((c: any) => c.client_id)).toEqual([t.kiosk.clientId]);
    const second = await admin("GET", `/admin/tenants/${t.id}/credentials?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ client_id: t.partner.clientId })], nextCursor: null });
    expect((await admin("GET", "/admin/tenants/987654321/credentials")).status).toBe(404);
  });
});

describe("GET /admin/tenants/{id}/customers", () => {
  it("finds the seed's kiosk player by card UID, document, VLT code, name and surname", async () => {
    const t = await destinationTenant();
    const registered = await register(seedExample);
    expect(registered.status).toBe(201);
    const id = registered.body.id;
    const search = (q: string) => admin("GET", `/admin/tenants/${t.id}/customers?q=${encodeURIComponent(q)}`);
    const byCard = await search("a0c2bbca");
    expect(byCard.status).toBe(200);
    expect(byCard.body).toEqual({
      data: [
        {
          id,
          status: "active",
          mergedIntoId: null,
          channel: "kiosk",
          name: "Brandon",
          surname: "Mamani",
          identifiers: [
            { kind: "document", value: "74658993", qualifier: "DNI" },
            { kind: "vlt_code", value: "70", qualifier: null },
          ],
          createdAt: ISO,
          matches: [{ field: "rfid_card", value: "A0C2BBCA", status: "active" }],
        },
      ],
      nextCursor: null,
    });
    expect((await search("74658993")).body.data[0].matches).toEqual([{ field: "document", value: "74658993", status: "active" }]);
    expect((await search("70")).body.data.map((h: any) => h.id)).toContain(id);
    expect((await search("bran")).body.data[0]).toMatchObject({ id, matches: [{ field: "name", value: "Brandon", status: null }] });
    expect((await search("MAMA")).body.data[0]).toMatchObject({ id, matches: [{ field: "surname", value: "Mamani", status: null }] });
    expect((await search(String(id))).body.data.map((h: any) => h.id)).toContain(id);
  });

  it("matches client codes, parking refIds, loyalty externalIds, tag codes and plates, and keys in any status", async () => {
    const t = await newTenant();
    const client = await call("POST", "/api/clientes", {
      body: { nombre: "Empresa", tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "20123456789", codigoCliente: "CLI-9" },
      headers: t.auth,
    });
    const parking = await call("POST", "/api/v3/business/customer/add", {
      body: {
        email: "p@x.cl",
        phone: "+56975880800",
        name: "John",
        lastname: "Doe",
        isUnlimited: true,
        refId: "ref-77",
        tags: [{ code: "tg1", plate: "jpkj21" }],
      },
      headers: t.auth,
    });
    await call("PUT", "/api/v3/business/tag/cancel", { body: { customer: { refId: "ref-77" }, tags: [{ code: "TG1", plate: "JPKJ21" }] }, headers: t.auth });
    await coupon(t, "ext-555", 10);
    const search = async (q: string) => (await admin("GET", `/admin/tenants/${t.id}/customers?q=${encodeURIComponent(q)}`)).body.data;
    expect((await search("CLI-9"))[0]).toMatchObject({ id: client.body.id, matches: [{ field: "client_code", value: "CLI-9", status: "active" }] });
    expect((await search("ref-77"))[0]).toMatchObject({ id: parking.body.customer, matches: [{ field: "parking_ref", status: "active" }] });
    expect((await search("tg1"))[0]).toMatchObject({ id: parking.body.customer, matches: [{ field: "vehicle_tag", value: "TG1", status: "cancelled" }] });
    expect((await search("jpkj21"))[0]).toMatchObject({ matches: [{ field: "plate", value: "JPKJ21", status: "cancelled" }] });
    expect((await search("doe"))[0]).toMatchObject({ id: parking.body.customer, matches: [{ field: "surname", value: "Doe" }] });
    expect((await search("ext-555"))[0]).toMatchObject({ matches: [{ field: "loyalty_id", value: "ext-555" }] });
    expect(await search("nothing-like-this")).toEqual([]);
  });

  it("shows another tenant's customers to no one: same identifiers, only the tenant's own customer", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await seedCustomer(a.id, { channel: "clients", name: "Compartido", loyaltyExternalId: "shared-1" });
    await seedCustomer(b.id, { channel: "clients", name: "Compartido", loyaltyExternalId: "shared-1" });
    const res = await admin("GET", `/admin/tenants/${a.id}/customers?q=shared-1`);
    expect(res.body.data).toHaveLength(1);
    const byName = await admin("GET", `/admin/tenants/${a.id}/customers?q=compart`);
    expect(byName.body.data).toHaveLength(1);
    expect((await admin("GET", "/admin/tenants/987654321/customers?q=x")).status).toBe(404);
  });

  it("pages through exact, name and surname matches once each, reading rows in proportion to the page", async () => {
    const t = await newTenant();
    // 60 customers named "Ana …": a page of 5 must not read them all.
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push((await seedCustomer(t.id, { channel: "clients", name: `Ana ${String(i).padStart(2, "0")}` })).id);
    const bySurname = await seedCustomer(t.id, { channel: "kiosk", name: "Zoe", paternalSurname: "Anaya" });
    const both = await seedCustomer(t.id, { channel: "kiosk", name: "Ana Both", paternalSurname: "Anaya" });
    const byKey = await seedCustomer(t.id, { channel: "loyalty", name: "Key", loyaltyExternalId: "ana" });
    const seen: number[] = [];
    const reads: number[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof admin>> = await admin("GET", `/admin/tenants/${t.id}/customers?q=ana&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((h: any) => h.id));
      reads.push(cost(res.headers).rowsRead);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(seen[0]).toBe(byKey.id);
    expect(seen.at(-1)).toBe(bySurname.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort((x, y) => x - y)).toEqual([...ids, bySurname.id, both.id, byKey.id].sort((x, y) => x - y));
    // Each page: its own rows, a page and one of each run, and each hit's identifiers; never the 60.
    for (const read of reads) expect(read).toBeLessThan(30);
  });

  it("lists the newest active customers without q, and refuses a forged cursor with 422", async () => {
    const t = await newTenant();
    const first = await seedCustomer(t.id, { channel: "clients", name: "Primero" });
    const second = await seedCustomer(t.id, { channel: "clients", name: "Segundo" });
    const res = await admin("GET", `/admin/tenants/${t.id}/customers?limit=1`);
    expect(res.body.data.map((h: any) => h.id)).toEqual([second.id]);
    const next = await admin("GET", `/admin/tenants/${t.id}/customers?limit=1&cursor=${res.body.nextCursor}`);
    expect(next.body.data.map((h: any) => h.id)).toEqual([first.id]);
    const forged = await admin("GET", `/admin/tenants/${t.id}/customers?cursor=not-a-cursor`);
    expect(forged.status).toBe(422);
    expect(forged.body.errors).toEqual({ cursor: ["Must be a cursor this API returned."] });
  });
});

describe("GET /admin/tenants/{tenantId}/customers/{customerId}", () => {
  it("shows the kiosk player's profile, cards with their history, balance, open lots, tier and last transactions", async () => {
    const t = await destinationTenant();
    const first = await register(seedExample);
    await register({ ...seedExample, tarjeta: "B1B2B3B4" });
    await coupon(t, "74658993", 250, "welcome-1", { store: { externalId: "S1", name: "Centro" } });
    const id = first.body.id;
    const res = await admin("GET", `/admin/tenants/${t.id}/customers/${id}`);
    expect(res.status).toBe(200);
    expect(cost(res.headers).d1RoundTrips).toBe(1);
    const body = res.body;
    expect(body.customer).toMatchObject({
      id,
      status: "active",
      channel: "kiosk",
      name: "Brandon",
      paternalSurname: "Mamani",
      consents: { whatsapp: { given: true, at: ISO }, email: { given: true, at: ISO }, sms: { given: true, at: ISO } },
    });
    expect(body.identifiers.filter((i: any) => i.kind === "rfid_card")).toEqual([
      { kind: "rfid_card", value: "A0C2BBCA", qualifier: null, status: "replaced", primary: true, createdAt: ISO, statusChangedAt: ISO },
      { kind: "rfid_card", value: "B1B2B3B4", qualifier: null, status: "active", primary: true, createdAt: ISO, statusChangedAt: ISO },
    ]);
    expect(body.accounts).toEqual([{ unit: "POINTS", balance: 250, earned: 250 }]);
    expect(body.lots).toEqual([
      {
        id: expect.any(Number),
        transactionId: expect.any(Number),
        unit: "POINTS",
        amount: 250,
        remaining: 250,
        createdAt: ISO,
        expiresAt: ISO,
        setName: expect.any(String),
      },
    ]);
    expect(body.tier).toMatchObject({ name: "AMIGO" });
    expect(body.transactions).toEqual({
      data: [
        expect.objectContaining({
          seq: 1,
          unit: "POINTS",
          direction: "CREDIT",
          amount: 250,
          type: "POINTS COUPON",
          code: "welcome-1",
          store: { externalId: "S1", name: "Centro" },
          reversesId: null,
          reversedById: null,
        }),
      ],
      nextCursor: null,
    });
  });

  it("answers 404 for another tenant's customer and for an unknown one, alike", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const theirs = await seedCustomer(b.id, { channel: "clients", name: "Ajeno" });
    const other = await admin("GET", `/admin/tenants/${a.id}/customers/${theirs.id}`);
    const missing = await admin("GET", `/admin/tenants/${a.id}/customers/987654321`);
    expect(other.status).toBe(404);
    expect(other.text).toBe(missing.text);
    expect(other.body).toEqual({ code: "not_found", message: "Customer not found" });
  });

  it("shows a merged customer as merged into its survivor, and the survivor lists it", async () => {
    const t = await newTenant();
    const survivor = await seedCustomer(t.id, { channel: "clients", name: "Sobrevive" });
    const absorbed = await seedCustomer(t.id, { channel: "loyalty", name: "Duplicado", loyaltyExternalId: "dup-1" });
    await admin("POST", `/admin/tenants/${t.id}/customers/${survivor.id}/merge`, { from: absorbed.id });
    const gone = await admin("GET", `/admin/tenants/${t.id}/customers/${absorbed.id}`);
    expect(gone.body.customer).toMatchObject({ status: "merged", mergedIntoId: survivor.id });
    const kept = await admin("GET", `/admin/tenants/${t.id}/customers/${survivor.id}`);
    expect(kept.body.absorbedIds).toEqual([absorbed.id]);
    expect(kept.body.identifiers).toContainEqual(expect.objectContaining({ kind: "loyalty_id", value: "dup-1" }));
  });
});

describe("GET /admin/tenants/{tenantId}/customers/{customerId}/transactions", () => {
  it("pages the history newest first and links each reversal to what it reversed", async () => {
    const t = await newTenant();
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) codes.push(await coupon(t, "hist-1", 10 + i));
    const reversed = await call("POST", "/api/transaction/reverse", { body: { type: "POINTS COUPON", code: codes[0] }, headers: t.auth });
    expect(reversed.status).toBe(200);
    const id = (await env.DB.prepare("SELECT customer_id AS id FROM identifiers WHERE tenant_id = ? AND value = 'hist-1'").bind(t.id).first<{ id: number }>())!
      .id;
    const first = await admin("GET", `/admin/tenants/${t.id}/customers/${id}/transactions?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.data.map((e: any) => e.seq)).toEqual([4, 3]);
    expect(first.body.nextCursor).toBe("3");
    const rest = await admin("GET", `/admin/tenants/${t.id}/customers/${id}/transactions?limit=2&cursor=3`);
    expect(rest.body.data.map((e: any) => e.seq)).toEqual([2, 1]);
    expect(rest.body.nextCursor).toBeNull();
    const reversal = first.body.data[0];
    const original = rest.body.data[1];
    expect(reversal).toMatchObject({ direction: "DEBIT", reversesId: original.id, reversedById: null });
    expect(original).toMatchObject({ code: codes[0], direction: "CREDIT", reversedById: reversal.id });
    expect(cost(rest.headers).rowsRead).toBeLessThan(12);
  });

  it("answers 404 for another tenant's customer", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const theirs = await seedCustomer(b.id, { channel: "clients", name: "Ajeno" });
    const res = await admin("GET", `/admin/tenants/${a.id}/customers/${theirs.id}/transactions`);
    expect(res.status).toBe(404);
  });
});
