import { sql } from "drizzle-orm";
import { rendered, reusable, type Statement } from "../../db/batch";
import { customers, type IdentifierKind, identifiers } from "../../db/schema";
import { IdentifierConflict } from "../errors";
import { normalise } from "./identifiers";

/**
 * How each surface finds the customer a request is about, in one table (the README's
 * identity table is this one). A surface names keys; each key is tried as the kinds
 * listed, first hit wins (a loyalty `externalId` is the partner's own id, else a document
 * number); keys are listed in priority order. Two keys of one request that name different
 * customers are a conflict, never a silent pick. A shared kind (the document) answers its
 * primary holder: the oldest active customer holding it.
 */
export const resolutionTable = {
  kiosk: { vltCode: ["vlt_code"], document: ["document"] },
  loyalty: { externalId: ["loyalty_id", "document"] },
  sales: { document: ["document"] },
  parking: { refId: ["parking_ref"] },
} as const satisfies Record<string, Record<string, readonly IdentifierKind[]>>;

export type ResolvingSurface = keyof typeof resolutionTable;
export type KeysOf<S extends ResolvingSurface> = keyof (typeof resolutionTable)[S] & string;

/** The values a request names, per key of its surface (absent keys look nothing up). */
export type KeyValues<S extends ResolvingSurface> = Partial<Record<KeysOf<S>, string | number | null>>;

/** A customer a key found, and how (`rank`: the position of `kind` among the key's kinds). */
export interface Holder {
  key: string;
  kind: IdentifierKind;
  rank: number;
  customerId: number;
  active: boolean;
}

interface HolderRow {
  key: string;
  kind: IdentifierKind;
  rank: number;
  customerId: number;
  active: number;
}

/**
 * One statement that looks up every key of the request as each of its kinds, returning
 * a row per hit (exclusive holders only: a released value finds nobody; a kept one finds
 * its deactivated customer, `active` false). Its SQL depends on the request only through
 * which keys it names, so it is rendered once per surface and set of keys (db/batch.ts
 * `reusable`).
 */
export function holdersStatement<S extends ResolvingSurface>(tenantId: number, surface: S, values: KeyValues<S>): Statement<Holder[]> {
  const table = resolutionTable[surface] as Record<string, readonly IdentifierKind[]>;
  const named = Object.keys(table).filter((key) => values[key as KeysOf<S>] !== undefined && values[key as KeysOf<S>] !== null);
  const filled: Record<string, unknown> = { tenantId };
  for (const key of named) for (const kind of table[key]!) filled[`${key}:${kind}`] = normalise(kind, values[key as KeysOf<S>]!);
  const statement = rendered<HolderRow>(holdersQuery({ surface, named }, filled));
  return {
    query: statement.query,
    read: (result) => statement.read(result).map((r) => ({ key: r.key, kind: r.kind, customerId: r.customerId, active: r.active === 1, rank: r.rank })),
  };
}

const holdersQuery = reusable(
  ({ surface, named }: { surface: ResolvingSurface; named: string[] }) => `${surface}|${named.join()}`,
  ({ surface, named }) => {
    const table = resolutionTable[surface] as Record<string, readonly IdentifierKind[]>;
    const probes = named.flatMap((key) =>
      table[key]!.map(
        (
          kind,
          rank,
        ) => sql`SELECT ${key} AS "key", ${kind} AS "kind", ${rank} AS "rank", ${identifiers.customerId} AS "customerId", ${customers.active} AS "active"
          FROM ${identifiers} JOIN ${customers} ON ${customers.id} = ${identifiers.customerId}
          WHERE ${identifiers.tenantId} = ${sql.placeholder("tenantId")} AND ${identifiers.kind} = ${kind} AND ${identifiers.value} = ${sql.placeholder(`${key}:${kind}`)}
            AND ${identifiers.exclusive} = 1
          LIMIT 1`,
      ),
    );
    return probes.length > 0
      ? sql.join(
          probes.map((probe) => sql`SELECT * FROM (${probe})`),
          sql` UNION ALL `,
        )
      : sql`SELECT NULL WHERE 0`;
  },
);

/**
 * The customer the keys name: for each key its first-ranked hit, then the first key in
 * the surface's priority order that found someone. A later key that found a different
 * customer is an `IdentifierConflict` on that key's kind (`against` the winning key's
 * kind). Null when no key found anyone.
 */
export function decide<S extends ResolvingSurface>(surface: S, holders: readonly Holder[]): Holder | null {
  const byKey: Partial<Record<KeysOf<S>, Holder>> = {};
  for (const holder of [...holders].sort((a, b) => a.rank - b.rank)) byKey[holder.key as KeysOf<S>] ??= holder;
  let winner: Holder | null = null;
  for (const key of Object.keys(resolutionTable[surface]) as KeysOf<S>[]) {
    const found = byKey[key];
    if (!found) continue;
    if (!winner) winner = found;
    else if (found.customerId !== winner.customerId) throw new IdentifierConflict(found.kind, { against: winner.kind });
  }
  return winner;
}
