import type { LedgerEntry } from "../../core/ledger/entries";
import type { CustomerOverview, IdentifierHistory } from "../../core/registry/overview";
import type { SearchHit } from "../../core/registry/search";
import type { TenantSummary } from "../../core/tenants/tenants";
import { formatAmount, formatInstant, type View } from "../context";
import { DataTable, Facts, FieldError, Page } from "../layout";
import { NextLink } from "./common";

const fullName = (name: string | null, surname: string | null) => [name, surname].filter(Boolean).join(" ") || "—";

/** The one search box, and a page of what it found (or the newest customers). */
export function SearchPage(props: { view: View; tenant: TenantSummary; q: string; hits: SearchHit[]; next: string | null }) {
  const { view, tenant } = props;
  const { t } = view;
  return (
    <Page view={view} title={t.customers} section="customers" tenant={tenant}>
      <search>
        <form method="get" action={`/console/tenants/${tenant.id}/customers`} class="search">
          <label for="q">{t.searchLabel}</label>
          <div class="search-row">
            <input id="q" name="q" type="search" value={props.q} maxlength={200} aria-describedby="q-help" />
            <button type="submit">{t.search}</button>
          </div>
          <p class="help" id="q-help">
            {t.searchHelp}
          </p>
        </form>
      </search>
      <h2>{props.q ? t.results : t.newestCustomers}</h2>
      {props.hits.length === 0 ? (
        <p>{t.noResults}</p>
      ) : (
        <DataTable
          label={t.results}
          rows={props.hits}
          columns={[
            { header: "Id", cell: (hit) => <a href={`/console/tenants/${tenant.id}/customers/${hit.id}`}>{hit.id}</a> },
            { header: t.name, cell: (hit) => <a href={`/console/tenants/${tenant.id}/customers/${hit.id}`}>{fullName(hit.name, hit.surname)}</a> },
            { header: t.identifierKinds.document, cell: (hit) => hit.identity.document.map((d) => `${d.qualifier ?? ""} ${d.value}`.trim()).join(", ") || "—" },
            { header: t.channel, cell: (hit) => t.channels[hit.channel] },
            { header: t.status, cell: (hit) => t.statuses[hit.status] },
            ...(props.q
              ? [
                  {
                    header: t.matchedBy,
                    cell: (hit: SearchHit) =>
                      hit.matches
                        .map((m) => `${t.identifierKinds[m.field]} ${m.value}${m.status && m.status !== "active" ? ` (${t.statuses[m.status]})` : ""}`)
                        .join("; "),
                  },
                ]
              : []),
          ]}
        />
      )}
      <NextLink view={view} cursor={props.next} />
    </Page>
  );
}

