/**
 * The one schema of ficha's D1 database. `npm run db:generate` turns changes here into
 * SQL under migrations/; wrangler applies them and the tests read the same folder.
 *
 * Every business row carries `tenant_id`, and every query filters by it. Times are
 * milliseconds since the epoch; money and points are integers in minor units.
 *
 * Ids are plain INTEGER PRIMARY KEYs (rowids), not AUTOINCREMENT: rows are never
 * hard-deleted, so ids are never reused, and AUTOINCREMENT would make every insert read
 * `sqlite_sequence` (D1 bills those rows).
 */
import { type SQLWrapper, sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable("tenants", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  /** IANA zone name; reports and rendered timestamps use the tenant's local day. */
  timezone: text("timezone").notNull().default("UTC"),
  /** Active customers, so paginated lists answer their totals without counting the
   * table. Both counters are kept by triggers on `customers` (migration 0006), in the same
   * statement as every write that moves them, whichever surface writes. */
  activeCustomers: integer("active_customers").notNull().default(0),
  /** Active customers that hold a document number (the sales surface lists only those). */
  documentedCustomers: integer("documented_customers").notNull().default(0),
  /** Loyalty ledger policy: days a POINTS credit stays spendable when the request names no `expirationDate`. */
  pointsLifetimeDays: integer("points_lifetime_days").notNull().default(365),
  /** Requests per minute each partner credential of the tenant may make on Bearer routes; null = the PARTNER_RATE_LIMIT var. */
  partnerRateLimit: integer("partner_rate_limit"),
  /**
   * Whether the partner GET routes may read from the nearest D1 replica (a D1 session
   * `first-unconstrained`). Off by default: legacy clients never send a bookmark back and
   * expect to read their own writes at once. See the README's "Read replicas".
   */
  partnerReplicaReads: integer("partner_replica_reads", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
});

/** The owning tenant: every business row has one, and every query filters by it. */
const tenantRef = () =>
  integer("tenant_id")
    .notNull()
    .references(() => tenants.id);

export const credentialKinds = ["partner", "kiosk"] as const;
export type CredentialKind = (typeof credentialKinds)[number];

export const credentials = sqliteTable(
  "credentials",
  {
    /** The numeric `client_id` partners send to /oauth/token. */
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    kind: text("kind", { enum: credentialKinds }).notNull(),
    name: text("name"),
    /** SHA-256 (hex) of the secret; the secret itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    /** After a rotation: the hash of the secret it replaced, accepted until `previous_valid_until` (the grace period). */
    previousSecretHash: text("previous_secret_hash"),
    previousValidUntil: integer("previous_valid_until"),
    /**
     * The tenant's `partner_rate_limit`, copied here by the batch that sets it (and by the
     * one that creates the credential), so the liveness read every Bearer call makes
     * already carries the limit: no second row, no second round trip.
     */
    rateLimit: integer("rate_limit"),
    /** The tenant's `partner_replica_reads`, copied the same way. */
    replicaReads: integer("replica_reads", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    uniqueIndex("credentials_secret_hash").on(t.secretHash),
    uniqueIndex("credentials_previous_secret_hash").on(t.previousSecretHash),
    // The operator console lists a tenant's credentials (newest first).
    index("credentials_tenant").on(t.tenantId, t.id),
  ],
);

/** Deployment-wide settings, e.g. which tenant receives public kiosk registrations. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The loyalty seed's `Platform` values: frontends (the rest are partners' back ends or other surfaces). */
export const frontendChannels = ["web", "mobile", "ios", "android"] as const;

/** How a customer first reached the registry; the loyalty reports count registrations by it. */
export const channels = ["kiosk", "clients", "parking", "loyalty", "sales", ...frontendChannels] as const;
export type Channel = (typeof channels)[number];

/** The frontend channels as an SQL list, for IN clauses that must match the partial index's (same text). */
export const frontendChannelList = sql.raw(frontendChannels.map((c) => `'${c}'`).join(", "));

/**
 * The searchable form of a name column: SQLite's `lower()` (ASCII letters only), the same
 * expression in the index and in the query, so SQLite can use the index.
 */
export const searchName = (column: SQLWrapper) => sql`lower(${column})`;

/**
 * A customer's surname: the kiosk's `apellidoPaterno`, else the parking `lastname`.
 * (CASE, not coalesce: drizzle-kit splits index expressions at commas.)
 */
export const surname = (t: { paternalSurname: SQLWrapper; lastName: SQLWrapper }) =>
  sql`CASE WHEN ${t.paternalSurname} IS NULL THEN ${t.lastName} ELSE ${t.paternalSurname} END`;

/**
 * One registry of customers per tenant: the person (or company) and the profile fields
 * the surfaces know. Each surface reads and writes the fields its contract knows and
 * leaves the others alone (a surface that lacks a field renders null). The keys that
 * surfaces find a customer by live in `identifiers`, not here.
 */
export const customers = sqliteTable(
  "customers",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    /** Soft delete: false hides the customer from every surface (`vigente`). */
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** Set when an operator merged this customer into another: its id keeps answering as that survivor. */
    mergedIntoId: integer("merged_into_id"),
    channel: text("channel", { enum: channels }).notNull(),

    name: text("name"),
    lastName: text("last_name"),
    paternalSurname: text("paternal_surname"),
    maternalSurname: text("maternal_surname"),
    email: text("email"),
    phone: text("phone"),
    address: text("address"),
    birthDate: text("birth_date"),
    sex: integer("sex"),
    ubigeo: text("ubigeo"),

    /** Clients surface: PERSONA, EMPRESA, OTRO; representative contact. */
    clientType: text("client_type"),
    contactPerson: text("contact_person"),
    /** Parking surface: whether the customer may hold any number of active vehicle tags. */
    parkingUnlimited: integer("parking_unlimited", { mode: "boolean" }),
    /** Loyalty surface: the partner's free-form `data` block (JSON). */
    loyaltyData: text("loyalty_data"),
    /** Sales surface: catalogue ids of tipos-cliente and tipos-documento. */
    salesClientTypeId: integer("sales_client_type_id"),
    salesDocumentTypeId: integer("sales_document_type_id"),

    /** Communication consents with the time each was last given or withdrawn. */
    consentWhatsapp: integer("consent_whatsapp", { mode: "boolean" }),
    consentWhatsappAt: integer("consent_whatsapp_at"),
    consentEmail: integer("consent_email", { mode: "boolean" }),
    consentEmailAt: integer("consent_email_at"),
    consentSms: integer("consent_sms", { mode: "boolean" }),
    consentSmsAt: integer("consent_sms_at"),
    /** The surface a consent was last given or withdrawn through: the channel of its history row (migration 0010's triggers). */
    consentChannel: text("consent_channel", { enum: channels }),

    /** Set when an operator erased the person's data (data-subject request): the row stays, anonymised, for the ledger. */
    erasedAt: integer("erased_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("customers_tenant_active_id").on(t.tenantId, t.active, t.id),
    // Operator search by name and by surname: prefix ranges of these expressions, in
    // (expression, id) order, so a page reads the rows it shows (core/registry/search.ts).
    index("customers_tenant_name").on(t.tenantId, searchName(t.name), t.id),
    index("customers_tenant_surname").on(t.tenantId, searchName(surname(t)), t.id),
    // The customers an operator merged into this one (the customer 360 lists them).
    index("customers_merged_into").on(t.mergedIntoId).where(sql`${t.mergedIntoId} IS NOT NULL`),
  ],
);

/** The communication consents a customer gives or withdraws (kiosk registration's enviarWhatsApp, enviarCorreo, enviarSms). */
export const consentKinds = ["whatsapp", "email", "sms"] as const;
export type ConsentKind = (typeof consentKinds)[number];

/**
 * Every change of a consent, not only the latest value the customer row keeps: what was
 * given or withdrawn, when, and through which surface. Triggers on `customers` (migration
 * 0010) append a row whenever a consent column gets a new value, in the same statement,
 * whichever surface writes it; deleted with the rest of the person's data on erasure.
 * No foreign keys: only those triggers write it, and SQLite would read the tenant and
 * customer rows again for every history row, on the kiosk's busiest write (a new
 * registration writes three).
 */
export const consentHistory = sqliteTable(
  "consent_history",
  {
    id: integer("id").primaryKey(),
    tenantId: integer("tenant_id").notNull(),
    customerId: integer("customer_id").notNull(),
    kind: text("kind", { enum: consentKinds }).notNull(),
    granted: integer("granted", { mode: "boolean" }).notNull(),
    channel: text("channel", { enum: channels }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("consent_history_customer").on(t.customerId, t.id)],
);

/** The kinds of key a surface finds a customer by; what each may hold is `identifierRules` (core/registry/identifiers.ts). */
export const identifierKinds = ["document", "vlt_code", "client_code", "parking_ref", "loyalty_id", "rfid_card", "vehicle_tag"] as const;
export type IdentifierKind = (typeof identifierKinds)[number];
export const identifierStatuses = ["active", "replaced", "cancelled"] as const;
export type IdentifierStatus = (typeof identifierStatuses)[number];

/**
 * Every key that finds a customer: document numbers, VLT codes, client codes, parking
 * refIds, loyalty externalIds, RFID card UIDs and vehicle tag codes. Values are stored
 * normalised (core/registry/identifiers.ts). Rows are never deleted: a replaced card, a
 * cancelled tag or a released key keeps its row, as the customer's history.
 *
 * `exclusive` is 1 while the row holds its value exclusively in the tenant and NULL
 * otherwise, so the unique index over (tenant, kind, value, exclusive) admits one
 * exclusive holder per value and any number of others (SQLite treats NULLs as distinct),
 * and the same index serves every look-up by value. For a shared kind (a company's
 * document across its service sites) the exclusive row is the value's primary holder;
 * when it lets go, trigger `identifiers_promote_next_holder` makes the oldest active
 * holder of the value the primary one.
 */
export const identifiers = sqliteTable(
  "identifiers",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    kind: text("kind", { enum: identifierKinds }).notNull(),
    value: text("value").notNull(),
    /** What qualifies the value: a document's type (DNI, RUC, CE, CC, NIT, PASAPORTE, OTRO), a vehicle tag's plate. */
    qualifier: text("qualifier"),
    status: text("status", { enum: identifierStatuses }).notNull().default("active"),
    exclusive: integer("exclusive"),
    createdAt: integer("created_at").notNull(),
    statusChangedAt: integer("status_changed_at").notNull(),
  },
  (t) => [
    uniqueIndex("identifiers_value").on(t.tenantId, t.kind, t.value, t.exclusive),
    index("identifiers_customer").on(t.customerId, t.status, t.kind),
    // Operator search by a vehicle's plate (a tag's qualifier).
    index("identifiers_plate").on(t.tenantId, t.qualifier).where(sql`${t.kind} = 'vehicle_tag'`),
  ],
);

/** Sales surface catalogues (global, seeded by migration): "Persona Natural", "Persona Jurídica". */
export const salesClientTypes = sqliteTable("sales_client_types", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
});

/** Sales surface catalogue: CC, NIT, CE, Pasaporte, Otro. */
export const salesDocumentTypes = sqliteTable("sales_document_types", {
  id: integer("id").primaryKey(),
  code: text("code").notNull(),
  name: text("name").notNull(),
});

export const saleKinds = ["venta", "separacion"] as const;
export type SaleKind = (typeof saleKinds)[number];

/** A sale or a separation (reservation) of an apartment by a customer. */
export const sales = sqliteTable(
  "sales",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    apartment: text("apartment").notNull(),
    /** Integer cents. */
    amount: integer("amount").notNull(),
    kind: text("kind", { enum: saleKinds }).notNull(),
    /** ISO date (YYYY-MM-DD). */
    date: text("date").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("sales_customer").on(t.tenantId, t.customerId, t.id)],
);

