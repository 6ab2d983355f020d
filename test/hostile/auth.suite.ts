import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../helpers";
import { adminOk, fingerprint, hit, issuedSecrets, newTenant, type Req, type Tenant } from "./client";
import { envelopeProblem, servesTrailingSlash } from "./envelopes";
import { type Auth, documentedOperations, type RouteFixture, routes } from "./routes";
import { Problems, summary } from "./summary";
import { buildWorld, idSet, type World } from "./world";

const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: object) => btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");

interface AttackContext {
  victim: World;
  other: Tenant;
  revokedToken: string;
  revokedKioskSecret: string;
}

/** The ten attacks, in the headers each auth scheme would be attacked with, and the status each must get. */
async function attacks(auth: Exclude<Auth, "public">, ctx: AttackContext): Promise<Record<string, { headers: Record<string, string>; status: number }>> {
  const t = ctx.victim.t;
  const claims = { sub: String(t.partner.clientId), tid: t.id, iat: now(), exp: now() + 3600, jti: "hostile" };
  const [, payload] = t.token.split(".");
  const algNone = `${b64url({ alg: "none", typ: "JWT" })}.${payload}.`;
  const expired = await sign({ ...claims, iat: now() - 7200, exp: now() - 60 }, env.JWT_SECRET, "HS256");
  const badSignature = `${t.token.slice(0, -6)}${t.token.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA"}`;
  const crossTenant = await sign({ ...claims, tid: ctx.other.id }, env.JWT_SECRET, "HS256");
  const flip = (secret: string) => secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
  if (auth === "bearer") {
    return {
      "no credentials": { headers: {}, status: 401 },
      "malformed header": { headers: { authorization: "Bearer not.a-jwt" }, status: 401 },
      "wrong scheme": { headers: { authorization: `Token ${t.token}` }, status: 401 },
      "bad signature": { headers: bearer(badSignature), status: 401 },
      "alg none": { headers: bearer(algNone), status: 401 },
      expired: { headers: bearer(expired), status: 401 },
      "revoked credential": { headers: bearer(ctx.revokedToken), status: 401 },
      "kiosk secret": { headers: { ...bearer(t.kiosk.clientSecret), "x-client-secret": t.kiosk.clientSecret }, status: 401 },
      "admin token": { headers: bearer(ADMIN_TOKEN), status: 401 },
      "token claiming another tenant": { headers: bearer(crossTenant), status: 401 },
    };
  }
  if (auth === "kiosk") {
    return {
      "no credentials": { headers: {}, status: 401 },
      "malformed header": { headers: { "x-client-secret": "\t" }, status: 401 },
      "wrong scheme": { headers: bearer(t.kiosk.clientSecret), status: 401 },
      "bad signature": { headers: { "x-client-secret": flip(t.kiosk.clientSecret) }, status: 401 },
      "alg none": { headers: { "x-client-secret": algNone }, status: 401 },
      expired: { headers: { "x-client-secret": expired }, status: 401 },
      "revoked credential": { headers: { "x-client-secret": ctx.revokedKioskSecret }, status: 401 },
      "partner secret": { headers: { "x-client-secret": t.partner.clientSecret }, status: 401 },
      "partner token": { headers: { ...bearer(t.token), "x-client-secret": t.token }, status: 401 },
      // Another tenant's live kiosk: authenticated, but the card is not in its tenant.
      "another tenant's kiosk": { headers: { "x-client-secret": ctx.other.kiosk.clientSecret }, status: 404 },
    };
  }
  return {
    "no credentials": { headers: {}, status: 401 },
    "malformed header": { headers: { authorization: "Bearer" }, status: 401 },
    "wrong scheme": { headers: { authorization: `Token ${ADMIN_TOKEN}` }, status: 401 },
    "bad signature": { headers: bearer(flip(ADMIN_TOKEN)), status: 401 },
    "alg none": { headers: bearer(algNone), status: 401 },
    expired: { headers: bearer(expired), status: 401 },
    "revoked credential": { headers: bearer(ctx.revokedToken), status: 401 },
    "kiosk secret": { headers: { ...bearer(t.kiosk.clientSecret), "x-client-secret": t.kiosk.clientSecret }, status: 401 },
    "partner token": { headers: bearer(t.token), status: 401 },
    "another tenant's token": { headers: bearer(ctx.other.token), status: 401 },
  };
}

