/**
 * The `sqsd` command line: flags generated from the option table, help that documents
 * every option, its environment variables, default and range.
 */
import { Command, Option } from "commander";
import { VERSION } from "./version";
import { OPTIONS, describeRange, type OptionName, type OptionSpec } from "./options";

const HEADERS_HELP = `
Each message is POSTed to the app with its body unchanged and these headers:
  User-Agent                        aws-sqsd/2.4 (sqsd-worker ${VERSION}) [UserAgent]
  Content-Type                      MimeType
  X-Aws-Sqsd-Msgid                  SQS message ID
  X-Aws-Sqsd-Queue                  queue name
  X-Aws-Sqsd-First-Received-At      ISO 8601 UTC
  X-Aws-Sqsd-Receive-Count          ApproximateReceiveCount
  X-Aws-Sqsd-Sent-At                ISO 8601 UTC
  X-Aws-Sqsd-Sender-Id              SenderId
  X-Aws-Sqsd-Attr-<name>            each String/Number message attribute (not Binary, not beanstalk.sqsd.*)
  X-Aws-Sqsd-Taskname               periodic tasks: the task name
  X-Aws-Sqsd-Scheduled-At           periodic tasks: the scheduled time, ISO 8601 UTC
  X-Aws-Sqsd-Path                   periodic tasks: the task's path (the POST goes there)
  X-Aws-Sqsd-Message-Group-Id       FIFO queues (also -Sequence-Number, -Message-Deduplication-Id)
  X-Amzn-Trace-Id                   from AWSTraceHeader
  <HmacHeader>                      with HmacSecret: hex(HMAC-SHA256(secret, "POST " + url + "\\n" + body))
  <AuthorizationHeaderName>         with AuthorizationHeader: its value (also on health checks)

Outcomes: 200 (or any 2xx with SuccessStatus=2xx) deletes the message; any other status or a
connection error sets ErrorVisibilityTimeout; 429/503 with Retry-After sets that delay; no answer
within InactivityTimeout aborts the request and leaves the message to reappear.

Every option is also read from the environment variable named like the option (e.g.
HttpConnections=10), then from its aliases. Flags win over variables.
Exit codes: 0 stopped cleanly (SIGTERM/SIGINT); 1 unexpected failure; 2 configuration error (an
option missing, malformed or out of range); 3 cannot start with a valid configuration (the queue
does not exist or may not be read, StatusPort is taken).
`;

function describe(spec: OptionSpec): string {
  const env = [spec.name, ...(spec.aliases ?? [])].join(", ");
  const parts = [spec.description, `env: ${env}`];
  if (spec.default !== undefined) parts.push(`default: ${spec.default}`);
  if (spec.required) parts.push("required");
  const range = describeRange(spec);
  if (range) parts.push(range);
  return parts.join(" | ");
}

export function buildProgram(): Command {
  const program = new Command("sqsd")
    .description("The Elastic Beanstalk worker daemon for any container platform: long-polls an SQS queue and POSTs each message to your app.")
    .version(VERSION)
    .allowExcessArguments(false)
    .showHelpAfterError();
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    if (spec.kind === "boolean") {
      program.addOption(new Option(`--${spec.flag}`, describe(spec)));
      program.addOption(new Option(`--no-${spec.flag}`, `Turn ${spec.name} off.`));
    } else {
      program.addOption(new Option(`--${spec.flag} <value>`, describe(spec)));
      if (spec.name === "TaskProtection") program.addOption(new Option(`--no-${spec.flag}`, "Same as --task-protection off."));
    }
  }
  program.addHelpText("after", HEADERS_HELP);
  return program;
}

/** Commander's parsed values → raw option values keyed by option name. */
export function flagValues(program: Command): Partial<Record<OptionName, string>> {
  const parsed = program.opts<Record<string, string | boolean | undefined>>();
  const out: Partial<Record<OptionName, string>> = {};
  for (const spec of OPTIONS) {
    const key = spec.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = parsed[key];
    if (v === undefined) continue;
    if (spec.name === "TaskProtection" && v === false) out[spec.name] = "off";
    else if (v === true && spec.kind !== "boolean") continue; // "--task-protection" negatable default
    else out[spec.name] = String(v);
  }
  return out;
}