/*
 * Loyalty ledger (seed 003). Amounts are integers in hundredths. A customer holds one
 * account per unit; every credit opens a lot, every debit consumes lots
 * first-expiring-first and records what it took (lot movements), so that
 * balance = sum of the account's lots' `remaining` = credits - debits, at every commit.
 * Transactions are never updated or deleted; a reversal is a new row pointing at the
 * one it reverses. Catalogue rows with `tenant_id` 0 are the defaults every tenant sees
 * (seeded by migration); a tenant's own row of the same name replaces the default.
 */
export const ledgerUnits = ["POINTS", "COINS"] as const;
export type LedgerUnit = (typeof ledgerUnits)[number];
export const ledgerDirections = ["CREDIT", "DEBIT"] as const;
export type LedgerDirection = (typeof ledgerDirections)[number];
/** What a transaction type counts as in the daily reports. */
export const ledgerCategories = ["coupon", "order", "balance", "redeem", "reload", "transfer", "expiration"] as const;
export type LedgerCategory = (typeof ledgerCategories)[number];

/** The transaction types a tenant accepts: each fixes unit, direction and report category. */
export const ledgerTypes = sqliteTable(
  "ledger_types",
  {
    id: integer("id").primaryKey(),
    /** 0 = the default catalogue every tenant sees. */
    tenantId: integer("tenant_id").notNull().default(0),
    name: text("name").notNull(),
    unit: text("unit", { enum: ledgerUnits }).notNull(),
    direction: text("direction", { enum: ledgerDirections }).notNull(),
    category: text("category", { enum: ledgerCategories }).notNull(),
    /** Rendered `title` of its transactions ("Cupón"), and of their reversals ("Reverso de cupón"). */
    title: text("title").notNull(),
    reversalTitle: text("reversal_title").notNull(),
    /** The lot `set_name` its credits open ("PROMOCIONAL"). */
    setName: text("set_name").notNull(),
    /** Credits of this type count towards the customer's tier (lifetime points earned). */
    earns: integer("earns", { mode: "boolean" }).notNull().default(false),
    reversible: integer("reversible", { mode: "boolean" }).notNull().default(true),
    /** Written only by ficha itself (lot expiration); partners cannot post it. */
    internal: integer("internal", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [uniqueIndex("ledger_types_tenant_name").on(t.tenantId, t.name)],
);

/** Tiers ("AMIGO" -> "BUEN AMIGO"): a customer is in the highest tier whose `min_earned` its lifetime POINTS earned reach. */
export const ledgerGroups = sqliteTable(
  "ledger_groups",
  {
    id: integer("id").primaryKey(),
    /** 0 = the default tiers of every tenant without its own. */
    tenantId: integer("tenant_id").notNull().default(0),
    rank: integer("rank").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Lifetime POINTS earned (hundredths) that reach this tier. */
    minEarned: integer("min_earned").notNull(),
  },
  (t) => [uniqueIndex("ledger_groups_tenant_rank").on(t.tenantId, t.rank)],
);

/** A customer's balance in one unit; `balance` can never go negative (the CHECK is the overdraft guard of every debit). */
export const ledgerAccounts = sqliteTable(
  "ledger_accounts",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    unit: text("unit", { enum: ledgerUnits }).notNull(),
    balance: integer("balance").notNull().default(0),
    /** Lifetime amount earned by earning types (minus their reversals): the tier measure. */
    earned: integer("earned").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("ledger_accounts_customer_unit").on(t.customerId, t.unit), check("ledger_accounts_balance_non_negative", sql`${t.balance} >= 0`)],
);

/** Partner stores, vendors and products, registered on first sight by their `externalId` (the first name seen is kept). */
export const ledgerStores = sqliteTable(
  "ledger_stores",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    externalId: text("external_id").notNull(),
    name: text("name"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("ledger_stores_tenant_external").on(t.tenantId, t.externalId)],
);

export const ledgerVendors = sqliteTable(
  "ledger_vendors",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    externalId: text("external_id").notNull(),
    name: text("name"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("ledger_vendors_tenant_external").on(t.tenantId, t.externalId)],
);

export const ledgerProducts = sqliteTable(
  "ledger_products",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    externalId: text("external_id").notNull(),
    name: text("name"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("ledger_products_tenant_external").on(t.tenantId, t.externalId)],
);

/**
 * Immutable ledger entries. (`tenant_id`, `type`, `code`) identifies a partner's
 * transaction exactly once (reversals and the credit half of a transfer share their
 * original's type and code and are excluded from that index); `reverses_id` is unique, so a transaction is reversed at
 * most once. `customer_seq` numbers a customer's transactions 1, 2, 3 … so that any
 * history page is one index range, whatever the customer's total.
 */
export const ledgerTransactions = sqliteTable(
  "ledger_transactions",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    customerSeq: integer("customer_seq").notNull(),
    accountId: integer("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    unit: text("unit", { enum: ledgerUnits }).notNull(),
    direction: text("direction", { enum: ledgerDirections }).notNull(),
    amount: integer("amount").notNull(),
    type: text("type").notNull(),
    category: text("category", { enum: ledgerCategories }).notNull(),
    code: text("code"),
    externalId: text("external_id"),
    /** The rendered title, from the type catalogue ("Cupón", "Reverso de orden"), as the seed shows. */
    title: text("title").notNull(),
    /** The partner's own `title`, kept as sent. */
    partnerTitle: text("partner_title"),
    description: text("description"),
    storeId: integer("store_id").references(() => ledgerStores.id),
    vendorId: integer("vendor_id").references(() => ledgerVendors.id),
    checkbookId: text("checkbook_id"),
    transferTransactionId: text("transfer_transaction_id"),
    /** The other half of a transfer (the credit points at its debit). */
    counterpartId: integer("counterpart_id"),
    reversesId: integer("reverses_id"),
    /** Checkbooks and vouchers: the order's money amount and its points earned (+) or redeemed (-). */
    orderTotal: integer("order_total"),
    earnedRedeemed: integer("earned_redeemed"),
    /** SHA-256 of the request that created it: a retry with the same (type, code) must carry the same body. */
    requestHash: text("request_hash"),
    /**
     * The caller's channel (`Platform` header, else "loyalty") on the transactions a partner
     * posts in a customer's name; null on reversals, a transfer's credit half and expirations.
     * The reports count a POS-registered customer's first frontend call as its subscription.
     */
    channel: text("channel", { enum: channels }),
    /**
     * Set on the entry whose batch registered its customer in the ledger, to the channel
     * it came from: the reports count each registration once, here, and a rebuild reads it
     * back (a merge renumbers the customer's entries, so "the first entry" would not do).
     */
    registeredChannel: text("registered_channel", { enum: channels }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // The report rebuild walks one tenant's ledger in id order.
    index("ledger_transactions_tenant").on(t.tenantId),
    // Has this customer called from a frontend before? (one index probe per frontend posting)
    index("ledger_transactions_customer_frontend").on(t.customerId).where(sql`${t.channel} IN (${frontendChannelList})`),
    uniqueIndex("ledger_transactions_tenant_type_code")
      .on(t.tenantId, t.type, t.code)
      .where(sql`${t.code} IS NOT NULL AND ${t.reversesId} IS NULL AND ${t.counterpartId} IS NULL`),
    uniqueIndex("ledger_transactions_reverses").on(t.reversesId).where(sql`${t.reversesId} IS NOT NULL`),
    uniqueIndex("ledger_transactions_customer_seq").on(t.customerId, t.customerSeq),
    index("ledger_transactions_customer_created").on(t.customerId, t.createdAt),
    check("ledger_transactions_amount_non_negative", sql`${t.amount} >= 0`),
  ],
);

/** Lines of a checkbook or voucher: each product's share of the order. */
export const ledgerOrderLines = sqliteTable(
  "ledger_order_lines",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    transactionId: integer("transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    productId: integer("product_id")
      .notNull()
      .references(() => ledgerProducts.id),
    total: integer("total").notNull(),
    earnedRedeemed: integer("earned_redeemed").notNull(),
  },
  (t) => [index("ledger_order_lines_transaction").on(t.transactionId)],
);

/**
 * What a credit opened: `remaining` of `amount` is still spendable until `expires_at`
 * (null: never; COINS never expire). `expired` sums what the expiration job took.
 */
export const ledgerLots = sqliteTable(
  "ledger_lots",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    accountId: integer("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    transactionId: integer("transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    amount: integer("amount").notNull(),
    remaining: integer("remaining").notNull(),
    expiresAt: integer("expires_at"),
    expired: integer("expired").notNull().default(0),
    setName: text("set_name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("ledger_lots_account_open").on(t.accountId, t.expiresAt, t.id).where(sql`${t.remaining} > 0`),
    index("ledger_lots_due").on(t.expiresAt).where(sql`${t.remaining} > 0 AND ${t.expiresAt} IS NOT NULL`),
    check("ledger_lots_remaining_in_range", sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.amount}`),
  ],
);

/** Which lots a debit consumed (positive) or a reversal restored (negative), so reversals give back exactly what was taken. */
export const ledgerLotMovements = sqliteTable(
  "ledger_lot_movements",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    transactionId: integer("transaction_id")
      .notNull()
      .references(() => ledgerTransactions.id),
    lotId: integer("lot_id")
      .notNull()
      .references(() => ledgerLots.id),
    amount: integer("amount").notNull(),
  },
  (t) => [index("ledger_lot_movements_transaction").on(t.transactionId)],
);

/*
 * Daily report counters (seed 003's "API de Reportes"). One row per (tenant, local day,
 * store) and per (tenant, local day, store, product), upserted by the same batch as the
 * ledger entry that moves them (core/reports/counters.ts), so a report reads only the
 * rows it returns. `day` is `YYYY-MM-DD` in the tenant's zone; `store_id` 0 = no store.
 * Amounts are POINTS hundredths; the rest are counts. They can be recomputed from the
 * ledger (`POST /admin/tenants/{id}/reports/rebuild`).
 *
 * Each row also carries what the report prints of its store (`store_name`: its name, else
 * its partner id; null without a store) and product (`product_code`: its partner id),
 * copied by triggers of migration 0014 when the row is inserted, whichever path inserts it
 * (a posting, the rebuild). A report is then one range of the `…_report` index, already
 * in the report's order: one row read per row returned, with no join and no sort. Stores
 * and products keep the first name seen (ledger/statements.ts), so the copy never goes stale.
 */
export const reportStoreDays = sqliteTable(
  "report_store_days",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    day: text("day").notNull(),
    storeId: integer("store_id").notNull().default(0),
    preregisteredPos: integer("preregistered_pos").notNull().default(0),
    subscribedAfterPos: integer("subscribed_after_pos").notNull().default(0),
    registeredApp: integer("registered_app").notNull().default(0),
    registeredWeb: integer("registered_web").notNull().default(0),
    referrals: integer("referrals").notNull().default(0),
    pointEarnedOrders: integer("point_earned_orders").notNull().default(0),
    pointEarnedCoupons: integer("point_earned_coupons").notNull().default(0),
    pointEarnedBalance: integer("point_earned_balance").notNull().default(0),
    pointRedeemed: integer("point_redeemed").notNull().default(0),
    pointExpired: integer("point_expired").notNull().default(0),
    pointReversedCoupon: integer("point_reversed_coupon").notNull().default(0),
    pointReversedOrder: integer("point_reversed_order").notNull().default(0),
    /** Set by trigger `report_store_days_named`. */
    storeName: text("store_name"),
  },
  (t) => [
    uniqueIndex("report_store_days_key").on(t.tenantId, t.day, t.storeId),
    // The stores report's order: by day, then store name (rows without a store last).
    index("report_store_days_report").on(t.tenantId, t.day, sql`${t.storeName} IS NULL`, t.storeName, t.storeId),
  ],
);

export const reportProductDays = sqliteTable(
  "report_product_days",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    day: text("day").notNull(),
    storeId: integer("store_id").notNull().default(0),
    productId: integer("product_id")
      .notNull()
      .references(() => ledgerProducts.id),
    numOrders: integer("num_orders").notNull().default(0),
    numProducts: integer("num_products").notNull().default(0),
    pointRedeemed: integer("point_redeemed").notNull().default(0),
    pointEarnedOrders: integer("point_earned_orders").notNull().default(0),
    pointEarnedCoupons: integer("point_earned_coupons").notNull().default(0),
    pointEarnedBalance: integer("point_earned_balance").notNull().default(0),
    numRedeemed: integer("num_redeemed").notNull().default(0),
    /** Both set by trigger `report_product_days_named`. */
    storeName: text("store_name"),
    productCode: text("product_code").notNull().default(""),
  },
  (t) => [
    uniqueIndex("report_product_days_key").on(t.tenantId, t.day, t.storeId, t.productId),
    // The products report's order: by day, store name (rows without a store last), product code.
    index("report_product_days_report").on(t.tenantId, t.day, sql`${t.storeName} IS NULL`, t.storeName, t.storeId, t.productCode),
  ],
);

/** What an audit entry records; webhook endpoint create, delete and rotation are partners' (through /v1), the rest operators'. */
export const auditActions = [
  "tenant.created",
  "tenant.updated",
  "credential.created",
  "credential.rotated",
  "credential.revoked",
  "vlt_destination.set",
  "vlt_destination.unset",
  "customer.merged",
  "customer.exported",
  "customer.erased",
  "reports.rebuilt",
  "webhook_endpoint.created",
  "webhook_endpoint.deleted",
  "webhook_endpoint.secret_rotated",
  "webhook_endpoint.enabled",
  "webhook_endpoint.redelivered",
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * The audit log: one row per action of an operator (or a partner's change of its webhook
 * endpoints), written in the batch that carries the action out. Append-only: triggers of
 * migration 0010 refuse every UPDATE and DELETE. Entries hold ids, names of what changed
 * and counts, never secrets or personal data (core/audit.ts).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey(),
    /** The tenant the action concerns; null for deployment-wide ones (unsetting an unset VLT destination). */
    tenantId: integer("tenant_id").references(() => tenants.id),
    createdAt: integer("created_at").notNull(),
    /** `admin:<first 16 hex of SHA-256 of the admin token>`, a console session, or `credential:<client_id>`. */
    actor: text("actor").notNull(),
    requestId: text("request_id").notNull(),
    action: text("action", { enum: auditActions }).notNull(),
    /** What was acted on: `tenant:3`, `credential:12`, `customer:40` … */
    target: text("target").notNull(),
    /** JSON object: the facts of the change (fields changed, counts, ids). */
    summary: text("summary").notNull(),
  },
  (t) => [index("audit_log_tenant").on(t.tenantId, t.id)],
);

/*
 * The transactional outbox (core/events). Every write of the core appends its events in
 * the same D1 batch as the change, so no change commits without its events and no event
 * exists without its change. `seq` numbers a tenant's events 1, 2, 3 … in commit order:
 * it is assigned inside the writing batch, and D1 runs batches one at a time, so an
 * event with a higher number always committed after every lower one (the feed and the
 * webhook fan-out can follow it without ever skipping or repeating). The retention job
 * keeps each tenant's newest event, so numbering never restarts.
 */
export const eventTypes = [
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "customer.merged",
  "customer.erased",
  "card.bound",
  "card.replaced",
  "tag.added",
  "tag.cancelled",
  "ledger.posted",
  "lot.expired",
  "tier.changed",
  "sale.recorded",
] as const;
export type EventType = (typeof eventTypes)[number];

export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    seq: integer("seq").notNull(),
    type: text("type", { enum: eventTypes }).notNull(),
    createdAt: integer("created_at").notNull(),
    /** The event's `data` (JSON), built by the writing batch from the rows it wrote. */
    data: text("data").notNull(),
    /** The customer the event is about (`data.customer.id`), so that an erasure finds the person's events. */
    customerId: integer("customer_id").generatedAlwaysAs(sql`json_extract("data", '$.customer.id')`, { mode: "virtual" }),
  },
  (t) => [uniqueIndex("events_tenant_seq").on(t.tenantId, t.seq), index("events_tenant_customer").on(t.tenantId, t.customerId)],
);

/*
 * Webhooks (core/webhooks): a tenant's endpoints, one delivery per (event, endpoint)
 * fan-out (a redelivery is a new one), and every HTTP attempt of a delivery. Endpoints
 * are never deleted (status `deleted`); deliveries and attempts are a log that retention
 * prunes along with the events, so they hold no foreign key to the events they are about.
 */
export const webhookEndpointStatuses = ["enabled", "disabled", "deleted"] as const;
export type WebhookEndpointStatus = (typeof webhookEndpointStatuses)[number];
/** Why an endpoint was disabled: it answered 410 Gone, or kept failing for WEBHOOK_DISABLE_AFTER_SECONDS. */
export const webhookDisabledReasons = ["gone", "failing"] as const;

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    url: text("url").notNull(),
    /** The event types it receives (JSON array), or null for every type. */
    eventTypes: text("event_types"),
    /** The signing secret, AES-GCM encrypted (core/webhooks/secrets.ts). */
    secret: text("secret").notNull(),
    /** The secret before the last rotation, which keeps signing too until `previous_secret_expires_at`. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    status: text("status", { enum: webhookEndpointStatuses }).notNull().default("enabled"),
    disabledReason: text("disabled_reason", { enum: webhookDisabledReasons }),
    /** Start of the current run of failed attempts (null after a success). */
    failingSince: integer("failing_since"),
    /** It receives the tenant's events numbered after this one (its latest when the endpoint was created). */
    startSeq: integer("start_seq").notNull(),
    /** The tenant's events up to this `seq` have been fanned out to this endpoint. */
    dispatchedSeq: integer("dispatched_seq").notNull(),
    createdAt: integer("created_at").notNull(),
    statusChangedAt: integer("status_changed_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant").on(t.tenantId, t.status)],
);

export const webhookDeliveryStatuses = ["pending", "retrying", "succeeded", "dead", "cancelled"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    /** The event's row (no foreign key: retention prunes events and deliveries independently). */
    eventId: integer("event_id").notNull(),
    status: text("status", { enum: webhookDeliveryStatuses }).notNull(),
    /** Attempts made so far. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    /** Set while a consumer makes an attempt, so a duplicate queue message waits instead of sending twice. */
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // The sweep's look-up of deliveries whose queue message went missing.
  (t) => [index("webhook_deliveries_due").on(t.nextAttemptAt).where(sql`${t.status} IN ('pending', 'retrying')`)],
);

export const webhookAttemptOutcomes = ["succeeded", "retrying", "dead"] as const;
export type WebhookAttemptOutcome = (typeof webhookAttemptOutcomes)[number];

export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: integer("id").primaryKey(),
    tenantId: tenantRef(),
    deliveryId: integer("delivery_id").notNull(),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    /** The event's number and type, kept here so the attempt log reads no event row. */
    eventSeq: integer("event_seq").notNull(),
    eventType: text("event_type", { enum: eventTypes }).notNull(),
    attempt: integer("attempt").notNull(),
    /** The receiver's HTTP status; null when none came (timeout, network error, or no request made). */
    statusCode: integer("status_code"),
    /** Why an attempt without a status failed: "timeout", "network", or (no request made) "endpoint_disabled", "url_refused", "consumer_failed". */
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    attemptedAt: integer("attempted_at").notNull(),
    outcome: text("outcome", { enum: webhookAttemptOutcomes }).notNull(),
    nextAttemptAt: integer("next_attempt_at"),
  },
  (t) => [index("webhook_attempts_endpoint").on(t.endpointId, t.id)],
);

export type Tenant = typeof tenants.$inferSelect;
export type Credential = typeof credentials.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;
export type Identifier = typeof identifiers.$inferSelect;
export type Sale = typeof sales.$inferSelect;
export type LedgerType = typeof ledgerTypes.$inferSelect;
export type LedgerGroup = typeof ledgerGroups.$inferSelect;
export type LedgerTransaction = typeof ledgerTransactions.$inferSelect;
export type Event = typeof events.$inferSelect;
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
