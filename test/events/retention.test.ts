import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { call, newTenant, type TestTenant } from "../helpers";
import { answer, newReceiver, receivedAtLeast, registerEndpoint, rowsOf, seedEvents, wholeFeed } from "./support";

// A file of its own: retention cuts the whole log along its ids, oldest first.

const DAY = 86_400_000;

async function runJobs(time: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: time, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

let serial = 0;
const newClient = async (t: TestTenant) => {
  serial += 1;
  const res = await call("POST", "/api/clientes", {
    headers: t.auth,
    body: { nombre: "R", tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `R${serial}`, codigoCliente: `RC${serial}` },
  });
  expect(res.status).toBe(201);
};
const seqs = async (tenantId: number) => (await rowsOf<{ seq: number }>("SELECT seq FROM events WHERE tenant_id = ? ORDER BY seq", tenantId)).map((r) => r.seq);

describe("event retention (EVENT_RETENTION_DAYS, 30)", () => {
  it("the cron job deletes events, deliveries and attempts past retention, keeping each tenant's newest event so its numbering goes on", async () => {
    const [t, quiet] = [await newTenant(), await newTenant()];
    const rid = newReceiver();
    await answer(rid, { status: 503, times: 1 });
    await registerEndpoint(t, rid);
    for (let i = 0; i < 3; i++) await newClient(t);
    await newClient(quiet);
    await receivedAtLeast(rid, 4);
    expect((await rowsOf("SELECT id FROM webhook_attempts WHERE tenant_id = ?", t.id)).length).toBe(4);

    // 29 days on nothing goes; 31 days on everything but each tenant's newest event does.
    await runJobs(Date.now() + 29 * DAY);
    expect(await seqs(t.id)).toEqual([1, 2, 3]);
    await runJobs(Date.now() + 31 * DAY);
    expect(await seqs(t.id)).toEqual([3]);
    expect(await seqs(quiet.id)).toEqual([1]);
    expect(await rowsOf("SELECT id FROM webhook_deliveries")).toEqual([]);
    expect(await rowsOf("SELECT id FROM webhook_attempts")).toEqual([]);
    // A cursor from before resumes at the oldest event kept; new events number on.
    expect((await wholeFeed(t)).map((e) => e.id)).toEqual([`evt_${t.id}_3`]);
    await newClient(quiet);
    expect(await seqs(quiet.id)).toEqual([1, 2]);
  });

  it("deletes at most 1,000 events per run, oldest first", async () => {
    const t = await newTenant();
    await seedEvents(t.id, 2500);
    const later = Date.now() + 31 * DAY;
    await runJobs(later);
    const left = await seqs(t.id);
    expect(left.length).toBeGreaterThanOrEqual(1500);
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => 2501 - left.length + i));
    await runJobs(later);
    await runJobs(later);
    expect(await seqs(t.id)).toEqual([2500]);
  });
});
