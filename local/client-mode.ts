/**
 * `local --send` / `local --dlq` without `--app`/`--url`: act on a local session that is
 * already running (in another terminal), through its emulator port.
 */
import { GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { runDlqAction, type DlqAction } from "./dlq";
import { ConfigError } from "./errors";
import type { OutgoingMessage } from "./send-lines";
import { emulatorClient, sendTo, type WorkerQueues } from "./sqs";

async function queueUrl(sqs: SQSClient, name: string, endpoint: string): Promise<string> {
  try {
    const r = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (r.QueueUrl) return r.QueueUrl;
  } catch (err) {
    const e = err as { name?: string; code?: string; cause?: { code?: string } };
    if (e.code === "ECONNREFUSED" || e.cause?.code === "ECONNREFUSED" || /ECONNREFUSED/.test(String(err))) {
      throw new ConfigError([`no local session on ${endpoint}: start one first (sqsd-worker local --app "<command>"), or pass the --sqs-port it uses`], );
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

/** Send messages and/or run a DLQ action against a running session; returns lines to print. */
export async function runClient(opts: { sqsPort: number; region: string; queueName: string; messages: readonly OutgoingMessage[]; dlq?: DlqAction }): Promise<string[]> {
  const endpoint = `http://127.0.0.1:${opts.sqsPort}`;
  const sqs = emulatorClient(endpoint, opts.region);
  try {
    const q = await findQueues(sqs, opts.queueName, endpoint);
    const lines: string[] = [];
    for (const m of opts.messages) lines.push(`sent line ${m.line}: ${await sendTo(sqs, q, m)}`);
    if (opts.dlq) lines.push(...(await runDlqAction(sqs, q, opts.dlq)));
    return lines;
  } finally {
    sqs.destroy();
  }
}
