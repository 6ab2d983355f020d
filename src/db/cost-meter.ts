/**
 * Per-request cost accounting: D1 round trips, rows read/written and time (from D1's own
 * `meta`), and Durable Object calls. One `CostMeter` lives for one request; the database
 * handle and the Durable Object stubs of that request record into it, so handlers never
 * count anything by hand. Rendered as a `Server-Timing` header (src/http/observe.ts).
 */
export class CostMeter {
  d1RoundTrips = 0;
  rowsRead = 0;
  rowsWritten = 0;
  d1Ms = 0;
  durableCalls = 0;
  durableMs = 0;

  recordD1(metas: ReadonlyArray<Partial<D1Meta> | undefined>, ms: number): void {
    this.d1RoundTrips += 1;
    this.d1Ms += ms;
    for (const meta of metas) {
      this.rowsRead += meta?.rows_read ?? 0;
      this.rowsWritten += meta?.rows_written ?? 0;
    }
  }

  recordDurable(ms: number): void {
    this.durableCalls += 1;
    this.durableMs += ms;
  }
}

/** The meter of the request being served (none outside a request, e.g. in a test's setup). */
export type MeterOf = () => CostMeter | undefined;

/**
 * A D1Database that records every round trip into the current request's CostMeter. D1's
 * `raw()` and `first()` return no `meta`, so they are served here through `all()` (one
 * round trip either way), mapping objects back to value arrays the way Drizzle's own
 * `batch()` does; as there, a query must not select two columns of the same name (alias
 * them).
 */
export function meteredD1(inner: D1Database, meter: MeterOf): D1Database {
  const wrapped: Pick<D1Database, "prepare" | "batch" | "exec" | "dump" | "withSession"> = {
    prepare: (query) => new MeteredStatement(inner.prepare(query), meter) as unknown as D1PreparedStatement,
    batch: async <T>(statements: D1PreparedStatement[]) => {
      const started = performance.now();
      const results = await inner.batch<T>(statements.map(unwrap));
      meter()?.recordD1(
        results.map((r) => r.meta),
        performance.now() - started,
      );
      return results;
    },
    exec: async (query) => {
      const started = performance.now();
      const result = await inner.exec(query);
      meter()?.recordD1([], performance.now() - started);
      return result;
    },
    dump: () => inner.dump(),
    withSession: (constraintOrBookmark) => inner.withSession(constraintOrBookmark),
  };
  return wrapped as D1Database;
}

function unwrap(statement: D1PreparedStatement): D1PreparedStatement {
  return statement instanceof MeteredStatement ? statement.inner : statement;
}

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly meter: MeterOf,
  ) {}

  bind(...values: unknown[]): MeteredStatement {
    return new MeteredStatement(this.inner.bind(...values), this.meter);
  }

  async run<T>(): Promise<D1Result<T>> {
    return this.measure(() => this.inner.run<T>());
  }

  async all<T>(): Promise<D1Result<T>> {
    return this.measure(() => this.inner.all<T>());
  }

  async first<T>(column?: string): Promise<T | null> {
    const { results } = await this.all<Record<string, unknown>>();
    const row = results[0];
    if (!row) return null;
    return (column === undefined ? row : (row[column] ?? null)) as T | null;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const { results } = await this.all<Record<string, unknown>>();
    const rows = results.map((row) => Object.values(row));
    if (options?.columnNames) return [Object.keys(results[0] ?? {}), ...rows] as T[];
    return rows as T[];
  }

  private async measure<T>(call: () => Promise<D1Result<T>>): Promise<D1Result<T>> {
    const started = performance.now();
    const result = await call();
    this.meter()?.recordD1([result.meta], performance.now() - started);
    return result;
  }
}
