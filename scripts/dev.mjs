#!/usr/bin/env node
// `npm run dev`: a working local ficha in one command. Creates .dev.vars with random
// secrets if missing, applies local D1 migrations, starts `wrangler dev`, then
// (idempotently) provisions a demo tenant with a partner and a kiosk credential, makes it
// the VLT destination and prints ready-to-paste curl lines. Extra args go to wrangler.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

process.env.WRANGLER_SEND_METRICS = "false";
const args = process.argv.slice(2);
const portArg = args.findIndex((a) => a === "--port" || a.startsWith("--port="));
const port = portArg < 0 ? "8787" : args[portArg].includes("=") ? args[portArg].split("=")[1] : args[portArg + 1];
const base = `http://localhost:${port}`;

const secret = () => randomBytes(32).toString("base64url");
if (!existsSync(".dev.vars")) {
  writeFileSync(".dev.vars", `ADMIN_TOKEN=${secret()}\nJWT_SECRET=${secret()}\nWEBHOOK_SECRET_KEY=${secret()}\n`);
  console.log("Created .dev.vars with random ADMIN_TOKEN, JWT_SECRET and WEBHOOK_SECRET_KEY.");
} else if (!/^WEBHOOK_SECRET_KEY=/m.test(readFileSync(".dev.vars", "utf8"))) {
  // .dev.vars from before webhooks: the key webhook signing secrets are encrypted with.
  writeFileSync(".dev.vars", `${readFileSync(".dev.vars", "utf8").replace(/\n?$/, "\n")}WEBHOOK_SECRET_KEY=${secret()}\n`);
  console.log("Added a random WEBHOOK_SECRET_KEY to .dev.vars.");
}
const vars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
    .filter(Boolean)
    .map((m) => [m[1], m[2].replace(/^"(.*)"$/, "$1")]),
);

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], { stdio: "inherit", shell: process.platform === "win32" });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const wrangler = spawn("wrangler", ["dev", ...(portArg < 0 ? ["--port", port] : []), ...args], { stdio: "inherit", shell: process.platform === "win32" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));

try {
  await waitForHealth();
  printWelcome(await ensureDemoTenant());
} catch (err) {
  // Keep serving: the API is up even if the demo could not be provisioned.
  console.error(`\nCould not provision the demo tenant: ${err.message}\n`);
}

async function waitForHealth() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`ficha did not answer on ${base}/health`);
}

async function adminCall(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Reuses the demo tenant saved in .wrangler/demo.json while its credentials still work; otherwise makes a new one. */
async function ensureDemoTenant() {
  const file = ".wrangler/demo.json";
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8"));
    const token = await requestToken(saved.partner);
    if (token) {
      await adminCall("PUT", "/admin/settings/vlt-destination", { tenantId: saved.tenantId });
      return { ...saved, token };
    }
  }
  const tenant = await adminCall("POST", "/admin/tenants", { name: "Demo tenant", timezone: "America/Lima" });
  const partner = await adminCall("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "partner", name: "demo partner" });
  const kiosk = await adminCall("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "kiosk", name: "demo kiosk" });
  await adminCall("PUT", "/admin/settings/vlt-destination", { tenantId: tenant.id });
  const saved = { tenantId: tenant.id, partner: { client_id: partner.client_id, client_secret: partner.client_secret }, kioskSecret: kiosk.client_secret };
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(file, JSON.stringify(saved, null, 2));
  return { ...saved, token: await requestToken(saved.partner) };
}

async function requestToken(partner) {
  const res = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", ...partner }),
  });
  return res.ok ? (await res.json()).access_token : null;
}

function printWelcome(demo) {
  const q = (s) => `'${s}'`;
  console.log(`
ficha is running on ${base}  (API reference: ${base}/docs)

Demo tenant ${demo.tenantId} (also the VLT destination for kiosk registrations)
  partner client_id     ${demo.partner.client_id}
  partner client_secret ${demo.partner.client_secret}
  kiosk X-Client-Secret ${demo.kioskSecret}
  admin token           ${vars.ADMIN_TOKEN}

Try:
  curl -s -X POST ${base}/oauth/token -H 'Content-Type: application/json' \\
    -d ${q(JSON.stringify({ grant_type: "client_credentials", ...demo.partner }))}

  TOKEN=${demo.token}
  curl -s ${q(`${base}/api/clientes?page=0&size=20`)} -H "Authorization: Bearer $TOKEN"

  curl -s -X POST ${base}/api/clientes/register -H 'Content-Type: application/json' -H 'Accept: application/json' \\
    -d '{"codigoClienteVLT":70,"correo":"cliente70@gmail.com","enviarWhatsApp":true,"enviarCorreo":true,"enviarSms":true,"tarjeta":"A0C2BBCA","dni":"74658993","tipoDocumento":1,"nombre":"Brandon"}'

  curl -s -X POST ${base}/admin/tenants -H "Authorization: Bearer ${vars.ADMIN_TOKEN}" -H 'Content-Type: application/json' -d '{"name":"Another tenant"}'
`);
}
