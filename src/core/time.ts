/**
 * Wall-clock time in a tenant's IANA zone: rendering instants as the seeds show them
 * (`YYYY-MM-DD HH:mm:ss`) and turning local dates back into instants (day boundaries
 * for date-range queries and reports).
 */

type WallClock = Record<"year" | "month" | "day" | "hour" | "minute" | "second", string>;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at an instant, as `Intl` gives it (about 6 µs a call). */
function formattedWallClock(ms: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return parts as WallClock;
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset), as `Intl` gives it. */
function formattedOffset(ms: number, timeZone: string): number {
  const p = formattedWallClock(ms, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const DAY_MS = 86_400_000;
/** Days remembered per zone before its memo starts afresh (a history page or a report touches a few dozen). */
const MAX_DAYS_PER_ZONE = 4096;
/** Per zone, its offset on each UTC day asked about; NaN for a day during which the offset changes. */
const dayOffsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset on the UTC day of `ms`, asked of `Intl` once per zone and day: the
 * offsets at the day's first and last second, which agree unless the zone changes its
 * offset that day. NaN on such a day. (Agreeing ends would hide two changes within one
 * day; in the time zone data of 1900-2100 no zone changes its offset twice within 6.9 days.)
 */
function offsetOnDay(ms: number, timeZone: string): number {
  const day = Math.floor(ms / DAY_MS);
  let days = dayOffsets.get(timeZone);
  if (!days) dayOffsets.set(timeZone, (days = new Map()));
  let offset = days.get(day);
  if (offset === undefined) {
    const first = formattedOffset(day * DAY_MS, timeZone);
    offset = first === formattedOffset(day * DAY_MS + DAY_MS - 1000, timeZone) ? first : Number.NaN;
    if (days.size >= MAX_DAYS_PER_ZONE) days.clear();
    days.set(day, offset);
  }
  return offset;
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * The zone's wall clock at an instant: the instant shifted by the zone's offset that day,
 * read as UTC (well under a µs), or `Intl`'s answer on a day the offset changes.
 */
function wallClock(ms: number, timeZone: string): WallClock {
  const offset = offsetOnDay(ms, timeZone);
  if (Number.isNaN(offset)) return formattedWallClock(ms, timeZone);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset);
  return {
    year: String(local.getUTCFullYear()),
    month: two(local.getUTCMonth() + 1),
    day: two(local.getUTCDate()),
    hour: two(local.getUTCHours()),
    minute: two(local.getUTCMinutes()),
    second: two(local.getUTCSeconds()),
  };
}

/** `YYYY-MM-DD HH:mm:ss` of an instant in the zone. */
export function formatLocalDateTime(ms: number, timeZone: string): string {
  const p = wallClock(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `YYYY-MM-DD` of an instant in the zone (the tenant's local day). */
export function localDate(ms: number, timeZone: string): string {
  const p = wallClock(ms, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The zone's offset from UTC at an instant, in ms (local = utc + offset). */
function offsetAt(ms: number, timeZone: string): number {
  const offset = offsetOnDay(ms, timeZone);
  return Number.isNaN(offset) ? formattedOffset(ms, timeZone) : offset;
}

/**
 * The instant a local wall-clock time names in the zone. In a DST gap the time is read
 * with the offset before the gap; in an overlap, the earlier of the two instants.
 */
export function localToInstant(date: string, time = "00:00:00", timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hh, mm, ss] = time.split(":").map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, hh, mm, ss);
  // The instant is within 14 hours of `asUtc` (no zone is further from UTC), and at most one
  // offset change falls in that span: the wall time read with the offset before it and after it.
  const before = asUtc - offsetAt(asUtc - OFFSET_SPAN_MS, timeZone);
  const after = asUtc - offsetAt(asUtc + OFFSET_SPAN_MS, timeZone);
  const shows = (instant: number) => instant + offsetAt(instant, timeZone) === asUtc;
  const candidates = [before, after].filter(shows);
  return candidates.length > 0 ? Math.min(...candidates) : before;
}

/** Further than any zone's offset from UTC (UTC+14), closer than two offset changes of a zone (6.9 days). */
const OFFSET_SPAN_MS = 15 * 3_600_000;

/** True when `date` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** The calendar date `days` after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
