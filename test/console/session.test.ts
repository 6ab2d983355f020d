import { exports } from "cloudflare:workers";
import { version as uplotVersion } from "uplot/package.json";
import { describe, expect, it } from "vitest";
import { hmacBase64url } from "../../src/core/crypto";
import { ADMIN_TOKEN, call } from "../helpers";
import { ORIGIN, page, signIn, submit } from "./support";

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A session cookie as the Worker would sign it, with any expiry and key. */
async function mintCookie(expiresAt: number, key = ADMIN_TOKEN, name = "__Host-ficha_session") {
  const body = `v1.${expiresAt}.${"n".repeat(22)}`;
  return `${name}=${body}.${await hmacBase64url(key, `session:${body}`)}`;
}

describe("GET /console (no session)", () => {
  it("redirects every page to the sign-in page", async () => {
    for (const path of ["/console", "/console/tenants", "/console/tenants/1", "/console/tenants/1/customers?q=x", "/console/tenants/1/reports"]) {
      const res = await page("GET", path);
      expect(res.status, path).toBe(303);
      expect(res.location === "/console/sign-in" || res.location === "/console/tenants", path).toBe(true);
    }
    expect((await page("GET", "/console/tenants")).location).toBe("/console/sign-in");
  });

  it("refuses a POST without a session with 401 and changes nothing", async () => {
    const res = await page("POST", "/console/tenants", { form: { name: "Sin sesión", timezone: "UTC" }, headers: { origin: ORIGIN } });
    expect(res.status).toBe(401);
    expect(res.text).toContain('name="token"');
  });
});

