/**
 * Card UIDs and vehicle tag codes (and plates) are stored and compared trimmed and
 * upper-case: readers differ in hex case, operators in how they type plates.
 */
export function normaliseCardText(value: string): string {
  return value.trim().toUpperCase();
}
