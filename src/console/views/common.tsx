import type { Child } from "hono/jsx";
import type { View } from "../context";
import { Page, PostForm, type Section } from "../layout";

/** A page that asks before an action that cannot be undone (works without script). */
export function ConfirmPage(props: {
  view: View;
  title: string;
  section: Section;
  tenant?: { id: number; name: string };
  warning: string;
  action: string;
  confirm: string;
  cancelHref: string;
  /** Fields the confirmed POST carries. */
  fields?: Record<string, string>;
  details?: Child;
}) {
  const { view } = props;
  return (
    <Page view={view} title={props.title} section={props.section} tenant={props.tenant}>
      {props.details}
      <p class="warning">{props.warning}</p>
      <PostForm view={view} action={props.action} class="actions">
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class="danger">
          {props.confirm}
        </button>
        <a href={props.cancelHref}>{view.t.cancel}</a>
      </PostForm>
    </Page>
  );
}

/** An error answered as a page (404, 403, 500 …), with the way back. */
export function ErrorPage({ view, title, message, back }: { view: View; title: string; message: string; back?: string }) {
  return (
    <Page view={view} title={title} section="none">
      <p>{message}</p>
      <p>
        <a href={back ?? (view.csrf ? "/console/tenants" : "/console/sign-in")}>{view.t.back}</a>
      </p>
    </Page>
  );
}

/** "Next page" as a link that keeps the page's other parameters. */
export function NextLink({ view, cursor, param = "cursor", label }: { view: View; cursor: string | null; param?: string; label?: string }) {
  if (cursor === null) return null;
  const next = new URL(view.url);
  next.searchParams.set(param, cursor);
  next.searchParams.delete("lang");
  next.searchParams.delete("done");
  return (
    <p class="pager">
      <a href={`${next.pathname}${next.search}`}>{label ?? view.t.nextPage}</a>
    </p>
  );
}
