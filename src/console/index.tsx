import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { z } from "zod";
import { constantTimeEqual } from "../core/crypto";
import { DomainError, type FieldErrors, NotFound } from "../core/errors";
import { customerEntries } from "../core/ledger/entries";
import { mergeCustomers } from "../core/registry/merge";
import { customerOverview } from "../core/registry/overview";
import { decodeSearchCursor, encodeSearchCursor, searchCustomers } from "../core/registry/search";
import { reportOverview } from "../core/reports/overview";
import { rebuildReportCounters } from "../core/reports/rebuild";
import { REPORT_MAX_DAYS } from "../core/reports/summaries";
import { getCredential, issueCredential, listCredentials, revokeCredential } from "../core/tenants/credentials";
import { clearVltDestination, createTenant, getTenantSummary, isTimeZone, listTenants, setVltDestination, updateTenant } from "../core/tenants/tenants";
import { addDays, isCalendarDate, localDate } from "../core/time";
import { redeliver } from "../core/webhooks/delivery";
import { enableEndpoint, listAttempts, listEndpoints } from "../core/webhooks/endpoints";
import type { AppEnv } from "../http/app-env";
import { auditedAs, consoleActor } from "../http/auth";
import { defaultStatus, RequestError, toDomainError } from "../http/errors";
import { clientIp, enforceRateLimitFailOpen } from "../http/rate-limit";
import { csrfToken, endSession, isCrossSite, readSession, requireCsrf, startSession } from "../http/session";
import { limitBody } from "../http/surface";
import { CreateCredentialBody, CreateTenantBody, UpdateTenantBody } from "../surfaces/admin/schemas";
import { type ConsoleContext, type ConsoleEnv, viewOf } from "./context";
import { messages, negotiate } from "./i18n";
import { staticFile } from "./static";
import { ConfirmPage, ErrorPage } from "./views/common";
import { CustomerPage, MergeSummary, SearchPage } from "./views/customers";
import { ReportsPage } from "./views/reports";
import { SignInPage } from "./views/sign-in";
import { type Issued, TenantPage, TenantsPage } from "./views/tenants";
import { EndpointPage, WebhooksPage } from "./views/webhooks";

/**
 * The operator console at /console: server-rendered pages (Hono JSX) over the same core
 * reads as the admin API, with forms that work without script and a little progressive
 * enhancement (the copy button, the charts) from the Worker's own static files. Every
 * page but sign-in needs the session (http/session.ts); every POST carries its CSRF
 * token; a strict Content-Security-Policy allows no inline script or style.
 */

/** No inline script or style, nothing from another origin; forms post only here; no framing. (The app's secureHeaders add the rest: nosniff, no-referrer, HSTS …) */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const PAGE_SIZE = 20;

/** The console's context as the app's shared helpers take it: it has every variable the app's has (and its own). */
const asApp = (c: ConsoleContext) => c as unknown as Context<AppEnv>;
/** The app's middleware on the console's routes (same reason). */
const onConsole = (middleware: MiddlewareHandler<AppEnv>) => middleware as unknown as MiddlewareHandler<ConsoleEnv>;

const headers: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  await next();
  c.header("Content-Security-Policy", CSP);
  // Pages show customers' data and one-time secrets: never stored by the browser or a proxy.
  if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
};

/** The page's language (see i18n.ts); `?lang=` is remembered in a cookie. */
const language: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const asked = c.req.query("lang");
  const lang = negotiate(asked, getCookie(c, "ficha_lang"), c.req.header("accept-language"));
  if (asked === lang) setCookie(c, "ficha_lang", lang, { path: "/console", sameSite: "Lax", maxAge: 365 * 86_400, secure: c.req.url.startsWith("https:") });
  c.set("lang", lang);
  c.set("t", messages[lang]);
  await next();
};

