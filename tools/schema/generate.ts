/**
 * Generates the Pulumi package schema of sqsd-worker from the TypeScript source, the way
 * Pulumi's Node.js component host does it (`ComponentProvider.getSchema()` from
 * `@pulumi/pulumi/provider/experimental`, which runs the schema analyzer over tsconfig.json's
 * program starting at the package entry, `index.ts`).
 *
 * `npm run schema` writes the snapshot; `npm run schema -- --check` exits 1 when it is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { WorkerEnvironment } from "../../provider/index";

/** Repository root (holds package.json, tsconfig.json, PulumiPlugin.yaml and index.ts). */
export const repoRoot = path.resolve(__dirname, "../..");

/** The committed schema snapshot. */
export const schemaPath = path.join(repoRoot, "sdk", "schema.json");

/** Pulumi package name: package.json's `name`. */
export const packageName = "sqsd-worker";

/** Type token of the published component. */
export const workerEnvironmentToken = `${packageName}:index:WorkerEnvironment`;

/** Infers the schema from the source and returns it as the snapshot's text (2-space JSON). */
export async function generateSchemaText(): Promise<string> {
  const provider = new ComponentProvider({ components: [WorkerEnvironment], dirname: repoRoot, name: packageName });
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
