import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { cards, customers, type Customer } from "../db/schema";
import type { CardLock, LockGrant } from "../durable/card-lock";
import { isUniqueViolation } from "../db/errors";
import { normaliseCardText } from "./cards";
import { insertCustomer } from "./customers";
import { conflict, DomainError } from "./errors";

/**
 * Kiosk (VLT) registration: binds an RFID card to a customer of the destination tenant,
 * creating the customer or updating it. One CardLock per tenant + card serialises the
 * work on one card and remembers, once the card is known, whose it is: a repeated tap is
 * answered from that memo with no D1 call. The D1 unique indexes (one RFID UID per
 * tenant in any status, one customer per VLT code, one active customer per document)
 * stay the last guard, e.g. for two new cards of one new customer tapped at once.
 */

/** The SUNAT catalogue codes a kiosk sends as `tipoDocumento`, and the canonical `customers.document_type` of each. */
const documentTypeByKioskCode: Record<number, string> = { 1: "DNI", 4: "CE", 6: "RUC", 7: "PASAPORTE" };

/** Canonical document type for a kiosk `tipoDocumento` (1 DNI, 4 CE, 6 RUC, 7 PASAPORTE, anything else OTRO); DNI when not sent. */
export function documentTypeFromKioskCode(code: number | undefined): string {
  if (code === undefined) return "DNI";
  return documentTypeByKioskCode[code] ?? "OTRO";
}

/** The kiosk `tipoDocumento` of a canonical document type (0 for OTRO and the types SUNAT's short list lacks); null without one. */
export function kioskCodeOfDocumentType(type: string | null): number | null {
  if (type === null) return null;
  const entry = Object.entries(documentTypeByKioskCode).find(([, name]) => name === type);
  return entry ? Number(entry[0]) : 0;
}

/** The name of the CardLock of one RFID card of a tenant. */
export function cardLockName(tenantId: number, uid: string): string {
  return `${tenantId}:rfid:${normaliseCardText(uid)}`;
}

/** What a card's lock remembers once the card is registered: its owner (an RFID UID is never rebound). */
export interface CardMemo {
  customerId: number;
}

/** A validated kiosk registration, in the registry's terms. Absent optional fields leave the stored values alone. */
export interface KioskRegistration {
  vltCode: number;
  cardUid: string;
  email: string;
  consents: { whatsapp: boolean; email: boolean; sms: boolean };
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

/**
 * Registers `input.cardUid` in the tenant under the card's lock. A card known to the lock
 * is a duplicate at once (no D1); otherwise one D1 read decides and one batch writes. The
 * memo is stored only after the write committed (or D1 showed the card already exists).
 */
export async function registerKioskCard(
  db: Db,
  lock: DurableObjectStub<CardLock>,
  tenantId: number,
  input: KioskRegistration,
): Promise<RegistrationResult> {
  // RPC drops the method's type parameter: the memo is what this module stores.
  const grant = (await lock.acquire().catch((err: unknown) => {
    throw new DomainError("unavailable", "The card is being registered by another request; try again.", {}, { cause: String(err) });
  })) as LockGrant<CardMemo>;
  if (grant.token === null) return { customerId: grant.memo.customerId, outcome: "duplicate" };
  let memo: CardMemo | undefined;
  try {
    const result = await registerUnderLock(db, tenantId, input);
    memo = { customerId: result.customerId };
    return result;
  } finally {
    // A failed release is not the caller's problem: the lease runs out by itself.
    await lock.release(grant.token, memo).catch((err: unknown) => {
      console.error(JSON.stringify({ level: "warn", msg: "card lock release failed", error: String(err) }));
    });
  }
}

async function registerUnderLock(db: Db, tenantId: number, input: KioskRegistration): Promise<RegistrationResult> {
  const uid = normaliseCardText(input.cardUid);
  for (let attempt = 1; ; attempt++) {
    const state = await readRegistrationState(db, tenantId, uid, input);
    if (state.cardOwnerId !== null) return { customerId: state.cardOwnerId, outcome: "duplicate" };
    const customer = matchCustomer(state.byVltCode, state.byDocument, input);
    try {
      return customer ? await addCard(db, tenantId, uid, customer, input) : await createWithCard(db, tenantId, uid, input);
    } catch (err) {
      // Another card's registration created or changed the same customer meanwhile: decide again on fresh rows.
      if (!isUniqueViolation(err)) throw err;
      if (attempt === ATTEMPTS) throw new DomainError("unavailable", "Concurrent registrations for this client; try again.");
    }
  }
}

/** The card's owner (any status), the customer with the VLT code (any status) and the active customer with the document: one round trip. */
async function readRegistrationState(db: Db, tenantId: number, uid: string, input: KioskRegistration) {
  const [card, byVltCode, byDocument] = await db.batch([
    db
      .select({ customerId: cards.customerId })
      .from(cards)
      .where(and(eq(cards.tenantId, tenantId), eq(cards.uid, uid), sql`${cards.kind} = 'rfid'`)),
    db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.vltCode, input.vltCode))),
    // Literal `active = 1` so SQLite can use the partial unique index on documents; with no dni, `= NULL` matches nothing.
    db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), sql`${customers.documentNumber} = ${input.document?.number ?? null}`, sql`${customers.active} = 1`)),
  ]);
  return { cardOwnerId: card[0]?.customerId ?? null, byVltCode: byVltCode[0] ?? null, byDocument: byDocument[0] ?? null };
}

