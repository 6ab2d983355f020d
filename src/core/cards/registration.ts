import { and, eq, sql } from "drizzle-orm";
import { bound, prepared, rows, runBatch } from "../../db/batch";
import type { Db } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import { customers, identifiers } from "../../db/schema";
import { Busy, CustomerInactive, IdentifierMismatch } from "../errors";
import { cardBound, customerCreated, customerUpdated } from "../events/payloads";
import { type CustomerRecord, insertCustomerStatement, lastCustomerId, type Profile, recordColumns, toRecord, updateSet } from "../registry/customers";
import { cardText, endIdentifiers, holderOf, linkIdentifiers, type NewIdentifier, normalise } from "../registry/identifiers";
import { decide, holdersStatement } from "../registry/resolution";
import { vltDestinationRefresh } from "../tenants/tenants";
import { acquire, type LockOpener, release, rfidLockName } from "./locks";

/**
 * Registering an RFID card at a kiosk: binds the card to a customer of the tenant,
 * creating the customer or updating it. One CardLock per tenant + card serialises the
 * work on one card and remembers, once the card is known, whose it is: a repeated tap is
 * answered from that memo with no D1 call. The unique index on identifiers stays the last
 * guard (one holder per card, per VLT code, and per document when a registration creates
 * its customer), e.g. for two new cards of one new customer tapped at once.
 */

/** What a card's lock remembers once the card is registered: its owner (an RFID UID is never rebound). */
export interface CardMemo {
  customerId: number;
}

/** A registration in the registry's terms. Absent optional fields leave the stored values alone. */
export interface CardRegistration {
  vltCode: number;
  cardUid: string;
  email: string;
  consents: { whatsapp: boolean; email: boolean; sms: boolean };
  /** Canonical document type (DNI, CE, RUC, PASAPORTE, OTRO) and number. */
  document?: { type: string; number: string };
  name?: string;
  paternalSurname?: string;
  maternalSurname?: string;
  birthDate?: string;
  address?: string;
  phone?: string;
  ubigeo?: string;
  sex?: number;
}

export type RegistrationOutcome = "new_customer" | "card_added" | "duplicate";

export interface RegistrationResult {
  customerId: number;
  outcome: RegistrationOutcome;
}

/** Concurrent registrations that collide on a unique index are re-read and re-decided this many times in all. */
const ATTEMPTS = 3;

/** Runs the work it is given after the answer has gone out (the Worker's `ctx.waitUntil`). */
export type Background = (work: () => Promise<void>) => void;

/**
 * Registers `input.cardUid` in the tenant under the card's lock. A card known to the lock
 * is a duplicate at once (no D1); otherwise one D1 read decides and one batch writes. The
 * memo is stored only after the write committed (or D1 showed the card already exists),
 * by the lock's release, which runs in `background`: the answer does not wait for it,
 * and a tap of the same card meanwhile waits on the lease, then reads the memo.
 */
export async function registerCard(db: Db, locks: LockOpener, tenantId: number, input: CardRegistration, background: Background): Promise<RegistrationResult> {
  const uid = cardText(input.cardUid);
  const lock = locks(rfidLockName(tenantId, uid));
  const grant = await acquire<CardMemo>(lock, "card");
  if (grant.token === null) return { customerId: grant.memo.customerId, outcome: "duplicate" };
  let memo: CardMemo | undefined;
  try {
    const result = await registerUnderLock(db, tenantId, uid, input);
    memo = { customerId: result.customerId };
    return result;
  } finally {
    const token = grant.token;
    background(() => release(lock, token, memo));
  }
}

async function registerUnderLock(db: Db, tenantId: number, uid: string, input: CardRegistration): Promise<RegistrationResult> {
  for (let attempt = 1; ; attempt++) {
    const state = await readState(db, tenantId, uid, input);
    if (state.cardOwnerId !== null) return { customerId: state.cardOwnerId, outcome: "duplicate" };
    try {
      return state.customer ? await addCard(db, tenantId, uid, state.customer, input) : await createWithCard(db, tenantId, uid, input);
    } catch (err) {
      // Another card's registration created or changed the same customer meanwhile: decide again on fresh rows.
      if (!isUniqueViolation(err)) throw err;
      if (attempt === ATTEMPTS) throw new Busy("registration");
    }
  }
}

