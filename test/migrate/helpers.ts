/**
 * Shared by the migrate tests: the fixtures, a migration written into .scratch/ (inside the
 * repository, so the generated program resolves @pulumi/* from its node_modules), and a run of
 * the generated index.ts under the component tests' Pulumi mocks.
 *
 * "sqsd-worker" in the generated program resolves to this checkout's component/index.ts: the
 * program is type-checked with a `paths` mapping (programs.test.ts) and, to run, required with
 * Node's resolution of that one name redirected to component/index.ts (below). The mocks are the
 * component tests' own (test/component/mocks.ts), so the program meets the same fakes.
 */
import Module, { createRequire } from "node:module";
import { rmSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { migrate, type Format, type Migration, type Tool } from "../../migrate/migrate";
import { writeFiles } from "../../migrate/output";
import { RequiredConfig } from "../../migrate/values";
import { requiredConfig } from "../../migrate/write-stacks";
import { Resources, settle } from "../programs/program-mocks";
import { recorded, REGION } from "../component/mocks";

export const REPO = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(__dirname, "fixtures");
export const OUT = path.join(REPO, ".scratch", "migrate-test");
const COMPONENT = path.join(REPO, "component", "index.ts");

/** The realistic inputs, one per form the migrator reads. */
export const CASES: readonly { name: string; tool: Tool; paths: string[] }[] = [
  { name: "beanstalk-app", tool: "beanstalk", paths: [path.join(FIXTURES, "beanstalk-app")] },
  { name: "beanstalk-describe", tool: "beanstalk", paths: [path.join(FIXTURES, "describe-configuration-settings.json")] },
  { name: "copilot-orders", tool: "copilot", paths: [path.join(FIXTURES, "copilot-app", "copilot", "orders-worker", "manifest.yml")] },
  { name: "copilot-blog", tool: "copilot", paths: [path.join(FIXTURES, "copilot-blog", "copilot", "thumbnails", "manifest.yml")] },
];

/** A migration written to .scratch/migrate-test/<name>-<format> (replacing an earlier run's). */
export function generate(name: string, tool: Tool, paths: readonly string[], format: Format = "ts"): { migration: Migration; dir: string } {
  const dir = path.join(OUT, `${name}-${format}`);
  rmSync(dir, { recursive: true, force: true });
  const migration = migrate({ tool, paths, outDir: dir, format, command: `sqsd-worker migrate ${tool} ${name}` });
  writeFiles(dir, migration.files, false);
  return { migration, dir };
}

/** require() as the Pulumi runtime loads a program (CommonJS, compiled by tsx's hook). */
const load = createRequire(__filename);

type Resolve = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return resolve.call(this, request === "sqsd-worker" ? COMPONENT : request, ...rest);
};

/** The stack config a stack file holds, plus stand-ins for what the user still has to set. */
function stackConfig(m: Migration, stack: string): Record<string, string> {
  const file = m.files.get(`Pulumi.${stack}.yaml`) ?? "";
  const values = (parse(file) as { config?: Record<string, unknown> }).config ?? {};
  const out: Record<string, string> = { "aws:region": REGION };
  for (const [k, v] of Object.entries(values)) {
    const key = k.startsWith(`${m.plan.project}:`) ? `sqsd-worker:${k.slice(m.plan.project.length + 1)}` : k;
    out[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  for (const r of requiredConfig(m.split).values()) out[`sqsd-worker:${r.key}`] = (r as RequiredConfig).example;
  return out;
}

/**
 * Run the generated index.ts of `dir` as stack `stack` (its Pulumi.<stack>.yaml as config; the
 * working directory the program's, as under `pulumi up`); the resources it registered.
 */
export async function runProgram(m: Migration, dir: string, stack: string): Promise<Resources> {
  await settle();
  const before = pulumi.runtime.allConfig();
  const cwd = process.cwd();
  const start = recorded.length;
  pulumi.runtime.setAllConfig({ ...before, ...stackConfig(m, stack) });
  const entry = load.resolve(path.join(dir, "index.ts"));
  delete load.cache[entry];
  try {
    process.chdir(dir);
    load(entry);
  } finally {
    process.chdir(cwd);
  }
  await settle();
  pulumi.runtime.setAllConfig(before);
  return new Resources(recorded.slice(start));
}

/** A secret input reaches the mocks wrapped: its value. */
const unwrap = (v: unknown): unknown => (typeof v === "object" && v !== null && "4dabf18193072939515e22adb298388d" in v ? (v as unknown as { value: unknown }).value : v);

/** One resource's input, by type and logical name; JSON strings parsed, secrets unwrapped. */
export function input<T = unknown>(r: Resources, type: string, name: string, key: string): T {
  const value = unwrap(r.one(type, name).inputs[key]);
  return (typeof value === "string" && /^[[{]/.test(value) ? JSON.parse(value) : value) as T;
}

/** The task definition's containers by name, each with its environment as an object. */
export function containerEnv(r: Resources, name: string): Map<string, Record<string, string>> {
  const defs = input<{ name: string; environment?: { name: string; value: string }[] }[]>(r, "aws:ecs/taskDefinition:TaskDefinition", `${name}-task`, "containerDefinitions");
  return new Map(defs.map((d) => [d.name, Object.fromEntries((d.environment ?? []).map((e) => [e.name, e.value]))]));
}
