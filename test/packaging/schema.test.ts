import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { generateSchemaText, packageName, providerDir, repoRoot, schemaPath, workerEnvironmentToken } from "../../tools/schema/generate";
import { schemaProblems, yamlProgramProblems, type PackageSchema, type YamlProgram } from "../../tools/schema/validate";

const readSnapshot = (): PackageSchema => JSON.parse(fs.readFileSync(schemaPath, "utf8")) as PackageSchema;

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  main?: string;
}
const readPackageJson = (dir: string): PackageJson => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;

/** Problems of the plugin folder against the root package (name, version, description, entry). */
function pluginPackageProblems(plugin: PackageJson, root: PackageJson): string[] {
  const problems: string[] = [];
  if (plugin.name !== packageName) problems.push(`provider/package.json name is ${plugin.name}, not ${packageName} (the Pulumi package name)`);
  if (plugin.version !== root.version) problems.push(`provider/package.json version ${plugin.version} differs from package.json's ${root.version}`);
  if (plugin.description !== root.description) problems.push("provider/package.json description differs from package.json's (it is the schema's and the SDKs' description)");
  if (plugin.main !== "index.ts") problems.push(`provider/package.json main is ${String(plugin.main)}, not index.ts (run from source, no build)`);
  return problems;
}

describe("packaging: the multi-language schema (sdk/schema.json)", function () {
  this.timeout(240000);

  it("is up to date with the TypeScript source (else run `npm run schema`)", async () => {
    const generated = await generateSchemaText();
    assert.ok(generated === fs.readFileSync(schemaPath, "utf8"), "sdk/schema.json is stale: run `npm run schema` and commit it");
  });

  it("publishes WorkerEnvironment as sqsd-worker:index:WorkerEnvironment, a component requiring app", () => {
    const schema = readSnapshot();
    assert.equal(schema.name, packageName);
    assert.equal(schema.version, readPackageJson(repoRoot).version);
    const resource = schema.resources?.[workerEnvironmentToken];
    assert.ok(resource, `no ${workerEnvironmentToken}`);
    assert.equal(resource.isComponent, true);
    assert.deepEqual(resource.requiredInputs, ["app"]);
    for (const out of ["queueUrl", "queueArn", "dlqUrl", "serviceName", "clusterArn", "taskRoleArn"]) assert.ok(resource.properties?.[out], `output ${out}`);
  });

  it("the plugin lives in provider/: PulumiPlugin.yaml, an entry exporting WorkerEnvironment, the root's name and version", () => {
    assert.match(fs.readFileSync(path.join(providerDir, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
    // The pulumi CLI refuses a folder holding both; the root holds the blog worker's Pulumi.yaml.
    assert.ok(fs.existsSync(path.join(repoRoot, "Pulumi.yaml")));
    assert.ok(!fs.existsSync(path.join(repoRoot, "PulumiPlugin.yaml")), "PulumiPlugin.yaml belongs in provider/, not next to Pulumi.yaml");
    const plugin = readPackageJson(providerDir);
    assert.deepEqual(pluginPackageProblems(plugin, readPackageJson(repoRoot)), []);
    assert.match(fs.readFileSync(path.join(providerDir, plugin.main ?? "index.ts"), "utf8"), /export \{ WorkerEnvironment \} from "\.\.\/component\/worker-environment"/);
    // The analyzer reads provider/tsconfig.json; its program must hold the entry.
    assert.ok(fs.existsSync(path.join(providerDir, "tsconfig.json")));
    const root = readPackageJson(repoRoot) as PackageJson & { workspaces?: string[] };
    assert.ok(root.workspaces?.includes("provider"), "provider/ is a workspace of the root package (npm install there installs the root's dependencies)");
  });

  it("the plugin-package check catches a version, name or entry that drifted", () => {
    const root = readPackageJson(repoRoot);
    const good: PackageJson = { name: packageName, version: root.version, description: root.description, main: "index.ts" };
    assert.deepEqual(pluginPackageProblems(good, root), []);
    assert.deepEqual(pluginPackageProblems({ ...good, version: "9.9.9" }, root), [`provider/package.json version 9.9.9 differs from package.json's ${root.version}`]);
    assert.deepEqual(pluginPackageProblems({ ...good, name: "@x/sqsd-worker", main: "dist/index.js" }, root), [
      "provider/package.json name is @x/sqsd-worker, not sqsd-worker (the Pulumi package name)",
      "provider/package.json main is dist/index.js, not index.ts (run from source, no build)",
    ]);
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

  it("no type name ends in Args (Pulumi's SDK generators append Args: no AppContainerArgsArgs)", () => {
    const schema = readSnapshot();
    const tokens = Object.keys(schema.types ?? {});
    assert.ok(tokens.length > 0);
    assert.deepEqual(tokens.filter((t) => t.endsWith("Args")), []);
    const broken = structuredClone(schema);
    const types = broken.types ?? {};
    const app = types[`${packageName}:index:AppContainer`];
    assert.ok(app, "no AppContainer type");
    types[`${packageName}:index:AppContainerArgs`] = app;
    assert.ok(
      schemaProblems(broken).includes(`type ${packageName}:index:AppContainerArgs: name ends in Args (the SDKs would call it AppContainerArgsArgs)`),
      schemaProblems(broken).join("\n"),
    );
  });

  it("programs/consumers/yaml/Pulumi.yaml matches the schema (type token, property names and kinds)", () => {
    const yamlDir = path.join(repoRoot, "programs/consumers/yaml");
    const program = parse(fs.readFileSync(path.join(yamlDir, "Pulumi.yaml"), "utf8")) as YamlProgram & { packages?: Record<string, string> };
    assert.equal(program.resources?.worker?.type, workerEnvironmentToken);
    const source = program.packages?.[packageName];
    assert.ok(source && path.resolve(yamlDir, source) === providerDir, `packages.${packageName} is ${String(source)}, not the plugin folder provider/`);
    assert.deepEqual(yamlProgramProblems(readSnapshot(), program), []);
    const bad: YamlProgram = { resources: { w: { type: workerEnvironmentToken, properties: { queue: { fifo: "yes", visiblity: 1 } } } } };
    assert.deepEqual(yamlProgramProblems(readSnapshot(), bad), [
      "resources.w: missing required app",
      "resources.w.queue.fifo: expected a boolean",
      "resources.w.queue: unknown property visiblity",
    ]);
  });
});
