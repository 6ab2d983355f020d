import { version as uplotVersion } from "uplot/package.json";
import consoleCss from "./browser/console.css";
import consoleJs from "./browser/console.js";

/**
 * The console's static files, served by the Worker itself (no CDN: the console works
 * with no internet access, like /docs). The console's own script and stylesheet
 * (src/console/browser/) are bundled into the Worker as text modules (wrangler.toml
 * `[[rules]]`). uPlot's two files, 22 KiB gzip, come from the Worker's static assets
 * instead (public/, links into the installed package), outside the bundle's size budget
 * (README "Bundle:"). Each URL carries a version stamp of what is served, so browsers may
 * keep a file for a year and still get a new version the moment it changes.
 */

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

const bundled = {
  "console.js": { body: consoleJs, type: JS },
  "console.css": { body: consoleCss, type: CSS },
} satisfies Record<string, { body: string; type: string }>;

/** The content type of each of uPlot's files in the static assets. */
const assetTypes = {
  "uPlot.iife.min.js": JS,
  "uPlot.min.css": CSS,
} satisfies Record<string, string>;

type ConsoleFile = keyof typeof bundled | keyof typeof assetTypes;

/** FNV-1a (32 bits) of a text: a version stamp, not a security measure. */
function stamp(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

// uPlot's files change only with its installed version, which the stamp covers in their place.
const version = stamp([consoleJs, consoleCss, `uplot@${uplotVersion}`].join("\n"));

/** The URL of a static file of the console. */
export function assetPath(name: ConsoleFile): string {
  return `/console/static/${version}/${name}`;
}

/**
 * The static file `name` of this version, or null (an old version's URL, an unknown file).
 * uPlot's are fetched from `assets` (the ASSETS binding) at `requestUrl`'s origin, as /docs's are.
 */
export async function staticFile(
  requestedVersion: string,
  name: string,
  assets: Fetcher,
  requestUrl: string,
): Promise<{ body: string | ReadableStream; type: string } | null> {
  if (requestedVersion !== version) return null;
  if (Object.hasOwn(bundled, name)) return bundled[name as keyof typeof bundled];
  if (!Object.hasOwn(assetTypes, name)) return null;
  const asset = await assets.fetch(new URL(`/${name}`, requestUrl));
  // A missing asset is a broken deployment, never a file to cache for a year.
  if (!asset.ok || !asset.body) throw new Error(`static asset ${name}: ${asset.status}`);
  return { body: asset.body, type: assetTypes[name as keyof typeof assetTypes] };
}
