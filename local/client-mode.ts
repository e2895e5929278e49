/**
 * `local --send` / `local --dlq` without `--app`/`--url`: act on a local session that is
 * already running (in another terminal), through its emulator port.
 */
import { GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { runDlqAction, type DlqAction, type DlqOptions } from "./dlq";
import { ConfigError, RunError } from "./errors";
import { createProgress, type Terminal } from "./progress";
import type { OutgoingMessage } from "./send-lines";
import { sendMessages } from "./send-messages";
import { emulatorClient, type WorkerQueues } from "./sqs";

async function queueUrl(sqs: SQSClient, name: string, endpoint: string): Promise<string> {
  try {
    const r = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (r.QueueUrl) return r.QueueUrl;
  } catch (err) {
    const e = err as { name?: string; code?: string; cause?: { code?: string } };
    if (e.code === "ECONNREFUSED" || e.cause?.code === "ECONNREFUSED" || /ECONNREFUSED/.test(String(err))) {
      throw new ConfigError([`no local session on ${endpoint}: start one first (sqsd-worker local --app "<command>"), or pass the --sqs-port it uses`]);
    }
    if (!/NonExistentQueue|QueueDoesNotExist/.test(e.name ?? "")) throw err;
  }
  throw new ConfigError([`the local session on ${endpoint} has no queue ${JSON.stringify(name)}: pass the --queue-name it uses`]);
}

/** Find the session's queues by name. */
export async function findQueues(sqs: SQSClient, name: string, endpoint: string): Promise<WorkerQueues> {
  const fifo = name.endsWith(".fifo");
  const dlqName = `${fifo ? name.slice(0, -5) : name}-dlq${fifo ? ".fifo" : ""}`;
  const url = await queueUrl(sqs, name, endpoint);
  return { url, name, dlqUrl: await queueUrl(sqs, dlqName, endpoint), dlqName, fifo };
}

/** What `local --send` / `local --dlq` asks of a running session. */
export interface ClientOptions {
  sqsPort: number;
  region: string;
  queueName: string;
  messages: readonly OutgoingMessage[];
  /** The --send file name ("stdin" for -). */
  source: string;
  dlq?: DlqAction;
  /** The rest of the DLQ action's options (confirmation, bound, rate). */
  dlqOptions: Omit<DlqOptions, "print" | "progress">;
  print: (line: string) => void;
  /** Progress bars go here (a terminal). */
  tty?: Terminal;
}

/** Send messages and/or run a DLQ action against a running session, printing as it goes. */
export async function runClient(opts: ClientOptions): Promise<void> {
  const endpoint = `http://127.0.0.1:${opts.sqsPort}`;
  const sqs = emulatorClient(endpoint, opts.region);
  try {
    const q = await findQueues(sqs, opts.queueName, endpoint);
    if (opts.messages.length > 0) {
      const r = await sendMessages(sqs, q, opts.messages, { source: opts.source, print: opts.print, tty: opts.tty });
      if (r.error !== undefined) throw r.error;
      if (r.failed > 0) throw new RunError(`${r.failed} message(s) were refused by the queue`);
    }
    if (opts.dlq) {
      const progress = (label: string, total: number) => createProgress({ label, total, tty: opts.tty, print: opts.print });
      await runDlqAction(sqs, q, opts.dlq, { ...opts.dlqOptions, print: opts.print, progress });
    }
  } finally {
    sqs.destroy();
  }
}
