#!/usr/bin/env node
// `npm run db:seed`: fills the demo tenant of a running `npm run dev` with sample data, so
// /docs and the reports have something to show: players registered at the kiosk (with
// their RFID cards), field-service clients, parking customers with vehicle tags, sales
// clients with their sales, and 30 days of loyalty transactions in two stores (coupons,
// orders with products, redemptions) behind /api/report/dailySummary/*.
//
// Everything goes through the public APIs, keyed by natural ids (VLT codes, client codes,
// refIds, documents, transaction codes), so a second run adds nothing. The ledger only
// records "now"; to spread the transactions over the month, their timestamps are then set
// in the local D1 (`wrangler d1 execute --local`, a local-only step) and the report
// counters rebuilt from the ledger by the operator API. Options: --port N (default: the
// port `npm run dev` serves on).
import { spawnSync } from "node:child_process";
import { client, DEMO_FILE, ensureDevVars, readState, requestToken, SERVER_FILE } from "./dev-state.mjs";

const DAYS = 30;
const DAY_MS = 86_400_000;

const args = process.argv.slice(2);
const portArg = args.findIndex((a) => a === "--port" || a.startsWith("--port="));
const port = portArg < 0 ? null : args[portArg].includes("=") ? args[portArg].split("=")[1] : args[portArg + 1];
const base = port ? `http://localhost:${port}` : (readState(SERVER_FILE)?.url ?? "http://localhost:8787");
const call = client(base);
const { vars } = ensureDevVars();

const demo = readState(DEMO_FILE);
const token = demo && (await requestToken(base, demo.partner).catch(() => null));
if (!token) {
  console.error(`No demo tenant answers on ${base}: start \`npm run dev\` first (it provisions the demo tenant), then run \`npm run db:seed\` again.`);
  process.exit(1);
}
const tenantId = demo.tenantId;

