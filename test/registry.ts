import { env } from "cloudflare:workers";
import { createCustomer, deactivateCustomer, type Profile } from "../src/core/registry/customers";
import type { NewIdentifier } from "../src/core/registry/identifiers";
import { createDb } from "../src/db/client";
import type { Channel } from "../src/db/schema";

/**
 * The registry as tests set it up and inspect it: customers registered as another
 * surface would (with their keys), and stored rows read back with each key under the
 * name of the field it stands for.
 */

export interface SeededCustomer extends Profile {
  channel: Channel;
  active?: boolean;
  documentType?: string;
  documentNumber?: string;
  vltCode?: number;
  clientCode?: string;
  parkingRefId?: string;
  loyaltyExternalId?: string;
}

/** Creates a customer through the core with the keys given (a document joins as a holder: shared documents are allowed). */
export async function seedCustomer(tenantId: number, values: SeededCustomer) {
  const { channel, active, documentType, documentNumber, vltCode, clientCode, parkingRefId, loyaltyExternalId, ...profile } = values;
  const identifiers: NewIdentifier[] = [];
  if (documentNumber !== undefined) identifiers.push({ kind: "document", value: documentNumber, qualifier: documentType ?? null });
  if (vltCode !== undefined) identifiers.push({ kind: "vlt_code", value: String(vltCode) });
  if (clientCode !== undefined) identifiers.push({ kind: "client_code", value: clientCode });
  if (parkingRefId !== undefined) identifiers.push({ kind: "parking_ref", value: parkingRefId });
  if (loyaltyExternalId !== undefined) identifiers.push({ kind: "loyalty_id", value: loyaltyExternalId });
  const db = createDb(env.DB);
  const customer = await createCustomer(db, tenantId, { channel, profile, identifiers });
  if (active === false) await deactivateCustomer(db, tenantId, customer.id);
  return customer;
}

const key = (kind: string, column: string, value = "value") =>
  `(SELECT ${value} FROM identifiers i WHERE i.customer_id = c.id AND i.kind = '${kind}' ORDER BY i.status <> 'active', i.id LIMIT 1) AS ${column}`;

/** The customers table with each customer's first key of each kind (the active one, or the last it held). */
const customerRowsSql = `SELECT c.*,
  ${key("document", "document_type", "qualifier")}, ${key("document", "document_number")},
  (SELECT CAST(value AS INTEGER) FROM identifiers i WHERE i.customer_id = c.id AND i.kind = 'vlt_code' ORDER BY i.status <> 'active', i.id LIMIT 1) AS vlt_code,
  ${key("client_code", "client_code")}, ${key("parking_ref", "parking_ref_id")}, ${key("loyalty_id", "loyalty_external_id")}
  FROM customers c`;

export async function customerRows(tenantId: number): Promise<Record<string, any>[]> {
  return (await env.DB.prepare(`${customerRowsSql} WHERE c.tenant_id = ? ORDER BY c.id`).bind(tenantId).all()).results;
}

export function customerRow(id: number) {
  return env.DB.prepare(`${customerRowsSql} WHERE c.id = ?`).bind(id).first<Record<string, any>>();
}

/** Cards and tags as the registry once stored them: kind (rfid, vehicle_tag), uid, plate, status. */
export async function cardRows(tenantId: number): Promise<Record<string, any>[]> {
  return (
    await env.DB.prepare(
      `SELECT id, tenant_id, customer_id, CASE kind WHEN 'rfid_card' THEN 'rfid' ELSE kind END AS kind, value AS uid, qualifier AS plate, status, created_at, status_changed_at
       FROM identifiers WHERE tenant_id = ? AND kind IN ('rfid_card', 'vehicle_tag') ORDER BY id`,
    )
      .bind(tenantId)
      .all()
  ).results;
}

/** Gives every customer of the tenant a document number (as the clients or sales surface would), as its primary holder. */
export async function seedDocument(tenantId: number, number: string, type = "OTRO") {
  await env.DB.prepare(
    `INSERT INTO identifiers (tenant_id, customer_id, kind, value, qualifier, status, exclusive, created_at, status_changed_at)
     SELECT tenant_id, id, 'document', ?, ?, 'active', 1, 0, 0 FROM customers WHERE tenant_id = ?`,
  )
    .bind(number, type, tenantId)
    .run();
}

/** Binds an RFID card to a customer straight in D1 (as data the card's lock has never seen). */
export async function seedCard(tenantId: number, customerId: number, uid: string, status: "active" | "replaced" | "cancelled" = "active") {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO identifiers (tenant_id, customer_id, kind, value, status, exclusive, created_at, status_changed_at) VALUES (?, ?, 'rfid_card', ?, ?, 1, ?, ?)`,
  )
    .bind(tenantId, customerId, uid, status, now, now)
    .run();
}

/** Cards and tags in D1 (all tenants), for "nothing was written" assertions. */
export async function countCards(): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM identifiers WHERE kind IN ('rfid_card', 'vehicle_tag')").first<number>("n")) ?? 0;
}
