import { raw } from "hono/html";
import type { Child, PropsWithChildren } from "hono/jsx";
import type { View } from "./context";
import { assetPath } from "./static";

/** Query parameters that say what a page shows (kept when it switches language). */
const keptParams = ["q", "cursor", "before", "from", "to"];

/** The section of the console a page belongs to (highlighted in the navigation). */
export type Section = "tenants" | "tenant" | "customers" | "reports" | "webhooks" | "none";

interface PageProps {
  view: View;
  title: string;
  section: Section;
  /** The tenant a page is about: adds its own navigation (overview, customers, reports, webhooks). */
  tenant?: { id: number; name: string };
  /** Extra scripts after console.js (e.g. the chart library). */
  scripts?: string[];
  /** A message at the top of the page (after an action). */
  notice?: Child;
}

/** The page every console view renders into: no inline script or style (the CSP allows only the Worker's own files). */
export function Page({ view, title, section, tenant, scripts = [], notice, children }: PropsWithChildren<PageProps>) {
  const { t } = view;
  // The same page in the other language: only the page's own parameters are kept.
  const other = new URL(view.url.pathname, view.url);
  for (const key of keptParams) {
    const value = view.url.searchParams.get(key);
    if (value !== null) other.searchParams.set(key, value);
  }
  other.searchParams.set("lang", t.otherLanguageCode);
  const current = (here: Section) => (section === here ? "page" : undefined);
  return (
    <>
      {raw("<!doctype html>")}
      <html lang={view.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · ${t.brand}`}</title>
          <link rel="stylesheet" href={assetPath("console.css")} />
          {scripts.includes("uplot") ? <link rel="stylesheet" href={assetPath("uPlot.min.css")} /> : null}
          {view.csrf ? <meta name="csrf-token" content={view.csrf} /> : null}
          {scripts.includes("uplot") ? <script src={assetPath("uPlot.iife.min.js")} defer /> : null}
          <script src={assetPath("console.js")} defer />
        </head>
        <body>
          <a class="skip" href="#main">
            {t.skip}
          </a>
          <header class="top">
            <a class="brand" href={view.csrf ? "/console/tenants" : "/console/sign-in"}>
              {t.brand}
            </a>
            {view.csrf ? (
              <nav aria-label={t.nav}>
                <ul>
                  <li>
                    <a href="/console/tenants" aria-current={current("tenants")}>
                      {t.tenants}
                    </a>
                  </li>
                  {tenant ? (
                    <>
                      <li>
                        <a href={`/console/tenants/${tenant.id}`} aria-current={current("tenant")}>
                          {tenant.name}
                        </a>
                      </li>
                      <li>
                        <a href={`/console/tenants/${tenant.id}/customers`} aria-current={current("customers")}>
                          {t.customers}
                        </a>
                      </li>
                      <li>
                        <a href={`/console/tenants/${tenant.id}/reports`} aria-current={current("reports")}>
                          {t.reports}
                        </a>
                      </li>
                      <li>
                        <a href={`/console/tenants/${tenant.id}/webhooks`} aria-current={current("webhooks")}>
                          {t.webhooks}
                        </a>
                      </li>
                    </>
                  ) : null}
                </ul>
              </nav>
            ) : null}
            <div class="tools">
              <a href={`${other.pathname}${other.search}`} hreflang={t.otherLanguageCode} lang={t.otherLanguageCode}>
                {t.otherLanguage}
              </a>
              {view.csrf ? (
                <form method="post" action="/console/sign-out">
                  <input type="hidden" name="_csrf" value={view.csrf} />
                  <button type="submit" class="link">
                    {t.signOut}
                  </button>
                </form>
              ) : null}
            </div>
          </header>
          <main id="main">
            <h1>{title}</h1>
            {notice ? (
              <p class="notice" role="status">
                {notice}
              </p>
            ) : null}
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A form that changes something: POST with the session's CSRF token. */
export function PostForm({ view, action, children, class: className }: PropsWithChildren<{ view: View; action: string; class?: string }>) {
  return (
    <form method="post" action={action} class={className}>
      <input type="hidden" name="_csrf" value={view.csrf ?? ""} />
      {children}
    </form>
  );
}

/** Field errors of a form, under the field they belong to. */
export function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p class="field-error" id={id}>
      {messages.join(" ")}
    </p>
  );
}

/** Labelled values (a `<dl>`): a profile, an endpoint's settings. */
export function Facts({ rows }: { rows: Array<[string, Child]> }) {
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  );
}

/** A table that scrolls sideways on narrow screens instead of widening the page (focusable, so the keyboard can scroll it). */
export function TableWrap({ label, children }: PropsWithChildren<{ label: string }>) {
  return (
    <section class="table-wrap" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}

/** A column of a `DataTable`: its header and how a row fills its cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => Child;
  /** Right-aligned tabular figures. */
  num?: boolean;
  /** The row's header cell (`<th scope="row">`). */
  rowHeader?: boolean;
  /** Extra classes of the cell. */
  class?: (row: T) => string | undefined;
}

/** A table of `rows` by `columns`, in a `TableWrap`. */
export function DataTable<T>(props: {
  label: string;
  rows: readonly T[];
  columns: Column<T>[];
  rowId?: (row: T) => string;
  rowClass?: (row: T) => string | undefined;
}) {
  const classOf = (column: Column<T>, row: T) => [column.num ? "num" : undefined, column.class?.(row)].filter(Boolean).join(" ") || undefined;
  return (
    <TableWrap label={props.label}>
      <table>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" class={column.num ? "num" : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr id={props.rowId?.(row)} class={props.rowClass?.(row)}>
              {props.columns.map((column) =>
                column.rowHeader ? <th scope="row">{column.cell(row)}</th> : <td class={classOf(column, row)}>{column.cell(row)}</td>,
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
