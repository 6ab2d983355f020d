import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../src/http/app-env";

/**
 * I/O floors for `npm run bench`, mounted only by the bench's own entry (bench/floor-worker.ts),
 * never by the deployed Worker. Each floor route makes exactly the D1 round trips and
 * Durable Object calls of the route it stands for, raw: `env.DB.prepare(…).bind(…)` and
 * `env.DB.batch([…])` with statements of the same kind (tables, WHERE shapes, indexes,
 * statements per trip) and the same DO methods, and nothing else: no validation, no
 * envelope, no Drizzle, no token verification, no hashing. It answers the rows it read as
 * JSON. So a route's req/s over its floor's (`real/floor`) is the share of its cost that
 * is ficha's own logic, not I/O it cannot avoid.
 *
 * The floors of the partner read routes, `POST /api/transaction`, the kiosk and the lobby
 * make the I/O those routes are meant to make (issue 16: the credential's liveness read
 * in the route's first batch, one batch per read, the lock's release after the answer,
 * the lobby on a replica); the others make the I/O their routes make today. The bench
 * prints both sides' D1 trips and DO calls, so a route that differs from its floor shows.
 *
 * Floors read ids from the query string (`t` tenant, `c` partner credential) instead of
 * a token, and take the request's own JSON body as it is. Each round trip and DO call is
 * recorded in the request's CostMeter, as the app's own handles do, so Server-Timing
 * reports the floor's I/O like any route's.
 */

type C = Context<AppEnv>;

// ---------------------------------------------------------------------------------------
// I/O, metered

/** One D1 round trip: the statements as one batch. */
async function trip(c: C, statements: D1PreparedStatement[], db: D1Database | D1DatabaseSession = c.env.DB): Promise<D1Result<Row>[]> {
  const started = performance.now();
  const results = await db.batch<Row>(statements);
  c.get("io").meter.recordD1(
    results.map((r) => r.meta),
    performance.now() - started,
  );
  return results;
}

/** One D1 round trip of a single statement (not a batch), as Drizzle's `.get()`/`.all()` make it. */
async function single(c: C, statement: D1PreparedStatement): Promise<Row[]> {
  const started = performance.now();
  const result = await statement.all<Row>();
  c.get("io").meter.recordD1([result.meta], performance.now() - started);
  return result.results;
}

/** One Durable Object call. */
async function call<T>(c: C, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    c.get("io").meter.recordDurable(performance.now() - started);
  }
}

type Row = Record<string, unknown>;

const q = (c: C, sql: string, ...values: unknown[]) => c.env.DB.prepare(sql).bind(...values);
const limiter = (c: C, key: string) => c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key));
const lock = (c: C, name: string) => c.env.CARD_LOCK.get(c.env.CARD_LOCK.idFromName(name));
const ids = (c: C) => ({ tenant: Number(c.req.query("t")), credential: Number(c.req.query("c")) });

/** The partner limiter's call every Bearer route makes. */
const partnerLimit = (c: C, credential: number) => call(c, () => limiter(c, `partner:${credential}`).hit(60));

/** The liveness read as it rides a route's first batch (issue 16). */
const liveness = (c: C) => q(c, "SELECT kind, revoked_at, rate_limit FROM credentials WHERE id = ?1 AND tenant_id = ?2", ids(c).credential, ids(c).tenant);

/** A partner read route: the liveness read and the route's reads in one batch, the limiter's call alongside. */
async function partnerRead(c: C, reads: D1PreparedStatement[]): Promise<Row[][]> {
  const [results] = await Promise.all([trip(c, [liveness(c), ...reads]), partnerLimit(c, ids(c).credential)]);
  return results.slice(1).map((r) => r.results);
}

/**
 * A partner route whose first trip writes: the liveness read alone before it, the
 * limiter's call alongside (src/db/io.ts). Returns the request's JSON body (null without
 * one) and tenant.
 */
// biome-ignore lint/suspicious/noExplicitAny: a floor takes the body as sent, unvalidated.
async function partnerWrite(c: C): Promise<{ body: any; tenant: number }> {
  const body = c.req.raw.body ? await c.req.json() : null;
  const { tenant, credential } = ids(c);
  await Promise.all([
    single(c, q(c, "SELECT rate_limit FROM credentials WHERE id = ?1 AND tenant_id = ?2 AND kind = 'partner' AND revoked_at IS NULL", credential, tenant)),
    partnerLimit(c, credential),
  ]);
  return { body, tenant };
}

/** What a write that appended events does after answering: tells the webhook queue (src/http/outbox.ts). */
const announce = (c: C, tenant: number) => c.executionCtx.waitUntil(c.env.WEBHOOKS.sendBatch([{ body: { kind: "dispatch", tenantId: tenant } }]));

/** A write floor's answer: `row`, the webhook queue told of the tenant's new events. */
function written(c: C, tenant: number, row: unknown, status: 200 | 201 = 201) {
  announce(c, tenant);
  return c.json(row, status);
}

// ---------------------------------------------------------------------------------------
// SQL the statements share (the same expressions the registry and the outbox use)

const PROFILE_KINDS = "'document', 'vlt_code', 'client_code', 'parking_ref', 'loyalty_id'";

/** A customer's row and its active keys (`recordColumns`). */
const RECORD = `customers.*, (SELECT json_group_array(json_array(kind, value, qualifier)) FROM identifiers
  WHERE customer_id = customers.id AND status = 'active' AND +kind IN (${PROFILE_KINDS})) AS identity`;