/** Pages need the session: none -> the sign-in page (303), a forged or expired one -> 401. */
const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const session = await readSession(asApp(c));
  if (session === "absent") {
    if (c.req.method === "GET") return c.redirect("/console/sign-in", 303);
    throw new RequestError("unauthenticated", "Unauthenticated");
  }
  if (session === "invalid") throw new RequestError("unauthenticated", "Session not valid");
  c.set("session", session);
  c.set("csrf", await csrfToken(asApp(c), session));
  c.set("actor", await consoleActor(c.env.ADMIN_TOKEN, session));
  await next();
};

/** A POST from one of the console's own forms: a form body, from this site, with the session's CSRF token. */
const requireForm: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const form = await formOf(c);
  await requireCsrf(asApp(c), c.get("session"), form._csrf);
  await next();
};

/**
 * The request's form fields, parsed once. The console's forms post
 * `application/x-www-form-urlencoded`; any other body is refused (415), and one that is
 * not valid UTF-8 is malformed (400), as the API surfaces refuse it, rather than stored
 * with U+FFFD in place of what was sent.
 */
async function formOf(c: ConsoleContext): Promise<Record<string, string>> {
  const cached = c.get("form");
  if (cached) return cached;
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header("content-type") ?? ""))
    throw new RequestError("unsupported_media_type", "Unsupported Media Type");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(await c.req.arrayBuffer());
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new RequestError("malformed_body", "Malformed request body");
  }
  const form = Object.fromEntries(new URLSearchParams(text));
  c.set("form", form);
  return form;
}

/** Validates a form with an admin API schema; field errors come back in the console's language. */
function parseForm<S extends z.ZodType>(c: ConsoleContext, schema: S, form: Record<string, string>): { data: z.infer<S> } | { errors: FieldErrors } {
  const fields = Object.fromEntries(Object.entries(form).filter(([key, value]) => key !== "_csrf" && value !== ""));
  const result = schema.safeParse(fields);
  if (result.success) return { data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) (errors[String(issue.path[0] ?? "body")] ??= []).push(c.get("t").invalid);
  return { errors };
}

/** A numeric route parameter; anything else is a missing page. */
function idParam(c: ConsoleContext, name: string): number {
  const value = c.req.param(name) ?? "";
  if (!/^\d{1,15}$/.test(value)) throw new NotFound("tenant");
  return Number(value);
}

const tenantOf = (c: ConsoleContext) => getTenantSummary(c.get("db"), idParam(c, "id"));

/** After an action: back to a page, with what happened named in `done` (the page words it). */
const done = (c: ConsoleContext, path: string, what: string) => c.redirect(`${path}?done=${what}`, 303);

export const consoleApp = new Hono<ConsoleEnv>();

consoleApp.use("/console/*", headers, language);
consoleApp.post("/console/*", onConsole(limitBody));

consoleApp.get("/console/static/:version/:file", async (c) => {
  const file = await staticFile(c.req.param("version"), c.req.param("file"), c.env.ASSETS, c.req.url);
  if (!file) throw new NotFound("tenant");
  return c.body(file.body, 200, { "Content-Type": file.type, "Cache-Control": "public, max-age=31536000, immutable" });
});

consoleApp.get("/console", (c) => c.redirect("/console/tenants", 303));

consoleApp.get("/console/sign-in", async (c) => {
  const view = viewOf(c);
  return c.html(<SignInPage view={view} notice={c.req.query("done") === "signed-out" ? view.t.signedOut : undefined} />);
});

consoleApp.post("/console/sign-in", async (c) => {
  const form = await formOf(c);
  // Same-site only (there is no session yet, so no CSRF token): a page of another site cannot sign a browser in.
  if (isCrossSite(asApp(c))) throw new RequestError("forbidden", "Cross-site sign-in refused");
  const failures = {
    key: `console-sign-in-failures:${clientIp(asApp(c))}`,
    limit: Number(c.env.OAUTH_FAILURE_LIMIT),
    windowSeconds: Number(c.env.OAUTH_FAILURE_WINDOW_SECONDS),
  };
  await enforceRateLimitFailOpen(asApp(c), { ...failures, cost: 0 });
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new RequestError("unavailable", "ADMIN_TOKEN is not configured");
  if (!(await constantTimeEqual(form.token ?? "", expected))) {
    await enforceRateLimitFailOpen(asApp(c), failures);
    return c.html(<SignInPage view={viewOf(c)} error={c.get("t").wrongToken} />, 401);
  }
  await startSession(asApp(c));
  return c.redirect("/console/tenants", 303);
});