/** Sends one write; `ok` lists the statuses that mean done, including "an earlier run already made it". */
async function write(method, path, body, ok, auth = token) {
  const res = await call(method, path, body, auth);
  if (!ok.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

// Kiosk registrations land in the VLT destination: the demo tenant, as `npm run dev` sets it.
await write("PUT", "/admin/settings/vlt-destination", { tenantId }, [200], vars.ADMIN_TOKEN);

const players = [
  ["Carlos", "Quispe", "70001122"],
  ["Lucía", "Mamani", "70112233"],
  ["Jorge", "Huamán", "71223344"],
  ["María", "Flores", "72334455"],
  ["Rosa", "Chávez", "73445566"],
  ["Pedro", "Rojas", "74556677"],
];
for (const [i, [nombre, apellidoPaterno, dni]] of players.entries()) {
  const registration = {
    codigoClienteVLT: 7001 + i,
    correo: `${nombre.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()}@example.com`,
    enviarWhatsApp: true,
    enviarCorreo: i % 2 === 0,
    enviarSms: false,
    tarjeta: `DEMO${String(i + 1).padStart(4, "0")}`,
    tipoDocumento: 1,
    dni,
    nombre,
    apellidoPaterno,
  };
  // 201 new; 200 "registro duplicado" on a second run.
  await write("POST", "/api/clientes/register", registration, [201, 200], null);
}

const companies = [
  ["Empresa Telecom SAC", "20512345678", "DEMO-C01"],
  ["Servicios Andinos EIRL", "20687654321", "DEMO-C02"],
  ["Clínica San Borja", "20456789012", "DEMO-C03"],
];
for (const [nombre, numeroDocumento, codigoCliente] of companies) {
  const body = { nombre, tipoCliente: "EMPRESA", tipoDocumento: "RUC", numeroDocumento, codigoCliente, direccion: "Av. Principal 123, Lima" };
  await write("POST", "/api/clientes", body, [201, 409]);
}

const drivers = [
  ["Ana", "Torres", "DEMO-P01", [["DEMOTAG01", "ABC123"]]],
  ["Luis", "Vega", "DEMO-P02", [["DEMOTAG02", "XYZ987"]]],
  ["Carla", "Paz", "DEMO-P03", [["DEMOTAG03", "JPK210"]]],
];
for (const [name, lastname, refId, tags] of drivers) {
  const body = {
    email: `${refId.toLowerCase()}@example.com`,
    phone: "999888777",
    name,
    lastname,
    isUnlimited: false,
    refId,
    tags: tags.map(([code, plate]) => ({ code, plate })),
  };
  await write("POST", "/api/v3/business/customer/add", body, [201, 409]);
}

const buyers = [
  ["Juan Pérez", "1234567890", [["Torre 2 - 704", 35_000_000_000, "venta"]]],
  ["Constructora Lima SA", "900123456", [["Torre 1 - 101", 2_000_000_000, "separacion"]]],
];
for (const [nombre, documento, sales] of buyers) {
  const created = await write(
    "POST",
    "/api/sales/clientes",
    { nombre, documento, id_tipo_cliente: 1, id_tipo_documento: 1, telefono: "300 123 4567" },
    [201, 422],
  );
  // Sales have no natural key: they are recorded with the client, once.
  if (created.status !== 201) continue;
  for (const [apartamento, monto, tipo] of sales) {
    await write("POST", "/api/sales/ventas", { documento, apartamento, monto, tipo, fecha: localDay(-3) }, [201]);
  }
}

// 30 days of loyalty activity, oldest first (each customer's history is numbered in posting order).
const stores = [
  { externalId: "1200037894", name: "Centro" },
  { externalId: "1200037895", name: "Miraflores" },
];
const products = [
  { name: "Twister", externalId: "39535" },
  { name: "Combo Familiar", externalId: "3109" },
];
const postedAt = new Map();
for (let day = DAYS - 1; day >= 0; day--) {
  for (const [i, [name, , dni]] of players.entries()) {
    if ((day + i) % 3 !== 0) continue;
    const customer = { externalId: dni, name, data: {} };
    const store = stores[(day + i) % 2];
    const code = `demo-${day}-${i}`;
    if (i % 2 === 0) {
      const product = products[day % 2];
      const detail = { ...product, total: 25 + day, earnedRedeemed: 10 + i };
      await write(
        "POST",
        "/api/transaction/checkbook",
        { type: "POINTS ORDER", customer, code, externalId: code, total: 25 + day, earnedRedeemed: 10 + i, store, title: "Compra", detail },
        [200],
      );
    } else {
      await write("POST", "/api/transaction", { type: "POINTS COUPON", code, description: "Cupón de bienvenida", total: 20, customer, store }, [200]);
    }
    postedAt.set(code, dayStart(day) + (10 + i) * 3_600_000);
    if (day % 7 === 0 && i % 2 === 0) {
      const redeem = `demo-${day}-${i}-redeem`;
      await write("POST", "/api/transaction", { type: "POINTS REDEEM", code: redeem, description: "Canje", total: 5, customer, store }, [200]);
      postedAt.set(redeem, dayStart(day) + (18 + i) * 3_600_000);
    }
  }
}

// Postings are idempotent by (type, code): a second run was answered with the originals.
// The timestamps below are absolute, and the rebuild recomputes, so repeating them changes nothing.
const cases = [...postedAt].map(([code, at]) => `WHEN '${code}' THEN ${at}`).join(" ");
const codes = [...postedAt.keys()].map((code) => `'${code}'`).join(", ");
const backdate = [
  `UPDATE ledger_transactions SET created_at = CASE code ${cases} END WHERE tenant_id = ${tenantId} AND code IN (${codes});`,
  `UPDATE ledger_lots SET created_at = (SELECT t.created_at FROM ledger_transactions t WHERE t.id = ledger_lots.transaction_id) WHERE tenant_id = ${tenantId};`,
].join(" ");
const d1 = spawnSync("wrangler", ["d1", "execute", "DB", "--local", "--command", backdate], { encoding: "utf8", shell: process.platform === "win32" });
if (d1.status !== 0) throw new Error(`wrangler d1 execute: ${d1.stdout}\n${d1.stderr}`);
const rebuilt = await write("POST", `/admin/tenants/${tenantId}/reports/rebuild`, undefined, [200], vars.ADMIN_TOKEN);

console.log(`Demo tenant ${tenantId} on ${base}:
  ${players.length} kiosk players with cards, ${companies.length} field-service clients, ${drivers.length} parking customers with tags, ${buyers.length} sales clients;
  ${rebuilt.body.transactions} loyalty transactions over ${DAYS} days in ${stores.length} stores (report rows: ${rebuilt.body.storeRows} per store and day, ${rebuilt.body.productRows} per product and day).
Try: the reports in ${base}/docs (Loyalty: reportes) with startDate=${localDay(-(DAYS - 1))} and endDate=${localDay(0)}.`);

/** Midnight of `daysAgo` days before today, in the demo tenant's zone (America/Lima, UTC-5 all year). */
function dayStart(daysAgo) {
  return Date.parse(`${localDay(-daysAgo)}T00:00:00-05:00`);
}

/** `YYYY-MM-DD` in Lima, `offset` days from today. */
function localDay(offset) {
  return new Date(Date.now() - 5 * 3_600_000 + offset * DAY_MS).toISOString().slice(0, 10);
}
