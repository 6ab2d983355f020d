import type { ReportOverview } from "../../core/reports/overview";
import type { TenantSummary } from "../../core/tenants/tenants";
import { formatAmount, type View } from "../context";
import { FieldError, Page, TableWrap } from "../layout";

/**
 * The reports: a tenant's date range, two charts drawn in the browser by uPlot from the
 * numbers the page carries in `data-chart` (JSON in an attribute, not a script), each
 * with its numbers as a table for screen readers and without script, and the totals per
 * store and per product.
 */
export function ReportsPage(props: { view: View; tenant: TenantSummary; from: string; to: string; report: ReportOverview | null; error?: string }) {
  const { view, tenant, report } = props;
  const { t } = view;
  return (
    <Page view={view} title={t.reports} section="reports" tenant={tenant} scripts={["uplot"]}>
      <form method="get" action={`/console/tenants/${tenant.id}/reports`} class="range">
        <div>
          <label for="from">{t.from}</label>
          <input id="from" name="from" type="date" value={props.from} required aria-invalid={props.error ? "true" : undefined} />
        </div>
        <div>
          <label for="to">{t.to}</label>
          <input
            id="to"
            name="to"
            type="date"
            value={props.to}
            required
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? "range-error" : undefined}
          />
        </div>
        <button type="submit">{t.show}</button>
        <FieldError id="range-error" messages={props.error ? [props.error] : undefined} />
      </form>
      {report ? <Charts view={view} report={report} /> : null}
      {report ? <Tables view={view} report={report} /> : null}
    </Page>
  );
}

function Charts({ view, report }: { view: View; report: ReportOverview }) {
  const { t } = view;
  const points = (hundredths: number) => hundredths / 100;
  const sum = (pick: (d: ReportOverview["days"][number]) => number) => report.days.reduce((total, d) => total + pick(d), 0);
  const labels = report.days.map((d) => d.date);
  const pointsChart = {
    labels,
    dateLabel: t.date,
    series: [
      { label: t.pointsEarned, color: "#1b7f4c", values: report.days.map((d) => points(d.earned)) },
      { label: t.pointsRedeemed, color: "#b35900", values: report.days.map((d) => points(d.redeemed)) },
      { label: t.pointsExpired, color: "#6b6b6b", values: report.days.map((d) => points(d.expired)) },
    ],
  };
  const registrationsChart = {
    labels,
    dateLabel: t.date,
    series: [
      { label: t.pos, color: "#2458a6", values: report.days.map((d) => d.registrations.pos) },
      { label: t.app, color: "#8a3ea8", values: report.days.map((d) => d.registrations.app) },
      { label: t.web, color: "#0f7c8c", values: report.days.map((d) => d.registrations.web) },
    ],
  };
  const days = report.days.length;
  return (
    <div class="charts">
      <Chart
        id="points-chart"
        title={t.pointsChart}
        summary={t.chartSummary(
          days,
          formatAmount(
            view,
            sum((d) => d.earned),
          ),
          formatAmount(
            view,
            sum((d) => d.redeemed),
          ),
          formatAmount(
            view,
            sum((d) => d.expired),
          ),
        )}
        data={pointsChart}
        view={view}
      />
      <Chart
        id="registrations-chart"
        title={t.registrationsChart}
        summary={t.registrationsSummary(
          days,
          sum((d) => d.registrations.pos),
          sum((d) => d.registrations.app),
          sum((d) => d.registrations.web),
        )}
        data={registrationsChart}
        view={view}
      />
    </div>
  );
}

interface ChartData {
  labels: string[];
  /** The legend's name for the day. */
  dateLabel: string;
  series: Array<{ label: string; color: string; values: number[] }>;
}

