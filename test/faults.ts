/**
 * The real D1 with one injected failure: the `failAt`-th round trip (statement or batch)
 * fails, either before it reaches D1 ("lost") or after D1 committed it ("committed": the
 * Worker sees an error although the write happened, as when a connection drops on the way back).
 */
export function faultyD1(real: D1Database, failAt: number, mode: "lost" | "committed") {
  let calls = 0;
  const step = async <T>(run: () => Promise<T>): Promise<T> => {
    calls += 1;
    const failing = calls === failAt;
    if (failing && mode === "lost") throw new Error("D1_ERROR: Network connection lost. (injected)");
    const result = await run();
    if (failing) throw new Error("D1_ERROR: Network connection lost. (injected after commit)");
    return result;
  };
  type Wrapped = D1PreparedStatement & { inner: D1PreparedStatement };
  const statement = (inner: D1PreparedStatement): Wrapped =>
    ({
      inner,
      bind: (...values: unknown[]) => statement(inner.bind(...values)),
      first: (column?: string) => step(() => (column === undefined ? inner.first() : inner.first(column))),
      run: () => step(() => inner.run()),
      all: () => step(() => inner.all()),
      raw: (options?: { columnNames?: boolean }) => step(() => inner.raw(options as { columnNames: true })),
    }) as unknown as Wrapped;
  const db = {
    prepare: (query: string) => statement(real.prepare(query)),
    batch: (statements: D1PreparedStatement[]) => step(() => real.batch(statements.map((s) => (s as Wrapped).inner ?? s))),
    exec: (query: string) => step(() => real.exec(query)),
    dump: () => real.dump(),
    withSession: (constraint?: string) => real.withSession(constraint),
  };
  return { db: db as unknown as D1Database, triggered: () => calls >= failAt };
}