consoleApp.post("/console/sign-out", requireSession, requireForm, (c) => {
  endSession(asApp(c));
  return c.redirect("/console/sign-in?done=signed-out", 303);
});

/* Tenants */

/** The tenants page (with the create form's errors and values after a refused create). */
async function tenantsPage(c: ConsoleContext, extra: { errors?: FieldErrors; values?: Record<string, string> } = {}, status: 200 | 422 = 200) {
  const cursor = c.req.query("cursor") ?? "";
  const page = await listTenants(c.get("db"), { afterId: /^\d{1,15}$/.test(cursor) ? Number(cursor) : 0, limit: 50 });
  const view = viewOf(c);
  const notice = c.req.query("done") === "created" ? view.t.tenantCreated : undefined;
  return c.html(<TenantsPage view={view} tenants={page.tenants} next={page.next === null ? null : String(page.next)} notice={notice} {...extra} />, status);
}

/** A tenant form's fields, checked (the zone against the runtime's zones, so a refusal is the form's, not an error page). */
function tenantFields<S extends z.ZodType>(c: ConsoleContext, schema: S, form: Record<string, string>) {
  const parsed = parseForm(c, schema, form);
  if ("errors" in parsed || form.timezone === undefined || isTimeZone(form.timezone)) return parsed;
  return { errors: { timezone: [c.get("t").invalid] } };
}

consoleApp.get("/console/tenants", requireSession, (c) => tenantsPage(c));

consoleApp.post("/console/tenants", requireSession, requireForm, async (c) => {
  const form = await formOf(c);
  const parsed = tenantFields(c, CreateTenantBody, form);
  if ("errors" in parsed) return tenantsPage(c, { errors: parsed.errors, values: form }, 422);
  const tenant = await createTenant(c.get("db"), parsed.data, auditedAs(asApp(c)));
  return done(c, `/console/tenants/${tenant.id}`, "created");
});

/** The tenant page, with a credential just issued (its secret), a notice or form errors. */
async function tenantPage(c: ConsoleContext, extra: { issued?: Issued; notice?: string; errors?: FieldErrors } = {}, status: 200 | 201 | 422 = 200) {
  const tenant = await tenantOf(c);
  const before = /^\d{1,15}$/.test(c.req.query("cursor") ?? "") ? Number(c.req.query("cursor")) : Number.MAX_SAFE_INTEGER;
  const credentials = await listCredentials(c.get("db"), tenant.id, { beforeId: before, limit: PAGE_SIZE });
  const view = viewOf(c);
  const notices: Record<string, string> = {
    created: view.t.tenantCreated,
    saved: view.t.tenantSaved,
    "vlt-set": view.t.vltSet,
    "vlt-unset": view.t.vltUnset,
  };
  const doneWith = c.req.query("done") ?? "";
  const revoked = /^revoked-(\d{1,15})$/.exec(doneWith);
  const rebuilt = /^rebuilt-(\d{1,15})$/.exec(doneWith);
  const notice =
    extra.notice ?? notices[doneWith] ?? (revoked ? view.t.credentialRevoked(Number(revoked[1])) : rebuilt ? view.t.rebuilt(Number(rebuilt[1])) : undefined);
  return c.html(
    <TenantPage
      view={view}
      tenant={tenant}
      credentials={credentials.credentials}
      next={credentials.next === null ? null : String(credentials.next)}
      issued={extra.issued}
      notice={notice}
      errors={extra.errors}
    />,
    status,
  );
}

consoleApp.get("/console/tenants/:id", requireSession, (c) => tenantPage(c));

