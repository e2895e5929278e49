/**
 * `sqsd-worker migrate beanstalk <path…>` and `sqsd-worker migrate copilot <manifest>`: the
 * commander commands, and the run that prints what was written (or, with --dry-run, the report).
 */
import { Command, Option, type OutputConfiguration } from "commander";
import * as path from "node:path";
import type { CliIo } from "../local/cli-io";
import { EXIT, MigrateInputError, OutputExistsError } from "./errors";
import { migrate, type Format, type Tool } from "./migrate";
import { writeFiles } from "./output";
import { summary } from "./write-report";

const HELP = `
Writes a Pulumi program using WorkerEnvironment (Pulumi.yaml, index.ts, package.json and a
Pulumi.<stack>.yaml per environment; with --format yaml a Pulumi YAML program) and MIGRATION.md:
every input setting, the argument it became, "changed" with the rule used, or "not carried over"
with the reason and what to do instead.

Exit codes: 0 written (or the report printed, --dry-run); 1 unexpected failure; 2 usage error or
input refused (unreadable or malformed file, named with its line; not a worker; nothing to
migrate); 3 an output file exists (nothing written: give --force or another --out).
`;

interface Flags {
  out: string;
  format: Format;
  dryRun?: boolean;
  force?: boolean;
  name?: string;
}

function subcommand(tool: Tool, output: OutputConfiguration, onRun: (job: (io: CliIo) => Promise<number>) => void): Command {
  const cmd = new Command(tool)
    .description(
      tool === "beanstalk"
        ? "Migrate a Beanstalk worker environment: an app folder, or its .ebextensions/*.config, saved configuration (*.cfg.yml), describe-configuration-settings JSON and cron.yaml."
        : "Migrate a Copilot Worker Service manifest, with its environments (one stack each).",
    )
    .argument(tool === "beanstalk" ? "<paths...>" : "<manifest>", tool === "beanstalk" ? "app folder or Beanstalk files" : "copilot/<service>/manifest.yml")
    .addOption(new Option("--out <dir>", "folder to write the program to").default("infra"))
    .addOption(new Option("--format <format>", "program language").choices(["ts", "yaml"]).default("ts"))
    .addOption(new Option("--name <name>", "the component's name (default: from the input)"))
    .addOption(new Option("--dry-run", "print the report only; write nothing"))
    .addOption(new Option("--force", "overwrite files already in --out"))
    .addHelpText("after", HELP)
    .exitOverride()
    .configureOutput(output);
  cmd.action((paths: string | string[], flags: Flags) => {
    onRun((io) => Promise.resolve(run(tool, Array.isArray(paths) ? paths : [paths], flags, io)));
  });
  return cmd;
}

/** `migrate` with its two subcommands; `onRun` receives the job the parsed command line asks for. */
export function migrateCommand(output: OutputConfiguration, onRun: (job: (io: CliIo) => Promise<number>) => void): Command {
  return new Command("migrate")
    .description("Turn a Beanstalk worker environment or a Copilot Worker Service into a WorkerEnvironment program, with a report of every setting.")
    .addCommand(subcommand("beanstalk", output, onRun))
    .addCommand(subcommand("copilot", output, onRun))
    .exitOverride()
    .configureOutput(output);
}

function run(tool: Tool, paths: string[], flags: Flags, io: CliIo): number {
  const command = ["sqsd-worker migrate", tool, ...paths, ...(flags.format === "yaml" ? ["--format yaml"] : [])].join(" ");
  try {
    const m = migrate({ tool, paths, outDir: flags.out, format: flags.format, command, ...(flags.name !== undefined ? { name: flags.name } : {}) });
    if (flags.dryRun === true) {
      io.out(m.report.trimEnd());
      return EXIT.ok;
    }
    const written = writeFiles(flags.out, m.files, flags.force === true);
    io.out(`wrote ${written.map((f) => path.relative(process.cwd(), f) || f).join(", ")}`);
    io.out(`${summary(m.plan.rows)}: see ${path.join(flags.out, "MIGRATION.md")}`);
    for (const p of m.problems) io.err(`sqsd-worker migrate: check before pulumi up: ${p}\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof MigrateInputError) {
      io.err(`sqsd-worker migrate: ${err.problems.length === 1 ? err.problems[0] : `\n${err.problems.map((p) => `  - ${p}`).join("\n")}`}\n`);
      return EXIT.input;
    }
    if (err instanceof OutputExistsError) {
      io.err(`sqsd-worker migrate: ${err.files.join(", ")} already exist${err.files.length === 1 ? "s" : ""}: nothing written; give --force to overwrite, or another --out\n`);
      return EXIT.exists;
    }
    throw err;
  }
}
