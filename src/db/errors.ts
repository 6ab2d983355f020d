/** D1's error text (message and cause), where SQLite names the constraint that refused a write. */
function errorText(err: unknown): string {
  return err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
}

/** The columns of the unique index that refused a write ("customers.tenant_id, customers.client_code"), or null. */
function uniqueViolationColumns(err: unknown): string | null {
  return /UNIQUE constraint failed: ([\w., ]+)/.exec(errorText(err))?.[1] ?? null;
}

/** True when D1 refused a write because a unique index of `table` already holds the key. */
export function uniqueViolated(err: unknown, table: string): boolean {
  return uniqueViolationColumns(err)?.startsWith(`${table}.`) ?? false;
}

/** True when D1 refused a write because a unique index already holds the key. */
export function isUniqueViolation(err: unknown): boolean {
  return uniqueViolationColumns(err) !== null;
}

/** True when D1 refused a write because a CHECK constraint (the named one, when given) failed. */
export function isCheckViolation(err: unknown, constraint = ""): boolean {
  const text = errorText(err);
  return text.includes("CHECK constraint failed") && text.includes(constraint);
}
