/**
 * The generated programs as their tools read them: every TypeScript program type-checks with its
 * own tsconfig against the package ("sqsd-worker" mapped to this checkout's component/index.ts,
 * the one thing that differs from an installed package), and every Pulumi YAML program matches
 * the package schema (sdk/schema.json), as test/packaging/schema.test.ts checks the YAML consumer.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { parse } from "yaml";
import { schemaPath } from "../../tools/schema/generate";
import { yamlProgramProblems, type PackageSchema, type YamlProgram } from "../../tools/schema/validate";
import { WORKER_TOKEN } from "../../migrate/write-yaml";
import { CASES, generate, REPO } from "./helpers";

/** Diagnostics of the programs' own files, as "file:line: message". */
function typeErrors(dirs: readonly string[]): string[] {
  const { config } = ts.readConfigFile(path.join(dirs[0] as string, "tsconfig.json"), ts.sys.readFile) as { config: { compilerOptions: object } };
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, dirs[0] as string);
  const program = ts.createProgram(
    dirs.map((d) => path.join(d, "index.ts")),
    { ...options, noEmit: true, types: ["node"], baseUrl: REPO, paths: { "sqsd-worker": [path.join(REPO, "component", "index.ts")] } },
  );
  const own = (f: ts.SourceFile | undefined): boolean => f !== undefined && dirs.some((d) => f.fileName.startsWith(d));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || own(d.file))
    .map((d) => `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("migrate: the generated programs", function () {
  this.timeout(240_000);

  it("every TypeScript program type-checks against the package (its tsconfig, strict)", () => {
    const dirs = CASES.map((c) => generate(c.name, c.tool, c.paths).dir);
    assert.deepEqual(typeErrors(dirs), []);
  });

  it("a wrong argument in a generated program does not type-check (the check sees the component's types)", () => {
    const { dir } = generate(CASES[0]!.name, CASES[0]!.tool, CASES[0]!.paths);
    const file = path.join(dir, "index.ts");
    const text = readFileSync(file, "utf8");
    const broken = text.replace("maxRetries: 8,", 'maxRetries: "8",');
    assert.notEqual(broken, text);
    ts.sys.writeFile(file, broken);
    assert.match(typeErrors([dir]).join("\n"), /index\.ts:\d+: Type 'string' is not assignable to type 'number'/);
  });

  it("every YAML program matches the package schema; the stacks' differing values are typed config", () => {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as PackageSchema;
    // The blog's manifest differs between stacks in shape: refused for YAML (copilot.test.ts).
    for (const c of CASES.filter((x) => x.name !== "copilot-blog")) {
      const { migration } = generate(c.name, c.tool, c.paths, "yaml");
      const program = parse(migration.files.get("Pulumi.yaml") ?? "") as YamlProgram & { runtime: string; config?: Record<string, { type: string }> };
      assert.equal(program.runtime, "yaml");
      const resources = Object.values(program.resources ?? {});
      assert.ok(resources.length > 0 && resources.every((r) => r.type === WORKER_TOKEN), c.name);
      assert.deepEqual(yamlProgramProblems(schema, program), [], c.name);
      for (const key of migration.split.values.keys()) assert.ok(program.config?.[key]?.type, `${c.name}: config ${key} is declared with a type`);
    }
  });

  it("the schema check catches an argument the component does not have", () => {
    const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as PackageSchema;
    const { migration } = generate(CASES[0]!.name, CASES[0]!.tool, CASES[0]!.paths, "yaml");
    const program = parse(migration.files.get("Pulumi.yaml") ?? "") as YamlProgram;
    const worker = Object.values(program.resources ?? {})[0];
    assert.ok(worker?.properties);
    worker.properties.maxRetry = 3;
    assert.deepEqual(yamlProgramProblems(schema, program), ["resources.beanstalk-app: unknown property maxRetry"]);
  });
});