/** The customer a stored id names, following merges (`isLiveCustomer`). */
const liveCustomer = (id: string, tenant: string) =>
  `customers.id = coalesce((SELECT merged_into_id FROM customers WHERE id = ${id} AND tenant_id = ${tenant}), ${id}) AND customers.tenant_id = ${tenant} AND customers.active = 1`;

/** The exclusive holder of a key (`holderOf`). */
const holder = (tenant: string, kind: string, value: string) =>
  `(SELECT customer_id FROM identifiers WHERE tenant_id = ${tenant} AND kind = ${kind} AND value = ${value} AND exclusive = 1 LIMIT 1)`;

const iso = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
const bool = (column: string) => `CASE customers.${column} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END`;
const at = (column: string) => `CASE WHEN customers.${column} IS NOT NULL THEN ${iso(`customers.${column}`)} END`;
const plain = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `customers.${n}`]));

/** An event's `identifiers` of a customer. */
const keysJson = (customer: string) => `json((SELECT json_group_array(json_object('kind', k.kind, 'value', k.value, 'qualifier', k.qualifier))
  FROM identifiers AS k WHERE k.customer_id = ${customer} AND k.kind IN (${PROFILE_KINDS}) AND k.status = 'active'))`;

/** The whole customer of a `customer.*` event, some fields replaced by the values the write sets. */
function customerJson(replaced: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    id: "customers.id",
    channel: "customers.channel",
    active: bool("active"),
    ...plain("name", "last_name", "paternal_surname", "maternal_surname", "email", "phone", "address", "birth_date", "sex", "ubigeo", "client_type"),
    contact_person: "customers.contact_person",
    parking_unlimited: bool("parking_unlimited"),
    loyalty_data: "json(customers.loyalty_data)",
    ...plain("sales_client_type_id", "sales_document_type_id"),
    consent_whatsapp: bool("consent_whatsapp"),
    consent_whatsapp_at: at("consent_whatsapp_at"),
    consent_email: bool("consent_email"),
    consent_email_at: at("consent_email_at"),
    consent_sms: bool("consent_sms"),
    consent_sms_at: at("consent_sms_at"),
    consent_channel: "customers.consent_channel",
    identifiers: keysJson("customers.id"),
    created_at: iso("customers.created_at"),
    updated_at: iso("customers.updated_at"),
    ...replaced,
  };
  return `json_object(${Object.entries(fields)
    .map(([name, value]) => `'${name}', ${value}`)
    .join(", ")})`;
}

/** The head of an event insert: the tenant's next number (`appendEvent`). */
const insertEvent = (tenant: string) =>
  `INSERT INTO events (tenant_id, seq, type, created_at, data) SELECT ${tenant}, (SELECT coalesce(max(seq), 0) FROM events WHERE tenant_id = ${tenant}) +`;

const LAST_CUSTOMER = "(SELECT max(id) FROM customers)";

/** Identifiers of the customer the batch inserted last (`linkIdentifiers`): `keys` is a SELECT of (kind, value, qualifier, exclusive). */
const linkKeys = (keys: string) => `INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, status, exclusive, created_at, status_changed_at)
  SELECT ?1, owner.id, keys.kind, keys.value, keys.qualifier, 'active', keys.exclusive, ?2, ?2
  FROM (SELECT ${LAST_CUSTOMER} AS id) AS owner, (${keys}) AS keys WHERE owner.id IS NOT NULL`;

const customerCreated = `${insertEvent("?1")} 1, 'customer.created', ?2, json_object('customer', ${customerJson()})
  FROM customers WHERE customers.id = ${LAST_CUSTOMER} AND customers.tenant_id = ?1`;

/** The resolution of keys to their holders (`holdersStatement`): one seek per key. */
const holders = (keys: Array<{ key: string; kind: string; value: string; rank: number }>, tenant: string) =>
  keys
    .map(
      (k) => `SELECT * FROM (SELECT '${k.key}' AS key, '${k.kind}' AS kind, ${k.rank} AS rank, identifiers.customer_id AS customerId, customers.active AS active
        FROM identifiers JOIN customers ON customers.id = identifiers.customer_id
        WHERE identifiers.tenant_id = ${tenant} AND identifiers.kind = '${k.kind}' AND identifiers.value = ${k.value} AND identifiers.exclusive = 1 LIMIT 1)`,
    )
    .join(" UNION ALL ");

// ---------------------------------------------------------------------------------------
// The floors

export const floors = new Hono<AppEnv>().basePath("/__floor");

// Clients (seed 001)
floors.get("/clientes", async (c) => {
  const { tenant } = ids(c);
  const size = Number(c.req.query("size"));
  const offset = Number(c.req.query("page")) * size;
  const [, page] = await partnerRead(c, [
    q(c, "SELECT active_customers FROM tenants WHERE id = ?1", tenant),
    q(
      c,
      `SELECT ${RECORD} FROM customers WHERE tenant_id = (SELECT id FROM tenants WHERE id = ?1 AND active_customers > ?2) AND active = 1
       ORDER BY id LIMIT ?3 OFFSET ?2`,
      tenant,
      offset,
      size,
    ),
  ]);
  return c.json(page);
});

