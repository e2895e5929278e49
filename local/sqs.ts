/**
 * SQS plumbing shared by local mode and the ops commands: a client for the emulator, the
 * worker queue and its dead-letter queue (with the redrive settings the component creates),
 * depth, sending.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
  type MessageAttributeValue,
} from "@aws-sdk/client-sqs";
import { randomUUID } from "node:crypto";

/** Dummy credentials: the emulator accepts any, and no AWS account is needed. */
export function emulatorClient(endpoint: string, region: string, waitTimeSeconds = 20): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    // As the daemon's own client: a long poll must not be cut short by the request timeout.
    requestHandler: { requestTimeout: (waitTimeSeconds + 10) * 1000, httpAgent: { keepAlive: true, maxSockets: 64 } },
  });
}

/** The worker queue and its dead-letter queue. */
export interface WorkerQueues {
  url: string;
  name: string;
  dlqUrl: string;
  dlqName: string;
  fifo: boolean;
}

/** Queue settings, named as the sidecar options that the component maps to queue attributes. */
export interface QueueSettings {
  /** Ends with ".fifo" for a FIFO queue (its DLQ is FIFO too). */
  name: string;
  /** The redrive policy's maxReceiveCount. */
  maxRetries: number;
  visibilityTimeout: number;
  retentionSeconds: number;
}

/** The queue's ARN (what StartMessageMoveTask and redrive policies name). */
export async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  const arn = r.Attributes?.QueueArn;
  if (!arn) throw new Error(`SQS returned no QueueArn for ${url}`);
  return arn;
}

/**
 * Create (or reuse) the queue and its DLQ as the component does: DLQ retention 14 days,
 * RedrivePolicy {deadLetterTargetArn, maxReceiveCount: MaxRetries}, VisibilityTimeout and
 * retention from the options.
 */
export async function createWorkerQueues(sqs: SQSClient, s: QueueSettings): Promise<WorkerQueues> {
  const fifo = s.name.endsWith(".fifo");
  const base = fifo ? s.name.slice(0, -".fifo".length) : s.name;
  const dlqName = `${base}-dlq${fifo ? ".fifo" : ""}`;
  const fifoAttrs: Record<string, string> = fifo ? { FifoQueue: "true" } : {};
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: dlqName, Attributes: { ...fifoAttrs, MessageRetentionPeriod: "1209600" } }));
  if (!dlq.QueueUrl) throw new Error(`CreateQueue ${dlqName} returned no URL`);
  const redrive = JSON.stringify({ deadLetterTargetArn: await queueArn(sqs, dlq.QueueUrl), maxReceiveCount: s.maxRetries });
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: s.name,
      Attributes: {
        ...fifoAttrs,
        VisibilityTimeout: String(s.visibilityTimeout),
        MessageRetentionPeriod: String(s.retentionSeconds),
        RedrivePolicy: redrive,
      },
    }),
  );
  if (!main.QueueUrl) throw new Error(`CreateQueue ${s.name} returned no URL`);
  return { url: main.QueueUrl, name: s.name, dlqUrl: dlq.QueueUrl, dlqName, fifo };
}

/** Messages in a queue by state (SQS's approximate counts). */
export interface Depth {
  visible: number;
  inFlight: number;
  delayed: number;
}

export async function depthOf(sqs: SQSClient, url: string): Promise<Depth> {
  const r = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  const a = r.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** One message to send; FIFO fields are filled in with defaults on a FIFO queue. */
export interface SendInput {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
}

/** The fields of one SendMessage (or batch entry) beyond the queue URL: the one mapping of SendInput. */
export function sendFields(fifo: boolean, m: SendInput) {
  return {
    MessageBody: m.body,
    MessageAttributes: m.attributes && Object.keys(m.attributes).length > 0 ? m.attributes : undefined,
    // FIFO queues take no per-message delay.
    DelaySeconds: fifo ? undefined : m.delaySeconds || undefined,
    MessageGroupId: fifo ? (m.groupId ?? "default") : undefined,
    MessageDeduplicationId: fifo ? (m.dedupId ?? randomUUID()) : undefined,
  };
}

/** SendMessage; returns the MessageId. */
export async function sendTo(sqs: SQSClient, q: Pick<WorkerQueues, "url" | "fifo">, m: SendInput): Promise<string> {
  const r = await sqs.send(new SendMessageCommand({ QueueUrl: q.url, ...sendFields(q.fifo, m) }));
  if (!r.MessageId) throw new Error("SendMessage returned no MessageId");
  return r.MessageId;
}