function Chart({ id, title, summary, data, view }: { id: string; title: string; summary: string; data: ChartData; view: View }) {
  const number = new Intl.NumberFormat(view.locale, { maximumFractionDigits: 2 });
  return (
    <section class="card chart-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-summary`}>{summary}</p>
      <div class="chart" id={id} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} data-chart={JSON.stringify(data)} />
      <details>
        <summary>{view.t.chartData}</summary>
        <TableWrap label={title}>
          <table>
            <thead>
              <tr>
                <th scope="col">{view.t.date}</th>
                {data.series.map((s) => (
                  <th scope="col" class="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.labels.map((label, i) => (
                <tr>
                  <th scope="row">{label}</th>
                  {data.series.map((s) => (
                    <td class="num">{number.format(s.values[i] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </section>
  );
}

function Tables({ view, report }: { view: View; report: ReportOverview }) {
  const { t } = view;
  const count = new Intl.NumberFormat(view.locale);
  return (
    <>
      <section aria-labelledby="by-store">
        <h2 id="by-store">{t.byStore}</h2>
        {report.stores.length === 0 ? (
          <p>{t.noActivity}</p>
        ) : (
          <TableWrap label={t.byStore}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.store}</th>
                  <th scope="col" class="num">{t.earnedOrders}</th>
                  <th scope="col" class="num">{t.earnedCoupons}</th>
                  <th scope="col" class="num">{t.earnedBalance}</th>
                  <th scope="col" class="num">
                    {t.pointsRedeemed}
                  </th>
                  <th scope="col" class="num">
                    {t.pointsExpired}
                  </th>
                  <th scope="col" class="num">
                    {t.reversedCoupon}
                  </th>
                  <th scope="col" class="num">
                    {t.reversedOrder}
                  </th>
                  <th scope="col" class="num">
                    {t.pos}
                  </th>
                  <th scope="col" class="num">
                    {t.app}
                  </th>
                  <th scope="col" class="num">
                    {t.web}
                  </th>
                  <th scope="col" class="num">
                    {t.subscribedAfterPos}
                  </th>
                  <th scope="col" class="num">
                    {t.referrals}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.stores.map(({ store, counters: k }) => (
                  <tr>
                    <th scope="row">{store ?? t.noStore}</th>
                    <td class="num">{formatAmount(view, k.pointEarnedOrders)}</td>
                    <td class="num">{formatAmount(view, k.pointEarnedCoupons)}</td>
                    <td class="num">{formatAmount(view, k.pointEarnedBalance)}</td>
                    <td class="num">{formatAmount(view, k.pointRedeemed)}</td>
                    <td class="num">{formatAmount(view, k.pointExpired)}</td>
                    <td class="num">{formatAmount(view, k.pointReversedCoupon)}</td>
                    <td class="num">{formatAmount(view, k.pointReversedOrder)}</td>
                    <td class="num">{count.format(k.preregisteredPos)}</td>
                    <td class="num">{count.format(k.registeredApp)}</td>
                    <td class="num">{count.format(k.registeredWeb)}</td>
                    <td class="num">{count.format(k.subscribedAfterPos)}</td>
                    <td class="num">{count.format(k.referrals)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section aria-labelledby="by-product">
        <h2 id="by-product">{t.byProduct}</h2>
        {report.products.length === 0 ? (
          <p>{t.noActivity}</p>
        ) : (
          <TableWrap label={t.byProduct}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.product}</th>
                  <th scope="col" class="num">
                    {t.orders}
                  </th>
                  <th scope="col" class="num">
                    {t.units}
                  </th>
                  <th scope="col" class="num">{t.earnedOrders}</th>
                  <th scope="col" class="num">{t.earnedCoupons}</th>
                  <th scope="col" class="num">{t.earnedBalance}</th>
                  <th scope="col" class="num">
                    {t.pointsRedeemed}
                  </th>
                  <th scope="col" class="num">
                    {t.redemptions}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.products.map(({ product, counters: k }) => (
                  <tr>
                    <th scope="row">{product}</th>
                    <td class="num">{count.format(k.numOrders)}</td>
                    <td class="num">{count.format(k.numProducts)}</td>
                    <td class="num">{formatAmount(view, k.pointEarnedOrders)}</td>
                    <td class="num">{formatAmount(view, k.pointEarnedCoupons)}</td>
                    <td class="num">{formatAmount(view, k.pointEarnedBalance)}</td>
                    <td class="num">{formatAmount(view, k.pointRedeemed)}</td>
                    <td class="num">{count.format(k.numRedeemed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}