floors.get("/clientes/:id", async (c) => {
  const [record] = await partnerRead(c, [q(c, `SELECT ${RECORD} FROM customers WHERE ${liveCustomer("?1", "?2")}`, Number(c.req.param("id")), ids(c).tenant)]);
  return c.json(record);
});

floors.post("/clientes", async (c) => {
  const { body, tenant } = await partnerWrite(c);
  const now = Date.now();
  const [created] = await trip(c, [
    q(
      c,
      `INSERT INTO customers (tenant_id, active, channel, name, last_name, paternal_surname, maternal_surname, client_type, created_at, updated_at)
       VALUES (?1, 1, 'clients', ?2, NULL, NULL, NULL, ?3, ?4, ?4) RETURNING *`,
      tenant,
      body.nombre,
      body.tipoCliente,
      now,
    ),
    q(
      c,
      linkKeys(`SELECT 'client_code' AS kind, ?3 AS value, NULL AS qualifier, 1 AS exclusive
        UNION ALL SELECT 'document', ?4, ?5, CASE WHEN ${holder("?1", "'document'", "?4")} IS NULL THEN 1 END`),
      tenant,
      now,
      body.codigoCliente,
      body.numeroDocumento,
      body.tipoDocumento,
    ),
    q(c, customerCreated, tenant, now),
  ]);
  return written(c, tenant, created!.results[0]);
});

floors.put("/clientes/:id", async (c) => {
  const { body, tenant } = await partnerWrite(c);
  const id = Number(c.req.param("id"));
  const now = Date.now();
  const changed = `CASE WHEN customers.email IS NOT ?3 THEN ',"email"' ELSE '' END || CASE WHEN customers.phone IS NOT ?4 THEN ',"phone"' ELSE '' END`;
  const results = await trip(c, [
    q(
      c,
      `${insertEvent("?1")} 1, 'customer.updated', ?2, json_object('customer', ${customerJson({ email: "?3", phone: "?4", updated_at: iso("?2") })},
         'changed', json('[' || substr((${changed}), 2) || ']'))
       FROM customers WHERE customers.id = (SELECT id FROM customers WHERE ${liveCustomer("?5", "?1")}) AND customers.tenant_id = ?1 AND customers.active = 1
         AND (${changed}) <> ''`,
      tenant,
      now,
      body.email,
      body.telefono,
      id,
    ),
    q(
      c,
      `UPDATE customers SET phone = ?1, email = ?2, updated_at = ?3 WHERE id = (SELECT id FROM customers WHERE ${liveCustomer("?4", "?5")})`,
      body.telefono,
      body.email,
      now,
      id,
      tenant,
    ),
    q(c, `SELECT ${RECORD} FROM customers WHERE ${liveCustomer("?1", "?2")}`, id, tenant),
  ]);
  return written(c, tenant, results[2]!.results[0], 200);
});

// ficha's event feed
floors.get("/events", async (c) => {
  const [page] = await partnerRead(c, [
    q(
      c,
      "SELECT * FROM events WHERE tenant_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
      ids(c).tenant,
      Number(c.req.query("after") ?? 0),
      Number(c.req.query("limit")),
    ),
  ]);
  return c.json(page);
});

