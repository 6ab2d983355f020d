import type { ProductTotals, ReportOverview, StoreTotals } from "../../core/reports/overview";
import type { TenantSummary } from "../../core/tenants/tenants";
import { formatAmount, type View } from "../context";
import { type Column, DataTable, FieldError, Page } from "../layout";

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
        <DataTable
          label={title}
          rows={data.labels.map((label, day) => ({ label, day }))}
          columns={[
            { header: view.t.date, rowHeader: true, cell: (row) => row.label },
            ...data.series.map((series) => ({ header: series.label, num: true, cell: (row: { day: number }) => number.format(series.values[row.day] ?? 0) })),
          ]}
        />
      </details>
    </section>
  );
}

function Tables({ view, report }: { view: View; report: ReportOverview }) {
  const { t } = view;
  const count = new Intl.NumberFormat(view.locale);
  const storeColumns: Column<StoreTotals>[] = [
    { header: t.store, rowHeader: true, cell: (row) => row.store ?? t.noStore },
    ...(
      [
        [t.earnedOrders, "pointEarnedOrders"],
        [t.earnedCoupons, "pointEarnedCoupons"],
        [t.earnedBalance, "pointEarnedBalance"],
        [t.pointsRedeemed, "pointRedeemed"],
        [t.pointsExpired, "pointExpired"],
        [t.reversedCoupon, "pointReversedCoupon"],
        [t.reversedOrder, "pointReversedOrder"],
      ] as const
    ).map(([header, key]) => ({ header, num: true, cell: (row: StoreTotals) => formatAmount(view, row.counters[key]) })),
    ...(
      [
        [t.pos, "preregisteredPos"],
        [t.app, "registeredApp"],
        [t.web, "registeredWeb"],
        [t.subscribedAfterPos, "subscribedAfterPos"],
        [t.referrals, "referrals"],
      ] as const
    ).map(([header, key]) => ({ header, num: true, cell: (row: StoreTotals) => count.format(row.counters[key]) })),
  ];
  const productColumns: Column<ProductTotals>[] = [
    { header: t.product, rowHeader: true, cell: (row) => row.product },
    { header: t.orders, num: true, cell: (row) => count.format(row.counters.numOrders) },
    { header: t.units, num: true, cell: (row) => count.format(row.counters.numProducts) },
    ...(
      [
        [t.earnedOrders, "pointEarnedOrders"],
        [t.earnedCoupons, "pointEarnedCoupons"],
        [t.earnedBalance, "pointEarnedBalance"],
        [t.pointsRedeemed, "pointRedeemed"],
      ] as const
    ).map(([header, key]) => ({ header, num: true, cell: (row: ProductTotals) => formatAmount(view, row.counters[key]) })),
    { header: t.redemptions, num: true, cell: (row) => count.format(row.counters.numRedeemed) },
  ];
  return (
    <>
      <section aria-labelledby="by-store">
        <h2 id="by-store">{t.byStore}</h2>
        {report.stores.length === 0 ? <p>{t.noActivity}</p> : <DataTable label={t.byStore} rows={report.stores} columns={storeColumns} />}
      </section>
      <section aria-labelledby="by-product">
        <h2 id="by-product">{t.byProduct}</h2>
        {report.products.length === 0 ? <p>{t.noActivity}</p> : <DataTable label={t.byProduct} rows={report.products} columns={productColumns} />}
      </section>
    </>
  );
}
