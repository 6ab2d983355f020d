// Kiosk surface (seed 000): registering a new client with a new card (lock + one read batch +
// one write batch), a repeated tap of a registered card (answered from the card's lock, no
// D1), and lobby card authentication (secret + card in one query).
//
// The per-IP limit (60/min) and the per-credential lobby limit (120/min) would otherwise
// measure 429s: requests rotate over 256 client IPs (15,360 requests/min) and over 100
// kiosk credentials, few enough that their limiter objects stay warm.
export default async function (ctx) {
  const ip = (i) => ({ "cf-connecting-ip": `10.77.0.${i & 255}` });
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
  return [
    {
      name: "POST /api/clientes/register (new card)",
      request: (i) => ({ method: "POST", path: "/api/clientes/register", headers: ip(i), body: registration(i + 1, `BN${i}`) }),
    },
    {
      name: "POST /api/clientes/register (duplicate)",
      request: (i) => ({ method: "POST", path: "/api/clientes/register", headers: ip(i), body: registration(0, "BENCHDUP") }),
    },
    {
      name: "POST /api/lobby/authenticate",
      request: (i) => ({
        method: "POST",
        path: "/api/lobby/authenticate",
        headers: { "x-client-secret": secrets[i % secrets.length] },
        body: { cardIdentifier: "BENCHDUP" },
      }),
    },
  ];
}