// Kiosk (seed 000): a new card takes the limiter and the lock's acquire, one read batch (with
// the VLT destination) and one write batch, and releases the lock after answering; a
// repeated tap is answered by the lock's memo.
floors.post("/register", async (c) => {
  const body = await c.req.json();
  const tenant = Number(c.req.query("t"));
  await call(c, () =>
    limiter(c, `kiosk-register:${c.req.header("cf-connecting-ip")}`).consume(Number(c.env.KIOSK_RATE_LIMIT), Number(c.env.KIOSK_RATE_WINDOW_SECONDS), 1),
  );
  const card = lock(c, `${tenant}:rfid:${body.tarjeta}`);
  const grant = await call(c, () => card.acquire());
  if (!grant || grant.token === null) return c.json(grant?.memo ?? null);
  const vlt = String(body.codigoClienteVLT);
  await trip(c, [
    q(c, "SELECT value FROM settings WHERE key = 'vlt_destination_tenant'"),
    q(c, "SELECT customer_id FROM identifiers WHERE tenant_id = ?1 AND kind = 'rfid_card' AND value = ?2 AND exclusive = 1 LIMIT 1", tenant, body.tarjeta),
    q(
      c,
      holders(
        [
          { key: "vltCode", kind: "vlt_code", value: "?2", rank: 0 },
          { key: "document", kind: "document", value: "?3", rank: 0 },
        ],
        "?1",
      ),
      tenant,
      vlt,
      body.dni,
    ),
    q(c, `SELECT ${RECORD} FROM customers WHERE id IN (${holder("?1", "'vlt_code'", "?2")}, ${holder("?1", "'document'", "?3")})`, tenant, vlt, body.dni),
  ]);
  const now = Date.now();
  const replaced = `EXISTS (SELECT 1 FROM identifiers AS replaced_card WHERE replaced_card.customer_id = identifiers.customer_id
    AND replaced_card.kind = 'rfid_card' AND replaced_card.status = 'replaced' AND replaced_card.status_changed_at = ?2)`;
  const cardJson = "json_object('id', identifiers.id, 'last4', substr(identifiers.value, -4))";
  const cardCustomer = `json_object('id', identifiers.customer_id, 'identifiers', ${keysJson("identifiers.customer_id")})`;
  const [created] = await trip(c, [
    q(
      c,
      `INSERT INTO customers (tenant_id, active, channel, name, last_name, paternal_surname, maternal_surname, email, phone, address, birth_date, sex, ubigeo,
         consent_whatsapp, consent_whatsapp_at, consent_email, consent_email_at, consent_sms, consent_sms_at, consent_channel, created_at, updated_at)
       VALUES (?1, 1, 'kiosk', ?2, ?3, ?3, NULL, ?4, NULL, NULL, NULL, NULL, NULL, ?5, ?8, ?6, ?8, ?7, ?8, 'kiosk', ?8, ?8) RETURNING *`,
      tenant,
      body.nombre,
      body.apellidoPaterno,
      body.correo,
      body.enviarWhatsApp ? 1 : 0,
      body.enviarCorreo ? 1 : 0,
      body.enviarSms ? 1 : 0,
      now,
    ),
    q(
      c,
      linkKeys(`SELECT 'vlt_code' AS kind, ?3 AS value, NULL AS qualifier, 1 AS exclusive UNION ALL SELECT 'document', ?4, 'DNI', 1
        UNION ALL SELECT 'rfid_card', ?5, NULL, 1`),
      tenant,
      now,
      vlt,
      body.dni,
      body.tarjeta,
    ),
    q(c, customerCreated, tenant, now),
    q(
      c,
      `${insertEvent("?1")} 1, CASE WHEN ${replaced} THEN 'card.replaced' ELSE 'card.bound' END, ?2,
         CASE WHEN ${replaced} THEN json_object('customer', ${cardCustomer}, 'card', ${cardJson}, 'replaced', json((SELECT json_group_array(json_object('id', replaced_card.id,
           'last4', substr(replaced_card.value, -4))) FROM identifiers AS replaced_card WHERE replaced_card.customer_id = identifiers.customer_id
           AND replaced_card.kind = 'rfid_card' AND replaced_card.status = 'replaced' AND replaced_card.status_changed_at = ?2)))
         ELSE json_object('customer', ${cardCustomer}, 'card', ${cardJson}) END
       FROM identifiers WHERE identifiers.tenant_id = ?1 AND identifiers.kind = 'rfid_card' AND identifiers.value = ?3
         AND +identifiers.customer_id = ${LAST_CUSTOMER} AND identifiers.created_at = ?2`,
      tenant,
      now,
      body.tarjeta,
    ),
  ]);
  const customerId = Number(created!.results[0]!.id);
  c.executionCtx.waitUntil(call(c, () => card.release(grant.token, { customerId })));
  return written(c, tenant, { customerId });
});

// The lobby: the kiosk's secret (its SHA-256, sent by the bench: hashing is logic) and the
// card in one query, on a session a replica may serve; then the lobby's limiter.
floors.post("/lobby", async (c) => {
  const body = await c.req.json();
  const hash = c.req.header("x-secret-sha256");
  const [found] = await trip(
    c,
    [
      q(
        c,
        `SELECT credentials.id AS credential_id, identifiers.value AS card_uid, customers.*,
           CASE WHEN customers.id IS NULL THEN NULL ELSE (SELECT json_group_array(json_array(k.kind, k.value, k.qualifier)) FROM identifiers AS k
             WHERE k.customer_id = customers.id AND k.status = 'active' AND +k.kind IN (${PROFILE_KINDS})) END AS identity
         FROM credentials
         LEFT JOIN identifiers ON identifiers.tenant_id = credentials.tenant_id AND identifiers.kind = 'rfid_card' AND identifiers.value = ?1
           AND identifiers.exclusive = 1 AND identifiers.status = 'active'
         LEFT JOIN customers ON customers.id = identifiers.customer_id AND customers.tenant_id = credentials.tenant_id AND customers.active = 1
         WHERE (credentials.secret_hash = ?2 OR (credentials.previous_secret_hash = ?2 AND credentials.previous_valid_until > ?3))
           AND credentials.kind = 'kiosk' AND credentials.revoked_at IS NULL`,
        body.cardIdentifier,
        hash,
        Date.now(),
      ),
    ],
    c.env.DB.withSession("first-unconstrained"),
  );
  const row = found!.results[0];
  await call(c, () => limiter(c, `kiosk-lobby:${row?.credential_id}`).consume(Number(c.env.LOBBY_RATE_LIMIT), Number(c.env.LOBBY_RATE_WINDOW_SECONDS), 1));
  return c.json(row);
});

// Loyalty (seed 003)
floors.post("/oauth/token", async (c) => {
  const body = await c.req.json();
  await call(c, () =>
    limiter(c, `oauth-failures:${c.req.header("cf-connecting-ip") ?? "unknown"}`).consume(
      Number(c.env.OAUTH_FAILURE_LIMIT),
      Number(c.env.OAUTH_FAILURE_WINDOW_SECONDS),
      0,
    ),
  );
  const [credential] = await single(c, q(c, "SELECT * FROM credentials WHERE id = ?1 AND revoked_at IS NULL", Number(body.client_id)));
  return c.json({ id: credential?.id });
});

/** The customer a loyalty key names: its holder as a loyalty id, else as a document (`ledgerCustomerOf`). */
const LEDGER_CUSTOMER = `(SELECT id FROM customers WHERE id = coalesce(${holder("?1", "'loyalty_id'", "?2")}, ${holder("?1", "'document'", "?2")}) AND active = 1)`;
const TIERS_OF = "(CASE WHEN EXISTS (SELECT 1 FROM ledger_groups WHERE tenant_id = ?1) THEN ?1 ELSE 0 END)";

