import type { Statement } from "./batch";
import { CostMeter } from "./cost-meter";

/**
 * One request's D1 traffic. Every statement of the request goes through here (the
 * isolate's Drizzle handle is built on `requestD1`), which gives three things:
 *
 * - cost: each round trip, and the rows it read and wrote, recorded in `meter`;
 * - where reads go: the binding (the primary), or a D1 session chosen for the request
 *   (`readFrom`): a replica for the lobby, at least as fresh as a bookmark the client
 *   sent back, …; `bookmark()` is what the response hands back;
 * - a gate: a check that must pass before anything the request read is used or anything
 *   is written (the Bearer routes' credential liveness). Its statement rides in the
 *   request's first round trip when that trip only reads, and goes alone, before it,
 *   when it writes. A request that never reaches D1 runs it in `settle()`.
 */
export class RequestIo {
  readonly meter = new CostMeter();
  private session: D1DatabaseSession | undefined;
  /** How the session was opened (Server-Timing `d1-session`): a constraint, or "bookmark". */
  private sessionKind: D1SessionConstraint | "bookmark" | undefined;
  private gate: FirstReadGate<unknown> | undefined;
  /** Settles once the gate has decided; every statement after the gated one waits for it. */
  private admitted: Promise<void> | undefined;

  constructor(private readonly binding: D1Database) {}

  /** Serves the request's statements from a D1 session at least as fresh as `bookmark` (one a client sent back). */
  readAfter(bookmark: D1SessionBookmark): void {
    this.session = this.binding.withSession(bookmark);
    this.sessionKind = "bookmark";
  }

  /**
   * Lets the request's reads be served by the nearest replica (`first-unconstrained`),
   * unless the client sent a bookmark back, which keeps the reads at least as fresh as it.
   * Writes go to the primary either way.
   */
  preferReplica(): void {
    if (this.sessionKind === "bookmark") return;
    this.session = this.binding.withSession("first-unconstrained");
    this.sessionKind = "first-unconstrained";
  }

  /** Serves the rest of the request from the primary (`first-primary`): a read that must see the latest writes. */
  readFromPrimary(): void {
    this.session = this.binding.withSession("first-primary");
    this.sessionKind = "first-primary";
  }

  /** How the request's D1 session was opened, if it used one. */
  sessionConstraint(): string | null {
    return this.sessionKind ?? null;
  }

  /** The session's bookmark (null when the request used no session). */
  bookmark(): string | null {
    return this.session?.getBookmark() ?? null;
  }

  /** Sets the check the request's first D1 round trip must pass (see the class comment). */
  guard<R>(gate: FirstReadGate<R>): void {
    this.gate = gate as FirstReadGate<unknown>;
  }

  /** Runs the gate if no statement has yet: a route answered without D1 must pass it too. */
  async settle(): Promise<void> {
    if (this.gate) this.admitted = this.admitAlone(this.takeGate());
    await this.admitted;
  }

  /** Runs statements (one, or several as one atomic batch): one round trip, plus the gate's own when it cannot ride along. */
  async run(statements: readonly SqlStatement[]): Promise<D1Result[]> {
    if (this.gate) {
      const gate = this.takeGate();
      if (statements.every(isRead)) {
        const results = this.send([gate.statement.query, ...statements]).then(async ([checked, ...rest]) => {
          await gate.admit(gate.statement.read(checked!));
          return rest;
        });
        this.admitted = quiet(results.then(() => undefined));
        return results;
      }
      this.admitted = this.admitAlone(gate);
    }
    await this.admitted;
    return this.send(statements);
  }

  private takeGate(): FirstReadGate<unknown> {
    const gate = this.gate!;
    this.gate = undefined;
    return gate;
  }

  private admitAlone(gate: FirstReadGate<unknown>): Promise<void> {
    return quiet(this.send([gate.statement.query]).then(([checked]) => gate.admit(gate.statement.read(checked!))));
  }

  private async send(statements: readonly SqlStatement[]): Promise<D1Result[]> {
    const target = this.session ?? this.binding;
    const prepared = statements.map((s) => target.prepare(s.sql).bind(...s.params));
    const started = performance.now();
    const results = prepared.length === 1 ? [await prepared[0]!.all()] : await target.batch(prepared);
    this.meter.recordD1(
      results.map((r) => r.meta),
      performance.now() - started,
    );
    return results;
  }
}

/** A check riding in a request's first D1 round trip (`RequestIo.guard`). */
export interface FirstReadGate<R> {
  statement: Statement<R>;
  /** Decides on the statement's result; throws to refuse the request. */
  admit(result: R): Promise<void>;
}

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** Only a SELECT is sure to write nothing (SQLite's WITH may lead to an INSERT). */
const isRead = (statement: SqlStatement) => /^\s*select\b/i.test(statement.sql);

/** Marks a stored promise as handled (whoever awaits it still sees its rejection). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** The request being served (none outside a request: a test's setup, a scheduled job). */
export type CurrentIo = () => RequestIo | undefined;

/**
 * A D1Database whose statements run through the current request's RequestIo (or straight
 * on `binding` outside a request). Statements are kept as SQL and values until they run,
 * so a query prepared once per isolate runs on whichever session its request chose. D1's
 * `raw()` and `first()` return no `meta`, so they are served through `all()` (one round
 * trip either way), mapping objects back to value arrays the way Drizzle's own `batch()`
 * does; as there, a query must not select two columns of the same name (alias them).
 */
export function requestD1(binding: D1Database, current: CurrentIo): D1Database {
  const run = (statements: readonly SqlStatement[]) => {
    const io = current();
    return io ? io.run(statements) : direct(binding, statements);
  };
  const wrapped: Pick<D1Database, "prepare" | "batch" | "exec" | "dump" | "withSession"> = {
    prepare: (sql) => new PendingStatement(sql, [], run) as unknown as D1PreparedStatement,
    batch: <T>(statements: D1PreparedStatement[]) => run(statements.map((s) => (s as unknown as PendingStatement).statement)) as Promise<D1Result<T>[]>,
    exec: (sql) => binding.exec(sql),
    dump: () => binding.dump(),
    withSession: (constraintOrBookmark) => binding.withSession(constraintOrBookmark),
  };
  return wrapped as D1Database;
}

async function direct(binding: D1Database, statements: readonly SqlStatement[]): Promise<D1Result[]> {
  const prepared = statements.map((s) => binding.prepare(s.sql).bind(...s.params));
  return prepared.length === 1 ? [await prepared[0]!.all()] : binding.batch(prepared);
}

class PendingStatement {
  constructor(
    private readonly sql: string,
    private readonly params: unknown[],
    private readonly execute: (statements: readonly SqlStatement[]) => Promise<D1Result[]>,
  ) {}

  get statement(): SqlStatement {
    return { sql: this.sql, params: this.params };
  }

  bind(...values: unknown[]): PendingStatement {
    return new PendingStatement(this.sql, values, this.execute);
  }

  async all<T>(): Promise<D1Result<T>> {
    const [result] = await this.execute([this.statement]);
    return result as D1Result<T>;
  }

  run<T>(): Promise<D1Result<T>> {
    return this.all<T>();
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
}