const cardOwner = prepared((db) =>
  db
    .select({ customerId: identifiers.customerId })
    .from(identifiers)
    .where(
      and(
        eq(identifiers.tenantId, sql.placeholder("tenantId")),
        eq(identifiers.kind, "rfid_card"),
        eq(identifiers.value, sql.placeholder("uid")),
        eq(identifiers.exclusive, 1),
      ),
    )
    .limit(1)
    .prepare(),
);

/** The records of the customers holding the VLT code or (as primary holder) the document: the candidates a registration may be for. */
const candidateRecords = prepared((db) => {
  const holder = (kind: "vlt_code" | "document") => holderOf(sql.placeholder("tenantId"), kind, sql.placeholder(kind));
  return db
    .select(recordColumns)
    .from(customers)
    .where(sql`${customers.id} IN (${holder("vlt_code")}, ${holder("document")})`)
    .prepare();
});

/**
 * One round trip: the card's owner (any status: a UID is never rebound), the customers
 * the VLT code and the document name, and their records. Decides which customer the
 * registration is for (see `matchCustomer`). The VLT destination's row rides along and
 * refreshes the isolate's copy of it, so a kiosk that keeps registering never reads it alone.
 */
async function readState(db: Db, tenantId: number, uid: string, input: CardRegistration) {
  const vltCode = normalise("vlt_code", input.vltCode);
  const documentNumber = input.document ? normalise("document", input.document.number) : null;
  const [owner, holders, records] = await runBatch(db, [
    bound(cardOwner(db), { tenantId, uid }),
    holdersStatement(tenantId, "kiosk", { vltCode, document: documentNumber }),
    bound(candidateRecords(db), { tenantId, vlt_code: vltCode, document: documentNumber }),
    vltDestinationRefresh(db),
  ]);
  const match = decide("kiosk", holders);
  const record = match ? records.map(toRecord).find((r) => r.id === match.customerId) : undefined;
  return {
    cardOwnerId: owner[0]?.customerId ?? null,
    customer: match && record ? matchCustomer(match, record, documentNumber) : null,
  };
}

/**
 * The matched customer, checked: a VLT code of a deactivated customer is refused (VLT
 * codes are never reused), and so is a document that contradicts the one the customer
 * holds (the kiosk never moves a document from one customer to another). Keys that name
 * two customers were refused by `decide`.
 */
function matchCustomer(match: { kind: string; active: boolean }, record: CustomerRecord, documentNumber: string | null): CustomerRecord {
  if (!match.active) throw new CustomerInactive("vlt_code");
  const documents = record.identity.document.map((d) => d.value);
  if (documentNumber !== null && documents.length > 0 && !documents.includes(documentNumber)) throw new IdentifierMismatch("document");
  return record;
}

/** "Paterno Materno", for the surfaces that keep one last-name field. */
function joinSurnames(paternal: string | null | undefined, maternal: string | null | undefined): string | null {
  return [paternal, maternal].filter(Boolean).join(" ") || null;
}

/**
 * Consent columns for the values given; a value's time moves only when the value does
 * (and a trigger then appends it to the consent history, with the kiosk as its channel).
 */
function consentColumns(consents: CardRegistration["consents"], now: number, previous?: CustomerRecord) {
  const at = (given: boolean, before: boolean | null | undefined, beforeAt: number | null | undefined) => (given === before ? beforeAt : now);
  return {
    consentChannel: "kiosk" as const,
    consentWhatsapp: consents.whatsapp,
    consentWhatsappAt: at(consents.whatsapp, previous?.consentWhatsapp, previous?.consentWhatsappAt),
    consentEmail: consents.email,
    consentEmailAt: at(consents.email, previous?.consentEmail, previous?.consentEmailAt),
    consentSms: consents.sms,
    consentSmsAt: at(consents.sms, previous?.consentSms, previous?.consentSmsAt),
  };
}