consoleApp.post("/console/tenants/:id", requireSession, requireForm, async (c) => {
  const parsed = tenantFields(c, UpdateTenantBody, await formOf(c));
  if ("errors" in parsed) return tenantPage(c, { errors: parsed.errors }, 422);
  await updateTenant(c.get("db"), idParam(c, "id"), parsed.data, auditedAs(asApp(c)));
  return done(c, `/console/tenants/${idParam(c, "id")}`, "saved");
});

consoleApp.post("/console/tenants/:id/vlt-destination", requireSession, requireForm, async (c) => {
  await setVltDestination(c.get("db"), idParam(c, "id"), auditedAs(asApp(c)));
  return done(c, `/console/tenants/${idParam(c, "id")}`, "vlt-set");
});

consoleApp.post("/console/tenants/:id/vlt-destination/unset", requireSession, requireForm, async (c) => {
  // Only the destination itself can be unset from its page (another tenant's setting stays).
  const tenant = await tenantOf(c);
  if (tenant.vltDestination) await clearVltDestination(c.get("db"), auditedAs(asApp(c)));
  return done(c, `/console/tenants/${tenant.id}`, "vlt-unset");
});

consoleApp.post("/console/tenants/:id/reports/rebuild", requireSession, requireForm, async (c) => {
  const result = await rebuildReportCounters(c.get("db"), idParam(c, "id"), auditedAs(asApp(c)));
  return done(c, `/console/tenants/${idParam(c, "id")}`, `rebuilt-${result.transactions}`);
});

/* Credentials */

consoleApp.post("/console/tenants/:id/credentials", requireSession, requireForm, async (c) => {
  const parsed = parseForm(c, CreateCredentialBody, await formOf(c));
  if ("errors" in parsed) return tenantPage(c, { errors: parsed.errors }, 422);
  const issued = await issueCredential(c.get("db"), idParam(c, "id"), parsed.data, auditedAs(asApp(c)));
  // The secret is in this response only (no redirect: it must not travel in a URL).
  return tenantPage(c, { issued: { clientId: issued.clientId, kind: issued.kind, secret: issued.clientSecret } }, 201);
});

/** The tenant's credential named by the path (another tenant's is a missing one). */
async function credentialOf(c: ConsoleContext) {
  const tenant = await tenantOf(c);
  return { tenant, credential: await getCredential(c.get("db"), tenant.id, idParam(c, "clientId")) };
}

consoleApp.get("/console/tenants/:id/credentials/:clientId/revoke", requireSession, async (c) => {
  const { tenant, credential } = await credentialOf(c);
  const view = viewOf(c);
  const back = `/console/tenants/${tenant.id}`;
  if (credential.revokedAt !== null) return c.redirect(back, 303);
  return c.html(
    <ConfirmPage
      view={view}
      title={view.t.revokeTitle(credential.clientId)}
      section="tenant"
      tenant={tenant}
      warning={view.t.revokeWarning}
      details={
        <p>
          {view.t.credentialKinds[credential.kind]} · {credential.name ?? "—"}
        </p>
      }
      action={`${back}/credentials/${credential.clientId}/revoke`}
      confirm={view.t.revokeConfirm}
      cancelHref={back}
    />,
  );
});

consoleApp.post("/console/tenants/:id/credentials/:clientId/revoke", requireSession, requireForm, async (c) => {
  const { tenant, credential } = await credentialOf(c);
  if (credential.revokedAt === null) await revokeCredential(c.get("db"), credential.clientId, auditedAs(asApp(c)));
  return done(c, `/console/tenants/${tenant.id}`, `revoked-${credential.clientId}`);
});

/* Customers */

consoleApp.get("/console/tenants/:id/customers", requireSession, async (c) => {
  const tenant = await tenantOf(c);
  const q = (c.req.query("q") ?? "").trim().slice(0, 200);
  const cursor = decodeSearchCursor(c.req.query("cursor") ?? "") ?? undefined;
  const page = await searchCustomers(c.get("db"), tenant.id, { text: q, cursor, limit: PAGE_SIZE });
  return c.html(<SearchPage view={viewOf(c)} tenant={tenant} q={q} hits={page.hits} next={page.next && encodeSearchCursor(page.next)} />);
});

