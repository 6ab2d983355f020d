import { describe, expect, inject, it } from "vitest";
import { deepPages, grow, makeProbe, measure, routes, transactionCount } from "./flat-reads";

// `npm test` grows the tenant to 100,000 ledger transactions; `npm run test:scale` (vitest.scale.config.ts) to 1,000,000.
const SIZES = [1_000, inject("flatReadsTransactions") ?? 100_000];

describe("rows read as the tenant grows", () => {
  it(`are flat on every list, report and feed from ${SIZES[0]} to ${SIZES[1]} ledger transactions; the legacy offset pages read O(offset)`, async () => {
    const probe = await makeProbe();
    const list = routes(probe);
    const results = [];
    let bulk = 0;
    for (const size of SIZES) {
      const started = performance.now();
      const target = size - probe.apiTransactions;
      await grow(probe, bulk, target);
      bulk = target;
      const seconds = (performance.now() - started) / 1000;
      expect(await transactionCount(probe.tenant.id)).toBe(size);
      results.push({ size, seconds, measured: await measure(probe, list), deep: await deepPages(probe) });
    }
    const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
    for (const r of results) console.log(`${r.size} transactions: seeded in ${r.seconds.toFixed(1)} s`);
    console.log(["route".padEnd(24), ...results.map((r) => `${r.size}: returned / rows read`.padStart(30))].join(""));
    for (const route of list) {
      console.log(
        [route.name.padEnd(24), ...results.map((r) => `${r.measured.get(route.name)!.returned} / ${r.measured.get(route.name)!.rowsRead}`.padStart(30))].join(
          "",
        ),
      );
    }
    for (const [i, page] of small.deep.entries()) {
      console.log(
        [page.name.padEnd(24), ...results.map((r) => `offset ${r.deep[i]!.offset}: ${r.deep[i]!.returned} / ${r.deep[i]!.rowsRead}`.padStart(30))].join(""),
      );
    }

    for (const route of list) {
      const [before, after] = [small.measured.get(route.name)!, large.measured.get(route.name)!];
      expect(before.returned, route.name).toBeGreaterThan(0);
      expect(after, route.name).toEqual(before);
      if (route.report) expect(after.rowsRead, route.name).toBeLessThanOrEqual(2 * after.returned);
    }
    // The documented exception: a numbered page of the clients (Spring) and sales (Laravel) contracts walks the rows before it.
    for (const [i, page] of large.deep.entries()) {
      const first = small.deep[i]!;
      expect(page.offset).toBeGreaterThan(first.offset);
      expect(page.rowsRead - first.rowsRead, page.name).toBeGreaterThanOrEqual(page.offset - first.offset);
    }
  }, 900_000);
});
