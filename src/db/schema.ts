/**
 * The one schema of ficha's D1 database. `npm run db:generate` turns changes here into
 * SQL under migrations/; wrangler applies them and the tests read the same folder.
 *
 * Every business row carries `tenant_id`, and every query filters by it. Times are
 * milliseconds since the epoch; money and points are integers in minor units.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable("tenants", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  /** IANA zone name; reports and rendered timestamps use the tenant's local day. */
  timezone: text("timezone").notNull().default("UTC"),
  /** Active customers, kept in the same batch as every write that changes it, so that
   * paginated lists answer `totalElements` without counting the table. */
  activeCustomers: integer("active_customers").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

export const credentialKinds = ["partner", "kiosk"] as const;
export type CredentialKind = (typeof credentialKinds)[number];

export const credentials = sqliteTable(
  "credentials",
  {
    /** The numeric `client_id` partners send to /oauth/token. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id")
      .notNull()
      .references(() => tenants.id),
    kind: text("kind", { enum: credentialKinds }).notNull(),
    name: text("name"),
    /** SHA-256 (hex) of the secret; the secret itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("credentials_secret_hash").on(t.secretHash)],
);

/** Deployment-wide settings, e.g. which tenant receives public kiosk registrations. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** How a customer first reached the registry; the loyalty reports count registrations by it. */
export const channels = ["kiosk", "clients", "parking", "loyalty", "sales", "web", "mobile", "ios", "android"] as const;
export type Channel = (typeof channels)[number];

/**
 * One registry of customers per tenant. Each surface reads and writes the columns its
 * contract knows and leaves the others alone (a surface that lacks a field renders null).
 * The per-surface keys (`vlt_code`, `client_code`, `parking_ref_id`,
 * `loyalty_external_id`) are unique in the tenant; `document_number` is the identity the
 * surfaces share: one active customer per document in a tenant.
 */
export const customers = sqliteTable(
  "customers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** Soft delete: false hides the customer from every surface (`vigente`). */
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    channel: text("channel", { enum: channels }).notNull(),

    name: text("name"),
    lastName: text("last_name"),
    paternalSurname: text("paternal_surname"),
    maternalSurname: text("maternal_surname"),
    /** Canonical document type code: DNI, RUC, CE, CC, NIT, PASAPORTE, OTRO. */
    documentType: text("document_type"),
    documentNumber: text("document_number"),
    email: text("email"),
    phone: text("phone"),
    address: text("address"),
    birthDate: text("birth_date"),
    sex: integer("sex"),
    ubigeo: text("ubigeo"),

    /** Clients surface: PERSONA, EMPRESA, OTRO; representative contact; unique client code. */
    clientType: text("client_type"),
    contactPerson: text("contact_person"),
    clientCode: text("client_code"),
    /** Kiosk surface: the VLT system's client number. */
    vltCode: integer("vlt_code"),
    /** Parking surface: the operator's own customer key and its unlimited-stickers flag. */
    parkingRefId: text("parking_ref_id"),
    parkingUnlimited: integer("parking_unlimited", { mode: "boolean" }),
    /** Loyalty surface: the partner's customer id and its free-form `data` block (JSON). */
    loyaltyExternalId: text("loyalty_external_id"),
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

    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("customers_tenant_active_id").on(t.tenantId, t.active, t.id),
    uniqueIndex("customers_tenant_document")
      .on(t.tenantId, t.documentNumber)
      .where(sql`${t.active} = 1 AND ${t.documentNumber} IS NOT NULL`),
    uniqueIndex("customers_tenant_client_code")
      .on(t.tenantId, t.clientCode)
      .where(sql`${t.active} = 1 AND ${t.clientCode} IS NOT NULL`),
    uniqueIndex("customers_tenant_vlt_code").on(t.tenantId, t.vltCode).where(sql`${t.vltCode} IS NOT NULL`),
    uniqueIndex("customers_tenant_parking_ref").on(t.tenantId, t.parkingRefId).where(sql`${t.parkingRefId} IS NOT NULL`),
    uniqueIndex("customers_tenant_loyalty_external")
      .on(t.tenantId, t.loyaltyExternalId)
      .where(sql`${t.loyaltyExternalId} IS NOT NULL`),
  ],
);

export const cardKinds = ["rfid", "vehicle_tag"] as const;
export type CardKind = (typeof cardKinds)[number];
export const cardStatuses = ["active", "replaced", "cancelled"] as const;
export type CardStatus = (typeof cardStatuses)[number];

/**
 * An identifier bound to a customer: an RFID card UID (kiosk) or a vehicle tag with its
 * plate (parking). Only an active one authenticates. UIDs are stored normalised (trimmed,
 * upper-case). An RFID UID is never reused in a tenant, whatever its status; a vehicle
 * tag may be bound again once cancelled, so only one active binding per tag is unique.
 */
export const cards = sqliteTable(
  "cards",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id")
      .notNull()
      .references(() => tenants.id),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    kind: text("kind", { enum: cardKinds }).notNull(),
    uid: text("uid").notNull(),
    plate: text("plate"),
    status: text("status", { enum: cardStatuses }).notNull().default("active"),
    createdAt: integer("created_at").notNull(),
    statusChangedAt: integer("status_changed_at").notNull(),
  },
  (t) => [
    uniqueIndex("cards_tenant_active_uid")
      .on(t.tenantId, t.kind, t.uid)
      .where(sql`${t.status} = 'active'`),
    uniqueIndex("cards_tenant_rfid_uid").on(t.tenantId, t.uid).where(sql`${t.kind} = 'rfid'`),
    index("cards_customer").on(t.customerId, t.kind, t.status),
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
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: integer("tenant_id")
      .notNull()
      .references(() => tenants.id),
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

export type Tenant = typeof tenants.$inferSelect;
export type Credential = typeof credentials.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;
export type Card = typeof cards.$inferSelect;
export type Sale = typeof sales.$inferSelect;