/** The 360 page (with an older page of transactions when `?before=`), a notice or merge errors. */
async function customerPage(c: ConsoleContext, extra: { mergeErrors?: string[] } = {}, status: 200 | 422 = 200) {
  const tenant = await tenantOf(c);
  const customerId = idParam(c, "customerId");
  const overview = await customerOverview(c.get("db"), tenant.id, customerId);
  const before = c.req.query("before");
  const older =
    before && /^\d{1,15}$/.test(before)
      ? await customerEntries(c.get("db"), tenant.id, customerId, { beforeSeq: Number(before), limit: PAGE_SIZE })
      : undefined;
  const view = viewOf(c);
  const merged = /^merged-(\d{1,15})$/.exec(c.req.query("done") ?? "");
  return c.html(
    <CustomerPage
      view={view}
      tenant={tenant}
      overview={overview}
      older={older}
      notice={merged ? view.t.merged(Number(merged[1])) : undefined}
      mergeErrors={extra.mergeErrors}
    />,
    status,
  );
}

consoleApp.get("/console/tenants/:id/customers/:customerId", requireSession, (c) => customerPage(c));

/** The duplicate a merge form names (`from`), or null when it names none. */
function mergeSource(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,15}$/.test(value.trim()) && Number(value) > 0 ? Number(value) : null;
}

consoleApp.get("/console/tenants/:id/customers/:customerId/merge", requireSession, async (c) => {
  const tenant = await tenantOf(c);
  const survivorId = idParam(c, "customerId");
  const from = mergeSource(c.req.query("from"));
  const t = c.get("t");
  if (from === null || from === survivorId) return customerPage(c, { mergeErrors: [t.invalid] }, 422);
  const [survivor, absorbed] = await Promise.all([customerOverview(c.get("db"), tenant.id, survivorId), customerOverview(c.get("db"), tenant.id, from)]);
  const view = viewOf(c);
  const base = `/console/tenants/${tenant.id}/customers/${survivorId}`;
  return c.html(
    <ConfirmPage
      view={view}
      title={t.mergeTitle(from, survivorId)}
      section="customers"
      tenant={tenant}
      warning={t.mergeHelp}
      details={<MergeSummary view={view} survivor={survivor} absorbed={absorbed} />}
      action={`${base}/merge`}
      fields={{ from: String(from) }}
      confirm={t.mergeConfirm}
      cancelHref={base}
    />,
  );
});

consoleApp.post("/console/tenants/:id/customers/:customerId/merge", requireSession, requireForm, async (c) => {
  const tenant = await tenantOf(c);
  const survivorId = idParam(c, "customerId");
  const from = mergeSource((await formOf(c)).from);
  if (from === null || from === survivorId) return customerPage(c, { mergeErrors: [c.get("t").invalid] }, 422);
  await mergeCustomers(c.get("db"), c.get("locks"), tenant.id, survivorId, from, auditedAs(asApp(c)));
  return done(c, `/console/tenants/${tenant.id}/customers/${survivorId}`, `merged-${from}`);
});

/* Reports */

consoleApp.get("/console/tenants/:id/reports", requireSession, async (c) => {
  const tenant = await tenantOf(c);
  const today = localDate(Date.now(), tenant.timezone);
  const from = c.req.query("from") ?? addDays(today, -29);
  const to = c.req.query("to") ?? today;
  const valid = isCalendarDate(from) && isCalendarDate(to) && from <= to && addDays(from, REPORT_MAX_DAYS - 1) >= to;
  const report = valid ? await reportOverview(c.get("db"), tenant.id, from, to) : null;
  return c.html(
    <ReportsPage
      view={viewOf(c)}
      tenant={tenant}
      from={from.slice(0, 10)}
      to={to.slice(0, 10)}
      report={report}
      error={valid ? undefined : c.get("t").rangeError}
    />,
    valid ? 200 : 422,
  );
});

