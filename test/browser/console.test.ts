import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, startLocalWorker } from "../../scripts/local-worker.mjs";
import receiver from "../events/receiver.js";

/**
 * The operator console in a real headless Chromium (Debian's `chromium`; CHROMIUM_PATH
 * overrides), against the Worker served by Miniflare on a loopback port. The walk is the
 * issue's: sign in; create a tenant and a partner credential (reading its secret once);
 * through the public APIs register a kiosk card and credit points; find the customer by
 * card UID; see the balance and the transaction on the 360; see a chart drawn with data;
 * revoke the credential and watch its token fail; sign out. Every page is screenshotted
 * into test-artifacts/console/ (git-ignored) and checked by axe-core, at 1280 px and at a
 * tablet's width. The browser may reach nothing but the loopback Worker: every other
 * request is blocked, recorded and must not have been attempted.
 *
 * A second walk opens the Webhooks view: a delivery dead-lettered by a failing receiver
 * (the events tests' receiver, test/events/receiver.js, served from Node on a loopback
 * port that the Worker POSTs to), redelivered with the button, then delivered.
 */

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const shots = "test-artifacts/console";
const missing = !existsSync(executablePath);
if (missing && process.env.CI) throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);

let worker: Awaited<ReturnType<typeof startLocalWorker>>;
let hooks: Server;
let hooksBase: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const outside: string[] = [];
const problems: string[] = [];
let shot = 0;

const isLoopback = (url: URL) => url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";

