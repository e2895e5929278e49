/**
 * The `sqsd-worker` program. `sqsd-worker local`: run your app behind the sidecar on your
 * laptop, with an embedded SQS emulator, periodic tasks from cron.yaml and a live view. Every
 * sidecar option (flag or environment variable) works as in production; see
 * `sqsd-worker local --help`. `status`, `dlq` and `send` operate a deployed worker (ops/);
 * `migrate` turns a Beanstalk or Copilot worker's configuration into a program (migrate/).
 */
import { Command, Option } from "commander";
import { readFileSync } from "node:fs";
import { migrateCommand } from "../migrate/command";
import { opsCommands, runOpsCommand } from "../ops/commands";
import { buildProgram, flagValues } from "../sidecar/cli";
import { loadConfig } from "../sidecar/config";
import { processIo, type CliIo } from "./cli-io";
import { runClient } from "./client-mode";
import { loadCronYaml, type CronEntry } from "./cron-config";
import { DLQ_ACTIONS, dlqConfirmation, LIST_LIMIT, type DlqAction } from "./dlq";
import { ConfigError } from "./errors";
import { withLocalDefaults, type OptionValues } from "./local-config";
import { wholeNumber } from "./option-parsers";
import { reportError, runSession } from "./run";
import type { LocalSession } from "./session";
import { parseSendText, type OutgoingMessage } from "./send-lines";

/** Default emulator port of a session, so `local --dlq list` in another terminal finds it. */
export const DEFAULT_SQS_PORT = 9324;

const HELP = `
Modes:
  With --app or --url: run a session (emulator, queue + DLQ, sidecar, cron) until Ctrl-C.
    --send enqueues its messages once the sidecar is receiving.
  Without them: --send and --dlq act on the session already running on --sqs-port.
    --dlq list peeks (nothing is consumed); redrive and purge ask on a terminal, --yes in scripts.

--send format (JSON lines; "-" reads stdin; blank and # lines skipped):
  {"body": "<text>", "attributes": {"k": "v"}, "delaySeconds": 0}   an envelope (only these
      keys, plus groupId/dedupId for FIFO; body must be a string)
  {"any": "object"}                                                 any other object is the body itself

The app started with --app gets PORT (from HttpUrl, default http://127.0.0.1:8080/) in its
environment and runs in its own process group; Ctrl-C drains the sidecar, then stops it.
Exit codes: 0 clean stop, 1 the app exited while running (or another failure), 2 usage or
configuration error.
`;

/** The `local` command: the sidecar's option flags plus local mode's own. */
export function buildLocalCommand(): Command {
  const cmd = buildProgram()
    .name("local")
    .description("Run the worker pattern locally: embedded SQS emulator (fauxqs), the sidecar, your app and its periodic tasks.")
    .addOption(new Option("--app <command>", "shell command that starts your app (it gets PORT); stopped with its process group"))
    .addOption(new Option("--url <url>", "URL of an app that is already running (same as --http-url)"))
    .addOption(new Option("--cron <file>", "cron.yaml with periodic tasks, enqueued on schedule (UTC)"))
    .addOption(new Option("--send <file>", 'messages to enqueue, one JSON object a line ("-" = stdin)'))
    .addOption(new Option("--exit-when-done", "with --send: stop and exit once every message sent is deleted after a 200 or dead-lettered (scripts, CI)"))
    .addOption(new Option("--dlq <action>", "dead-letter queue of a running session").choices([...DLQ_ACTIONS]))
    .addOption(new Option("--yes", "--dlq redrive/purge: confirm without a question (required without a terminal)"))
    .addOption(new Option("--limit <n>", `--dlq list: most messages shown (at most ${LIST_LIMIT.max})`).default(LIST_LIMIT.default).argParser(wholeNumber(1, LIST_LIMIT.max)))
    .addOption(new Option("--max-per-second <n>", "--dlq redrive: most messages moved per second").argParser(wholeNumber(1, 500)))
    .addOption(new Option("--sqs-port <port>", "emulator port on 127.0.0.1 (0 = any free port)").default(String(DEFAULT_SQS_PORT)))
    .addOption(new Option("--queue-name <name>", 'worker queue name (".fifo" = FIFO); the DLQ is <name>-dlq').default("local-worker"))
    .addOption(new Option("--verbose", "also show the sidecar's info log lines"));
  // Local mode makes its own queue and endpoint: those sidecar flags only confuse here.
  for (const o of cmd.options) if (o.long === "--queue-url" || o.long === "--endpoint") o.hideHelp();
  cmd.addHelpText("after", HELP);
  return cmd;
}

/** The `sqsd-worker` program: `local`, then the ops commands. */
export function buildProgramWithLocal(): Command {
  return new Command("sqsd-worker").description("The Elastic Beanstalk worker environment, on your laptop and on ECS Fargate.").addCommand(buildLocalCommand());
}

interface LocalFlags {
  app?: string;
  url?: string;
  cron?: string;
  send?: string;
  exitWhenDone?: boolean;
  dlq?: DlqAction;
  yes?: boolean;
  limit: number;
  maxPerSecond?: number;
  sqsPort: string;
  queueName: string;
  verbose?: boolean;
}