/**
 * The statements that read transaction views (`transactionViewStatements`): the page `where`
 * selects over `t`, and the customers `customers` (a SELECT of ids) names, each with its values.
 */
const viewStatements = (c: C, tenant: number, [where, whereValues]: [string, unknown[]], [customers, customerValues]: [string, unknown[]]) => [
  q(c, "SELECT timezone FROM tenants WHERE id = ?1", tenant),
  q(
    c,
    `SELECT t.id, t.title, t.description, t.code, t.direction, t.unit, t.amount, t.created_at AS createdAt, t.customer_id AS customerId,
       ledger_stores.id AS storeId, ledger_stores.external_id AS storeExternalId, ledger_stores.name AS storeName
     FROM ledger_transactions t LEFT JOIN ledger_stores ON ledger_stores.id = t.store_id WHERE ${where}`,
    ...whereValues,
  ),
  q(
    c,
    `SELECT id, (SELECT value FROM identifiers WHERE customer_id = customers.id AND status = 'active' AND kind = 'loyalty_id' ORDER BY id LIMIT 1) AS externalId, name
     FROM customers WHERE id IN (${customers})`,
    ...customerValues,
  ),
  q(
    c,
    `SELECT id, customer_id AS customerId, unit, balance, earned FROM ledger_accounts WHERE customer_id IN (${customers}) ORDER BY customer_id, unit DESC`,
    ...customerValues,
  ),
  q(c, `SELECT id, rank, name, description, min_earned AS minEarned FROM ledger_groups WHERE tenant_id = ${TIERS_OF} ORDER BY rank`, tenant),
];

floors.get("/history", async (c) => {
  const { tenant } = ids(c);
  const customer = c.req.query("customerId");
  const page = Math.max(1, Number(c.req.query("page")));
  const [, transactions] = await partnerRead(
    c,
    viewStatements(
      c,
      tenant,
      [
        `t.tenant_id = ?1 AND t.customer_id = ${LEDGER_CUSTOMER}
         AND t.customer_seq <= (SELECT max(customer_seq) FROM ledger_transactions WHERE customer_id = ${LEDGER_CUSTOMER}) - ?3 ORDER BY t.customer_seq DESC LIMIT ?4`,
        [tenant, customer, (page - 1) * 20, 20],
      ],
      [LEDGER_CUSTOMER, [tenant, customer]],
    ),
  );
  return c.json(transactions);
});

