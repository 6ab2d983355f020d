import type { AuditRecord } from "../../core/audit";
import type { PersonalData } from "../../core/data-subject";
import { toPublicEvent } from "../../core/events/feed";
import type { LedgerEntry } from "../../core/ledger/entries";
import type { Customer, CustomerRecord, Identity } from "../../core/registry/customers";
import type { CustomerOverview } from "../../core/registry/overview";
import type { SearchHit } from "../../core/registry/search";
import type { CredentialSummary } from "../../core/tenants/credentials";
import type { TenantSummary } from "../../core/tenants/tenants";
import type { AttemptView, EndpointView } from "../../core/webhooks/endpoints";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Hundredths as units (250.5 points). */
const units = (hundredths: number) => hundredths / 100;

/** The identity of a customer as the operator API lists it (kind, value, qualifier). */
function identifierList(identity: Identity) {
  return Object.entries(identity).flatMap(([kind, values]) => values.map((v) => ({ kind: kind as keyof Identity, ...v })));
}

/** A customer as the operator API shows it: profile and active keys, times in ISO 8601 UTC. */
export function renderCustomer(customer: CustomerRecord) {
  return {
    id: customer.id,
    channel: customer.channel,
    name: customer.name,
    paternalSurname: customer.paternalSurname,
    maternalSurname: customer.maternalSurname,
    lastName: customer.lastName,
    email: customer.email,
    phone: customer.phone,
    address: customer.address,
    birthDate: customer.birthDate,
    identifiers: identifierList(customer.identity),
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  };
}

/** One audit entry. */
export function renderAuditEntry(entry: AuditRecord) {
  return {
    id: entry.id,
    at: iso(entry.createdAt),
    actor: entry.actor,
    requestId: entry.requestId,
    action: entry.action,
    tenantId: entry.tenantId,
    target: entry.target,
    summary: entry.summary,
  };
}

/** A customer row's own fields, as the export shows them: the profile apart from the registry's bookkeeping and the consents. */
function renderRecord(record: Customer) {
  const {
    id,
    tenantId: _tenant,
    active,
    mergedIntoId,
    channel,
    erasedAt,
    createdAt,
    updatedAt,
    loyaltyData,
    consentWhatsapp,
    consentWhatsappAt,
    consentEmail,
    consentEmailAt,
    consentSms,
    consentSmsAt,
    consentChannel: _channel,
    ...profile
  } = record;
  const consent = (granted: boolean | null, at: number | null) => ({ granted, at: isoOrNull(at) });
  return {
    id,
    active,
    mergedIntoId,
    channel,
    erasedAt: isoOrNull(erasedAt),
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
    profile: { ...profile, loyaltyData: loyaltyData === null ? null : (JSON.parse(loyaltyData) as unknown) },
    consents: {
      whatsapp: consent(consentWhatsapp, consentWhatsappAt),
      email: consent(consentEmail, consentEmailAt),
      sms: consent(consentSms, consentSmsAt),
    },
  };
}

/** The right-of-access document: every row about the person, times in ISO 8601 UTC, amounts in units. */
export function renderPersonalData(tenantId: number, data: PersonalData) {
  const times = (row: Pick<PersonalData["identifiers"][number], "status" | "createdAt" | "statusChangedAt">) => ({
    status: row.status,
    createdAt: iso(row.createdAt),
    statusChangedAt: iso(row.statusChangedAt),
  });
  const ofKind = (...kinds: string[]) => data.identifiers.filter((i) => kinds.includes(i.kind));
  return {
    exportedAt: iso(Date.now()),
    tenantId,
    customerId: data.customerId,
    records: data.records.map(renderRecord),
    identifiers: data.identifiers
      .filter((i) => i.kind !== "rfid_card" && i.kind !== "vehicle_tag")
      .map((i) => ({ customerId: i.customerId, kind: i.kind, value: i.value, qualifier: i.qualifier, ...times(i) })),
    cards: ofKind("rfid_card").map((i) => ({ customerId: i.customerId, uid: i.value, ...times(i) })),
    tags: ofKind("vehicle_tag").map((i) => ({ customerId: i.customerId, code: i.value, plate: i.qualifier, ...times(i) })),
    consentHistory: data.consentHistory.map((h) => ({ customerId: h.customerId, kind: h.kind, granted: h.granted, channel: h.channel, at: iso(h.createdAt) })),
    ledger: {
      accounts: data.accounts.map((a) => ({
        id: a.id,
        unit: a.unit,
        balance: units(a.balance),
        earned: units(a.earned),
        createdAt: iso(a.createdAt),
        lots: data.lots
          .filter((l) => l.accountId === a.id)
          .map((l) => ({
            id: l.id,
            amount: units(l.amount),
            remaining: units(l.remaining),
            expired: units(l.expired),
            expiresAt: isoOrNull(l.expiresAt),
            setName: l.setName,
            createdAt: iso(l.createdAt),
          })),
      })),
      transactions: data.transactions.map((t) => ({
        id: t.id,
        customerId: t.customerId,
        unit: t.unit,
        direction: t.direction,
        amount: units(t.amount),
        type: t.type,
        title: t.title,
        partnerTitle: t.partnerTitle,
        description: t.description,
        code: t.code,
        externalId: t.externalId,
        store: t.storeExternalId === null ? null : { externalId: t.storeExternalId, name: t.storeName },
        reversesId: t.reversesId,
        channel: t.channel,
        createdAt: iso(t.createdAt),
      })),
    },
    sales: data.sales.map((s) => ({
      id: s.id,
      customerId: s.customerId,
      apartment: s.apartment,
      amount: s.amount,
      kind: s.kind,
      date: s.date,
      createdAt: iso(s.createdAt),
    })),
    events: data.events.map(toPublicEvent),
  };
}