/** Everything the victim's world stored that must never reach an unauthenticated caller. */
function leaks(text: string, ctx: AttackContext): string[] {
  const found: string[] = [];
  if (text.includes(ctx.victim.marker)) found.push("victim data");
  for (const secret of issuedSecrets) if (secret && text.includes(secret)) found.push("a secret");
  return found;
}

describe("auth matrix", () => {
  let ctx: AttackContext;

  beforeAll(async () => {
    const victim = await buildWorld(null, idSet("auth"));
    const other = await newTenant();
    const revoked = await newTenant();
    await adminOk("DELETE", `/admin/credentials/${revoked.partner.clientId}`);
    await adminOk("DELETE", `/admin/credentials/${revoked.kiosk.clientId}`);
    ctx = { victim, other, revokedToken: revoked.token, revokedKioskSecret: revoked.kiosk.clientSecret };
  });

  it("the route inventory: every documented operation has a fixture, and every fixture is documented", async () => {
    const documented = await documentedOperations();
    const missing = documented.filter((op) => !routes[op]);
    const stale = Object.keys(routes).filter((op) => !documented.includes(op));
    expect(missing, "operations without a hostile fixture (add them to test/hostile/routes.ts)").toEqual([]);
    expect(stale, "fixtures of operations the app no longer documents").toEqual([]);
    summary.routesCovered = documented.length;
  });

  it("every protected route x ten credential attacks -> its own 401/404 envelope, no data, nothing written; the right credential then succeeds", async () => {
    const problems = new Problems();
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      // A route without a fixture fails the inventory test; the matrix covers the others meanwhile.
      if (!fixture || fixture.auth === "public") continue;
      const req = await fixture.valid(ctx.victim);
      const cases = await attacks(fixture.auth, ctx);
      const before = await fingerprint();
      const results = await Promise.all(
        Object.entries(cases).map(async ([name, attack]) => {
          // The attack replaces whatever credentials the valid request carried.
          const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([k]) => k !== "authorization" && k !== "x-client-secret"));
          const res = await hit({ ...req, headers: { ...headers, ...attack.headers } });
          return { name, expected: attack.status, res };
        }),
      );
      const after = await fingerprint();
      problems.check(before === after, () => `${operation}: rows changed under attack`);
      const reference = new Map<number, string>();
      for (const { name, expected, res } of results) {
        summary.authCases += 1;
        const where = `${operation} [${name}]`;
        problems.check(res.status === expected, () => `${where}: ${res.status} (expected ${expected}) ${res.text.slice(0, 200)}`);
        const problem = res.status >= 400 ? envelopeProblem(fixture.surface, res) : "success";
        problems.check(problem === null, () => `${where}: envelope ${problem}`);
        problems.check(leaks(res.text, ctx).length === 0, () => `${where}: leaks ${leaks(res.text, ctx).join(", ")}`);
        // Every refusal of one route with one status is the same bytes: nothing tells attacks apart.
        const first = reference.get(res.status) ?? res.text;
        reference.set(res.status, first);
        problems.check(first === res.text, () => `${where}: body differs from other ${res.status}s: ${res.text}`);
      }
      const control = await hit(req);
      problems.check(control.status === fixture.ok, () => `${operation}: the valid request itself got ${control.status} ${control.text.slice(0, 300)}`);
    }
    expect(problems.all).toEqual([]);
  });

  it("POST /oauth/token refuses wrong, revoked, kiosk and cross-tenant client credentials alike (401 invalid_client, nothing written)", async () => {
    const problems = new Problems();
    const t = ctx.victim.t;
    const revoked = await newTenant();
    await adminOk("DELETE", `/admin/credentials/${revoked.partner.clientId}`);
    const form = (id: unknown, secret: string) => `grant_type=client_credentials&client_id=${id}&client_secret=${encodeURIComponent(secret)}`;
    const cases: Record<string, Req> = {
      "wrong secret": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: "x".repeat(43) },
      },
      "revoked credential": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: revoked.partner.clientId, client_secret: revoked.partner.clientSecret },
      },
      "kiosk credential": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: t.kiosk.clientId, client_secret: t.kiosk.clientSecret },
      },
      "another tenant's id with this secret": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: ctx.other.partner.clientId, client_secret: t.partner.clientSecret },
      },
      "unknown client id": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: 987_654_321, client_secret: t.partner.clientSecret },
      },
      "form-encoded wrong secret": {
        method: "POST",
        path: "/oauth/token",
        rawBody: form(t.partner.clientId, "nope"),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      "basic auth wrong secret": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials" },
        headers: { authorization: `Basic ${btoa(`${t.partner.clientId}:nope`)}` },
      },
      "token as secret": {
        method: "POST",
        path: "/oauth/token",
        body: { grant_type: "client_credentials", client_id: t.partner.clientId, client_secret: t.token },
      },
    };
    const before = await fingerprint();
    const bodies = new Set<string>();
    for (const [name, req] of Object.entries(cases)) {
      const res = await hit(req);
      summary.authCases += 1;
      problems.check(res.status === 401, () => `${name}: ${res.status} ${res.text}`);
      problems.check(envelopeProblem("loyalty", res) === null, () => `${name}: envelope ${envelopeProblem("loyalty", res)}`);
      problems.check(res.body?.error?.[0] === "invalid_client", () => `${name}: ${res.text}`);
      problems.check(leaks(res.text, ctx).length === 0, () => `${name}: leaks`);
      bodies.add(res.text);
    }
    problems.check(bodies.size === 1, () => `refusals differ: ${[...bodies].join(" | ")}`);
    problems.check(before === (await fingerprint()), () => "rows changed");
    expect(problems.all).toEqual([]);
  });
});

