import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sandboxReady } from "./sandbox";

/**
 * /openapi.json as partners' tools read it: openapi-typescript generates the `paths` type
 * from the served document, the TypeScript compiler checks test/node/client/program.ts
 * (one operation per surface through openapi-fetch) against it, and the program then runs
 * against the sandbox's `npm run dev`.
 */

const program = resolve(import.meta.dirname, "client/program.ts");

describe("a client generated from /openapi.json", () => {
  const sandbox = inject("sandbox");
  beforeAll(() => sandboxReady(sandbox));

  it("type-checks a program calling one operation per surface, which then runs against the Worker", async () => {
    const document = (await (await fetch(`${sandbox.base}/openapi.json`)).json()) as OpenAPI3;
    // In the sandbox, which the global teardown removes.
    const generated = join(sandbox.dir, "ficha-openapi.d.ts");
    writeFileSync(generated, astToString(await openapiTS(document)));

    const checked = ts.createProgram([program], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
      paths: { "ficha-openapi": [generated] },
    });
    const problems = ts
      .getPreEmitDiagnostics(checked)
      .map(
        (d) =>
          `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
      );
    expect(problems).toEqual([]);

    const adminToken = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(join(sandbox.dir, ".dev.vars"), "utf8"))?.[1] ?? "";
    // By path: the project's type-check leaves the program to this test (its `paths` type exists only here).
    const { run } = await import(program);
    expect(await run(sandbox.base, adminToken)).toEqual({
      health: "ok",
      tenant: "Generated client",
      balance: "100.00",
      refusal: { status: 422, code: 422, field: { code: "null", field: "total", value: "The customer's balance does not cover this amount." } },
      client: "CLI042",
      parkingTags: [true],
      salesDocument: "1234567890",
      registration: "cliente nuevo",
    });
  });
});
