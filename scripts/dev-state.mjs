// What `npm run dev` keeps for the local scripts that follow it (`npm run db:seed`, the
// README test): the secrets in .dev.vars, the demo tenant's credentials in
// .wrangler/demo.json and the URL it serves on in .wrangler/dev.json. All are git-ignored
// and relative to the working directory, so a copy of the project keeps its own.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const DEMO_FILE = ".wrangler/demo.json";
export const SERVER_FILE = ".wrangler/dev.json";

/** Reads .dev.vars, first writing one with random ADMIN_TOKEN and JWT_SECRET when there is none. */
export function ensureDevVars() {
  const created = !existsSync(".dev.vars");
  if (created) {
    const secret = () => randomBytes(32).toString("base64url");
    writeFileSync(".dev.vars", `ADMIN_TOKEN=${secret()}\nJWT_SECRET=${secret()}\n`);
  }
  const vars = Object.fromEntries(
    readFileSync(".dev.vars", "utf8")
      .split("\n")
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2].replace(/^"(.*)"$/, "$1")]),
  );
  return { created, vars };
}

export function readState(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

export function writeState(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A JSON client for one ficha: `call(method, path, body, token)` answers `{ status, body }`. */
export function client(base) {
  return async function call(method, path, body, token) {
    const headers = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

/** A partner credential's access token, or null when the credential no longer works. */
export async function requestToken(base, partner) {
  const res = await client(base)("POST", "/oauth/token", { grant_type: "client_credentials", ...partner });
  return res.status === 200 ? res.body.access_token : null;
}
