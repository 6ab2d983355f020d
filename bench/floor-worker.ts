import { createApp } from "../src/app";
import worker from "../src/index";
import { floors } from "./floors";

export { CardLock, RateLimiter } from "../src/index";

/**
 * The bench's Worker: the deployed one (its app, Durable Objects, queue consumer and cron
 * handler) plus the I/O floors under /__floor (bench/floors.ts). The floors are added to
 * the app's own instance, after its global middleware (request id, cost meter, outbox
 * announcements, secure headers, CORS), so a floor request crosses exactly what every
 * request crosses; no surface's prefix covers /__floor, so none of a surface's own
 * middleware runs. `npm run bench` bundles this entry (scripts/local-worker.mjs); the
 * deployed bundle (wrangler.toml's `main`) never contains it.
 */
const app = createApp();
app.route("/", floors);

export default { ...worker, fetch: app.fetch } satisfies typeof worker;
