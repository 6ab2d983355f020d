// The webhook receiver the tests deliver to: an auxiliary worker that is the main
// Worker's outbound service (vitest.config.ts), so every fetch() the Worker makes lands
// here, whatever its URL. Each receiver id (the last path segment) records what it got
// and answers as the test configured it:
//   PUT /control/<rid> {"status": 503, "times": 3}   the next 3 deliveries get 503, then 200 again
//   PUT /control/<rid> {"status": 410}               every delivery gets 410 (no `times`: for good)
//   PUT /control/<rid> {"status": 503, "rate": 0.2}  a random fifth of the deliveries get 503
//   PUT /control/<rid> {"delayMs": 3000}             answers 200 after 3 s
//   GET /received/<rid>                              [{headers, body, at, status}], in arrival order
const receivers = new Map();

function receiver(rid) {
  let r = receivers.get(rid);
  if (!r) {
    r = { status: 200, times: 0, rate: 1, delayMs: 0, received: [] };
    receivers.set(rid, r);
  }
  return r;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const [, action, rid] = url.pathname.split("/");
    if (!rid) return new Response("unknown receiver", { status: 404 });
    const r = receiver(rid);
    if (action === "control" && request.method === "PUT") {
      const { status = 200, times, rate = 1, delayMs = 0 } = await request.json();
      Object.assign(r, { status, times: times ?? Number.POSITIVE_INFINITY, rate, delayMs });
      return Response.json({ ok: true });
    }
    if (action === "received") return Response.json(r.received);
    if (action !== "hooks") return new Response("unknown action", { status: 404 });
    const body = await request.text();
    if (r.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, r.delayMs));
    const failing = r.status !== 200 && r.times > 0 && Math.random() < r.rate;
    if (failing) r.times -= 1;
    const status = failing ? r.status : 200;
    r.received.push({ headers: Object.fromEntries(request.headers), body, at: Date.now(), status });
    return new Response(status === 200 ? "ok" : "no", { status, headers: status === 302 ? { location: "https://elsewhere.example/" } : {} });
  },
};