describe("methods and paths", () => {
  let w: World;
  const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

  beforeAll(async () => {
    w = await buildWorld(null, idSet("paths"));
  });

  /** The documented operations by path template, each with a concrete path its fixture calls. */
  async function documentedPaths(): Promise<Map<string, { methods: string[]; path: string; fixture: RouteFixture }>> {
    const paths = new Map<string, { methods: string[]; path: string; fixture: RouteFixture }>();
    for (const operation of await documentedOperations()) {
      const [method, template] = operation.split(" ") as [string, string];
      const fixture = routes[operation];
      if (!fixture) continue;
      const entry = paths.get(template) ?? { methods: [], path: (await fixture.valid(w)).path.split("?")[0]!, fixture };
      entry.methods.push(method);
      paths.set(template, entry);
    }
    return paths;
  }

  it("every documented path x every method it does not serve -> 405 in its surface's envelope, `Allow` listing the documented methods (HEAD with GET); OPTIONS -> the CORS preflight", async () => {
    const problems = new Problems();
    for (const [template, { methods: served, path, fixture }] of await documentedPaths()) {
      const allowed = methods.filter((m) => served.includes(m) || (m === "HEAD" && served.includes("GET")));
      for (const method of methods.filter((m) => !allowed.includes(m))) {
        const res = await hit({ method, path, headers: w.t.auth });
        summary.pathCases += 1;
        const where = `${method} ${template}`;
        problems.check(res.status === 405, () => `${where}: ${res.status} ${res.text.slice(0, 200)}`);
        problems.check(res.headers.get("allow") === allowed.join(", "), () => `${where}: Allow ${res.headers.get("allow")}, expected ${allowed.join(", ")}`);
        // A HEAD answer has no body to judge.
        const problem = method === "HEAD" ? null : envelopeProblem(fixture.surface, res);
        problems.check(problem === null, () => `${where}: envelope ${problem}`);
      }
      // OPTIONS stays the CORS preflight, whatever the path serves.
      const preflight = await hit({ method: "OPTIONS", path, headers: { origin: "https://partner.example", "access-control-request-method": served[0]! } });
      summary.pathCases += 1;
      problems.check(preflight.status === 204, () => `OPTIONS ${template}: ${preflight.status}`);
    }
    expect(problems.all).toEqual([]);
  });

  it("every documented operation with a trailing slash -> served like the path by Laravel/Express surfaces, else 404 in the owner's envelope; never another surface's", async () => {
    const problems = new Problems();
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture) continue;
      for (const slashes of ["/", "//"]) {
        // A fresh valid request each time, so an accepted one never collides with an earlier one.
        const req = await fixture.valid(w);
        const [path, query] = req.path.split("?");
        const res = await hit({ ...req, path: `${path}${slashes}${query === undefined ? "" : `?${query}`}` });
        summary.pathCases += 1;
        const where = `${operation} + "${slashes}"`;
        if (servesTrailingSlash[fixture.surface]) {
          problems.check(res.status === fixture.ok, () => `${where}: ${res.status} (expected ${fixture.ok}) ${res.text.slice(0, 200)}`);
        } else {
          problems.check(res.status === 404, () => `${where}: ${res.status} (expected 404) ${res.text.slice(0, 200)}`);
          const problem = envelopeProblem(fixture.surface, res);
          problems.check(problem === null, () => `${where}: envelope ${problem}`);
        }
      }
    }
    expect(problems.all).toEqual([]);
  });
});
