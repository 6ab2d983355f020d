import type { Context } from "hono";
import type { AppEnv } from "../http/app-env";
import type { Session } from "../http/session";
import { type Language, locales, type Messages } from "./i18n";

/** What a console handler reads from its context besides the app's own variables. */
export interface ConsoleEnv {
  Bindings: Env;
  Variables: AppEnv["Variables"] & {
    lang: Language;
    t: Messages;
    /** Set once the request's session is verified (every page but sign-in). */
    session: Session;
    /** The session's CSRF token, for the page's forms. */
    csrf: string;
    /** The request's form fields, once parsed. */
    form: Record<string, string>;
  };
}

export type ConsoleContext = Context<ConsoleEnv>;

/** What every view needs to render: the words, the locale, the CSRF token and where the page is. */
export interface View {
  t: Messages;
  lang: Language;
  locale: string;
  /** Null before signing in. */
  csrf: string | null;
  /** The request's path and query (for the language switch). */
  url: URL;
}

export function viewOf(c: ConsoleContext): View {
  const lang = c.get("lang");
  return { t: c.get("t"), lang, locale: locales[lang], csrf: c.get("csrf") ?? null, url: new URL(c.req.url) };
}

/** Amounts stored in hundredths, as the operator reads them (`1.234,5` in Spanish). */
export function formatAmount(view: View, hundredths: number): string {
  return new Intl.NumberFormat(view.locale, { maximumFractionDigits: 2 }).format(hundredths / 100);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant in the tenant's zone, with the zone's name when it is not obvious. */
export function formatInstant(view: View, ms: number | null, timeZone: string): string {
  if (ms === null) return "—";
  const key = `${view.locale}|${timeZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(view.locale, { timeZone, dateStyle: "medium", timeStyle: "short" });
    dateTimeFormats.set(key, format);
  }
  return format.format(new Date(ms));
}