// A credit to an existing customer: the read batch (the liveness read, the tenant, the
// type, the customer's accounts, the code's earlier use, the key's holder), then the
// guarded write batch with its read-back.
floors.post("/transaction", async (c) => {
  const body = await c.req.json();
  const { tenant } = ids(c);
  const externalId = body.customer.externalId;
  const [reads] = await Promise.all([
    trip(c, [
      liveness(c),
      q(c, "SELECT timezone, points_lifetime_days AS pointsLifetimeDays FROM tenants WHERE id = ?1", tenant),
      q(c, "SELECT * FROM ledger_types WHERE (tenant_id = 0 OR tenant_id = ?1) AND name = ?2 ORDER BY tenant_id DESC LIMIT 1", tenant, body.type),
      q(
        c,
        `SELECT id, customer_id AS customerId, unit FROM ledger_accounts WHERE customer_id IN (SELECT customer_id FROM identifiers
           WHERE tenant_id = ?1 AND exclusive = 1 AND ((kind = 'loyalty_id' AND value IN (?2)) OR (kind = 'document' AND value IN (?2))))`,
        tenant,
        externalId,
      ),
      q(
        c,
        "SELECT id, request_hash AS requestHash FROM ledger_transactions WHERE tenant_id = ?1 AND type = ?2 AND code = ?3 AND reverses_id IS NULL AND counterpart_id IS NULL",
        tenant,
        body.type,
        body.code,
      ),
      q(
        c,
        holders(
          [
            { key: "externalId", kind: "loyalty_id", value: "?2", rank: 0 },
            { key: "externalId", kind: "document", value: "?2", rank: 1 },
          ],
          "?1",
        ),
        tenant,
        externalId,
      ),
    ]),
    partnerLimit(c, ids(c).credential),
  ]);
  const [, tenantRow, typeRow, accountRows, , holderRows] = reads.map((r) => r.results);
  const type = typeRow![0]!;
  const account = accountRows!.find((a) => a.unit === type.unit)!;
  const customerId = holderRows![0]!.customerId;
  const now = Date.now();
  const last = "(SELECT max(id) FROM ledger_transactions)";
  const amount = `(SELECT amount FROM ledger_transactions WHERE id = ${last})`;
  const store = "(SELECT id FROM ledger_stores WHERE tenant_id = ?1 AND external_id = ?2)";
  const tier = (earned: string) => `json((SELECT json_object('id', id, 'name', name, 'rank', rank) FROM ledger_groups
    WHERE tenant_id = ${TIERS_OF} AND min_earned <= ${earned} ORDER BY rank DESC LIMIT 1))`;
  const results = await trip(c, [
    q(
      c,
      "INSERT INTO ledger_stores (tenant_id, external_id, name, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (tenant_id, external_id) DO NOTHING",
      tenant,
      body.store.externalId,
      body.store.name,
      now,
    ),
    q(
      c,
      `INSERT INTO ledger_transactions (tenant_id, customer_id, customer_seq, account_id, unit, direction, amount, type, category, code, external_id, title,
         partner_title, description, store_id, vendor_id, checkbook_id, transfer_transaction_id, counterpart_id, order_total, earned_redeemed, request_hash, channel,
         registered_channel, created_at)
       SELECT ?1, ?3, (SELECT coalesce(max(customer_seq), 0) + 1 FROM ledger_transactions WHERE customer_id = ?3), ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11, NULL, ?12,
         ${store}, NULL, NULL, NULL, NULL, NULL, NULL, ?10, 'loyalty', NULL, ?13 RETURNING id`,
      tenant,
      body.store.externalId,
      customerId,
      account.id,
      type.unit,
      type.direction,
      Math.round(body.total * 100),
      type.name,
      type.category,
      body.code,
      type.title,
      body.description,
      now,
    ),
    q(
      c,
      `INSERT INTO ledger_lots (tenant_id, account_id, transaction_id, amount, remaining, expires_at, expired, set_name, created_at)
       SELECT ?1, ?2, ${last}, ${amount}, ${amount}, ?3, 0, ?4, ?5 WHERE ${amount} > 0`,
      tenant,
      account.id,
      now + Number(tenantRow![0]!.pointsLifetimeDays ?? 365) * 86_400_000,
      type.set_name,
      now,
    ),
    q(c, `UPDATE ledger_accounts SET balance = balance + ${amount}, earned = earned + ${amount}, updated_at = ?1 WHERE id = ?2`, now, account.id),
    q(
      c,
      `INSERT INTO report_store_days (tenant_id, day, store_id, point_earned_coupons) SELECT ?1, ?3, coalesce(${store}, 0), ${amount} WHERE 1
       ON CONFLICT (tenant_id, day, store_id) DO UPDATE SET point_earned_coupons = point_earned_coupons + excluded.point_earned_coupons`,
      tenant,
      body.store.externalId,
      new Date(now).toISOString().slice(0, 10),
    ),
    q(
      c,
      `${insertEvent("?1")} 1, 'ledger.posted', ?2, json_object('customer', json_object('id', t.customer_id, 'identifiers', ${keysJson("t.customer_id")}),
         'transaction', json_object('id', t.id, 'operation', 'credit', 'direction', t.direction, 'type', t.type, 'category', t.category, 'code', t.code,
           'unit', t.unit, 'amount', t.amount, 'balance_after', (SELECT balance FROM ledger_accounts WHERE id = t.account_id),
           'store', (SELECT external_id FROM ledger_stores WHERE id = t.store_id), 'reverses', t.reverses_id, 'counterpart', t.counterpart_id,
           'created_at', ${iso("t.created_at")}))
       FROM ledger_transactions AS t WHERE t.id = ${last} AND t.tenant_id = ?1`,
      tenant,
      now,
    ),
    q(
      c,
      `${insertEvent("?1")} 1, 'tier.changed', ?2, json_object('customer', json_object('id', a.customer_id, 'identifiers', ${keysJson("a.customer_id")}),
         'from', ${tier(`a.earned - ${amount}`)}, 'to', ${tier("a.earned")}, 'earned', a.earned)
       FROM ledger_accounts AS a WHERE ${tier(`a.earned - ${amount}`)} IS NOT ${tier("a.earned")} AND a.id = ?3 AND a.unit = 'POINTS'`,
      tenant,
      now,
      account.id,
    ),
    ...viewStatements(
      c,
      tenant,
      [`t.tenant_id = ?1 AND t.id = ${last} ORDER BY t.id LIMIT 1`, [tenant]],
      [`SELECT customer_id FROM ledger_transactions WHERE id = ${last}`, []],
    ),
  ]);
  return written(c, tenant, results[8]!.results[0], 200);
});

floors.get("/report/:kind", async (c) => {
  // One range of the `…_report` index, in report order: the counters carry their store name and product code (migration 0014).
  const values = [ids(c).tenant, c.req.query("startDate"), c.req.query("endDate"), 20_001];
  const [report] = await partnerRead(c, [
    c.req.param("kind") === "stores"
      ? q(
          c,
          `SELECT day, store_name AS store, preregistered_pos, subscribed_after_pos, registered_app, registered_web, referrals, point_earned_orders,
             point_earned_coupons, point_earned_balance, point_redeemed, point_expired, point_reversed_coupon, point_reversed_order
           FROM report_store_days WHERE tenant_id = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day, store_name IS NULL, store_name, store_id LIMIT ?4`,
          ...values,
        )
      : q(
          c,
          `SELECT day, store_name AS store, product_code AS product, num_orders, num_products, point_redeemed, point_earned_orders,
             point_earned_coupons, point_earned_balance, num_redeemed
           FROM report_product_days WHERE tenant_id = ?1 AND day BETWEEN ?2 AND ?3
           ORDER BY day, store_name IS NULL, store_name, store_id, product_code LIMIT ?4`,
          ...values,
        ),
  ]);
  return c.json(report);
});

// Parking (seed 002)
const PARKING_CUSTOMER = `SELECT id FROM customers WHERE id = ${holder("?1", "'parking_ref'", "?2")} AND active = 1`;

