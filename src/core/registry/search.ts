import { inArray, type SQL, sql } from "drizzle-orm";
import { rows, runBatch, type Statement } from "../../db/batch";
import type { Db } from "../../db/client";
import { type Channel, customers, type IdentifierKind, type IdentifierStatus, identifiers, searchName, surname, tenants } from "../../db/schema";
import { NotFound } from "../errors";
import { type Identity, identityFrom, profileKinds } from "./customers";
import { activeIdentifiersJson, identifierKinds, normalise } from "./identifiers";

/**
 * The operators' customer search: one text matched against every key of the registry
 * (each identifier kind as that kind normalises its values, in any status, so a replaced
 * card still finds its player; a vehicle's plate; the customer id) and against the
 * beginning of the name and of the surname (ASCII letters case-insensitively, SQLite's
 * `lower()`).
 *
 * Results come in three runs, each in the order of an index: exact key matches by id,
 * then name matches by (name, id), then surname matches by (surname, id); a customer
 * appears once, in its first run. A page is keyset-paginated over that order: every
 * statement seeks straight to the cursor and reads at most a page and one, so the rows a
 * page reads follow the page size, not the registry's (an exact value read whole: the
 * holders of one document). Without a text, the tenant's newest active customers.
 * The exact matches are read anew for every page (a handful of index entries), so the
 * cursor needs to carry only the run, its sort key and the last id.
 */

/** Where a page starts: the run, the sort key within it (a name run's lowered name) and the last id shown. */
export interface SearchCursor {
  run: SearchRun;
  key: string;
  id: number;
}

export type SearchRun = "exact" | "name" | "surname" | "recent";
const runs: readonly SearchRun[] = ["exact", "name", "surname"];

/** What found a customer: one of its keys (`kind`, with the row's value and status), its id, its name or its surname. */
export interface SearchMatch {
  field: IdentifierKind | "plate" | "id" | "name" | "surname";
  value: string;
  status: IdentifierStatus | null;
}

export interface SearchHit {
  id: number;
  status: "active" | "inactive" | "merged";
  mergedIntoId: number | null;
  channel: Channel;
  name: string | null;
  surname: string | null;
  identity: Identity;
  createdAt: number;
  matches: SearchMatch[];
}

export interface SearchPage {
  hits: SearchHit[];
  next: SearchCursor | null;
}