/** The customer 360: the profile, every key with its history, balances, lots, tier and transactions; the merge form. */
export function CustomerPage(props: {
  view: View;
  tenant: TenantSummary;
  overview: CustomerOverview;
  /** An older page of transactions, when the operator paged (`?before=`). */
  older?: { entries: LedgerEntry[]; next: number | null };
  notice?: string;
  mergeErrors?: string[];
}) {
  const { view, tenant, overview } = props;
  const { t } = view;
  const c = overview.customer;
  const zone = tenant.timezone;
  const when = (ms: number | null) => formatInstant(view, ms, zone);
  const base = `/console/tenants/${tenant.id}/customers/${c.id}`;
  const status = c.mergedIntoId !== null ? "merged" : c.active ? "active" : "inactive";
  const keys = overview.identifiers.filter((i) => i.kind !== "rfid_card" && i.kind !== "vehicle_tag");
  const cards = overview.identifiers.filter((i) => i.kind === "rfid_card" || i.kind === "vehicle_tag");
  const entries = props.older ?? { entries: overview.entries, next: overview.nextEntries };
  const consent = (given: boolean | null, at: number | null) => (given === null ? "—" : `${given ? t.yes : t.no} (${when(at)})`);
  const profile: Array<[string, string]> = [
    [t.name, fullName(c.name, [c.paternalSurname, c.maternalSurname].filter(Boolean).join(" ") || c.lastName)],
    [t.email, c.email ?? "—"],
    [t.phone, c.phone ?? "—"],
    [t.address, c.address ?? "—"],
    [t.birthDate, c.birthDate ?? "—"],
    [t.channel, t.channels[c.channel]],
    [t.status, t.statuses[status]],
    [t.created, when(c.createdAt)],
    [`${t.consents}: WhatsApp`, consent(c.consentWhatsapp, c.consentWhatsappAt)],
    [`${t.consents}: ${t.email}`, consent(c.consentEmail, c.consentEmailAt)],
    [`${t.consents}: SMS`, consent(c.consentSms, c.consentSmsAt)],
  ];
  const surfaces: Array<[string, string]> = [
    ["clients · tipoCliente", c.clientType ?? "—"],
    ["clients · personaContacto", c.contactPerson ?? "—"],
    ["parking · isUnlimited", c.parkingUnlimited === null ? "—" : String(c.parkingUnlimited)],
    ["loyalty · data", c.loyaltyData ?? "—"],
    ["sales · id_tipo_cliente", c.salesClientTypeId === null ? "—" : String(c.salesClientTypeId)],
    ["sales · id_tipo_documento", c.salesDocumentTypeId === null ? "—" : String(c.salesDocumentTypeId)],
    ["kiosk · sexo / ubigeo", `${c.sex ?? "—"} / ${c.ubigeo ?? "—"}`],
  ];
  return (
    <Page
      view={view}
      title={`${t.customer(c.id)}: ${fullName(c.name, c.paternalSurname ?? c.lastName)}`}
      section="customers"
      tenant={tenant}
      notice={props.notice}
    >
      {c.mergedIntoId !== null ? (
        <p class="warning">
          <a href={`/console/tenants/${tenant.id}/customers/${c.mergedIntoId}`}>{t.mergedInto(c.mergedIntoId)}</a>
        </p>
      ) : null}
      <div class="grid">
        <section aria-labelledby="balances" class="card">
          <h2 id="balances">{t.accounts}</h2>
          {overview.accounts.length === 0 ? <p>—</p> : null}
          <dl class="facts big">
            {overview.accounts.map((a) => (
              <>
                <dt>{t.unitsNames[a.unit]}</dt>
                <dd data-balance={a.unit}>{formatAmount(view, a.balance)}</dd>
              </>
            ))}
            <dt>{t.tier}</dt>
            <dd>{overview.tier?.name ?? t.noTier}</dd>
            {overview.accounts.map((a) => (
              <>
                <dt>
                  {t.earned} · {t.unitsNames[a.unit]}
                </dt>
                <dd>{formatAmount(view, a.earned)}</dd>
              </>
            ))}
          </dl>
        </section>
        <section aria-labelledby="profile" class="card">
          <h2 id="profile">{t.profile}</h2>
          <Facts rows={profile} />
        </section>
      </div>
      <IdentifierTable view={view} id="keys" title={t.identifiers} rows={keys} zone={zone} />
      <IdentifierTable view={view} id="cards" title={t.cardsAndTags} rows={cards} zone={zone} />
      <section aria-labelledby="lots">
        <h2 id="lots">{t.lots}</h2>
        {overview.lots.length === 0 ? (
          <p>—</p>
        ) : (
          <DataTable
            label={t.lots}
            rows={overview.lots}
            columns={[
              { header: t.unit, cell: (lot) => t.unitsNames[lot.unit] },
              { header: t.amount, num: true, cell: (lot) => formatAmount(view, lot.amount) },
              { header: t.remaining, num: true, cell: (lot) => formatAmount(view, lot.remaining) },
              { header: t.expires, cell: (lot) => (lot.expiresAt === null ? t.never : when(lot.expiresAt)) },
              { header: t.set, cell: (lot) => lot.setName },
              { header: t.created, cell: (lot) => when(lot.createdAt) },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="transactions">
        <h2 id="transactions">{t.transactions}</h2>
        {props.older ? (
          <p class="pager">
            <a href={`${base}#transactions`}>{t.newestTransactions}</a>
          </p>
        ) : null}
        <EntryTable view={view} entries={entries.entries} zone={zone} />
        {entries.next === null ? null : <NextLink view={view} cursor={String(entries.next)} param="before" label={t.olderTransactions} />}
      </section>
      <details>
        <summary>{t.surfaceFields}</summary>
        <Facts rows={surfaces} />
      </details>
      {overview.absorbedIds.length > 0 ? (
        <section aria-labelledby="absorbed">
          <h2 id="absorbed">{t.absorbed}</h2>
          <ul>
            {overview.absorbedIds.map((id) => (
              <li>
                <a href={`/console/tenants/${tenant.id}/customers/${id}`}>{t.customer(id)}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {status === "active" ? (
        <section aria-labelledby="merge" class="card">
          <h2 id="merge">{t.merge}</h2>
          <p class="help" id="merge-help">
            {t.mergeHelp}
          </p>
          <form method="get" action={`${base}/merge`}>
            <label for="from">{t.mergeFrom}</label>
            <input
              id="from"
              name="from"
              inputmode="numeric"
              pattern="[0-9]+"
              required
              aria-describedby={props.mergeErrors ? "merge-help from-error" : "merge-help"}
              aria-invalid={props.mergeErrors ? "true" : undefined}
            />
            <FieldError id="from-error" messages={props.mergeErrors} />
            <button type="submit" class="secondary">
              {t.mergeReview}
            </button>
          </form>
        </section>
      ) : null}
    </Page>
  );
}

function IdentifierTable({ view, id, title, rows, zone }: { view: View; id: string; title: string; rows: IdentifierHistory[]; zone: string }) {
  const { t } = view;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p>—</p>
      ) : (
        <DataTable
          label={title}
          rows={rows}
          rowClass={(row) => (row.status === "active" ? undefined : "ended")}
          columns={[
            { header: t.kind, cell: (row) => t.identifierKinds[row.kind] },
            { header: t.value, cell: (row) => <code>{row.value}</code> },
            { header: t.qualifier, cell: (row) => row.qualifier ?? "—" },
            { header: t.status, cell: (row) => `${t.statuses[row.status]}${row.kind === "document" && row.primary ? ` (${t.primary})` : ""}` },
            { header: t.since, cell: (row) => formatInstant(view, row.createdAt, zone) },
            { header: t.changed, cell: (row) => (row.statusChangedAt === row.createdAt ? "—" : formatInstant(view, row.statusChangedAt, zone)) },
          ]}
        />
      )}
    </section>
  );
}

function EntryTable({ view, entries, zone }: { view: View; entries: LedgerEntry[]; zone: string }) {
  const { t } = view;
  if (entries.length === 0) return <p>{t.noTransactions}</p>;
  return (
    <DataTable
      label={t.transactions}
      rows={entries}
      rowId={(e) => `tx-${e.id}`}
      columns={[
        { header: "#", cell: (e) => e.id },
        { header: t.date, cell: (e) => formatInstant(view, e.createdAt, zone) },
        {
          header: t.type,
          cell: (e) => (
            <>
              {e.title}
              <br />
              <small>{e.type}</small>
            </>
          ),
        },
        { header: t.code, cell: (e) => e.code ?? "—" },
        {
          header: t.amount,
          num: true,
          class: (e) => (e.direction === "CREDIT" ? "credit" : "debit"),
          cell: (e) => (
            <>
              {e.direction === "CREDIT" ? "+" : "−"}
              {formatAmount(view, e.amount)} <small>{t.unitsNames[e.unit]}</small>
            </>
          ),
        },
        { header: t.store, cell: (e) => (e.store ? (e.store.name ?? e.store.externalId) : "—") },
        {
          header: t.description,
          cell: (e) => (
            <>
              {e.description ?? ""}
              {e.reversesId !== null ? <Link href={`#tx-${e.reversesId}`} text={t.reverses(e.reversesId)} /> : null}
              {e.reversedById !== null ? <Link href={`#tx-${e.reversedById}`} text={t.reversedBy(e.reversedById)} /> : null}
              {e.counterpartId !== null ? <Link href={`#tx-${e.counterpartId}`} text={t.counterpart(e.counterpartId)} /> : null}
            </>
          ),
        },
      ]}
    />
  );
}

function Link({ href, text }: { href: string; text: string }) {
  return (
    <>
      {" "}
      <a href={href} class="tag">
        {text}
      </a>
    </>
  );
}

/** What the merge confirmation shows of each customer. */
export function MergeSummary({ view, survivor, absorbed }: { view: View; survivor: CustomerOverview; absorbed: CustomerOverview }) {
  const { t } = view;
  const line = (o: CustomerOverview) => {
    const c = o.customer;
    const keys = o.identifiers.filter((i) => i.status === "active").map((i) => `${t.identifierKinds[i.kind]} ${i.value}`);
    const balances = o.accounts.map((a) => `${formatAmount(view, a.balance)} ${t.unitsNames[a.unit]}`);
    return `${t.customer(c.id)} · ${fullName(c.name, c.paternalSurname ?? c.lastName)} · ${[...keys, ...balances].join(", ") || "—"}`;
  };
  return (
    <ul class="card">
      <li>
        <strong>{t.duplicate}:</strong> {line(absorbed)}
      </li>
      <li>
        <strong>{t.survivor}:</strong> {line(survivor)}
      </li>
    </ul>
  );
}