export function renderTenantSummary(tenant: TenantSummary) {
  return { ...tenant, createdAt: iso(tenant.createdAt) };
}

export function renderCredential(credential: CredentialSummary) {
  return {
    client_id: credential.clientId,
    kind: credential.kind,
    name: credential.name,
    createdAt: iso(credential.createdAt),
    revokedAt: isoOrNull(credential.revokedAt),
  };
}

export function renderSearchHit(hit: SearchHit) {
  return {
    id: hit.id,
    status: hit.status,
    mergedIntoId: hit.mergedIntoId,
    channel: hit.channel,
    name: hit.name,
    surname: hit.surname,
    identifiers: identifierList(hit.identity),
    createdAt: iso(hit.createdAt),
    matches: hit.matches,
  };
}

export function renderEntry(entry: LedgerEntry) {
  return { ...entry, createdAt: iso(entry.createdAt), amount: units(entry.amount) };
}

/** A keyset page: its items and the cursor of the next one. */
export function renderPage<T, R>(items: readonly T[], render: (item: T) => R, next: string | number | null) {
  return { data: items.map(render), nextCursor: next === null ? null : String(next) };
}

/** The customer 360, times in ISO 8601 UTC and amounts in units. */
export function renderOverview(overview: CustomerOverview) {
  const c = overview.customer;
  const consent = (given: boolean | null, at: number | null) => ({ given, at: isoOrNull(at) });
  let loyaltyData: unknown = null;
  try {
    loyaltyData = c.loyaltyData === null ? null : JSON.parse(c.loyaltyData);
  } catch {
    loyaltyData = c.loyaltyData;
  }
  return {
    customer: {
      id: c.id,
      status: c.mergedIntoId !== null ? ("merged" as const) : c.active ? ("active" as const) : ("inactive" as const),
      mergedIntoId: c.mergedIntoId,
      channel: c.channel,
      name: c.name,
      paternalSurname: c.paternalSurname,
      maternalSurname: c.maternalSurname,
      lastName: c.lastName,
      email: c.email,
      phone: c.phone,
      address: c.address,
      birthDate: c.birthDate,
      sex: c.sex,
      ubigeo: c.ubigeo,
      consents: {
        whatsapp: consent(c.consentWhatsapp, c.consentWhatsappAt),
        email: consent(c.consentEmail, c.consentEmailAt),
        sms: consent(c.consentSms, c.consentSmsAt),
      },
      clients: { clientType: c.clientType, contactPerson: c.contactPerson },
      parking: { unlimited: c.parkingUnlimited },
      loyalty: { data: loyaltyData },
      sales: { clientTypeId: c.salesClientTypeId, documentTypeId: c.salesDocumentTypeId },
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
    },
    identifiers: overview.identifiers.map((h) => ({ ...h, createdAt: iso(h.createdAt), statusChangedAt: iso(h.statusChangedAt) })),
    absorbedIds: overview.absorbedIds,
    accounts: overview.accounts.map((a) => ({ unit: a.unit, balance: units(a.balance), earned: units(a.earned) })),
    lots: overview.lots.map((l) => ({
      ...l,
      amount: units(l.amount),
      remaining: units(l.remaining),
      createdAt: iso(l.createdAt),
      expiresAt: isoOrNull(l.expiresAt),
    })),
    tier: overview.tier,
    transactions: renderPage(overview.entries, renderEntry, overview.nextEntries),
  };
}

/** A webhook endpoint as the operator API shows it: never its secret. */
export function renderWebhookEndpoint(endpoint: EndpointView) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.eventTypes,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    failingSince: isoOrNull(endpoint.failingSince),
    createdAt: iso(endpoint.createdAt),
    statusChangedAt: iso(endpoint.statusChangedAt),
    previousSecretExpiresAt: isoOrNull(endpoint.previousSecretExpiresAt),
  };
}

export function renderWebhookAttempt(attempt: AttemptView) {
  return { ...attempt, attemptedAt: iso(attempt.attemptedAt), nextAttemptAt: isoOrNull(attempt.nextAttemptAt) };
}
