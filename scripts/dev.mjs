#!/usr/bin/env node
// `npm run dev`: a working local ficha in one command. Creates .dev.vars with random
// secrets if missing, applies local D1 migrations, starts `wrangler dev`, then
// (idempotently) provisions a demo tenant with a partner and a kiosk credential, makes it
// the VLT destination and prints ready-to-paste curl lines. Extra args go to wrangler.
import { spawn } from "node:child_process";
import { client, DEMO_FILE, ensureDevVars, readState, requestToken, SERVER_FILE, writeState } from "./dev-state.mjs";

process.env.WRANGLER_SEND_METRICS = "false";
const args = process.argv.slice(2);
const portArg = args.findIndex((a) => a === "--port" || a.startsWith("--port="));
const port = portArg < 0 ? "8787" : args[portArg].includes("=") ? args[portArg].split("=")[1] : args[portArg + 1];
const base = `http://localhost:${port}`;
const shell = process.platform === "win32";

/** Where to look first, printed once ficha serves; one line each, so more pages can be listed here as they come. */
const links = [
  ["API reference", "/docs"],
  ["OpenAPI document", "/openapi.json"],
  ["Operator console", "/console  (sign in with the admin token below)"],
];

const { created, added, vars } = ensureDevVars();
if (added.length > 0) console.log(`${created ? "Created .dev.vars with" : "Added to .dev.vars:"} random ${added.join(", ")}.`);

const [applied, online] = await Promise.all([applyMigrations(), reachesCloudflare()]);
console.log(applied.length === 0 ? "D1 (local): migrations up to date." : `D1 (local): applied ${applied.length} migration(s): ${applied.join(", ")}.`);
if (!online) {
  // Miniflare would try to download the Request.cf sample and warn, with a stack trace, once per start.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  console.log("Offline: wrangler cannot download its request.cf sample (its two warnings are silenced), so request.cf is a placeholder: harmless locally.");
}

const wrangler = spawn("wrangler", ["dev", ...(portArg < 0 ? ["--port", port] : []), ...args], { stdio: "inherit", shell });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));

try {
  await waitForHealth();
  writeState(SERVER_FILE, { url: base });
  printWelcome(await ensureDemoTenant());
} catch (err) {
  // Keep serving: the API is up even if the demo could not be provisioned.
  console.error(`\nCould not provision the demo tenant: ${err.message}\n`);
}

/**
 * Applies the local D1 migrations and returns the names of those it applied. wrangler
 * redraws its migration table after each one, so its output is shown only on failure.
 */
function applyMigrations() {
  return new Promise((resolve) => {
    const child = spawn("wrangler", ["d1", "migrations", "apply", "DB", "--local"], { stdio: ["ignore", "pipe", "pipe"], shell });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      if (code !== 0) {
        console.error(output);
        process.exit(code ?? 1);
      }
      const pending = output.split("About to apply")[0].split("Migrations to be applied")[1] ?? "";
      resolve([...new Set(pending.match(/\d{4}_[\w-]+(?=\.sql)/g) ?? [])]);
    });
  });
}

/** Whether the Request.cf sample Miniflare downloads can be had (false offline). */
async function reachesCloudflare() {
  try {
    return (await fetch("https://workers.cloudflare.com/cf.json", { method: "HEAD", signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
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

async function admin(method, path, body) {
  const res = await client(base)(method, path, body, vars.ADMIN_TOKEN);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Reuses the demo tenant saved in .wrangler/demo.json while its credentials still work; otherwise makes a new one. */
async function ensureDemoTenant() {
  const saved = readState(DEMO_FILE);
  const token = saved && (await requestToken(base, saved.partner));
  if (token) {
    await admin("PUT", "/admin/settings/vlt-destination", { tenantId: saved.tenantId });
    return { ...saved, token };
  }
  const tenant = await admin("POST", "/admin/tenants", { name: "Demo tenant", timezone: "America/Lima" });
  const partner = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "partner", name: "demo partner" });
  const kiosk = await admin("POST", `/admin/tenants/${tenant.id}/credentials`, { kind: "kiosk", name: "demo kiosk" });
  await admin("PUT", "/admin/settings/vlt-destination", { tenantId: tenant.id });
  const demo = { tenantId: tenant.id, partner: { client_id: partner.client_id, client_secret: partner.client_secret }, kioskSecret: kiosk.client_secret };
  writeState(DEMO_FILE, demo);
  return { ...demo, token: await requestToken(base, demo.partner) };
}

function printWelcome(demo) {
  const q = (s) => `'${s}'`;
  const width = Math.max(...links.map(([name]) => name.length));
  console.log(`
ficha is running on ${base}
${links.map(([name, path]) => `  ${name.padEnd(width)}  ${base}${path}`).join("\n")}

Demo tenant ${demo.tenantId} (also the VLT destination for kiosk registrations; sample data: npm run db:seed)
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
`);
}
