/**
 * Per-request cost accounting: D1 round trips, rows read/written and time (from D1's own
 * `meta`), and Durable Object calls. One `CostMeter` lives for one request; the request's
 * D1 traffic (db/io.ts) and its Durable Object stubs record into it, so handlers never
 * count anything by hand. Rendered as a `Server-Timing` header (src/http/observe.ts).
 */
export class CostMeter {
  d1RoundTrips = 0;
  rowsRead = 0;
  rowsWritten = 0;
  d1Ms = 0;
  durableCalls = 0;
  durableMs = 0;
  /** Durable Object calls left to run after the response (`ctx.waitUntil`): not awaited by the request. */
  deferredDurableCalls = 0;
  private deferring = false;

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

  /**
   * Starts `work`, whose Durable Object calls are left to run after the response: they
   * count as deferred, not as awaited calls. `work` must make its calls before its first
   * await (a stub call is counted as it starts).
   */
  defer<T>(work: () => Promise<T>): Promise<T> {
    this.deferring = true;
    try {
      return work();
    } finally {
      this.deferring = false;
    }
  }

  /** A stub's call starts: true when it is deferred (counted now), false when the request awaits it (counted by `recordDurable` when it ends). */
  startDurable(): boolean {
    if (this.deferring) this.deferredDurableCalls += 1;
    return this.deferring;
  }
}