floors.post("/tag/list", async (c) => {
  const body = await c.req.json();
  const { tenant } = ids(c);
  const [, tags] = await partnerRead(c, [
    q(
      c,
      `SELECT id, parking_unlimited AS unlimited, 1 AS confirmed FROM customers WHERE id = ${holder("?1", "'parking_ref'", "?2")} AND active = 1`,
      tenant,
      body.refId,
    ),
    q(
      c,
      `SELECT id, value AS code, qualifier AS plate FROM identifiers WHERE customer_id = (${PARKING_CUSTOMER}) AND kind = 'vehicle_tag' AND status = 'active' ORDER BY id`,
      tenant,
      body.refId,
    ),
  ]);
  return c.json(tags);
});

/** A tag's insert, guarded by the customer's tag allowance (`bindTagStatement`). */
const insertTag = (
  customer: string,
) => `INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, status, exclusive, created_at, status_changed_at)
  SELECT customers.tenant_id, customers.id, 'vehicle_tag', ?1, ?2, 'active', 1, ?3, ?3 FROM customers
  WHERE customers.id = ${customer} AND customers.tenant_id = ?4 AND customers.active = 1 AND (customers.parking_unlimited = 1
    OR NOT EXISTS (SELECT 1 FROM identifiers WHERE customer_id = customers.id AND kind = 'vehicle_tag' AND status = 'active')) RETURNING id`;

/** `tag.added` for the tags the batch inserted (`tagsAdded`). */
const tagAdded = (customer: string) => `${insertEvent("?1")} row_number() OVER (ORDER BY identifiers.id), 'tag.added', ?2,
    json_object('customer', json_object('id', identifiers.customer_id, 'identifiers', ${keysJson("identifiers.customer_id")}),
      'tag', json_object('id', identifiers.id, 'code', identifiers.value, 'plate', identifiers.qualifier))
  FROM identifiers WHERE identifiers.tenant_id = ?1 AND identifiers.kind = 'vehicle_tag' AND identifiers.value IN (?3) AND +identifiers.customer_id = ${customer}
    AND identifiers.status = 'active' AND identifiers.created_at = ?2`;

floors.post("/tag/add", async (c) => {
  const { body, tenant } = await partnerWrite(c);
  const tag = body.tags[0];
  const tagLock = lock(c, `${tenant}:tag:${tag.code}`);
  const grant = await call(c, () => tagLock.acquire());
  const [owner] = await partnerTagReads(c, tenant, body.customer.refId, tag.code);
  const now = Date.now();
  const customerId = owner![0]!.id;
  await trip(c, [q(c, insertTag("?5"), tag.code, tag.plate, now, tenant, customerId), q(c, tagAdded("?4"), tenant, now, tag.code, customerId)]);
  await call(c, () => tagLock.release(grant!.token!));
  return written(c, tenant, { customer: customerId });
});

/** The reads of `tag/add`: the customer, the tag's holder, and whether the customer already has an active tag. */
async function partnerTagReads(c: C, tenant: number, refId: string, code: string): Promise<Row[][]> {
  const results = await trip(c, [
    q(
      c,
      `SELECT id, parking_unlimited AS unlimited, 1 AS confirmed FROM customers WHERE id = ${holder("?1", "'parking_ref'", "?2")} AND active = 1`,
      tenant,
      refId,
    ),
    q(
      c,
      "SELECT customer_id AS customerId, value AS code FROM identifiers WHERE tenant_id = ?1 AND kind = 'vehicle_tag' AND value IN (?2) AND exclusive = 1",
      tenant,
      code,
    ),
    q(c, `SELECT id FROM identifiers WHERE customer_id = (${PARKING_CUSTOMER}) AND kind = 'vehicle_tag' AND status = 'active' LIMIT 1`, tenant, refId),
  ]);
  return results.map((r) => r.results);
}

floors.post("/customer/add", async (c) => {
  const { body, tenant } = await partnerWrite(c);
  const tag = body.tags[0];
  const tagLock = lock(c, `${tenant}:tag:${tag.code}`);
  const grant = await call(c, () => tagLock.acquire());
  const now = Date.now();
  const [created] = await trip(c, [
    q(
      c,
      `INSERT INTO customers (tenant_id, active, channel, name, last_name, email, phone, parking_unlimited, created_at, updated_at)
       VALUES (?1, 1, 'parking', ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING *`,
      tenant,
      body.name,
      body.lastname,
      body.email,
      body.phone,
      body.isUnlimited ? 1 : 0,
      now,
    ),
    q(c, linkKeys("SELECT 'parking_ref' AS kind, ?3 AS value, NULL AS qualifier, 1 AS exclusive"), tenant, now, body.refId),
    q(c, insertTag(LAST_CUSTOMER), tag.code, tag.plate, now, tenant),
    q(c, customerCreated, tenant, now),
    q(c, tagAdded(LAST_CUSTOMER), tenant, now, tag.code),
  ]);
  await call(c, () => tagLock.release(grant!.token!));
  return written(c, tenant, { customer: created!.results[0]!.id });
});

// Sales (seed 004)
const SALES_CLIENT = `SELECT document.value AS document_number, customers.name, customers.last_name, customers.sales_client_type_id, customers.sales_document_type_id,
    customers.address, customers.phone, customers.email, customers.created_at, customers.updated_at, sales_client_types.name AS client_type_name,
    sales_document_types.code AS document_type_code, sales_document_types.name AS document_type_name
  FROM identifiers AS document JOIN customers ON customers.id = document.customer_id
  LEFT JOIN sales_client_types ON sales_client_types.id = customers.sales_client_type_id
  LEFT JOIN sales_document_types ON sales_document_types.id = customers.sales_document_type_id
  WHERE document.tenant_id = ?1 AND document.kind = 'document' AND document.exclusive = 1`;

