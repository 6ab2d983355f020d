import type { AuditRecord } from "../../core/audit";
import type { PersonalData } from "../../core/data-subject";
import type { Customer, CustomerRecord } from "../../core/registry/customers";
import type { Tenant } from "../../core/tenants/tenants";

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
    identifiers: Object.entries(customer.identity).flatMap(([kind, values]) => values.map((v) => ({ kind: kind as keyof typeof customer.identity, ...v }))),
    createdAt: new Date(customer.createdAt).toISOString(),
    updatedAt: new Date(customer.updatedAt).toISOString(),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A tenant's settings as `PATCH /admin/tenants/{id}` answers them. */
export function renderTenantSettings(tenant: Tenant) {
  return { id: tenant.id, name: tenant.name, timezone: tenant.timezone, partnerRateLimit: tenant.partnerRateLimit };
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

/** The right-of-access document: every row about the person, times in ISO 8601 UTC, amounts in minor units. */
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
        balance: a.balance,
        earned: a.earned,
        createdAt: iso(a.createdAt),
        lots: data.lots
          .filter((l) => l.accountId === a.id)
          .map((l) => ({
            id: l.id,
            amount: l.amount,
            remaining: l.remaining,
            expired: l.expired,
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
        amount: t.amount,
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
  };
}
