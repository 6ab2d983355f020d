/** True when D1 refused a write because a unique index already holds the key. */
export function isUniqueViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
  return text.includes("UNIQUE constraint failed");
}
