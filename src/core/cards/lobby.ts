import { and, eq, isNull, sql } from "drizzle-orm";
import { prepared } from "../../db/batch";
import type { Db } from "../../db/client";
import { credentials, customers, identifiers } from "../../db/schema";
import { sha256Hex } from "../crypto";
import { type CustomerRecord, identityFrom, profileKinds, recordColumns } from "../registry/customers";
import { activeIdentifiersJson, cardText } from "../registry/identifiers";
import { secretMatches } from "../tenants/credentials";

/** A lobby card's holder: the customer's record and the card as stored. */
export interface CardHolder {
  customer: CustomerRecord;
  cardUid: string;
}

const lookup = prepared((db) =>
  db
    .select({
      // Aliased: the joined tables share column names (id, tenant_id).
      credentialId: sql<number>`${credentials.id}`.as("credential_id"),
      cardUid: sql<string | null>`${identifiers.value}`.as("card_uid"),
      ...recordColumns,
      // Selected again by its own alias, so a missing customer reads as null rather than "[]".
      identity: sql<string | null>`CASE WHEN ${customers.id} IS NULL THEN NULL ELSE ${activeIdentifiersJson(customers.id, profileKinds)} END`.as("identity"),
    })
    .from(credentials)
    .leftJoin(
      identifiers,
      and(
        eq(identifiers.tenantId, credentials.tenantId),
        eq(identifiers.kind, "rfid_card"),
        eq(identifiers.value, sql.placeholder("uid")),
        eq(identifiers.exclusive, 1),
        sql`${identifiers.status} = 'active'`,
      ),
    )
    .leftJoin(customers, and(eq(customers.id, identifiers.customerId), eq(customers.tenantId, credentials.tenantId), sql`${customers.active} = 1`))
    .where(and(secretMatches(sql.placeholder("secretHash"), sql.placeholder("now")), eq(credentials.kind, "kiosk"), isNull(credentials.revokedAt)))
    .prepare(),
);

/**
 * Checks a kiosk secret (the current one, or the previous one during a rotation's grace
 * period) and finds, in the kiosk's tenant, the active customer whose
 * active RFID card `cardUid` is: one query (credential joined to card and customer).
 * Null when the secret is wrong or revoked; `holder` null when the card is unknown,
 * replaced or cancelled or its customer deactivated (the caller must not say which).
 */
export async function findCardHolder(db: Db, secret: string, cardUid: string): Promise<{ credentialId: number; holder: CardHolder | null } | null> {
  const row = await lookup(db).get({ uid: cardText(cardUid), secretHash: await sha256Hex(secret), now: Date.now() });
  if (!row) return null;
  const { credentialId, cardUid: uid, identity, ...customer } = row;
  if (customer.id === null || uid === null) return { credentialId, holder: null };
  return { credentialId, holder: { cardUid: uid, customer: { ...(customer as CustomerRecord), identity: identityFrom(identity) } } };
}
