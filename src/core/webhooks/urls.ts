import { UnsafeUrl } from "../errors";

/**
 * Which URLs ficha will POST events to (SSRF rules): `https://` to a public host, with
 * no credentials in it. A host given as an IP literal must be a public address (not
 * private, loopback, link-local, carrier-grade NAT, multicast, reserved or an IPv4
 * address inside IPv6); local names (`localhost`, `*.localhost`, `*.local`,
 * `*.internal`) are refused. The WHATWG parser has normalised the host before it is
 * checked, so `http://2130706433/` or `http://0x7f.1/` are seen as 127.0.0.1.
 *
 * With `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK=on, development and tests only),
 * `http://127.0.0.1:<port>` and `http://localhost:<port>` are admitted too.
 *
 * A name that resolves to a private address is not caught here (the Worker does not
 * resolve names); Workers' `fetch` cannot reach private networks, and deliveries never
 * follow redirects, so a public name cannot bounce a delivery elsewhere either.
 */
export function checkEndpointUrl(input: string, options: { allowLoopback: boolean }): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UnsafeUrl("malformed");
  }
  if (url.username !== "" || url.password !== "") throw new UnsafeUrl("credentials");
  const host = url.hostname.toLowerCase();
  if (options.allowLoopback && url.protocol === "http:" && url.port !== "" && (host === "127.0.0.1" || host === "localhost")) return url.href;
  if (url.protocol !== "https:") throw new UnsafeUrl("scheme");
  if (host === "localhost" || /\.(localhost|local|internal)\.?$/.test(host)) throw new UnsafeUrl("local_host");
  const v4 = ipv4(host);
  if (v4 && !publicIpv4(v4)) throw new UnsafeUrl("private_address");
  if (host.startsWith("[") && !publicIpv6(host.slice(1, -1))) throw new UnsafeUrl("private_address");
  return url.href;
}

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** False for 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.168/16, 198.18/15, 224/4 and 240/4. */
function publicIpv4([a = 0, b = 0]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b < 128) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b < 32) return false;
  if (a === 192 && (b === 168 || b === 0)) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  return true;
}

/** False for ::, ::1, IPv4-mapped, -compatible and NAT64 (64:ff9b::/96) addresses, fc00::/7 (unique local), fe80::/10 (link-local) and ff00::/8 (multicast). */
function publicIpv6(address: string): boolean {
  const groups = expandIpv6(address);
  if (!groups) return false;
  const [first] = groups;
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0 || groups[5] === 0xffff)) return false;
  if (first === 0x64 && groups[1] === 0xff9b) return false;
  if ((first! & 0xfe00) === 0xfc00 || (first! & 0xffc0) === 0xfe80 || (first! & 0xff00) === 0xff00) return false;
  return true;
}

/** The eight 16-bit groups of a normalised IPv6 literal (the URL parser writes embedded IPv4 as hex groups). */
function expandIpv6(address: string): number[] | null {
  const [head = "", tail] = address.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
