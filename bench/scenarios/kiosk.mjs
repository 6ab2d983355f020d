// Kiosk surface (seed 000): registering a new client with a new card (lock + one read batch +
// one write batch), a repeated tap of a registered card (answered from the card's lock, no
// D1), and lobby card authentication (secret + card in one query).
//
// The per-IP limit (60/min) and the per-credential lobby limit (120/min) would otherwise
// measure 429s: requests rotate over 256 client IPs (15,360 requests/min) and over 100
// kiosk credentials, few enough that their limiter objects stay warm. The floors tap their own
// cards from their own 256 addresses, so they never spend the routes' allowance.
import { createHash } from "node:crypto";

export default async function (ctx) {
  const ip = (i, net = 77) => ({ "cf-connecting-ip": `10.${net}.0.${i & 255}` });
  const registration = (n, tarjeta) => ({
    codigoClienteVLT: 1_000_000 + n,
    correo: `bench${n}@example.com`,
    enviarWhatsApp: true,
    enviarCorreo: true,
    enviarSms: false,
    tarjeta,
    tipoDocumento: 1,
    dni: String(10_000_000 + n),
    nombre: "Bench",
    apellidoPaterno: "Mark",
  });
  await ctx.call("POST", "/api/clientes/register", { headers: ip(0), body: registration(0, "BENCHDUP") });
  const secrets = [];
  for (let k = 0; k < 100; k++) {
    secrets.push((await ctx.admin("POST", `/admin/tenants/${ctx.tenant.id}/credentials`, { kind: "kiosk" })).client_secret);
  }
  const hashes = secrets.map((secret) => createHash("sha256").update(secret).digest("hex"));
  const floor = `/__floor/register?t=${ctx.tenant.id}`;
  return [
    {
      name: "POST /api/clientes/register (new card)",
      request: (i) => ({ method: "POST", path: "/api/clientes/register", headers: ip(i), body: registration(i + 1, `BN${i}`) }),
      floor: (i) => ({ method: "POST", path: floor, headers: ip(i, 78), body: registration(i + 1, `FN${i}`) }),
    },
    {
      name: "POST /api/clientes/register (duplicate)",
      request: (i) => ({ method: "POST", path: "/api/clientes/register", headers: ip(i), body: registration(0, "BENCHDUP") }),
      floor: (i) => ({ method: "POST", path: floor, headers: ip(i, 78), body: registration(0, "BENCHDUP") }),
    },
    {
      name: "POST /api/lobby/authenticate",
      request: (i) => ({
        method: "POST",
        path: "/api/lobby/authenticate",
        headers: { "x-client-secret": secrets[i % secrets.length] },
        body: { cardIdentifier: "BENCHDUP" },
      }),
      floor: (i) => ({
        method: "POST",
        path: "/__floor/lobby",
        headers: { "x-secret-sha256": hashes[i % hashes.length] },
        body: { cardIdentifier: "BENCHDUP" },
      }),
    },
  ];
}
