/**
 * Which deployed worker a command acts on: `--stack <name> [--cwd dir]` (its outputs) or
 * `--queue-url URL [--dlq-url URL] [--cluster C --service S]`. The DLQ, when not given, is
 * the one the queue's RedrivePolicy names (found by GetQueueUrl with its account).
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { WorkerQueues } from "../local/sqs";
import { regionOfQueueUrl, sqsClient, type AwsOptions } from "./clients";
import { EXIT, OpsError } from "./errors";
import { stackTarget } from "./stack";

/** The target options every ops command takes. */
export interface TargetFlags {
  stack?: string;
  cwd?: string;
  queueUrl?: string;
  dlqUrl?: string;
  cluster?: string;
  service?: string;
  region?: string;
  endpoint?: string;
}

export interface QueueRef {
  url: string;
  name: string;
}

export interface Target {
  queue: QueueRef & { fifo: boolean };
  dlq?: QueueRef;
  /** The queue's redrive maxReceiveCount, when its attributes were read. */
  maxReceiveCount?: number;
  service?: { cluster: string; name: string };
  /** Region and endpoint for every client of the command. */
  aws: AwsOptions;
  sqs: SQSClient;
}

/** Check the flags' combination before anything is read (exit 2). */
export function checkTargetFlags(f: TargetFlags): void {
  const problems: string[] = [];
  if (f.stack === undefined && f.queueUrl === undefined) problems.push("give --stack <name> (a deployed stack) or --queue-url <url>");
  if (f.stack !== undefined && f.queueUrl !== undefined) problems.push("--stack and --queue-url: give one (the stack's outputs name the queue)");
  if (f.cwd !== undefined && f.stack === undefined) problems.push("--cwd goes with --stack (the folder of the Pulumi project)");
  if ((f.cluster === undefined) !== (f.service === undefined)) problems.push("--cluster and --service go together");
  if (f.queueUrl !== undefined) queueRef(f.queueUrl, "--queue-url");
  if (f.dlqUrl !== undefined) queueRef(f.dlqUrl, "--dlq-url");
  if (f.endpoint !== undefined && !/^https?:\/\/[^/]/.test(f.endpoint)) problems.push(`--endpoint ${JSON.stringify(f.endpoint)}: expected an http(s) URL`);
  if (problems.length > 0) throw new OpsError(EXIT.usage, problems.join("; "));
}

/** A queue URL's name (its last path segment); a usage error when it is not a queue URL. */
export function queueRef(url: string, what: string): QueueRef {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const parts = parsed?.pathname.split("/").filter(Boolean) ?? [];
  const name = parts[1];
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parts.length !== 2 || !name) {
    throw new OpsError(EXIT.usage, `${what} ${JSON.stringify(url)}: not a queue URL (expected https://sqs.<region>.amazonaws.com/<account>/<queue name>)`);
  }
  return { url, name };
}

async function redrivePolicy(sqs: SQSClient, url: string): Promise<{ dlqArn?: string; maxReceiveCount?: number }> {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["RedrivePolicy"] }));
  const text = r.Attributes?.RedrivePolicy;
  if (!text) return {};
  const p = JSON.parse(text) as { deadLetterTargetArn?: string; maxReceiveCount?: string | number };
  return { dlqArn: p.deadLetterTargetArn, maxReceiveCount: p.maxReceiveCount === undefined ? undefined : Number(p.maxReceiveCount) };
}

/** arn:aws:sqs:<region>:<account>:<name> → its URL. */
async function urlOfArn(sqs: SQSClient, arn: string): Promise<string> {
  const [, , , , account, name] = arn.split(":");
  if (!account || !name) throw new OpsError(EXIT.failed, `the RedrivePolicy names ${JSON.stringify(arn)}, which is not a queue ARN`);
  const r = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
  if (!r.QueueUrl) throw new OpsError(EXIT.failed, `GetQueueUrl ${name} returned no URL`);
  return r.QueueUrl;
}

/**
 * Resolve the target. `readQueue` (default true) reads the queue's RedrivePolicy, which also
 * proves the queue exists; `send` skips it, so a send-only IAM principal can send.
 */
export async function resolveTarget(f: TargetFlags, readQueue = true): Promise<Target> {
  checkTargetFlags(f);
  const fromStack = f.stack !== undefined ? await stackTarget(f.stack, f.cwd) : undefined;
  const queue = queueRef(fromStack?.queueUrl ?? (f.queueUrl as string), fromStack ? `stack ${f.stack}: queueUrl` : "--queue-url");
  const aws: AwsOptions = { region: f.region ?? regionOfQueueUrl(queue.url) ?? fromStack?.region, endpoint: f.endpoint };
  const sqs = sqsClient(aws);
  const target: Target = { queue: { ...queue, fifo: queue.name.endsWith(".fifo") }, aws, sqs };
  const cluster = f.cluster ?? fromStack?.clusterName;
  const service = f.service ?? fromStack?.serviceName;
  if (cluster && service) target.service = { cluster, name: service };
  const dlqUrl = f.dlqUrl ?? fromStack?.dlqUrl;
  if (dlqUrl) target.dlq = queueRef(dlqUrl, "the DLQ URL");
  if (readQueue) {
    const policy = await redrivePolicy(sqs, queue.url);
    target.maxReceiveCount = policy.maxReceiveCount;
    if (!target.dlq && policy.dlqArn) target.dlq = queueRef(await urlOfArn(sqs, policy.dlqArn), "the DLQ URL");
  }
  return target;
}

/** The queue and its DLQ, as the DLQ actions take them; exit 6 without a DLQ. */
export function workerQueues(t: Target): WorkerQueues {
  if (!t.dlq) throw new OpsError(EXIT.notFound, `queue ${t.queue.name} has no dead-letter queue (no RedrivePolicy): pass --dlq-url`);
  return { url: t.queue.url, name: t.queue.name, fifo: t.queue.fifo, dlqUrl: t.dlq.url, dlqName: t.dlq.name };
}
