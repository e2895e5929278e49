/**
 * The commands that operate a deployed worker — `status`, `dlq`, `send` — as commander
 * commands of the `sqsd-worker` program (local/cli.ts), each with its runner and the one
 * error report: a line on stderr and the exit code of errors.ts.
 */
import { Argument, Command, Option } from "commander";
import type { CliIo } from "../local/cli-io";
import { DLQ_ACTIONS, LIST_LIMIT, type DlqAction } from "../local/dlq";
import { wholeNumber } from "../local/option-parsers";
import { runDlq, type DlqFlags } from "./dlq-command";
import { EXIT, explainError } from "./errors";
import { DEFAULT_NAMESPACE } from "./metrics";
import { runSend, type SendFlags } from "./send-command";
import { runStatus, type StatusFlags } from "./status-command";

const collect = (value: string, previous: string[]) => [...previous, value];

function withTarget(cmd: Command): Command {
  return cmd
    .addOption(new Option("--stack <name>", "a deployed stack: its outputs name the queue, DLQ, cluster and service (needs the pulumi CLI)"))
    .addOption(new Option("--cwd <dir>", "with --stack: the Pulumi project's folder (default: here)"))
    .addOption(new Option("--queue-url <url>", "the worker queue, instead of --stack"))
    .addOption(new Option("--dlq-url <url>", "its dead-letter queue (default: the one its RedrivePolicy names)"))
    .addOption(new Option("--cluster <name>", "with --service: the ECS cluster of the worker"))
    .addOption(new Option("--service <name>", "with --cluster: the ECS service of the worker"))
    .addOption(new Option("--region <region>", "AWS region (default: the queue URL's, else AWS_REGION or the profile's)"))
    .addOption(new Option("--endpoint <url>", "SQS endpoint, for an emulator (ECS and CloudWatch: AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_CLOUDWATCH)"))
    .allowExcessArguments(false);
}

const EXIT_HELP = `
AWS credentials: the standard chain (environment, AWS_PROFILE, SSO, instance or task role).
Exit codes: 0 ok, 1 failure, 2 usage (bad options, no confirmation, no stack or pulumi CLI),
3 status --check: the DLQ is not empty, 4 no or rejected credentials, 5 access denied,
6 queue/DLQ/cluster/service not found, 7 throttled. See docs/operating.md.
`;

/** One ops command: its definition and how to run it once parsed. */
export interface OpsCommand {
  command: Command;
  run(io: CliIo): Promise<number>;
}

function statusCommand(): OpsCommand {
  const command = withTarget(new Command("status"))
    .description("Queue and DLQ depth, oldest message age, running/desired tasks and the sidecar's recent outcomes of a deployed worker.")
    .addOption(new Option("--minutes <n>", "outcome window, in minutes").default(15).argParser(wholeNumber(1, 1440)))
    .addOption(new Option("--metrics-namespace <ns>", "CloudWatch namespace of the sidecar's metrics (its MetricsNamespace)").default(DEFAULT_NAMESPACE))
    .addOption(new Option("--no-metrics", "do not read CloudWatch (no oldest age, no outcomes)"))
    .addOption(new Option("--watch", "keep refreshing: a line whenever the status changes, until Ctrl-C"))
    .addOption(new Option("--interval <seconds>", "with --watch: refresh period").default(10).argParser(wholeNumber(1, 3600)))
    .addOption(new Option("--check", `exit ${EXIT.check} when the dead-letter queue is not empty (scripts)`))
    .addOption(new Option("--json", "print the snapshot as one JSON object"))
    .addHelpText("after", EXIT_HELP);
  return { command, run: (io) => runStatus(command.opts<StatusFlags>(), io) };
}

function dlqCommand(): OpsCommand {
  const command = withTarget(new Command("dlq"))
    .description("List (without consuming), redrive (SQS message move task) or purge the worker's dead-letter queue.")
    .addArgument(new Argument("<action>", "list, redrive or purge").choices([...DLQ_ACTIONS]))
    .addOption(new Option("--limit <n>", `list: most messages shown (at most ${LIST_LIMIT.max})`).default(LIST_LIMIT.default).argParser(wholeNumber(1, LIST_LIMIT.max)))
    .addOption(new Option("--max-per-second <n>", "redrive: most messages moved per second (MaxNumberOfMessagesPerSecond)").argParser(wholeNumber(1, 500)))
    .addOption(new Option("--yes", "redrive/purge: confirm without a question (scripts); without a terminal it is required"))
    .addHelpText("after", EXIT_HELP);
  return { command, run: (io) => runDlq(command.processedArgs[0] as DlqAction, command.opts<DlqFlags>(), io) };
}

function sendCommand(): OpsCommand {
  const command = withTarget(new Command("send"))
    .description("Send messages to the worker queue: a JSON-lines file (local mode's --send format) or one --body; batched, with progress.")
    .addOption(new Option("--file <path>", 'messages, one JSON object a line ("-" = stdin)'))
    .addOption(new Option("--body <text>", "one message with this body"))
    .addOption(new Option("--attr <name=value>", "a String message attribute on every message (repeatable)").default([]).argParser(collect))
    .addOption(new Option("--concurrency <n>", "SendMessageBatch calls in flight (FIFO queues: 1)").default(8).argParser(wholeNumber(1, 32)))
    .addHelpText("after", EXIT_HELP);
  return { command, run: (io) => runSend(command.opts<SendFlags>(), io) };
}

/** The ops commands, fresh for one parse. */
export function opsCommands(): OpsCommand[] {
  return [statusCommand(), dlqCommand(), sendCommand()];
}

/** Run a parsed ops command: every failure becomes one line on stderr and its exit code. */
export async function runOpsCommand(op: OpsCommand, io: CliIo): Promise<number> {
  try {
    return await op.run(io);
  } catch (err) {
    const e = explainError(err);
    io.err(`sqsd-worker ${op.command.name()}: ${e.message}\n`);
    return e.exitCode;
  }
}
