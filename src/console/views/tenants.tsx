import type { FieldErrors } from "../../core/errors";
import type { CredentialSummary } from "../../core/tenants/credentials";
import type { TenantSummary } from "../../core/tenants/tenants";
import { formatInstant, type View } from "../context";
import { DataTable, FieldError, Page, PostForm } from "../layout";
import { NextLink } from "./common";

/** Every IANA zone the runtime knows, for the time zone pickers. */
const zones = (() => {
  const list = Intl.supportedValuesOf("timeZone");
  return list.includes("UTC") ? list : ["UTC", ...list];
})();

function ZoneSelect({ id, value, errors }: { id: string; value: string; errors?: string[] }) {
  return (
    <>
      <select id={id} name="timezone" aria-invalid={errors ? "true" : undefined} aria-describedby={errors ? `${id}-error` : undefined}>
        {zones.map((zone) => (
          <option value={zone} selected={zone === value}>
            {zone}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} messages={errors} />
    </>
  );
}

/** The tenants: their list and the form that creates one. */
export function TenantsPage(props: {
  view: View;
  tenants: TenantSummary[];
  next: string | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
  notice?: string;
}) {
  const { view } = props;
  const { t } = view;
  return (
    <Page view={view} title={t.tenants} section="tenants" notice={props.notice}>
      {props.tenants.length === 0 ? (
        <p>{t.noTenants}</p>
      ) : (
        <DataTable
          label={t.tenants}
          rows={props.tenants}
          columns={[
            { header: "Id", cell: (tenant) => tenant.id },
            { header: t.name, cell: (tenant) => <a href={`/console/tenants/${tenant.id}`}>{tenant.name}</a> },
            { header: t.timezone, cell: (tenant) => tenant.timezone },
            { header: t.activeCustomers, num: true, cell: (tenant) => new Intl.NumberFormat(view.locale).format(tenant.activeCustomers) },
            { header: t.vltDestination, cell: (tenant) => (tenant.vltDestination ? <strong class="badge">{t.vltDestination}</strong> : "") },
          ]}
        />
      )}
      <NextLink view={view} cursor={props.next} />
      <section aria-labelledby="create-tenant">
        <h2 id="create-tenant">{t.createTenant}</h2>
        <PostForm view={view} action="/console/tenants" class="card">
          <label for="tenant-name">{t.name}</label>
          <input
            id="tenant-name"
            name="name"
            required
            maxlength={200}
            value={props.values?.name ?? ""}
            aria-invalid={props.errors?.name ? "true" : undefined}
            aria-describedby={props.errors?.name ? "tenant-name-error" : undefined}
          />
          <FieldError id="tenant-name-error" messages={props.errors?.name} />
          <label for="tenant-zone">{t.timezone}</label>
          <ZoneSelect id="tenant-zone" value={props.values?.timezone ?? "America/Lima"} errors={props.errors?.timezone} />
          <button type="submit">{t.create}</button>
        </PostForm>
      </section>
    </Page>
  );
}

/** A credential issued just now: its secret, shown this once. */
export interface Issued {
  clientId: number;
  kind: string;
  secret: string;
}

/** One tenant: its settings, the VLT destination, the report rebuild and its credentials. */
export function TenantPage(props: {
  view: View;
  tenant: TenantSummary;
  credentials: CredentialSummary[];
  next: string | null;
  issued?: Issued;
  notice?: string;
  errors?: FieldErrors;
}) {
  const { view, tenant } = props;
  const { t } = view;
  const base = `/console/tenants/${tenant.id}`;
  return (
    <Page view={view} title={`${tenant.name}`} section="tenant" tenant={tenant} notice={props.notice}>
      {props.issued ? <SecretPanel view={view} issued={props.issued} /> : null}
      <div class="grid">
        <section aria-labelledby="settings" class="card">
          <h2 id="settings">{t.tenant}</h2>
          <PostForm view={view} action={base}>
            <label for="name">{t.name}</label>
            <input id="name" name="name" required maxlength={200} value={tenant.name} />
            <FieldError id="name-error" messages={props.errors?.name} />
            <label for="zone">{t.timezone}</label>
            <ZoneSelect id="zone" value={tenant.timezone} errors={props.errors?.timezone} />
            <button type="submit">{t.save}</button>
          </PostForm>
          <PostForm view={view} action={`${base}/reports/rebuild`}>
            <button type="submit" class="secondary">
              {t.rebuild}
            </button>
          </PostForm>
        </section>
        <section aria-labelledby="vlt" class="card">
          <h2 id="vlt">{t.vltDestination}</h2>
          <p>{t.vltDestinationHelp}</p>
          <p>
            <strong>{tenant.vltDestination ? t.yes : t.no}</strong>
          </p>
          <PostForm view={view} action={`${base}/vlt-destination${tenant.vltDestination ? "/unset" : ""}`}>
            <button type="submit" class={tenant.vltDestination ? "secondary" : undefined}>
              {tenant.vltDestination ? t.unsetVlt : t.setVlt}
            </button>
          </PostForm>
          <dl class="facts">
            <dt>{t.activeCustomers}</dt>
            <dd>{new Intl.NumberFormat(view.locale).format(tenant.activeCustomers)}</dd>
            <dt>{t.created}</dt>
            <dd>{formatInstant(view, tenant.createdAt, tenant.timezone)}</dd>
          </dl>
        </section>
      </div>
      <section aria-labelledby="credentials">
        <h2 id="credentials">{t.credentials}</h2>
        {props.credentials.length === 0 ? (
          <p>{t.noCredentials}</p>
        ) : (
          <DataTable
            label={t.credentials}
            rows={props.credentials}
            columns={[
              { header: t.clientId, cell: (credential) => credential.clientId },
              { header: t.kind, cell: (credential) => t.credentialKinds[credential.kind] },
              { header: t.name, cell: (credential) => credential.name ?? "—" },
              { header: t.created, cell: (credential) => formatInstant(view, credential.createdAt, tenant.timezone) },
              {
                header: t.status,
                cell: (credential) => (credential.revokedAt === null ? t.live : `${t.revoked} ${formatInstant(view, credential.revokedAt, tenant.timezone)}`),
              },
              {
                header: t.actions,
                cell: (credential) =>
                  credential.revokedAt === null ? (
                    <a href={`${base}/credentials/${credential.clientId}/revoke`} class="danger-link">
                      {t.revoke}
                      <span class="visually-hidden"> {credential.clientId}</span>
                    </a>
                  ) : null,
              },
            ]}
          />
        )}
        <NextLink view={view} cursor={props.next} />
        <PostForm view={view} action={`${base}/credentials`} class="card">
          <h3>{t.createCredential}</h3>
          <fieldset>
            <legend>{t.kind}</legend>
            <p class="help" id="kind-help">
              {t.credentialKindHelp}
            </p>
            <label class="inline">
              <input type="radio" name="kind" value="partner" checked aria-describedby="kind-help" /> partner
            </label>
            <label class="inline">
              <input type="radio" name="kind" value="kiosk" aria-describedby="kind-help" /> kiosk
            </label>
          </fieldset>
          <label for="credential-name">{t.name}</label>
          <input id="credential-name" name="name" maxlength={200} />
          <FieldError id="credential-name-error" messages={props.errors?.name ?? props.errors?.kind} />
          <button type="submit">{t.create}</button>
        </PostForm>
      </section>
    </Page>
  );
}

/** The secret of a credential issued by this request, with its copy button and the warning that it is shown once. */
function SecretPanel({ view, issued }: { view: View; issued: Issued }) {
  const { t } = view;
  return (
    <section class="secret" aria-labelledby="secret-title">
      <h2 id="secret-title">
        {t.secretTitle} ({t.clientId} {issued.clientId}, {issued.kind})
      </h2>
      <p class="warning" id="secret-warning">
        {t.secretWarning}
      </p>
      <p class="secret-value">
        <code id="issued-secret" aria-describedby="secret-warning">
          {issued.secret}
        </code>
        <button type="button" data-copy="issued-secret" data-copied={t.copied} hidden>
          {t.copy}
        </button>
      </p>
      <p class="copy-status" role="status" aria-live="polite" />
    </section>
  );
}
