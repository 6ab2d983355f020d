import type { TenantSummary } from "../../core/tenants/tenants";
import type { AttemptView, EndpointView } from "../../core/webhooks/endpoints";
import { formatInstant, type View } from "../context";
import { DataTable, Facts, Page, PostForm } from "../layout";
import { NextLink } from "./common";

/** The event types an endpoint receives, as a list (or "all"). */
const eventTypes = (view: View, endpoint: EndpointView) => endpoint.eventTypes?.join(", ") ?? view.t.allEvents;

/** Enabled, or disabled and why. */
const statusOf = (view: View, endpoint: EndpointView) =>
  endpoint.status === "enabled"
    ? view.t.endpointStatuses.enabled
    : `${view.t.endpointStatuses.disabled}${endpoint.disabledReason ? ` (${view.t.disabledReasons[endpoint.disabledReason]})` : ""}`;

/** The tenant's webhook endpoints: where each delivers, what it receives, and how it is doing. */
export function WebhooksPage(props: { view: View; tenant: TenantSummary; endpoints: EndpointView[]; next: string | null }) {
  const { view, tenant } = props;
  const { t } = view;
  const when = (ms: number | null) => formatInstant(view, ms, tenant.timezone);
  const href = (endpoint: EndpointView) => `/console/tenants/${tenant.id}/webhooks/${endpoint.id}`;
  return (
    <Page view={view} title={t.webhookEndpoints} section="webhooks" tenant={tenant}>
      <p class="help">{t.webhooksHelp}</p>
      {props.endpoints.length === 0 ? (
        <p>{t.noEndpoints}</p>
      ) : (
        <DataTable
          label={t.webhookEndpoints}
          rows={props.endpoints}
          rowClass={(endpoint) => (endpoint.status === "enabled" ? undefined : "ended")}
          columns={[
            { header: "Id", cell: (endpoint) => <a href={href(endpoint)}>{endpoint.id}</a> },
            { header: t.url, cell: (endpoint) => <a href={href(endpoint)}>{endpoint.url}</a> },
            { header: t.eventTypes, cell: (endpoint) => eventTypes(view, endpoint) },
            { header: t.status, cell: (endpoint) => statusOf(view, endpoint) },
            { header: t.failingSince, cell: (endpoint) => when(endpoint.failingSince) },
            { header: t.created, cell: (endpoint) => when(endpoint.createdAt) },
          ]}
        />
      )}
      <NextLink view={view} cursor={props.next} />
    </Page>
  );
}

/** What an attempt got: the receiver's HTTP status, or why there was none. */
function answerOf(view: View, attempt: AttemptView): string {
  if (attempt.statusCode !== null) return `HTTP ${attempt.statusCode}`;
  return attempt.error === null ? "—" : (view.t.attemptErrors[attempt.error] ?? attempt.error);
}

/** One endpoint: its settings, the enable form when it is disabled, and its delivery attempts with a redeliver button each. */
export function EndpointPage(props: {
  view: View;
  tenant: TenantSummary;
  endpoint: EndpointView;
  attempts: AttemptView[];
  next: string | null;
  /** Whether this is an older page of attempts (`?cursor=`). */
  older: boolean;
  notice?: string;
}) {
  const { view, tenant, endpoint } = props;
  const { t } = view;
  const when = (ms: number | null) => formatInstant(view, ms, tenant.timezone);
  const base = `/console/tenants/${tenant.id}/webhooks/${endpoint.id}`;
  const disabled = endpoint.status === "disabled";
  const facts: Array<[string, string]> = [
    [t.url, endpoint.url],
    [t.eventTypes, eventTypes(view, endpoint)],
    [t.status, statusOf(view, endpoint)],
    [t.failingSince, when(endpoint.failingSince)],
    [t.created, when(endpoint.createdAt)],
    [t.changed, when(endpoint.statusChangedAt)],
  ];
  return (
    <Page view={view} title={t.endpoint(endpoint.id)} section="webhooks" tenant={tenant} notice={props.notice}>
      <section aria-labelledby="endpoint" class="card">
        <h2 id="endpoint">{t.endpointSettings}</h2>
        <Facts rows={facts} />
        {disabled ? (
          <>
            <p class="warning">{t.disabledHelp}</p>
            <p class="help" id="enable-help">
              {t.enableHelp}
            </p>
            <PostForm view={view} action={`${base}/enable`}>
              <button type="submit" aria-describedby="enable-help">
                {t.enable}
              </button>
            </PostForm>
          </>
        ) : null}
      </section>
      <section aria-labelledby="attempts">
        <h2 id="attempts">{t.attempts}</h2>
        <p class="help" id="redeliver-help">
          {t.redeliverHelp}
        </p>
        {props.older ? (
          <p class="pager">
            <a href={`${base}#attempts`}>{t.newestAttempts}</a>
          </p>
        ) : null}
        {props.attempts.length === 0 ? (
          <p>{t.noAttempts}</p>
        ) : (
          <DataTable
            label={t.attempts}
            rows={props.attempts}
            rowId={(attempt) => `attempt-${attempt.id}`}
            columns={[
              {
                header: t.event,
                cell: (attempt) => (
                  <>
                    <code>{attempt.eventId}</code>
                    <br />
                    <small>{attempt.eventType}</small>
                  </>
                ),
              },
              { header: t.attempt, num: true, cell: (attempt) => attempt.attempt },
              { header: t.answer, cell: (attempt) => answerOf(view, attempt) },
              { header: t.duration, num: true, cell: (attempt) => `${new Intl.NumberFormat(view.locale).format(attempt.durationMs)} ms` },
              { header: t.outcome, class: (attempt) => `outcome-${attempt.outcome}`, cell: (attempt) => t.outcomes[attempt.outcome] },
              { header: t.attemptedAt, cell: (attempt) => when(attempt.attemptedAt) },
              { header: t.nextAttempt, cell: (attempt) => when(attempt.nextAttemptAt) },
              {
                header: t.actions,
                cell: (attempt) =>
                  disabled ? null : (
                    <PostForm view={view} action={`${base}/redeliver`} class="row-action">
                      <input type="hidden" name="event" value={attempt.eventId} />
                      <button type="submit" class="secondary" aria-describedby="redeliver-help">
                        {t.redeliver}
                        <span class="visually-hidden"> {attempt.eventId}</span>
                      </button>
                    </PostForm>
                  ),
              },
            ]}
          />
        )}
        <NextLink view={view} cursor={props.next} label={t.olderAttempts} />
      </section>
    </Page>
  );
}
