import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLocalDateTime, localDate, localToInstant } from "../../src/core/time";

/**
 * core/time reads a zone's wall clock from its offset, asked of `Intl` once per zone and
 * UTC day; on a day the zone changes its offset, it asks `Intl` for the instant itself.
 * Either way it must answer what `Intl` answers.
 */

const zones = ["America/Lima", "America/Santiago", "America/Sao_Paulo", "Europe/Madrid", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC"];

/** `YYYY-MM-DD HH:mm:ss` as `Intl` formats it (Swedish writes dates that way), for comparison. */
const intl = (ms: number, timeZone: string) => new Date(ms).toLocaleString("sv-SE", { timeZone, hourCycle: "h23" });

describe("core/time", () => {
  it("formats any instant in any zone as Intl does, on days the offset changes too", () => {
    // Santiago's 2026 change (UTC-3 to UTC-4 on April 5), Madrid's (March 29) and a random spread.
    const transitions = [Date.UTC(2026, 3, 5, 2, 59, 59), Date.UTC(2026, 3, 5, 3, 0, 0), Date.UTC(2026, 2, 29, 0, 59, 59), Date.UTC(2026, 2, 29, 1, 0, 0)];
    for (const ms of transitions) for (const zone of zones) expect(formatLocalDateTime(ms, zone)).toBe(intl(ms, zone));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        expect(formatLocalDateTime(ms, zone)).toBe(intl(ms, zone));
        expect(localDate(ms, zone)).toBe(intl(ms, zone).slice(0, 10));
      }),
      { numRuns: 3000 },
    );
  });

  it("turns local times back into the instants they name: in an overlap the earlier one, in a gap read with the offset before it", () => {
    expect(localToInstant("2026-04-03", "00:00:00", "America/Santiago")).toBe(Date.UTC(2026, 3, 3, 3));
    expect(localToInstant("2026-04-06", "00:00:00", "America/Santiago")).toBe(Date.UTC(2026, 3, 6, 4));
    // Santiago falls back at midnight: 23:30 on April 4 happens twice; April 5 begins once, at 04:00 UTC.
    expect(localToInstant("2026-04-04", "23:30:00", "America/Santiago")).toBe(Date.UTC(2026, 3, 5, 2, 30));
    expect(localToInstant("2026-04-05", "00:00:00", "America/Santiago")).toBe(Date.UTC(2026, 3, 5, 4));
    // Its spring change skips midnight: September 6, 2026 begins at 01:00, 04:00 UTC.
    expect(localToInstant("2026-09-06", "00:00:00", "America/Santiago")).toBe(Date.UTC(2026, 8, 6, 4));
    // Madrid skips 02:00-03:00 on March 29: 02:30 is read with the offset before the gap (+1).
    expect(localToInstant("2026-03-29", "02:30:00", "Europe/Madrid")).toBe(Date.UTC(2026, 2, 29, 1, 30));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const [date, time] = intl(ms, zone).split(" ") as [string, string];
        expect(intl(localToInstant(date, time, zone), zone)).toBe(`${date} ${time}`);
      }),
      { numRuns: 1000 },
    );
  });
});
