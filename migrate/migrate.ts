/**
 * One migration, from input paths to the files of the program: read, map, split by stack,
 * check, write out (as text; output.ts puts them on disk).
 */
import { readBeanstalk } from "./beanstalk-read";
import { planBeanstalk } from "./beanstalk-map";
import { argumentProblems } from "./check-args";
import { planCopilot } from "./copilot-map";
import { readManifest } from "./copilot-read";
import { splitByStack, type Split } from "./environments";
import { MigrateInputError } from "./errors";
import { CRON_FILE, type MigrationPlan } from "./plan";
import { migrationReport } from "./write-report";
import { stackFile } from "./write-stacks";
import { indexTs, packageJson, pulumiYamlTs, TSCONFIG } from "./write-typescript";
import { pulumiYamlProgram } from "./write-yaml";

export type Tool = "beanstalk" | "copilot";
export type Format = "ts" | "yaml";

export interface MigrateRequest {
  readonly tool: Tool;
  readonly paths: readonly string[];
  readonly outDir: string;
  readonly format: Format;
  readonly name?: string;
  /** The command line, as the generated files cite it. */
  readonly command: string;
}

export interface Migration {
  readonly plan: MigrationPlan;
  readonly split: Split;
  /** File name → text, MIGRATION.md included. */
  readonly files: ReadonlyMap<string, string>;
  readonly report: string;
  /** What the component's validation says of the generated arguments. */
  readonly problems: readonly string[];
}

export function plan(req: MigrateRequest): MigrationPlan {
  if (req.tool === "beanstalk") return planBeanstalk(readBeanstalk(req.paths), { outDir: req.outDir, ...(req.name !== undefined ? { name: req.name } : {}) });
  if (req.paths.length !== 1) throw new MigrateInputError([`give one manifest (copilot/<service>/manifest.yml), not ${req.paths.length}`]);
  return planCopilot(readManifest(req.paths[0] as string), { outDir: req.outDir, ...(req.name !== undefined ? { name: req.name } : {}) });
}

export function migrate(req: MigrateRequest): Migration {
  const p = plan(req);
  const split = splitByStack(p.workers, p.stacks);
  const problems = argumentProblems(p);
  const files = new Map<string, string>();
  if (req.format === "ts") {
    files.set("Pulumi.yaml", pulumiYamlTs(p));
    files.set("index.ts", indexTs(p, split, req.command));
    files.set("package.json", packageJson(p));
    files.set("tsconfig.json", TSCONFIG);
    files.set(".gitignore", "/bin/\n/node_modules/\n");
  } else {
    files.set("Pulumi.yaml", pulumiYamlProgram(p, split, req.command));
  }
  for (const stack of p.stacks) files.set(`Pulumi.${stack}.yaml`, stackFile(p, split, stack));
  if (p.cron !== undefined) files.set(CRON_FILE, p.cron.text);
  const report = migrationReport(p, split, { command: req.command, format: req.format, problems });
  files.set("MIGRATION.md", report);
  return { plan: p, split, files, report, problems };
}
