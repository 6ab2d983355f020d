import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { cards, credentials, customers } from "../db/schema";
import { sha256Hex } from "./crypto";
import { normaliseCardText } from "./cards";

/** The customer a lobby card stands for, as the lobby shows it. */
export interface LobbyCustomer {
  id: number;
  name: string | null;
  paternalSurname: string | null;
  maternalSurname: string | null;
  documentType: string | null;
  documentNumber: string | null;
  vltCode: number | null;
  consentWhatsapp: boolean;
  consentEmail: boolean;
  consentSms: boolean;
  cardUid: string;
}

/**
 * Checks a kiosk secret and finds, in the kiosk's tenant, the active customer whose
 * active RFID card `cardUid` is: one query (credential joined to card and customer).
 * Null when the secret is wrong or revoked; `customer` null when the card is unknown,
 * replaced or cancelled or its customer deactivated (the caller must not say which).
 */
export async function findLobbyCard(
  db: Db,
  secret: string,
  cardUid: string,
): Promise<{ credentialId: number; customer: LobbyCustomer | null } | null> {
  // Aliased columns: the joined tables share column names (id, name, tenant_id).
  const row = await db
    .select({
      credentialId: sql<number>`${credentials.id}`.as("credential_id"),
      customerId: sql<number | null>`${customers.id}`.as("customer_id"),
      name: customers.name,
      paternalSurname: customers.paternalSurname,
      maternalSurname: customers.maternalSurname,
      documentType: customers.documentType,
      documentNumber: customers.documentNumber,
      vltCode: customers.vltCode,
      consentWhatsapp: customers.consentWhatsapp,
      consentEmail: customers.consentEmail,
      consentSms: customers.consentSms,
      cardUid: cards.uid,
    })
    .from(credentials)
    .leftJoin(
      cards,
      and(
        eq(cards.tenantId, credentials.tenantId),
        eq(cards.uid, normaliseCardText(cardUid)),
        sql`${cards.kind} = 'rfid'`,
        sql`${cards.status} = 'active'`,
      ),
    )
    .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.tenantId, credentials.tenantId), sql`${customers.active} = 1`))
    .where(and(eq(credentials.secretHash, await sha256Hex(secret)), eq(credentials.kind, "kiosk"), isNull(credentials.revokedAt)))
    .get();
  if (!row) return null;
  if (row.customerId === null || row.cardUid === null) return { credentialId: row.credentialId, customer: null };
  const customer: LobbyCustomer = {
    id: row.customerId,
    name: row.name,
    paternalSurname: row.paternalSurname,
    maternalSurname: row.maternalSurname,
    documentType: row.documentType,
    documentNumber: row.documentNumber,
    vltCode: row.vltCode,
    // A consent never given is no consent.
    consentWhatsapp: row.consentWhatsapp ?? false,
    consentEmail: row.consentEmail ?? false,
    consentSms: row.consentSms ?? false,
    cardUid: row.cardUid,
  };
  return { credentialId: row.credentialId, customer };
}