/** An opaque cursor string for `cursor` (base64url JSON). */
export function encodeSearchCursor(cursor: SearchCursor): string {
  return btoa(JSON.stringify([cursor.run, cursor.key, cursor.id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

/** The cursor an `encodeSearchCursor` string stands for; null for anything else. */
export function decodeSearchCursor(text: string): SearchCursor | null {
  try {
    const [run, key, id] = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/"))) as unknown[];
    if (![...runs, "recent"].includes(run as SearchRun) || typeof key !== "string" || key.length > 400) return null;
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return null;
    return { run: run as SearchRun, key, id };
  } catch {
    return null;
  }
}

interface HitRow {
  id: number;
  active: number;
  mergedIntoId: number | null;
  channel: Channel;
  name: string | null;
  surname: string | null;
  identity: string | null;
  createdAt: number;
  /** The run's sort key (a lowered name), for the cursor. */
  sortKey: string | null;
}

interface MatchRow {
  customerId: number;
  kind: IdentifierKind;
  value: string;
  qualifier: string | null;
  status: IdentifierStatus;
}

const c = customers;
const i = identifiers;

const hitColumns = sql`${c.id} AS "id", ${c.active} AS "active", ${c.mergedIntoId} AS "mergedIntoId", ${c.channel} AS "channel",
  ${c.name} AS "name", ${surname(c)} AS "surname", ${activeIdentifiersJson(c.id, profileKinds)} AS "identity", ${c.createdAt} AS "createdAt"`;

/**
 * The statements finding the identifier rows whose value is `text` as each kind stores
 * it (kinds that store the text alike share one statement: `kind IN … AND value = …`,
 * one seek per kind), and the vehicle tags whose plate it is (the partial index needs its
 * kind written literally). Separate statements, not one OR: SQLite would rather scan the
 * tenant's identifiers than seek once per term.
 */
function exactMatchStatements(tenantId: number, text: string): Statement<MatchRow[]>[] {
  const byValue = new Map<string, IdentifierKind[]>();
  for (const kind of identifierKinds) byValue.set(normalise(kind, text), [...(byValue.get(normalise(kind, text)) ?? []), kind]);
  const select = (where: SQL) =>
    rows<MatchRow>(sql`SELECT ${i.customerId} AS "customerId", ${i.kind} AS "kind", ${i.value} AS "value", ${i.qualifier} AS "qualifier",
      ${i.status} AS "status" FROM ${i} WHERE ${i.tenantId} = ${tenantId} AND ${where}`);
  return [
    ...[...byValue].map(([value, kinds]) => select(sql`${inArray(i.kind, kinds)} AND ${i.value} = ${value}`)),
    select(sql`${i.kind} = 'vehicle_tag' AND ${i.qualifier} = ${normalise("vehicle_tag", text)}`),
  ];
}

/** The lowered text and the upper bound of every text it begins (U+10FFFF sorts after any character). */
function prefixRange(text: string): { low: string; high: string } {
  const low = text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return { low, high: `${low}\u{10FFFF}` };
}

/**
 * A name run from (key, id) on: the rows of that very key after the id, then the keys
 * after it up to the end of the prefix, each statement one seek of the run's index.
 */
function nameRun(tenantId: number, expression: SQL, from: { key: string; id: number }, high: string, unseen: SQL, limit: number): Statement<HitRow[]>[] {
  const select = (where: SQL, order: SQL) =>
    rows<HitRow>(sql`SELECT ${hitColumns}, ${expression} AS "sortKey" FROM ${c}
      WHERE ${c.tenantId} = ${tenantId} AND ${where} AND ${unseen} ORDER BY ${order} LIMIT ${limit + 1}`);
  return [
    select(sql`${expression} = ${from.key} AND ${c.id} > ${from.id}`, sql`${c.id}`),
    select(sql`${expression} > ${from.key} AND ${expression} <= ${high}`, sql`${expression}, ${c.id}`),
  ];
}

/**
 * One page of the search (see above); `limit` hits at most. Two round trips: the exact
 * matches (and the tenant), then the page's customers. not_found for an unknown tenant.
 */
export async function searchCustomers(db: Db, tenantId: number, query: { text?: string; cursor?: SearchCursor; limit: number }): Promise<SearchPage> {
  const text = query.text?.trim() ?? "";
  const { limit, cursor } = query;
  if (text === "") return recentCustomers(db, tenantId, cursor?.run === "recent" ? cursor.id : null, limit);

  const id = /^\d{1,15}$/.test(text) ? Number(text) : null;
  const [tenant, byId, ...matched] = await runBatch(db, [
    tenantStatement(tenantId),
    rows<{ id: number }>(sql`SELECT ${c.id} AS "id" FROM ${c} WHERE ${c.id} = ${id} AND ${c.tenantId} = ${tenantId}`),
    ...exactMatchStatements(tenantId, text),
  ]);
  if (tenant.length === 0) throw new NotFound("tenant");
  const matchRows = matched.flat();
  const exact = [...new Set([...byId.map((r) => r.id), ...matchRows.map((m) => m.customerId)])];
  const exactList = sql`(${sql.join(
    [0, ...exact].map((n) => sql`${n}`),
    sql`, `,
  )})`;

  const { low, high } = prefixRange(text);
  const start = cursor && cursor.run !== "recent" ? runs.indexOf(cursor.run) : 0;
  const from = (run: SearchRun) => (cursor?.run === run ? { key: cursor.key, id: cursor.id } : { key: low, id: 0 });
  const nameExpression = searchName(c.name);
  const notExact = sql`${c.id} NOT IN ${exactList}`;
  // A surname match whose name matched too was shown in the name run (a test of the row itself, not another read).
  const nameMissed = sql`NOT coalesce(${nameExpression} >= ${low} AND ${nameExpression} <= ${high}, 0)`;
  const statements: Record<SearchRun, Statement<HitRow[]>[]> = {
    // Primary-key look-ups of the few exact ids (`+` keeps SQLite off the tenant's indexes).
    exact: [
      rows<HitRow>(sql`SELECT ${hitColumns}, NULL AS "sortKey" FROM ${c}
        WHERE ${c.id} IN ${exactList} AND +${c.tenantId} = ${tenantId} AND ${c.id} > ${from("exact").id} ORDER BY ${c.id} LIMIT ${limit + 1}`),
    ],
    name: nameRun(tenantId, nameExpression, from("name"), high, notExact, limit),
    surname: nameRun(tenantId, searchName(surname(c)), from("surname"), high, sql`${notExact} AND ${nameMissed}`, limit),
    recent: [],
  };
  const wanted = runs.slice(start);
  const results = await runBatch(
    db,
    wanted.flatMap((run) => statements[run]),
  );

  const ordered: Array<{ run: SearchRun; row: HitRow }> = [];
  let at = 0;
  for (const run of wanted) {
    for (const _ of statements[run]) for (const row of results[at++] as HitRow[]) ordered.push({ run, row });
  }
  const page = ordered.slice(0, limit);
  const last = page.at(-1);
  const next = ordered.length > limit && last ? { run: last.run, key: last.row.sortKey ?? "", id: last.row.id } : null;
  return { hits: page.map(({ run, row }) => toHit(row, matchesOf(run, row, matchRows, text))), next };
}

const tenantStatement = (tenantId: number) => rows<{ id: number }>(sql`SELECT ${tenants.id} AS "id" FROM ${tenants} WHERE ${tenants.id} = ${tenantId}`);

/** Why `row` is in its run. */
function matchesOf(run: SearchRun, row: HitRow, matchRows: MatchRow[], text: string): SearchMatch[] {
  if (run === "name") return [{ field: "name", value: row.name ?? "", status: null }];
  if (run === "surname") return [{ field: "surname", value: row.surname ?? "", status: null }];
  const found: SearchMatch[] = matchRows
    .filter((m) => m.customerId === row.id)
    .map((m) =>
      // A tag row matched either by its code or by its plate.
      m.kind === "vehicle_tag" && m.value !== normalise("vehicle_tag", text)
        ? { field: "plate", value: m.qualifier ?? "", status: m.status }
        : { field: m.kind, value: m.value, status: m.status },
    );
  return found.length > 0 ? found : [{ field: "id", value: text, status: null }];
}

function toHit(row: HitRow, matches: SearchMatch[]): SearchHit {
  return {
    id: row.id,
    status: row.mergedIntoId !== null ? "merged" : row.active ? "active" : "inactive",
    mergedIntoId: row.mergedIntoId,
    channel: row.channel,
    name: row.name,
    surname: row.surname,
    identity: identityFrom(row.identity),
    createdAt: row.createdAt,
    matches,
  };
}

/** The newest active customers, before `beforeId` when given: one range of (tenant, active, id). */
async function recentCustomers(db: Db, tenantId: number, beforeId: number | null, limit: number): Promise<SearchPage> {
  const [tenant, found] = await runBatch(db, [
    tenantStatement(tenantId),
    rows<HitRow>(sql`SELECT ${hitColumns}, NULL AS "sortKey" FROM ${c}
      WHERE ${c.tenantId} = ${tenantId} AND ${c.active} = 1 ${beforeId === null ? sql`` : sql`AND ${c.id} < ${beforeId}`}
      ORDER BY ${c.id} DESC LIMIT ${limit + 1}`),
  ]);
  if (tenant.length === 0) throw new NotFound("tenant");
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return { hits: page.map((row) => toHit(row, [])), next: found.length > limit && last ? { run: "recent", key: "", id: last.id } : null };
}
