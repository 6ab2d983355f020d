import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleApp } from "../../src/console";
import { hmacBase64url } from "../../src/core/crypto";
import { ADMIN_TOKEN } from "../helpers";
import { adminHeaders, fingerprint, hit, issueCredential, issuedSecrets, type Req, type Res, tenantSnapshot } from "./client";
import { type ConsoleSession, type ConsoleTarget, consoleForm, consoleRoutes } from "./routes";
import { Problems, summary } from "./summary";
import { buildWorld, fresh, idSet, type World } from "./world";

/**
 * The hostile suite for the operator console: its route inventory, every route under
 * every way of getting the session wrong, tenant isolation through its URLs, and fuzzed
 * form posts. The console answers in HTML, so "its envelope" here is: a refusal is an
 * HTML page (or a redirect to sign-in) under the console's CSP, never a 5xx, and a
 * refused request writes nothing.
 */

const CSP_START = "default-src 'none'; script-src 'self'";

async function signIn(): Promise<ConsoleSession> {
  const res = await hit(consoleForm("/console/sign-in", null, { token: ADMIN_TOKEN }));
  if (res.status !== 303) throw new Error(`sign-in: ${res.status}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const tenants = await hit({ method: "GET", path: "/console/tenants", headers: { cookie } });
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(tenants.text)![1]!;
  issuedSecrets.push(cookie.split("=")[1]!, csrf);
  return { cookie, csrf };
}

/** A cookie the Worker would accept but for its expiry or key. */
async function minted(expiresAt: number, key: string): Promise<string> {
  const body = `v1.${expiresAt}.${"h".repeat(22)}`;
  return `__Host-ficha_session=${body}.${await hmacBase64url(key, `session:${body}`)}`;
}

/** The routes the console's router answers, as "METHOD /path" (middleware on wildcards excluded). */
function registeredRoutes(): string[] {
  return [...new Set(consoleApp.routes.filter((r) => r.method !== "ALL" && !r.path.endsWith("*")).map((r) => `${r.method} ${r.path}`))];
}

/** Problems with a console refusal: not HTML, no CSP, or a 5xx. */
function refusalProblem(res: Res): string | null {
  if (res.status >= 500) return `${res.status}`;
  if (res.status === 303) return res.headers.get("location") === "/console/sign-in" ? null : `redirect to ${res.headers.get("location")}`;
  if (!/^text\/html/.test(res.headers.get("content-type") ?? "")) return `content-type ${res.headers.get("content-type")}`;
  if (!res.headers.get("content-security-policy")?.startsWith(CSP_START)) return "no CSP";
  return null;
}

describe("operator console", () => {
  let w: World;
  let other: World;
  let session: ConsoleSession;

  beforeAll(async () => {
    w = await buildWorld(null, idSet("console"));
    other = await buildWorld(null, idSet("conso"));
    session = await signIn();
  });

  it("the route inventory: every console route has a fixture, and every fixture is a console route", () => {
    const registered = registeredRoutes();
    expect(
      registered.filter((r) => !consoleRoutes[r]),
      "console routes without a hostile fixture (add them to consoleRoutes in test/hostile/routes.ts)",
    ).toEqual([]);
    expect(Object.keys(consoleRoutes).filter((r) => !registered.includes(r))).toEqual([]);
    summary.routesCovered += registered.length;
  });

  it("every session route x the wrong sessions -> sign-in (303), 401, or 403 without CSRF; nothing written, nothing of the tenant shown", async () => {
    const problems = new Problems();
    const now = Math.floor(Date.now() / 1000);
    const wrong: Record<string, { cookie?: string; authorization?: string }> = {
      "no session": {},
      "admin token as Bearer, no cookie": { authorization: adminHeaders.authorization },
      "partner token, no cookie": { authorization: w.t.auth.authorization },
      "forged signature": { cookie: `${session.cookie.slice(0, -4)}AAAA` },
      expired: { cookie: await minted(now - 1, ADMIN_TOKEN) },
      "signed with another key": { cookie: await minted(now + 3600, "not-the-admin-token") },
      malformed: { cookie: "__Host-ficha_session=v1.1.x.y" },
    };
    for (const [route, fixture] of Object.entries(consoleRoutes)) {
      if (fixture.auth === "public") continue;
      const req = await fixture.valid(w, session);
      const isGet = req.method === "GET";
      const cases: Array<{ name: string; req: Req; status: number }> = Object.entries(wrong).map(([name, credentials]) => {
        const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([k]) => k !== "cookie"));
        const status = name === "no session" || name.endsWith("no cookie") ? (isGet ? 303 : 401) : 401;
        return { name, req: { ...req, headers: { ...headers, ...credentials } }, status };
      });
      if (!isGet) {
        const strip = (fields: string) => new URLSearchParams([...new URLSearchParams(fields)].filter(([k]) => k !== "_csrf")).toString();
        cases.push(
          { name: "no CSRF token", req: { ...req, rawBody: strip(String(req.rawBody)) }, status: 403 },
          { name: "CSRF token of another session", req: { ...req, rawBody: String(req.rawBody).replace(session.csrf, "x".repeat(43)) }, status: 403 },
          { name: "cross-site Origin", req: { ...req, headers: { ...req.headers, origin: "https://evil.example" } }, status: 403 },
          { name: "Sec-Fetch-Site: cross-site", req: { ...req, headers: { ...req.headers, origin: "null", "sec-fetch-site": "cross-site" } }, status: 403 },
        );
      }
      const before = await fingerprint();
      for (const c of cases) {
        const res = await hit(c.req);
        summary.authCases += 1;
        const where = `${route} [${c.name}]`;
        problems.check(res.status === c.status, () => `${where}: ${res.status} (expected ${c.status}) ${res.text.slice(0, 200)}`);
        problems.check(refusalProblem(res) === null, () => `${where}: ${refusalProblem(res)}`);
        problems.check(!res.text.includes(w.marker), () => `${where}: the tenant's data in a refusal`);
        // (A page refused for its CSRF token still belongs to the valid session: its forms carry that session's token.)
        const secrets = issuedSecrets.filter((secret) => secret && secret !== session.csrf);
        problems.check(!secrets.some((secret) => res.text.includes(secret)), () => `${where}: a secret in a refusal`);
      }
      problems.check(before === (await fingerprint()), () => `${route}: rows changed under attack`);
      const control = await hit(await fixture.valid(w, session));
      problems.check(control.status === fixture.ok, () => `${route}: the valid request got ${control.status} ${control.text.slice(0, 300)}`);
      // Signing out ends only the cookie of that browser: sign in again for the next routes.
      if (route === "POST /console/sign-out") session = await signIn();
    }
    expect(problems.all).toEqual([]);
  });

  it("a tenant's pages naming another tenant's customer, card, credential or webhook endpoint answer exactly as for ones that do not exist, and change nothing", async () => {
    const problems = new Problems();
    const theirs: ConsoleTarget = {
      customerId: other.clientId,
      cardUid: other.ids.cardUid,
      credentialId: (await issueCredential(other.t.id, "kiosk")).clientId,
      endpointId: other.endpointId,
    };
    const ghost: ConsoleTarget = {
      customerId: 900_000_000 + fresh(),
      cardUid: `GHOST${fresh()}`,
      credentialId: 900_000_000 + fresh(),
      endpointId: 900_000_000 + fresh(),
    };
    const normalised = (res: Res, target: ConsoleTarget) =>
      `${res.status} ${res.text}`
        .replaceAll(String(target.customerId), "<customer>")
        .replaceAll(target.cardUid, "<card>")
        .replaceAll(String(target.credentialId), "<credential>")
        .replaceAll(`/webhooks/${target.endpointId}`, "/webhooks/<endpoint>");
    for (const [route, fixture] of Object.entries(consoleRoutes)) {
      if (!fixture.aimed) continue;
      const before = await tenantSnapshot(other.t.id);
      const onTheirs = await hit(fixture.aimed(w, session, theirs));
      const onNothing = await hit(fixture.aimed(w, session, ghost));
      summary.isolationCases += 1;
      problems.check(onTheirs.status < 500, () => `${route}: ${onTheirs.status}`);
      problems.check(!onTheirs.text.includes(other.marker), () => `${route}: the other tenant's data: ${onTheirs.text.slice(0, 300)}`);
      problems.check(
        normalised(onTheirs, theirs) === normalised(onNothing, ghost),
        () => `${route}: another tenant's objects answer differently from missing ones`,
      );
      problems.check(before === (await tenantSnapshot(other.t.id)), () => `${route}: the other tenant's rows changed`);
    }
    expect(problems.all).toEqual([]);
  });

  it("fuzzed form posts: broken fields, odd values, wrong content types and huge bodies -> never a 5xx, always a page, nothing written when refused", async () => {
    const problems = new Problems();
    const weird = fc.oneof(
      fc.constantFrom(
        "",
        " ",
        "0",
        "-1",
        "1e400",
        "9".repeat(40),
        "Mars/Olympus",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "é".repeat(3000),
        "\u0000",
        "%ZZ",
      ),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: "binary", maxLength: 10 }),
    );
    const edit = fc.record({
      key: fc.oneof(fc.constantFrom("name", "timezone", "kind", "from", "token", "_csrf", "__proto__"), fc.string({ maxLength: 8 })),
      value: weird,
    });
    let current = session;
    for (const [route, fixture] of Object.entries(consoleRoutes)) {
      if (!route.startsWith("POST")) continue;
      const judge = async (where: string, req: Req) => {
        const before = await fingerprint();
        const res = await hit(req);
        summary.fuzzCases += 1;
        summary.fuzzStatuses[res.status] = (summary.fuzzStatuses[res.status] ?? 0) + 1;
        problems.check(res.status < 500, () => `${where}: ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) {
          problems.check(refusalProblem(res) === null, () => `${where}: ${refusalProblem(res)}`);
          problems.check(before === (await fingerprint()), () => `${where}: refused with ${res.status} but rows changed`);
        }
        // A fuzzed sign-out that went through ended the session: take a new one.
        if (route === "POST /console/sign-out" && res.status === 303) current = await signIn();
      };
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
          const req = await fixture.valid(w, current);
          const fields = new URLSearchParams(String(req.rawBody));
          for (const { key, value } of edits) fields.set(key, value);
          await judge(`${route} ${fields.toString().slice(0, 120)}`, { ...req, rawBody: fields.toString() });
          return true;
        }),
        { seed: 20_261_201, numRuns: 8 },
      );
      const base = await fixture.valid(w, current);
      const raw: Record<string, { body: BodyInit; type?: string }> = {
        "1 MiB form": { body: `${String(base.rawBody)}&pad=${"x".repeat(1 << 20)}` },
        "invalid UTF-8": { body: new Uint8Array([...new TextEncoder().encode(String(base.rawBody)), 0xff, 0xfe, 0xc3, 0x28]) },
        "JSON body": { body: JSON.stringify(Object.fromEntries(new URLSearchParams(String(base.rawBody)))), type: "application/json" },
        "no content type": { body: String(base.rawBody), type: "" },
        "broken multipart": { body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1', type: "multipart/form-data; boundary=x" },
      };
      for (const [name, { body, type }] of Object.entries(raw)) {
        const headers = { ...base.headers };
        if (type === "") delete headers["content-type"];
        else if (type) headers["content-type"] = type;
        await judge(`${route} [${name}]`, { ...base, rawBody: body, headers });
      }
    }
    expect(problems.all).toEqual([]);
  });
});
