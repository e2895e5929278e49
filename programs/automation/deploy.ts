/**
 * The worker from a platform team's own tooling, through the Pulumi Automation API: no
 * Pulumi.yaml, no `pulumi up` typed by hand. The inline program calls programs/worker's
 * createWorker, so this deploys exactly what `pulumi up` at the repository root deploys.
 *
 *   npx tsx programs/automation/deploy.ts --stack dev --region us-east-1 --max-count 3
 *   npx tsx programs/automation/deploy.ts --stack dev --region us-east-1 --destroy
 *
 * Needs the pulumi CLI (the Automation API drives it), a backend (`pulumi login`, or
 * `pulumi login --local`), AWS credentials, and Docker for the image builds.
 */
import { Command, InvalidArgumentError, CommanderError } from "commander";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type OutputMap, type PulumiFn } from "@pulumi/pulumi/automation";
import { createWorker, parseWorkerConfig, readWorkerConfig, workerName, workerOutputs, type WorkerConfig } from "../worker/worker";

/** The project name: the same config namespace as the root Pulumi.yaml. */
export const PROJECT = "sqsd-worker";

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, noCli: 2 } as const;

/** What the command line asks for. */
export interface CliOptions {
  /** Stack name. */
  stack: string;
  /** AWS region (`aws:region`). */
  region: string;
  minCount?: number;
  maxCount?: number;
  acceptableLatency?: number;
  messageProcessingTime?: number;
  /** Stop after the preview. */
  previewOnly: boolean;
  /** Destroy the stack's resources instead of deploying. */
  destroy: boolean;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a non-negative number");
  return n;
}

/** The command line. `exitOverride` makes a parse error throw (for tests) instead of exiting. */
export function cliCommand(): Command {
  return new Command("deploy")
    .description("Deploy (or destroy) the sqsd-worker blog worker with the Pulumi Automation API")
    .option("--stack <name>", "stack name", "dev")
    .requiredOption("--region <region>", "AWS region, e.g. us-east-1")
    .option("--min-count <n>", "fewest tasks (0 sleeps while the queue is empty)", nonNegativeNumber)
    .option("--max-count <n>", "most tasks", nonNegativeNumber)
    .option("--acceptable-latency <seconds>", "longest acceptable wait of a message", nonNegativeNumber)
    .option("--message-processing-time <seconds>", "average seconds per message per task", nonNegativeNumber)
    .option("--preview-only", "stop after the preview", false)
    .option("--destroy", "destroy the stack's resources", false)
    .showHelpAfterError();
}

/** Parse `argv` (user arguments only, no `node script`). Throws CommanderError on bad input. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const cmd = cliCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse([...argv], { from: "user" });
  const o = cmd.opts<CliOptions>();
  if (o.destroy && o.previewOnly) throw new CommanderError(1, "sqsd.conflict", "--destroy and --preview-only do not go together");
  return o;
}

/**
 * The stack config for `options`, checked with the same rules as the Pulumi program
 * (parseWorkerConfig). Pure. Every key is written, so the stack does not depend on defaults
 * that a later version might change.
 */
export function toStackConfig(options: CliOptions): ConfigMap {
  const str = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
  const config: WorkerConfig = parseWorkerConfig({
    region: options.region,
    minCount: str(options.minCount),
    maxCount: str(options.maxCount),
    acceptableLatency: str(options.acceptableLatency),
    messageProcessingTime: str(options.messageProcessingTime),
  });
  return {
    "aws:region": { value: config.region },
    [`${PROJECT}:minCount`]: { value: String(config.minCount) },
    [`${PROJECT}:maxCount`]: { value: String(config.maxCount) },
    [`${PROJECT}:acceptableLatency`]: { value: String(config.acceptableLatency) },
    [`${PROJECT}:messageProcessingTime`]: { value: String(config.messageProcessingTime) },
  };
}

/** The inline program: the same worker as programs/worker/index.ts, its outputs returned. */
export const workerProgram: PulumiFn = async () => {
  const config = readWorkerConfig();
  return { ...workerOutputs(createWorker(workerName(), config), config) };
};

/** How to install the CLI, printed when it is missing. */
export const INSTALL_HINT = [
  "The Pulumi Automation API drives the pulumi CLI, and none was found on PATH (or it is too old).",
  "Install it, then run this again:",
  "  curl -fsSL https://get.pulumi.com | sh     # or: brew install pulumi/tap/pulumi",
  "  pulumi version",
  "See https://www.pulumi.com/docs/install/",
].join("\n");

/** The pulumi CLI on PATH, or the reason it cannot be used. */
export async function findPulumi(): Promise<{ command: PulumiCommand } | { error: string }> {
  try {
    return { command: await PulumiCommand.get() };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Spawning a missing binary fails with ENOENT, which the SDK reports as "code: -2".
    if (/code: -2\b|ENOENT/.test(message)) return { error: "pulumi: command not found" };
    return { error: message.split("\n")[0] ?? message };
  }
}

/** Where output goes (a test can capture it). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Output values as plain JSON (secrets stay hidden). */
export function plainOutputs(outputs: OutputMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
}

/** Run the whole flow; returns the process exit code. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let options: CliOptions;
  let config: ConfigMap;
  try {
    options = parseArgs(argv);
    config = toStackConfig(options);
  } catch (err) {
    if (err instanceof CommanderError && (err.code === "commander.helpDisplayed" || err.code === "commander.version")) {
      io.out(cliCommand().helpInformation());
      return EXIT.ok;
    }
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${cliCommand().helpInformation()}`);
    return EXIT.failed;
  }
  // Up front: without the CLI every later step fails with a much less helpful error.
  const found = await findPulumi();
  if ("error" in found) {
    io.err(`${INSTALL_HINT}\n(PulumiCommand.get failed: ${found.error})\n`);
    return EXIT.noCli;
  }
  const onOutput = (text: string) => io.out(text);
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: options.stack, projectName: PROJECT, program: workerProgram },
    { pulumiCommand: found.command },
  );
  if (options.destroy) {
    io.out(`Destroying stack ${options.stack}...\n`);
    await stack.destroy({ onOutput });
    io.out(`Destroyed. Remove the stack itself with: pulumi stack rm ${options.stack}\n`);
    return EXIT.ok;
  }
  await stack.setAllConfig(config);
  io.out(`Previewing stack ${options.stack}...\n`);
  await stack.preview({ onOutput });
  if (options.previewOnly) return EXIT.ok;
  io.out(`Deploying stack ${options.stack}...\n`);
  const result = await stack.up({ onOutput });
  io.out(`\nOutputs:\n${JSON.stringify(plainOutputs(result.outputs), null, 2)}\n`);
  return EXIT.ok;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(EXIT.failed);
    },
  );
}
