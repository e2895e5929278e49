/**
 * Generates the Pulumi package schema of sqsd-worker from the TypeScript source, the way
 * Pulumi's Node.js component host does it for the plugin in provider/
 * (`ComponentProvider.getSchema()` from `@pulumi/pulumi/provider/experimental`, which reads
 * provider/package.json and runs the schema analyzer over provider/tsconfig.json's program,
 * starting at package.json `main`, provider/index.ts).
 *
 * `npm run schema` writes the snapshot; `npm run schema -- --check` exits 1 when it is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { WorkerEnvironment } from "../../provider/index";

/** Repository root (holds the npm package and the blog worker's Pulumi.yaml). */
export const repoRoot = path.resolve(__dirname, "../..");

/**
 * The Pulumi plugin's folder: PulumiPlugin.yaml, package.json (name, version and description of
 * the Pulumi package), tsconfig.json and the entry index.ts. Kept apart from the root because
 * the pulumi CLI refuses a folder holding both Pulumi.yaml and PulumiPlugin.yaml.
 */
export const providerDir = path.join(repoRoot, "provider");

/** The committed schema snapshot. */
export const schemaPath = path.join(repoRoot, "sdk", "schema.json");

/** Pulumi package name: provider/package.json's `name` (the npm package's name too). */
export const packageName = "sqsd-worker";

/** Type token of the published component. */
export const workerEnvironmentToken = `${packageName}:index:WorkerEnvironment`;

/** Infers the schema from the source and returns it as the snapshot's text (2-space JSON). */
export async function generateSchemaText(): Promise<string> {
  const provider = new ComponentProvider({ components: [WorkerEnvironment], dirname: providerDir, name: packageName });
  const schema: unknown = JSON.parse(await provider.getSchema());
  return `${JSON.stringify(schema, null, 2)}\n`;
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const text = await generateSchemaText();
  const current = fs.existsSync(schemaPath) ? fs.readFileSync(schemaPath, "utf8") : "";
  const rel = path.relative(repoRoot, schemaPath);
  if (check) {
    if (current !== text) {
      console.error(`${rel} is out of date with the TypeScript source: run \`npm run schema\``);
      process.exit(1);
    }
    console.log(`${rel} is up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(schemaPath), { recursive: true });
  fs.writeFileSync(schemaPath, text);
  console.log(`${current === text ? "unchanged" : "wrote"} ${rel}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