const rfidCard = (uid: string): NewIdentifier => ({ kind: "rfid_card", value: uid });
const vltCodeOf = (input: CardRegistration): NewIdentifier => ({ kind: "vlt_code", value: normalise("vlt_code", input.vltCode) });
/** The kiosk claims a document as its primary holder: a person registering twice at once becomes one customer, not two. */
const documentOf = (document: NonNullable<CardRegistration["document"]>): NewIdentifier => ({
  kind: "document",
  value: normalise("document", document.number),
  qualifier: document.type,
  primary: "required",
});

/**
 * One batch: the new customer with its VLT code, its document and the card. The document
 * must have no holder yet (a concurrent registration of the same person then fails on the
 * unique index and is re-decided as a match).
 */
async function createWithCard(db: Db, tenantId: number, uid: string, input: CardRegistration): Promise<RegistrationResult> {
  const now = Date.now();
  const profile: Profile = {
    email: input.email,
    name: input.name ?? null,
    paternalSurname: input.paternalSurname ?? null,
    maternalSurname: input.maternalSurname ?? null,
    lastName: joinSurnames(input.paternalSurname, input.maternalSurname),
    birthDate: input.birthDate ?? null,
    address: input.address ?? null,
    phone: input.phone ?? null,
    ubigeo: input.ubigeo ?? null,
    sex: input.sex ?? null,
    ...consentColumns(input.consents, now),
  };
  const keys = [vltCodeOf(input), ...(input.document ? [documentOf(input.document)] : []), rfidCard(uid)];
  const [[customer]] = await runBatch(db, [
    insertCustomerStatement(db, tenantId, "kiosk", profile, now),
    rows<never>(linkIdentifiers(tenantId, lastCustomerId, keys, now)),
    customerCreated(tenantId, lastCustomerId, now),
    cardBound(tenantId, lastCustomerId, uid, now),
  ]);
  return { customerId: customer!.id, outcome: "new_customer" };
}

/**
 * One batch: the profile fields sent overwrite the stored ones and absent ones are left
 * alone; a VLT code or a document the customer does not hold yet is added (a known
 * client registering with a new VLT code keeps its earlier codes as aliases; the newest
 * is the one the lobby shows). The customer's active card becomes `replaced` and the new
 * card the active one (`card.replaced`; `card.bound` when it had none), and
 * `customer.updated` lists the fields and keys that changed, if any.
 */
async function addCard(db: Db, tenantId: number, uid: string, customer: CustomerRecord, input: CardRegistration): Promise<RegistrationResult> {
  const now = Date.now();
  const surnamesSent = input.paternalSurname !== undefined || input.maternalSurname !== undefined;
  const vltCode = vltCodeOf(input);
  const newKeys: NewIdentifier[] = [];
  if (!customer.identity.vlt_code.some((v) => v.value === vltCode.value)) newKeys.push(vltCode);
  if (input.document && customer.identity.document.length === 0) newKeys.push(documentOf(input.document));
  const profile: Profile = {
    email: input.email,
    name: input.name,
    paternalSurname: input.paternalSurname,
    maternalSurname: input.maternalSurname,
    lastName: surnamesSent ? joinSurnames(input.paternalSurname ?? customer.paternalSurname, input.maternalSurname ?? customer.maternalSurname) : undefined,
    birthDate: input.birthDate,
    address: input.address,
    phone: input.phone,
    ubigeo: input.ubigeo,
    sex: input.sex,
    ...consentColumns(input.consents, now, customer),
  };
  // The events compare the stored profile with the new one, so the profile's update goes last.
  await runBatch(db, [
    rows<never>(endIdentifiers(customer.id, "rfid_card", "replaced", now)),
    rows<never>(linkIdentifiers(tenantId, customer.id, [...newKeys, rfidCard(uid)], now)),
    customerUpdated(
      tenantId,
      customer.id,
      profile,
      newKeys.map((k) => k.kind),
      now,
    ),
    cardBound(tenantId, customer.id, uid, now),
    rows<never>(
      sql`UPDATE ${customers} SET ${updateSet({ ...profile, updatedAt: now })} WHERE ${customers.id} = ${customer.id} AND ${customers.tenantId} = ${tenantId}`,
    ),
  ]);
  return { customerId: customer.id, outcome: "card_added" };
}
