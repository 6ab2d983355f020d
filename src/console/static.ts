import uplotJs from "uplot/dist/uPlot.iife.min.js";
import uplotCss from "uplot/dist/uPlot.min.css";
import consoleCss from "./browser/console.css";
import consoleJs from "./browser/console.js";

/**
 * The console's static files, served by the Worker itself (no CDN: the console works
 * with no internet access, like /docs). They are bundled into the Worker as text modules
 * (wrangler.toml `[[rules]]`): the chart library straight from its npm package (uPlot),
 * and the console's own script and stylesheet from src/console/browser/. Each URL carries
 * a hash of the file's text, so browsers may keep it for a year and still get a new
 * version the moment it changes.
 */

const files: Record<string, { body: string; type: string }> = {
  "console.js": { body: consoleJs, type: "text/javascript; charset=utf-8" },
  "console.css": { body: consoleCss, type: "text/css; charset=utf-8" },
  "uPlot.iife.min.js": { body: uplotJs, type: "text/javascript; charset=utf-8" },
  "uPlot.min.css": { body: uplotCss, type: "text/css; charset=utf-8" },
};

/** FNV-1a (32 bits) of a text: a version stamp, not a security measure. */
function stamp(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

const version = stamp(
  Object.values(files)
    .map((f) => f.body)
    .join("\n"),
);

/** The URL of a static file of the console. */
export function assetPath(name: keyof typeof files & string): string {
  return `/console/static/${version}/${name}`;
}

/** The static file `name` of this version, or null (an old version's URL, an unknown file). */
export function staticFile(requestedVersion: string, name: string): { body: string; type: string } | null {
  return requestedVersion === version && Object.hasOwn(files, name) ? files[name]! : null;
}
