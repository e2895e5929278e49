import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { generateSchemaText, repoRoot, schemaPath, workerEnvironmentToken } from "../../tools/schema/generate";
import { schemaProblems, yamlProgramProblems, type PackageSchema, type YamlProgram } from "../../tools/schema/validate";

const readSnapshot = (): PackageSchema => JSON.parse(fs.readFileSync(schemaPath, "utf8")) as PackageSchema;

describe("packaging: the multi-language schema (sdk/schema.json)", function () {
  this.timeout(240000);

  it("is up to date with the TypeScript source (else run `npm run schema`)", async () => {
    const generated = await generateSchemaText();
    assert.ok(generated === fs.readFileSync(schemaPath, "utf8"), "sdk/schema.json is stale: run `npm run schema` and commit it");
  });

  it("publishes WorkerEnvironment as sqsd-worker:index:WorkerEnvironment, a component requiring app", () => {
    const schema = readSnapshot();
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { name: string };
    assert.equal(schema.name, pkg.name);
    const resource = schema.resources?.[workerEnvironmentToken];
    assert.ok(resource, `no ${workerEnvironmentToken}`);
    assert.equal(resource.isComponent, true);
    assert.deepEqual(resource.requiredInputs, ["app"]);
    for (const out of ["queueUrl", "queueArn", "dlqUrl", "serviceName", "clusterArn", "taskRoleArn"]) assert.ok(resource.properties?.[out], `output ${out}`);
    assert.match(fs.readFileSync(path.join(repoRoot, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
  });

  it("is a valid package schema: every #/types reference resolves, every property has a description", () => {
    assert.deepEqual(schemaProblems(readSnapshot()), []);
  });

  it("the validator catches a dangling reference and a missing description", () => {
    const schema = readSnapshot();
    const broken = structuredClone(schema);
    const inputs = broken.resources?.[workerEnvironmentToken]?.inputProperties;
    assert.ok(inputs?.app && inputs.queue);
    inputs.app.$ref = "#/types/sqsd-worker:index:Nope";
    delete inputs.queue.description;
    const problems = schemaProblems(broken);
    assert.ok(problems.some((p) => p.includes("unresolved reference #/types/sqsd-worker:index:Nope")), problems.join("\n"));
    assert.ok(problems.some((p) => p.includes(".queue: no description")), problems.join("\n"));
  });

  it("programs/consumers/yaml/Pulumi.yaml matches the schema (type token, property names and kinds)", () => {
    const program = parse(fs.readFileSync(path.join(repoRoot, "programs/consumers/yaml/Pulumi.yaml"), "utf8")) as YamlProgram;
    assert.equal(program.resources?.worker?.type, workerEnvironmentToken);
    assert.deepEqual(yamlProgramProblems(readSnapshot(), program), []);
    const bad: YamlProgram = { resources: { w: { type: workerEnvironmentToken, properties: { queue: { fifo: "yes", visiblity: 1 } } } } };
    assert.deepEqual(yamlProgramProblems(readSnapshot(), bad), [
      "resources.w: missing required app",
      "resources.w.queue.fifo: expected a boolean",
      "resources.w.queue: unknown property visiblity",
    ]);
  });
});