/** Screenshot and accessibility check of the current page: no serious or critical violation. */
async function checkPage(name: string) {
  shot += 1;
  await page.screenshot({ path: `${shots}/${String(shot).padStart(2, "0")}-${name}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `${name}: axe`,
  ).toEqual([]);
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  expect(overflow, `${name}: wider than the window`).toBeLessThanOrEqual(0);
}

/** The text of the first element `selector` names, once it is there. */
async function text(selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent())?.trim() ?? "";
}

/** Clicks something that navigates, and waits for the new page to load. */
async function go(selector: string) {
  await page.click(selector);
  await page.waitForLoadState("load");
}

/** Polls until `check` holds, or fails after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Sign-in through the form. */
async function signIn() {
  await page.goto(`${worker.base}/console/sign-in`);
  await page.fill("#token", ADMIN_TOKEN);
  await go("form[action='/console/sign-in'] button[type=submit]");
  await page.waitForURL(`${worker.base}/console/tenants`);
}

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${worker.base}${path}`, {
    method,
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe.skipIf(missing)("the operator console in Chromium", () => {
  beforeAll(async () => {
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    // The webhook receiver, on a loopback port of its own; retries come after 1 s, 1 s and 1 s.
    hooks = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
      const headers = Object.entries(req.headers).map(([name, value]) => [name, String(value)] as [string, string]);
      const answer = await receiver.fetch(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }));
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
    hooksBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    worker = await startLocalWorker({
      WEBHOOK_SECRET_KEY: "browser-test-webhook-key",
      WEBHOOK_ALLOW_LOOPBACK: "on",
      WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1",
      WEBHOOK_TIMEOUT_SECONDS: "2",
    });
    browser = await chromium.launch({
      executablePath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "es-PE", timezoneId: "America/Lima" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: worker.base });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (isLoopback(url)) return route.continue();
      outside.push(url.href);
      return route.abort("blockedbyclient");
    });
    page = await context.newPage();
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.mf.dispose();
    hooks?.close();
  });

  it("walks sign-in, tenant, credential, kiosk card, points, search, 360, reports, revocation and sign-out", async () => {
    // 1. Sign in: no session means the sign-in page; the token goes in a POSTed password field.
    await page.goto(`${worker.base}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    expect(await page.getAttribute("html", "lang")).toBe("es");
    await checkPage("sign-in");
    await page.fill("#token", ADMIN_TOKEN);
    await go("form[action='/console/sign-in'] button[type=submit]");
    await page.waitForURL(`${worker.base}/console/tenants`);
    expect(page.url()).not.toContain(ADMIN_TOKEN);
    const stored = await page.evaluate<string>("JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie");
    expect(stored).not.toContain(ADMIN_TOKEN);
    expect(stored).not.toContain("ficha_session");
    await checkPage("tenants");

    // 2. A tenant (the VLT destination, so kiosk registrations land in it) and a partner credential.
    await page.fill("#tenant-name", "Casino Miraflores");
    await page.selectOption("#tenant-zone", "America/Lima");
    await go("form[action='/console/tenants'] button[type=submit]");
    await page.waitForURL(/\/console\/tenants\/\d+\?done=created$/);
    const tenantId = Number(/\/console\/tenants\/(\d+)/.exec(page.url())![1]);
    await checkPage("tenant");
    await go(`form[action='/console/tenants/${tenantId}/vlt-destination'] button`);
    await page.waitForURL(/done=vlt-set$/);
    await page.fill("#credential-name", "ERP");
    await go(`form[action='/console/tenants/${tenantId}/credentials'] button[type=submit]`);
    const secret = (await page.textContent("#issued-secret"))!.trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await text(".secret .warning")).toContain("única vez");
    await page.click("button[data-copy='issued-secret']");
    await page.waitForFunction("document.querySelector('.copy-status').textContent !== ''");
    expect(await text(".copy-status")).toBe("Copiado al portapapeles.");
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(secret);
    const clientId = Number(/client_id (\d+)/.exec((await page.textContent("#secret-title"))!)![1]);
    await checkPage("credential-secret");
    await page.goto(`${worker.base}/console/tenants/${tenantId}`);
    expect(await page.content()).not.toContain(secret);

    // 3. The public APIs: a kiosk card registration and a points credit for the same player.
    const token = await api("POST", "/oauth/token", { grant_type: "client_credentials", client_id: clientId, client_secret: secret });
    expect(token.status).toBe(200);
    const bearer = { authorization: `Bearer ${token.body.access_token}` };
    const card = await api(
      "POST",
      "/api/clientes/register",
      {
        codigoClienteVLT: 70,
        correo: "cliente70@gmail.com",
        enviarWhatsApp: true,
        enviarCorreo: true,
        enviarSms: true,
        tarjeta: "A0C2BBCA",
        dni: "74658993",
        tipoDocumento: 1,
        nombre: "Brandon",
        apellidoPaterno: "Mamani",
      },
      { "cf-connecting-ip": "203.0.113.7" },
    );
    expect(card.status).toBe(201);
    const credit = await api(
      "POST",
      "/api/transaction",
      {
        type: "POINTS COUPON",
        code: "bienvenida-70",
        description: "Bono de bienvenida",
        total: 250,
        customer: { externalId: "74658993", name: "Brandon", data: {} },
        store: { externalId: "S1", name: "Miraflores" },
      },
      bearer,
    );
    expect(credit.status).toBe(200);

    // 4. The customer, found by card UID (typed in lower case, as a reader might).
    await go(`nav a[href='/console/tenants/${tenantId}/customers']`);
    await page.fill("#q", "a0c2bbca");
    await go("form[action$='/customers'] button[type=submit]");
    expect(await text("table")).toContain("Tarjeta RFID A0C2BBCA");
    await checkPage("customer-search");
    await go(`a[href='/console/tenants/${tenantId}/customers/${card.body.id}'] >> nth=1`);

    // 5. The 360: balance and the transaction.
    expect(await text("[data-balance='POINTS']")).toBe("250");
    expect(await text("section:has(#transactions) table")).toContain("bienvenida-70");
    expect(await text("section:has(#cards) table")).toContain("A0C2BBCA");
    await checkPage("customer-360");

    // At a tablet's width the pages still fit (tables scroll inside their own box).
    await page.setViewportSize({ width: 768, height: 1024 });
    await checkPage("customer-360-tablet");
    await page.setViewportSize({ width: 1280, height: 800 });

    // 6. Reports: the points chart is drawn with data (the earned series' colour is on the canvas).
    await go(`nav a[href='/console/tenants/${tenantId}/reports']`);
    await page.waitForSelector("#points-chart canvas");
    const earnedPixels = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector("#points-chart canvas");
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - 0x1b) < 8 && Math.abs(data[i + 1] - 0x7f) < 8 && Math.abs(data[i + 2] - 0x4c) < 8) count++;
      return count;
    })()`);
    expect(earnedPixels).toBeGreaterThan(50);
    expect(await text("section:has(#by-store) table")).toContain("Miraflores");
    await checkPage("reports");
    await page.setViewportSize({ width: 768, height: 1024 });
    await checkPage("reports-tablet");
    await page.setViewportSize({ width: 1280, height: 800 });

    // The same page in English (the toggle), then back.
    await go("header .tools a[hreflang='en']");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await text("h1")).toBe("Reports");
    await page.waitForSelector("#points-chart canvas");
    await checkPage("reports-english");
    await go("header .tools a[hreflang='es']");

    // The merge review (not confirmed), a missing page, and the other pages at a tablet's width.
    const duplicate = await api(
      "POST",
      "/api/clientes",
      { nombre: "Brandon M.", tipoCliente: "PERSONA", tipoDocumento: "DNI", numeroDocumento: "74658993", codigoCliente: "CLI-70" },
      bearer,
    );
    expect(duplicate.status).toBe(201);
    await page.goto(`${worker.base}/console/tenants/${tenantId}/customers/${card.body.id}`);
    await page.fill("#from", String(duplicate.body.id));
    await go("form[action$='/merge'] button[type=submit]");
    expect(await text("h1")).toBe(`¿Fusionar el cliente ${duplicate.body.id} en el cliente ${card.body.id}?`);
    await checkPage("merge-review");
    const logged = problems.length;
    const missing = await page.goto(`${worker.base}/console/tenants/${tenantId}/customers/987654321`);
    expect(missing?.status()).toBe(404);
    // The browser logs the 404 it was answered; that one line is expected.
    expect(problems.splice(logged)).toEqual([expect.stringContaining("status of 404")]);
    await checkPage("not-found");
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const [name, path] of [
      ["tenants-tablet", "/console/tenants"],
      ["tenant-tablet", `/console/tenants/${tenantId}`],
      ["customer-search-tablet", `/console/tenants/${tenantId}/customers?q=brandon`],
    ]) {
      await page.goto(`${worker.base}${path}`);
      await checkPage(name!);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // 7. Revoke the credential (with its confirmation): its token fails at once.
    await page.goto(`${worker.base}/console/tenants/${tenantId}`);
    await go(`a[href='/console/tenants/${tenantId}/credentials/${clientId}/revoke']`);
    await checkPage("credential-revoke");
    await go("button.danger");
    expect(await text(".notice")).toBe(`Credencial ${clientId} revocada.`);
    expect((await api("GET", "/api/clientes?page=0&size=1", undefined, bearer)).status).toBe(401);

    // 8. Sign out: back to the sign-in page; pages ask to sign in again.
    await go("header form[action='/console/sign-out'] button");
    await page.waitForURL(`${worker.base}/console/sign-in?done=signed-out`);
    await checkPage("signed-out");
    await page.goto(`${worker.base}/console/tenants/${tenantId}`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");

    expect(outside, "requests that left the loopback Worker").toEqual([]);
    expect(problems, "script errors or CSP violations").toEqual([]);
  });
  it("shows a dead-lettered webhook delivery in the Webhooks view and redelivers it with the button", async () => {
    // A tenant whose partner registered an endpoint; its receiver answers 503 to everything for now.
    const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const tenant = await api("POST", "/admin/tenants", { name: "Parking Centro", timezone: "America/Lima" }, operator);
    const tenantId = tenant.body.id as number;
    const partner = await api("POST", `/admin/tenants/${tenantId}/credentials`, { kind: "partner" }, operator);
    const token = await api("POST", "/oauth/token", {
      grant_type: "client_credentials",
      client_id: partner.body.client_id,
      client_secret: partner.body.client_secret,
    });
    const bearer = { authorization: `Bearer ${token.body.access_token}` };
    const rid = `browser${Date.now().toString(36)}`;
    const control = async (behaviour: object) =>
      expect((await fetch(`${hooksBase}/control/${rid}`, { method: "PUT", body: JSON.stringify(behaviour) })).status).toBe(200);
    const received = async () => (await (await fetch(`${hooksBase}/received/${rid}`)).json()) as { status: number; headers: Record<string, string> }[];
    await control({ status: 503 });
    const endpoint = await api("POST", "/v1/webhook-endpoints", { url: `${hooksBase}/hooks/${rid}`, events: ["customer.created"] }, bearer);
    expect(endpoint.status).toBe(201);
    const client = await api(
      "POST",
      "/api/clientes",
      { nombre: "Empresa Telecom SAC", tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento: "20512345678", codigoCliente: "CLI042" },
      bearer,
    );
    expect(client.status).toBe(201);
    // The first attempt and the schedule's three retries fail: the delivery is dead-lettered.
    const attempts = `/admin/tenants/${tenantId}/webhook-endpoints/${endpoint.body.id}/deliveries?limit=1`;
    await until("a dead-lettered delivery", async () => (await api("GET", attempts, undefined, operator)).body.data[0]?.outcome === "dead");
    expect((await received()).map((d) => d.status)).toEqual([503, 503, 503, 503]);
    const eventId = (await received())[0]!.headers["webhook-id"]!;

    // The Webhooks view: the endpoint, then its attempts with the dead one on top.
    await signIn();
    await page.goto(`${worker.base}/console/tenants/${tenantId}`);
    await go(`nav a[href='/console/tenants/${tenantId}/webhooks']`);
    expect(await text("h1")).toBe("Endpoints de webhooks");
    expect(await text("table")).toContain(`${hooksBase}/hooks/${rid}`);
    expect(await text("table")).toContain("customer.created");
    await checkPage("webhooks");
    await go(`a[href='/console/tenants/${tenantId}/webhooks/${endpoint.body.id}'] >> nth=0`);
    const newest = "section:has(#attempts) tbody tr:first-child";
    expect(await text(`${newest} td.outcome-dead`)).toBe("sin más reintentos");
    expect(await text(newest)).toContain(eventId);
    expect(await text(newest)).toContain("HTTP 503");
    expect(await page.locator("section:has(#attempts) tbody tr").count()).toBe(4);
    await checkPage("webhook-attempts");
    await page.setViewportSize({ width: 768, height: 1024 });
    await checkPage("webhook-attempts-tablet");
    await page.setViewportSize({ width: 1280, height: 800 });

    // The receiver is fixed; redeliver: a fresh delivery, the same webhook-id, delivered.
    await control({ status: 200 });
    await go(`${newest} form[action$='/redeliver'] button`);
    expect(await text(".notice")).toBe(`El evento ${eventId} está en cola para entregarse de nuevo.`);
    await until("the redelivery on the page", async () => {
      await page.reload();
      return (await page.locator(`${newest} td.outcome-succeeded`).count()) === 1;
    });
    expect(await text(`${newest} td.outcome-succeeded`)).toBe("entregado");
    expect(await text(newest)).toContain("HTTP 200");
    expect(await page.locator("section:has(#attempts) tbody tr").count()).toBe(5);
    const got = await received();
    expect(got.map((d) => d.status)).toEqual([503, 503, 503, 503, 200]);
    expect(got[4]!.headers["webhook-id"]).toBe(eventId);
    await checkPage("webhook-redelivered");

    await go("header form[action='/console/sign-out'] button");
    expect(outside, "requests that left the loopback Worker").toEqual([]);
    expect(problems, "script errors or CSP violations").toEqual([]);
  });
});
