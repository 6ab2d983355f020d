#!/usr/bin/env node
// `npm run check:openapi`: validates the served /openapi.json against the OpenAPI 3.1
// schema (in Node: the validator compiles schemas at run time, which workerd forbids).
import { Validator } from "@seriousme/openapi-schema-validator";
import { startLocalWorker } from "./local-worker.mjs";

const { mf, base } = await startLocalWorker();
try {
  const document = await (await fetch(`${base}/openapi.json`)).json();
  const result = await new Validator().validate(document);
  const operations = Object.values(document.paths).flatMap((p) => Object.keys(p)).length;
  if (document.openapi !== "3.1.0" || !result.valid) {
    console.error(`openapi.json is not valid OpenAPI 3.1 (${document.openapi}):`, JSON.stringify(result.errors, null, 2));
    process.exitCode = 1;
  } else {
    console.log(`openapi.json: valid OpenAPI ${document.openapi}, ${operations} operations`);
  }
} finally {
  await mf.dispose();
}