describe("POST /console/sign-in", () => {
  it("exchanges the ADMIN_TOKEN for an HttpOnly, SameSite=Strict, Secure, __Host- session cookie that expires", async () => {
    const res = await page("POST", "/console/sign-in", { form: { token: ADMIN_TOKEN }, headers: { origin: ORIGIN } });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/console/tenants");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-ficha_session=v1\.\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    expect(res.location).not.toContain(ADMIN_TOKEN);
  });

  it("leaves out Secure (and the __Host- prefix) on localhost, where development runs on plain http", async () => {
    const response = await exports.default.fetch(
      new Request("http://localhost:8787/console/sign-in", {
        method: "POST",
        body: `token=${ADMIN_TOKEN}`,
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost:8787" },
        redirect: "manual",
      }),
    );
    await response.text();
    expect(response.headers.get("set-cookie")).toMatch(/^ficha_session=v1\.[^;]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
  });

  it("refuses a wrong token with 401 and no cookie, and a sign-in posted from another site with 403", async () => {
    const wrong = await page("POST", "/console/sign-in", { form: { token: "not-the-token" }, headers: { origin: ORIGIN } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(wrong.text).not.toContain("not-the-token");
    const crossSite = await page("POST", "/console/sign-in", { form: { token: ADMIN_TOKEN }, headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
  });

  it("keeps the token out of URLs: the form posts it, and a token in the query string signs nobody in", async () => {
    const form = await page("GET", "/console/sign-in");
    expect(form.text).toMatch(/<form method="post" action="\/console\/sign-in"/);
    expect(form.text).toContain('type="password"');
    const inQuery = await page("GET", `/console/sign-in?token=${ADMIN_TOKEN}`);
    expect(inQuery.headers.get("set-cookie")).toBeNull();
    expect(inQuery.text).not.toContain(ADMIN_TOKEN);
  });
});

describe("the session cookie", () => {
  it("answers a forged, an expired, a malformed and another key's cookie with 401 (and deletes it)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = {
      forged: `${await mintCookie(now + 3600)}x`.replace(/.$/, "A"),
      expired: await mintCookie(now - 1),
      "signed with another token": await mintCookie(now + 3600, "another-admin-token"),
      malformed: "__Host-ficha_session=garbage",
    };
    for (const [name, cookie] of Object.entries(cases)) {
      const res = await page("GET", "/console/tenants", { cookie });
      expect(res.status, name).toBe(401);
      expect(res.text, name).toContain('name="token"');
      expect(res.headers.get("set-cookie"), name).toMatch(/^__Host-ficha_session=; Max-Age=0/);
    }
    const valid = await page("GET", "/console/tenants", { cookie: await mintCookie(now + 3600) });
    expect(valid.status).toBe(200);
  });

  it("signs out: the cookie is deleted and the next page asks to sign in", async () => {
    const session = await signIn();
    const out = await submit(session, "/console/sign-out");
    expect(out.status).toBe(303);
    expect(out.location).toBe("/console/sign-in?done=signed-out");
    expect(out.headers.get("set-cookie")).toMatch(/^__Host-ficha_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    const after = await page("GET", "/console/tenants");
    expect(after.location).toBe("/console/sign-in");
  });
});

describe("CSRF", () => {
  it("refuses a cross-site POST without the CSRF token with 403 and writes nothing", async () => {
    const session = await signIn();
    const before = (await call("GET", "/admin/tenants?limit=100", { headers: { cookie: session.cookie } })).body.data.length;
    const attempts: Array<{ name: string; form: Record<string, string>; headers: Record<string, string> }> = [
      { name: "no token, other site", form: { name: "CSRF 1", timezone: "UTC" }, headers: { origin: "https://evil.example" } },
      { name: "no token, same site", form: { name: "CSRF 2", timezone: "UTC" }, headers: { origin: ORIGIN } },
      { name: "wrong token", form: { name: "CSRF 3", timezone: "UTC", _csrf: "x".repeat(43) }, headers: { origin: ORIGIN } },
      { name: "right token, other site", form: { name: "CSRF 4", timezone: "UTC", _csrf: session.csrf }, headers: { origin: "https://evil.example" } },
      {
        name: "right token, Sec-Fetch-Site cross-site",
        form: { name: "CSRF 5", timezone: "UTC", _csrf: session.csrf },
        headers: { "sec-fetch-site": "cross-site" },
      },
    ];
    for (const attempt of attempts) {
      const res = await page("POST", "/console/tenants", { cookie: session.cookie, form: attempt.form, headers: attempt.headers });
      expect(res.status, attempt.name).toBe(403);
    }
    const after = (await call("GET", "/admin/tenants?limit=100", { headers: { cookie: session.cookie } })).body.data.length;
    expect(after).toBe(before);
    const ok = await submit(session, "/console/tenants", { name: "CSRF ok", timezone: "UTC" });
    expect(ok.status).toBe(303);
  });
});

describe("the admin API with the console session", () => {
  it("accepts the session cookie for reads, and for writes only with the session's X-CSRF-Token", async () => {
    const session = await signIn();
    const read = await call("GET", "/admin/tenants", { headers: { cookie: session.cookie } });
    expect(read.status).toBe(200);
    const noToken = await call("POST", "/admin/tenants", { body: { name: "Via cookie" }, headers: { cookie: session.cookie } });
    expect(noToken.status).toBe(403);
    expect(noToken.body).toEqual({ code: "forbidden", message: "Missing or wrong CSRF token" });
    const crossSite = await call("POST", "/admin/tenants", {
      body: { name: "Via cookie" },
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const withToken = await call("POST", "/admin/tenants", { body: { name: "Via cookie" }, headers: { cookie: session.cookie, "x-csrf-token": session.csrf } });
    expect(withToken.status).toBe(201);
    const forged = await call("GET", "/admin/tenants", { headers: { cookie: await mintCookie(Math.floor(Date.now() / 1000) - 5) } });
    expect(forged.status).toBe(401);
    // An Authorization header decides on its own: a wrong token is not rescued by the cookie.
    const wrongBearer = await call("GET", "/admin/tenants", { headers: { cookie: session.cookie, authorization: "Bearer nope" } });
    expect(wrongBearer.status).toBe(401);
  });
});

describe("Content-Security-Policy", () => {
  it("is on every console answer, and no page carries an inline script, inline style or event handler", async () => {
    const session = await signIn();
    const tenant = await submit(session, "/console/tenants", { name: "CSP", timezone: "UTC" });
    const id = /\/console\/tenants\/(\d+)/.exec(tenant.location ?? "")![1];
    const answers = [
      await page("GET", "/console/sign-in"),
      await page("GET", "/console/tenants", { cookie: session.cookie }),
      await page("GET", `/console/tenants/${id}`, { cookie: session.cookie }),
      await page("GET", `/console/tenants/${id}/customers?q=x`, { cookie: session.cookie }),
      await page("GET", `/console/tenants/${id}/reports`, { cookie: session.cookie }),
      await page("GET", "/console/tenants/987654321", { cookie: session.cookie }),
      await page("GET", "/console/nowhere", { cookie: session.cookie }),
      await page("GET", "/console/tenants", { cookie: "__Host-ficha_session=bad" }),
    ];
    for (const res of answers) {
      expect(res.headers.get("content-security-policy")).toBe(CSP);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.text).toMatch(/^<!doctype html>/);
      expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(res.text).not.toMatch(/\sstyle=|\son[a-z]+=/);
    }
  });
});

describe("GET /console/static/{version}/{file}", () => {
  it("serves the console's script and stylesheet (bundled) and uPlot's (static assets) from the Worker itself, cached for a year; anything else is 404", async () => {
    const signInPage = await page("GET", "/console/sign-in");
    const script = /src="(\/console\/static\/[^"]+\/console\.js)"/.exec(signInPage.text)![1]!;
    const served = async (file: string, type: string) => {
      const res = await page("GET", script.replace("console.js", file));
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type"), file).toBe(type);
      expect(res.headers.get("cache-control"), file).toBe("public, max-age=31536000, immutable");
      return res.text;
    };
    expect(await served("console.js", "text/javascript; charset=utf-8")).toContain("window.uPlot");
    expect(await served("console.css", "text/css; charset=utf-8")).not.toBe("");
    const uplotJs = await served("uPlot.iife.min.js", "text/javascript; charset=utf-8");
    expect(uplotJs.startsWith(`/*! https://github.com/leeoniya/uPlot (v${uplotVersion}) */`)).toBe(true);
    expect(uplotJs).toContain("var uPlot=");
    expect(await served("uPlot.min.css", "text/css; charset=utf-8")).toMatch(/^\.uplot, /);
    // Swagger UI's files share the static assets but are /docs's, not the console's.
    for (const file of ["secrets.txt", "swagger-ui.css"]) expect((await page("GET", script.replace("console.js", file))).status, file).toBe(404);
    for (const file of ["console.js", "uPlot.iife.min.js"]) expect((await page("GET", `/console/static/old/${file}`)).status, file).toBe(404);
  });
});

describe("language", () => {
  it("answers in Spanish or English as the browser prefers, English when it accepts neither, and remembers ?lang=", async () => {
    const spanish = await page("GET", "/console/sign-in", { headers: { "accept-language": "es-PE,es;q=0.9,en;q=0.5" } });
    expect(spanish.text).toContain('<html lang="es">');
    expect(spanish.text).toContain("Ingresar");
    const english = await page("GET", "/console/sign-in", { headers: { "accept-language": "en-US,en;q=0.9,es;q=0.8" } });
    expect(english.text).toContain('<html lang="en">');
    const neither = await page("GET", "/console/sign-in", { headers: { "accept-language": "fr-FR" } });
    expect(neither.text).toContain('<html lang="en">');
    const switched = await page("GET", "/console/sign-in?lang=es", { headers: { "accept-language": "en" } });
    expect(switched.text).toContain('<html lang="es">');
    expect(switched.headers.get("set-cookie")).toMatch(/^ficha_lang=es; Max-Age=31536000; Path=\/console; Secure; SameSite=Lax$/);
    const remembered = await page("GET", "/console/sign-in", { cookie: "ficha_lang=es", headers: { "accept-language": "en" } });
    expect(remembered.text).toContain('<html lang="es">');
  });
});
