// What `npm run dev` keeps for the local scripts that follow it (`npm run db:seed`, the
// README test): the secrets in .dev.vars, the demo tenant's credentials in
// .wrangler/demo.json and the URL it serves on in .wrangler/dev.json. All are git-ignored
// and relative to the working directory, so a copy of the project keeps its own.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const DEMO_FILE = ".wrangler/demo.json";
export const SERVER_FILE = ".wrangler/dev.json";

/** The secrets `npm run dev` generates into .dev.vars (random, per machine). */
const DEV_SECRETS = ["ADMIN_TOKEN", "JWT_SECRET", "WEBHOOK_SECRET_KEY"];

/** Creates .dev.vars with random secrets, or adds those it lacks; answers what it holds. */
export function ensureDevVars() {
  const secret = () => randomBytes(32).toString("base64url");
  const created = !existsSync(".dev.vars");
  const text = created ? "" : readFileSync(".dev.vars", "utf8");
  // A .dev.vars from before a secret existed (WEBHOOK_SECRET_KEY came with webhooks) gets the missing ones.
  const added = DEV_SECRETS.filter((name) => !new RegExp(`^${name}=`, "m").test(text));
  if (added.length > 0) writeFileSync(".dev.vars", `${text.replace(/\n?$/, text ? "\n" : "")}${added.map((name) => `${name}=${secret()}\n`).join("")}`);
  const vars = Object.fromEntries(
    readFileSync(".dev.vars", "utf8")
      .split("\n")
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2].replace(/^"(.*)"$/, "$1")]),
  );
  return { created, added, vars };
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