/**
 * The customer a registration is for: the one with its VLT code, else the active one with
 * its document, else none (a new customer). Keys that point at different customers, or a
 * document that contradicts the matched customer's, are refused (conflict on a field):
 * the kiosk never moves a document or a VLT code from one customer to another.
 */
export function matchCustomer(byVltCode: Customer | null, byDocument: Customer | null, input: KioskRegistration): Customer | null {
  if (byVltCode && !byVltCode.active) {
    throw conflict("Deactivated client", { codigoClienteVLT: ["The codigoClienteVLT belongs to a deactivated client."] });
  }
  if (byVltCode && byDocument && byVltCode.id !== byDocument.id) {
    throw conflict("Keys match different clients", { dni: ["The dni belongs to a different client than the codigoClienteVLT."] });
  }
  if (!byVltCode && byDocument && byDocument.vltCode !== null) {
    throw conflict("Keys match different clients", { dni: ["The dni belongs to a client with a different codigoClienteVLT."] });
  }
  const customer = byVltCode ?? byDocument;
  if (customer && input.document && customer.documentNumber !== null && customer.documentNumber !== input.document.number) {
    throw conflict("Document mismatch", { dni: ["The dni does not match the document of the client with this codigoClienteVLT."] });
  }
  return customer;
}

/** "Paterno Materno", for the surfaces that keep one last-name field. */
function joinSurnames(paternal: string | null | undefined, maternal: string | null | undefined): string | null {
  return [paternal, maternal].filter(Boolean).join(" ") || null;
}

/** Consent columns for the values given; a value's time moves only when the value does. */
function consentColumns(consents: KioskRegistration["consents"], now: number, previous?: Customer) {
  const at = (given: boolean, before: boolean | null | undefined, beforeAt: number | null | undefined) => (given === before ? beforeAt : now);
  return {
    consentWhatsapp: consents.whatsapp,
    consentWhatsappAt: at(consents.whatsapp, previous?.consentWhatsapp, previous?.consentWhatsappAt),
    consentEmail: consents.email,
    consentEmailAt: at(consents.email, previous?.consentEmail, previous?.consentEmailAt),
    consentSms: consents.sms,
    consentSmsAt: at(consents.sms, previous?.consentSms, previous?.consentSmsAt),
  };
}

/** One batch: the new customer with the card bound to it. */
async function createWithCard(db: Db, tenantId: number, uid: string, input: KioskRegistration): Promise<RegistrationResult> {
  const now = Date.now();
  const insert = insertCustomer(db, tenantId, {
    channel: "kiosk",
    vltCode: input.vltCode,
    email: input.email,
    documentType: input.document?.type ?? null,
    documentNumber: input.document?.number ?? null,
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
  });
  const [[customer]] = await db.batch([
    insert,
    // Right after the insert, so last_insert_rowid() is the new customer.
    db.insert(cards).values({ tenantId, customerId: sql`last_insert_rowid()`, kind: "rfid", uid, status: "active", createdAt: now, statusChangedAt: now }),
  ]);
  return { customerId: customer!.id, outcome: "new_customer" };
}

/**
 * One batch: the profile fields sent overwrite the stored ones and absent ones are left
 * alone (Drizzle skips undefined); a document is only filled in where none is stored.
 * The customer's active RFID card becomes `replaced` and the new card the active one.
 */
async function addCard(db: Db, tenantId: number, uid: string, customer: Customer, input: KioskRegistration): Promise<RegistrationResult> {
  const now = Date.now();
  const surnamesSent = input.paternalSurname !== undefined || input.maternalSurname !== undefined;
  await db.batch([
    db
      .update(customers)
      .set({
        // Only what changes: every unique index touched by a SET costs a D1 read.
        vltCode: customer.vltCode === null ? input.vltCode : undefined,
        email: input.email,
        ...(customer.documentNumber === null && input.document ? { documentType: input.document.type, documentNumber: input.document.number } : {}),
        name: input.name,
        paternalSurname: input.paternalSurname,
        maternalSurname: input.maternalSurname,
        lastName: surnamesSent
          ? joinSurnames(input.paternalSurname ?? customer.paternalSurname, input.maternalSurname ?? customer.maternalSurname)
          : undefined,
        birthDate: input.birthDate,
        address: input.address,
        phone: input.phone,
        ubigeo: input.ubigeo,
        sex: input.sex,
        ...consentColumns(input.consents, now, customer),
        updatedAt: now,
      })
      .where(and(eq(customers.id, customer.id), eq(customers.tenantId, tenantId))),
    db
      .update(cards)
      .set({ status: "replaced", statusChangedAt: now })
      .where(and(eq(cards.tenantId, tenantId), eq(cards.customerId, customer.id), eq(cards.kind, "rfid"), eq(cards.status, "active"))),
    db.insert(cards).values({ tenantId, customerId: customer.id, kind: "rfid", uid, status: "active", createdAt: now, statusChangedAt: now }),
  ]);
  return { customerId: customer.id, outcome: "card_added" };
}
