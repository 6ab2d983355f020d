import { AsyncLocalStorage } from "node:async_hooks";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { reusable, rows, type Statement } from "../../db/batch";
import { type EventType, events } from "../../db/schema";
import { columns } from "../../db/sql";

export { type EventType, eventTypes } from "../../db/schema";

/**
 * The transactional outbox. A write of the core appends its events with `appendEvent`:
 * one more statement in the write's own `runBatch`, so the event commits or rolls back
 * with the change and costs no round trip of its own. The statement builds the event's
 * `data` from the rows the batch has written by then, and appends nothing when the write
 * did nothing (its `where` fails), so a refused or empty write leaves no event.
 *
 * Whoever runs the write (a request, a scheduled job) learns which tenants got events
 * through `withOutbox`, and announces them to the webhook queue after the commit; if
 * that announcement is lost, the webhook sweep finds the events anyway.
 */

type Listener = (tenantId: number) => void;
const listeners = new AsyncLocalStorage<Listener>();

/** Runs `work`, calling `onCommitted` with the tenant of every event a batch within it committed. */
export function withOutbox<T>(onCommitted: Listener, work: () => T): T {
  return listeners.run(onCommitted, work);
}

export interface EventSpec {
  tenantId: number;
  /** The event type, or SQL choosing it from the rows (e.g. `card.bound` or `card.replaced`). */
  type: EventType | SQL;
  /** SQL of the event's `data` JSON, valid over `from`. */
  data: SQL;
  /** The rows the event is read from, with their conditions (`FROM …`); absent: one row, if `where` holds. */
  from?: SQL;
  where?: SQL;
  /** Orders the events of a `from` that yields several rows (one event each); without it, `from` must yield at most one. */
  orderBy?: SQL;
  /** The write's time: the event's `created_at`. */
  now: number;
}

/** An event insert's SQL (see `appendEvent`); in a `reusableEvent`, `tenantId` and `now` are placeholders. */
function eventSql(spec: Omit<EventSpec, "tenantId" | "now"> & { tenantId: number | SQLWrapper; now: number | SQLWrapper }): SQL {
  const last = sql`(SELECT coalesce(max(${events.seq}), 0) FROM ${events} WHERE ${events.tenantId} = ${spec.tenantId})`;
  // A window function costs D1 rows of its own: only a statement of several events numbers them with one.
  const position = spec.orderBy ? sql`row_number() OVER (ORDER BY ${spec.orderBy})` : sql`1`;
  return sql`INSERT INTO ${events} (${columns(events.tenantId, events.seq, events.type, events.createdAt, events.data)})
    SELECT ${spec.tenantId}, ${last} + ${position}, ${spec.type}, ${spec.now}, ${spec.data}
    ${spec.from ? sql`FROM ${spec.from}` : sql``} ${spec.where ? sql`WHERE ${spec.where}` : sql``}`;
}

/** Reads an event insert's result: tells whoever runs the write (`withOutbox`) that the tenant got events. */
const appended =
  (tenantId: number) =>
  (result: D1Result): never[] => {
    if ((result.meta?.changes ?? 0) > 0) listeners.getStore()?.(tenantId);
    return [];
  };

/**
 * The statement that appends one event per row of `from` (at most one unless `orderBy`
 * is given) to the tenant's log, numbered after the tenant's last event. D1 runs batches one at a time, so
 * the numbers follow commit order (see the `events` table).
 */
export function appendEvent(spec: EventSpec): Statement<never[]> {
  return { query: rows<never>(eventSql(spec)).query, read: appended(spec.tenantId) };
}

/**
 * `appendEvent` for an event whose statement depends on the request only through its
 * shape (db/batch.ts `reusable`): `spec` builds it from the shape, naming the tenant and
 * the time with the placeholders it is given and the request's other values with
 * placeholders of its own, filled from `values`.
 */
export function reusableEvent<S>(key: (shape: S) => string | null, spec: (shape: S, at: { tenantId: SQL; now: SQL }) => Omit<EventSpec, "tenantId" | "now">) {
  const at = { tenantId: sql`${sql.placeholder("tenantId")}`, now: sql`${sql.placeholder("now")}` };
  const render = reusable(key, (shape: S) => eventSql({ ...spec(shape, at), ...at }));
  return (shape: S, tenantId: number, now: number, values: Record<string, unknown> = {}): Statement<never[]> => ({
    query: render(shape, { ...values, tenantId, now }),
    read: appended(tenantId),
  });
}
