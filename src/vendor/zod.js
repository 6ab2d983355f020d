// wrangler.toml's [alias] serves this for "zod" in the Worker's bundle: zod's own entry
// (node_modules/zod/index.js and v4/classic/external.js) less its `locales` namespace.
// The `z` namespace object keeps every export it names alive, and `locales` holds 40-odd
// error-message translations (364 KiB raw) ficha never uses: English is zod's default,
// registered by schemas.js itself. Keep the list in step with external.js on upgrades.
import * as z from "./zod-external.js";

export * from "./zod-external.js";
export { z, z as default };