/* Webhooks */

/** A page cursor of digits (an id), or null. */
const idCursor = (value: string | undefined) => (value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null);

consoleApp.get("/console/tenants/:id/webhooks", requireSession, async (c) => {
  const tenant = await tenantOf(c);
  const page = await listEndpoints(c.get("db"), tenant.id, { afterId: idCursor(c.req.query("cursor")) ?? 0, limit: PAGE_SIZE });
  return c.html(<WebhooksPage view={viewOf(c)} tenant={tenant} endpoints={page.endpoints} next={page.next === null ? null : String(page.next)} />);
});

consoleApp.get("/console/tenants/:id/webhooks/:endpointId", requireSession, async (c) => {
  const tenant = await tenantOf(c);
  const before = idCursor(c.req.query("cursor"));
  const page = await listAttempts(c.get("db"), tenant.id, idParam(c, "endpointId"), { before, limit: PAGE_SIZE });
  const view = viewOf(c);
  const doneWith = c.req.query("done") ?? "";
  const redelivered = /^redelivered-(evt_\d{1,15}_\d{1,15})$/.exec(doneWith);
  const notices: Record<string, string> = { "not-queued": view.t.notQueued, enabled: view.t.endpointEnabled };
  return c.html(
    <EndpointPage
      view={view}
      tenant={tenant}
      endpoint={page.endpoint}
      attempts={page.attempts}
      next={page.next === null ? null : String(page.next)}
      older={before !== null}
      notice={redelivered ? view.t.redelivered(redelivered[1]!) : notices[doneWith]}
    />,
  );
});

consoleApp.post("/console/tenants/:id/webhooks/:endpointId/redeliver", requireSession, requireForm, async (c) => {
  const tenant = await tenantOf(c);
  const endpointId = idParam(c, "endpointId");
  const queued = await redeliver(c.get("db"), c.env.WEBHOOKS, tenant.id, (await formOf(c)).event ?? "", { endpointId, by: auditedAs(asApp(c)) });
  const base = `/console/tenants/${tenant.id}/webhooks/${endpointId}`;
  return done(c, base, queued.endpointIds.includes(endpointId) ? `redelivered-${queued.eventId}` : "not-queued");
});

consoleApp.post("/console/tenants/:id/webhooks/:endpointId/enable", requireSession, requireForm, async (c) => {
  const tenant = await tenantOf(c);
  const endpoint = await enableEndpoint(c.get("db"), tenant.id, idParam(c, "endpointId"), auditedAs(asApp(c)));
  return done(c, `/console/tenants/${tenant.id}/webhooks/${endpoint.id}`, "enabled");
});

consoleApp.all("/console/*", () => {
  throw new NotFound("tenant");
});

/** Failures as pages, in the console's language: 401 shows the sign-in form (and ends a bad session). */
consoleApp.onError((err, c) => {
  const error = toDomainError(err);
  const view = viewOf(c);
  const { t } = view;
  if (!(error instanceof DomainError)) {
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), error: error.message }));
    return c.html(<ErrorPage view={view} title={t.error} message={t.error} />, 500);
  }
  const status = defaultStatus[error.code] as 400 | 401 | 403 | 404 | 413 | 415 | 422 | 429 | 503;
  if (error.code === "unauthenticated") {
    endSession(asApp(c));
    return c.html(<SignInPage view={{ ...view, csrf: null }} notice={t.sessionEnded} />, 401);
  }
  if (error.code === "rate_limited") return c.html(<SignInPage view={{ ...view, csrf: null }} error={t.tooMany} />, 429);
  const words: Partial<Record<string, string>> = { not_found: t.notFoundHelp, forbidden: t.forbidden, invalid: t.invalid };
  return c.html(<ErrorPage view={view} title={error.code === "not_found" ? t.notFound : t.error} message={words[error.code] ?? t.error} />, status);
});