function readInput(file: string, what: string, stdin: () => string): string {
  if (file === "-") return stdin();
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError([`${what} ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
}

function portOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError([`--sqs-port ${JSON.stringify(text)}: must be a whole number from 0 to 65535`]);
  return n;
}

/** Everything the command line asks for, validated before anything starts. */
interface Plan {
  flags: OptionValues;
  local: LocalFlags;
  cron: CronEntry[];
  messages: OutgoingMessage[];
  sqsPort: number;
}

function plan(cmd: Command, env: NodeJS.ProcessEnv, stdin: () => string): Plan {
  const local = cmd.opts<LocalFlags & Record<string, unknown>>();
  const flags = flagValues(cmd);
  if (local.url !== undefined) {
    if (flags.HttpUrl !== undefined) throw new ConfigError(["--url and --http-url name the same thing: give one"]);
    flags.HttpUrl = local.url;
  }
  if (local.app !== undefined && local.app.trim() === "") throw new ConfigError(["--app: the command is empty"]);
  if (local.app !== undefined && local.url !== undefined) throw new ConfigError(["--app and --url: give one (--app starts your app; --url delivers to one already running)"]);
  const cron = local.cron ? loadCronYaml(readInput(local.cron, "--cron", stdin), local.cron) : [];
  const messages = local.send ? parseSendText(readInput(local.send, "--send", stdin), local.send === "-" ? "stdin" : local.send) : [];
  return { flags, local, cron, messages, sqsPort: portOf(local.sqsPort) };
}

export type { CliIo };

/** Run `sqsd-worker <argv>`; resolves with the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = processIo()): Promise<number> {
  const program = buildProgramWithLocal();
  const ops = opsCommands();
  for (const op of ops) program.addCommand(op.command);
  program.exitOverride();
  let job: (() => Promise<number>) | undefined;
  const output = { writeOut: (s: string) => io.out(s.trimEnd()), writeErr: (s: string) => io.err(s) };
  program.configureOutput(output);
  for (const c of program.commands) c.exitOverride().configureOutput(output);
  program.commands[0]?.action((_opts, c: Command) => {
    job = () => runLocal(c, env, io);
  });
  for (const op of ops) {
    op.command.action(() => {
      job = () => runOpsCommand(op, io);
    });
  }
  program.addCommand(migrateCommand(output, (run) => (job = () => run(io))));
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode ?? 2;
    return code === 0 ? 0 : 2;
  }
  if (!job) {
    io.err(program.helpInformation());
    return 2;
  }
  return job();
}

/** `sqsd-worker local`: a session, or --send/--dlq against a running one. */
async function runLocal(cmd: Command, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    const p = plan(cmd, env, io.stdin);
    const session = p.local.app !== undefined || p.flags.HttpUrl !== undefined;
    if (!session) {
      if (!p.local.dlq && p.messages.length === 0) {
        throw new ConfigError(['nothing to do: give --app "<command>" (or --url <url>) to run a session, or --send/--dlq for a running one']);
      }
      if (p.cron.length > 0) throw new ConfigError(["--cron needs a session: give --app or --url too"]);
      // Refused before anything is sent when redrive/purge cannot be confirmed.
      const confirm = p.local.dlq ? dlqConfirmation(p.local.dlq, `--dlq ${p.local.dlq}`, p.local.yes === true, io.ask) : () => Promise.resolve(false);
      const region = loadConfig({ ...withLocalDefaults(p.flags, env), WorkerQueueURL: "http://127.0.0.1/0/q" }, env).region;
      await runClient({
        sqsPort: p.sqsPort,
        region,
        queueName: p.local.queueName,
        messages: p.messages,
        source: p.local.send === "-" ? "stdin" : (p.local.send ?? ""),
        dlq: p.local.dlq,
        dlqOptions: { confirm, limit: p.local.limit, maxPerSecond: p.local.maxPerSecond },
        print: io.out,
        tty: io.tty,
      });
      return 0;
    }
    if (p.local.dlq) throw new ConfigError(["--dlq acts on a running session: run it without --app/--url (in another terminal)"]);
    if (p.local.exitWhenDone && p.messages.length === 0) throw new ConfigError(["--exit-when-done: give --send <file> with at least one message (without it the session runs until Ctrl-C)"]);
    // Without --exit-when-done the session outlives its messages, until Ctrl-C.
    const afterSending = (s: LocalSession) => (p.local.exitWhenDone ? s.waitSettled(Number.POSITIVE_INFINITY) : new Promise<void>(() => undefined));
    return await runSession(
      { flags: p.flags, env, appCommand: p.local.app, cron: p.cron, sqsPort: p.sqsPort, queueName: p.local.queueName, print: io.out, verbose: p.local.verbose },
      p.messages.length > 0 ? (s) => s.send(p.messages, p.local.send).then(() => afterSending(s)) : undefined,
      io.err,
    );
  } catch (err) {
    return reportError(err, io.err);
  }
}

/** Run as a process: exit with main's code. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`sqsd-worker: unexpected failure: ${String((err as Error)?.stack ?? err)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) run();