floors.get("/sales/clientes", async (c) => {
  const { tenant } = ids(c);
  const page = Math.max(1, Number(c.req.query("page") ?? 1));
  const [clients] = await partnerRead(c, [
    q(c, `${SALES_CLIENT} ORDER BY document.value LIMIT ?2 OFFSET ?3`, tenant, 15, (page - 1) * 15),
    q(c, "SELECT documented_customers FROM tenants WHERE id = ?1", tenant),
  ]);
  return c.json(clients);
});

floors.get("/sales/clientes/:documento", async (c) => {
  const [client] = await partnerRead(c, [q(c, `${SALES_CLIENT} AND document.value = ?2`, ids(c).tenant, c.req.param("documento"))]);
  return c.json(client);
});

floors.post("/sales/clientes", async (c) => {
  const { body, tenant } = await partnerWrite(c);
  await single(
    c,
    q(
      c,
      `SELECT timezone, (SELECT name FROM sales_client_types WHERE id = ?2), (SELECT code FROM sales_document_types WHERE id = ?3),
         (SELECT name FROM sales_document_types WHERE id = ?3), ${holder("?1", "'document'", "?4")} FROM tenants WHERE id = ?1`,
      tenant,
      body.id_tipo_cliente,
      body.id_tipo_documento,
      body.documento,
    ),
  );
  const now = Date.now();
  const [created] = await trip(c, [
    q(
      c,
      `INSERT INTO customers (tenant_id, active, channel, name, last_name, paternal_surname, maternal_surname, email, sales_client_type_id, sales_document_type_id,
         created_at, updated_at) VALUES (?1, 1, 'sales', ?2, NULL, NULL, NULL, ?3, ?4, ?5, ?6, ?6) RETURNING *`,
      tenant,
      body.nombre,
      body.correo,
      body.id_tipo_cliente,
      body.id_tipo_documento,
      now,
    ),
    q(c, linkKeys("SELECT 'document' AS kind, ?3 AS value, 'CC' AS qualifier, 1 AS exclusive"), tenant, now, body.documento),
    q(c, customerCreated, tenant, now),
  ]);
  return written(c, tenant, created!.results[0]);
});

floors.post("/sales/ventas", async (c) => {
  const { body, tenant } = await partnerWrite(c);
  const now = Date.now();
  const [sale] = await trip(c, [
    q(
      c,
      `INSERT INTO sales (id, tenant_id, customer_id, apartment, amount, kind, date, created_at)
       SELECT NULL, tenant_id, id, ?1, ?2, ?3, ?4, ?5 FROM customers WHERE id = ${holder("?6", "'document'", "?7")} AND active = 1 RETURNING *`,
      body.apartamento,
      body.monto,
      body.tipo,
      body.fecha,
      now,
      tenant,
      body.documento,
    ),
    q(
      c,
      `${insertEvent("?1")} 1, 'sale.recorded', ?2, json_object('customer', json_object('id', sales.customer_id, 'identifiers', ${keysJson("sales.customer_id")}),
         'sale', json_object('id', sales.id, 'kind', sales.kind, 'apartment', sales.apartment, 'amount', sales.amount, 'date', sales.date))
       FROM sales WHERE sales.id = (SELECT max(id) FROM sales) AND sales.tenant_id = ?1 AND sales.customer_id = ${holder("?1", "'document'", "?3")} AND sales.created_at = ?2`,
      tenant,
      now,
      body.documento,
    ),
  ]);
  return written(c, tenant, sale!.results[0]);
});

floors.delete("/sales/clientes/:documento", async (c) => {
  const { tenant } = await partnerWrite(c);
  const documento = c.req.param("documento");
  const now = Date.now();
  const target = holder("?2", "'document'", "?3");
  const noSales = "NOT EXISTS (SELECT 1 FROM sales WHERE sales.tenant_id = ?2 AND sales.customer_id = customers.id)";
  const results = await trip(c, [
    q(
      c,
      `${insertEvent("?2")} 1, 'customer.deleted', ?1, json_object('customer', ${customerJson({ active: "json('false')", updated_at: iso("?1") })})
       FROM customers WHERE customers.id = ${target} AND customers.tenant_id = ?2 AND customers.active = 1 AND ${noSales}`,
      now,
      tenant,
      documento,
    ),
    q(c, `UPDATE customers SET active = 0, updated_at = ?1 WHERE id = ${target} AND active = 1 AND ${noSales} RETURNING id`, now, tenant, documento),
    q(
      c,
      `UPDATE identifiers SET status = 'cancelled', status_changed_at = ?1, exclusive = CASE WHEN kind IN ('document', 'client_code', 'vehicle_tag') THEN NULL ELSE exclusive END
       WHERE customer_id = ${target} AND status = 'active' AND kind IN ('document', 'client_code', 'rfid_card', 'vehicle_tag')
         AND EXISTS (SELECT 1 FROM customers WHERE customers.id = identifiers.customer_id AND customers.active = 0)`,
      now,
      tenant,
      documento,
    ),
    q(c, `SELECT ${target} AS id`, now, tenant, documento),
  ]);
  return c.json(results[3]!.results[0], results[1]!.results.length > 0 ? 200 : 409);
});
