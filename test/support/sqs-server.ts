/**
 * A real SQS emulator for tests: ElasticMQ (JVM) or fauxqs (npm), or an already-running
 * endpoint, behind one interface, plus throw-away queues with helpers for assertions.
 *
 * Choice, from the environment:
 * - `SQS_ENDPOINT=http://127.0.0.1:PORT`: use that server (kind "external"; no restart);
 * - `SQS_EMULATOR=elasticmq | fauxqs`: start that one;
 * - neither: ElasticMQ when `java` is on PATH, else fauxqs (with a one-line warning).
 *
 * Every server binds 127.0.0.1 only; the client uses dummy credentials.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
  type QueueAttributeName,
} from "@aws-sdk/client-sqs";
import { receiveAll } from "../../local/dlq";
import { atTeardown } from "./global-fixtures";
import { javaAvailable, startElasticMq, ELASTICMQ_VERSION } from "./elasticmq";
import { fauxqsVersion, startFauxqsProcess } from "./fauxqs";
import { sleep } from "./wait";

export type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";

/** Which server a {@link SqsServer} talks to. */
export type SqsServerKind = "elasticmq" | "fauxqs" | "external";

/** Options of {@link SqsServer.createQueue}. */
export interface CreateQueueOptions {
  /** A FIFO queue (".fifo" is appended to the name). */
  fifo?: boolean;
  /** Also create a dead-letter queue and a RedrivePolicy with this maxReceiveCount. */
  maxReceiveCount?: number;
  /** The queue's default VisibilityTimeout, in seconds. */
  visibilityTimeout?: number;
  /** FIFO only: ContentBasedDeduplication. */
  contentBasedDeduplication?: boolean;
  /** Name prefix (a random suffix is always added so tests never share a queue). */
  name?: string;
}

/** Extra per-message parameters of {@link TestQueue.send}. */
export interface SendExtra {
  /** FIFO MessageGroupId (default "g" on FIFO queues). */
  groupId?: string;
  /** FIFO MessageDeduplicationId (default: random, unless content-based deduplication is on). */
  dedupId?: string;
  delaySeconds?: number;
}

/** Options of {@link TestQueue.receiveAll}. */
export interface ReceiveAllOptions {
  /** Visibility given to each received message (default 30 s). */
  visibilityTimeout?: number;
  /**
   * Delete what is received (default true). With false, received messages stay in flight
   * until their visibility ends; on a FIFO queue that also hides the rest of their group.
   */
  delete?: boolean;
  /** Long-poll wait of each receive, in seconds (default 0: stop at the first empty receive). */
  waitTimeSeconds?: number;
}

/** A queue (and maybe its DLQ) that exists only for one test. */
export interface TestQueue {
  url: string;
  name: string;
  arn: string;
  dlqUrl?: string;
  dlqName?: string;
  dlqArn?: string;
  fifo: boolean;
  /** SendMessage; returns the MessageId. */
  send(body: string, attrs?: Record<string, MessageAttributeValue>, extra?: SendExtra): Promise<string>;
  /** SendMessageBatch in batches of 10; returns MessageIds in order; throws on any failed entry. */
  sendMany(bodies: string[]): Promise<string[]>;
  /** ApproximateNumberOfMessages / ...NotVisible / ...Delayed. */
  counts(): Promise<{ visible: number; inFlight: number; delayed: number }>;
  /** Counts of the dead-letter queue (throws when there is none). */
  dlqCounts(): Promise<{ visible: number; inFlight: number }>;
  /**
   * Receive until a receive comes back empty, with all system and message attributes.
   * See {@link ReceiveAllOptions} (default: visibility 30 s, delete what is received).
   */
  receiveAll(fromDlq?: boolean, opts?: ReceiveAllOptions): Promise<Message[]>;
  /** Delete the queue and its DLQ (missing queues are ignored). */
  delete(): Promise<void>;
}

/** Options of {@link SqsServer.restart}. */
export interface RestartOptions {
  /** How long the endpoint stays down (refusing connections) before it starts again (default 0). */
  downMs?: number;
  /** Signal that stops the process (default SIGTERM; SIGKILL simulates a crash). */
  signal?: NodeJS.Signals;
}

/** A running SQS endpoint and a client for it. */
export interface SqsServer {
  kind: SqsServerKind;
  /** e.g. "elasticmq 1.7.1", "fauxqs 2.4.1", "external". */
  version: string;
  endpoint: string;
  region: string;
  port: number;
  /** Whether queues and messages survive {@link SqsServer.restart}. */
  persistent: boolean;
  /** Configured for `endpoint` with dummy credentials. */
  client: SQSClient;
  createQueue(opts?: CreateQueueOptions): Promise<TestQueue>;
  stop(): Promise<void>;
  /**
   * Stop the emulator process and start it again on the same port (SQS "down" for a
   * while). Queues and messages survive only on a server started with `persistent: true`
   * (see {@link startSqsServer}); on the shared in-memory server they are lost. Absent
   * for "external".
   */
  restart?(opts?: RestartOptions): Promise<void>;
}

/** Options of {@link startSqsServer}. */
export interface SqsServerOptions {
  /** Default: from SQS_EMULATOR / SQS_ENDPOINT / java on PATH. */
  kind?: SqsServerKind;
  /** Keep state on disk so it survives restart() (ElasticMQ: H2; fauxqs: SQLite). */
  persistent?: boolean;
  /** For kind "external": the endpoint (default SQS_ENDPOINT). */
  endpoint?: string;
}

const REGION = "us-east-1";
let warned = false;

/** The emulator kind chosen by the environment. */
export function emulatorKind(): SqsServerKind {
  if (process.env.SQS_ENDPOINT) return "external";
  const env = process.env.SQS_EMULATOR;
  if (env === "elasticmq" || env === "fauxqs") return env;
  if (env) throw new Error(`SQS_EMULATOR must be "elasticmq" or "fauxqs", not ${JSON.stringify(env)}`);
  if (javaAvailable()) return "elasticmq";
  if (!warned) {
    warned = true;
    console.warn("sqs-server: no java on PATH, using fauxqs (set SQS_EMULATOR to choose)");
  }
  return "fauxqs";
}

/** An SQS client for `endpoint` with dummy credentials. */
export function makeClient(endpoint: string, region = REGION): SQSClient {
  return new SQSClient({
    endpoint,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

let shared: Promise<SqsServer> | undefined;

/**
 * The server shared by every test of this mocha process: started on first call, stopped
 * after the run. Do not restart it (that would drop other tests' queues): fault tests
 * start their own with {@link startSqsServer}.
 */
export function sqsServer(): Promise<SqsServer> {
  if (!shared) {
    shared = startSqsServer();
    shared.catch(() => (shared = undefined));
  }
  return shared;
}

/** Start a dedicated server (stopped after the run, or earlier with stop()). */
export async function startSqsServer(opts: SqsServerOptions = {}): Promise<SqsServer> {
  const kind = opts.kind ?? emulatorKind();
  if (kind === "external") {
    const endpoint = opts.endpoint ?? process.env.SQS_ENDPOINT;
    if (!endpoint) throw new Error("kind external needs SQS_ENDPOINT");
    const region = process.env.AWS_REGION || REGION;
    const client = makeClient(endpoint, region);
    const server: SqsServer = {
      kind,
      version: "external",
      endpoint,
      region,
      port: Number(new URL(endpoint).port) || 80,
      persistent: true,
      client,
      createQueue: (o) => createTestQueue(client, o),
      stop: () => Promise.resolve(client.destroy()),
    };
    atTeardown(server.stop);
    return server;
  }

  const dataDir = opts.persistent ? mkdtempSync(join(tmpdir(), `sqsd-${kind}-data-`)) : undefined;
  type Running = { port: number; endpoint: string; stop(signal?: NodeJS.Signals): Promise<void> };
  const launch = async (port?: number): Promise<Running> => {
    if (kind === "elasticmq") {
      const p = await startElasticMq({ port, region: REGION, dataDir });
      return { port: p.port, endpoint: p.endpoint, stop: (signal) => p.stop({ keepData: true, signal }) };
    }
    const p = await startFauxqsProcess({ port, region: REGION, dataDir });
    return { port: p.port, endpoint: p.endpoint, stop: (signal) => p.stop(signal) };
  };

  let running: Running | undefined = await launch();
  const { port, endpoint } = running;
  const client = makeClient(endpoint);
  let stopped = false;
  const server: SqsServer = {
    kind,
    version: kind === "elasticmq" ? `elasticmq ${ELASTICMQ_VERSION}` : `fauxqs ${fauxqsVersion()}`,
    endpoint,
    region: REGION,
    port,
    persistent: Boolean(dataDir),
    client,
    createQueue: (o) => createTestQueue(client, o),
    async stop() {
      if (stopped) return;
      stopped = true;
      const r = running;
      running = undefined;
      await r?.stop();
      client.destroy();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart({ downMs = 0, signal = "SIGTERM" }: RestartOptions = {}) {
      if (stopped) throw new Error("restart() after stop()");
      const r = running;
      running = undefined;
      await r?.stop(signal);
      await sleep(downMs);
      running = await launch(port);
    },
  };
  atTeardown(() => server.stop());
  return server;
}

function suffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const r = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  const arn = r.Attributes?.QueueArn;
  if (!arn) throw new Error(`no QueueArn for ${url}`);
  return arn;
}

async function countsOf(client: SQSClient, url: string) {
  const names: QueueAttributeName[] = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
  ];
  const r = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }));
  const a = r.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

async function drain(client: SQSClient, url: string, opts: ReceiveAllOptions): Promise<Message[]> {
  const deleteBatch = async (msgs: Message[]) => {
    const res = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
    );
    if (res.Failed?.length) throw new Error(`receiveAll: delete failed: ${JSON.stringify(res.Failed)}`);
  };
  return receiveAll(client, url, {
    visibilitySeconds: opts.visibilityTimeout ?? 30,
    waitTimeSeconds: opts.waitTimeSeconds,
    onBatch: opts.delete ?? true ? deleteBatch : undefined,
  });
}

async function deleteQuietly(client: SQSClient, url: string | undefined): Promise<void> {
  if (!url) return;
  try {
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (!/NonExistentQueue|QueueDoesNotExist/.test(name)) throw err;
  }
}

/** Create a uniquely named queue (and DLQ when `maxReceiveCount` is given) on `client`'s endpoint. */
export async function createTestQueue(client: SQSClient, opts: CreateQueueOptions = {}): Promise<TestQueue> {
  const fifo = opts.fifo ?? false;
  const ext = fifo ? ".fifo" : "";
  const base = `${opts.name ?? "t"}-${suffix()}`;
  const name = base + ext;
  const fifoAttrs: Record<string, string> = fifo ? { FifoQueue: "true" } : {};
  if (fifo && opts.contentBasedDeduplication !== undefined) {
    fifoAttrs.ContentBasedDeduplication = String(opts.contentBasedDeduplication);
  }

  let dlq: { url: string; name: string; arn: string } | undefined;
  if (opts.maxReceiveCount !== undefined) {
    const dlqName = `${base}-dlq${ext}`;
    const r = await client.send(new CreateQueueCommand({ QueueName: dlqName, Attributes: { ...fifoAttrs } }));
    if (!r.QueueUrl) throw new Error(`CreateQueue ${dlqName} returned no URL`);
    dlq = { url: r.QueueUrl, name: dlqName, arn: await queueArn(client, r.QueueUrl) };
  }
  const attributes: Record<string, string> = { ...fifoAttrs };
  if (opts.visibilityTimeout !== undefined) attributes.VisibilityTimeout = String(opts.visibilityTimeout);
  if (dlq && opts.maxReceiveCount !== undefined) {
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: String(opts.maxReceiveCount),
    });
  }
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue ${name} returned no URL`);
  const arn = await queueArn(client, url);
  const contentDedup = opts.contentBasedDeduplication === true;

  const fifoParams = (extra: SendExtra = {}) =>
    fifo
      ? {
          MessageGroupId: extra.groupId ?? "g",
          MessageDeduplicationId: extra.dedupId ?? (contentDedup ? undefined : randomBytes(8).toString("hex")),
        }
      : {};

  return {
    url,
    name,
    arn,
    fifo,
    dlqUrl: dlq?.url,
    dlqName: dlq?.name,
    dlqArn: dlq?.arn,
    async send(body, attrs, extra = {}) {
      const r = await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: body,
          MessageAttributes: attrs,
          DelaySeconds: extra.delaySeconds,
          ...fifoParams(extra),
        }),
      );
      if (!r.MessageId) throw new Error("SendMessage returned no MessageId");
      return r.MessageId;
    },
    async sendMany(bodies) {
      const ids: string[] = [];
      for (let i = 0; i < bodies.length; i += 10) {
        const chunk = bodies.slice(i, i + 10);
        const r = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: chunk.map((b, j) => ({ Id: String(j), MessageBody: b, ...fifoParams() })),
          }),
        );
        if (r.Failed?.length) throw new Error(`sendMany: failed entries ${JSON.stringify(r.Failed)}`);
        const byId = new Map((r.Successful ?? []).map((s) => [s.Id, s.MessageId]));
        chunk.forEach((_, j) => {
          const id = byId.get(String(j));
          if (!id) throw new Error(`sendMany: no result for entry ${j}`);
          ids.push(id);
        });
      }
      return ids;
    },
    counts: () => countsOf(client, url),
    async dlqCounts() {
      if (!dlq) throw new Error(`queue ${name} has no DLQ (pass maxReceiveCount)`);
      const c = await countsOf(client, dlq.url);
      return { visible: c.visible, inFlight: c.inFlight };
    },
    receiveAll(fromDlq = false, o = {}) {
      if (fromDlq && !dlq) throw new Error(`queue ${name} has no DLQ (pass maxReceiveCount)`);
      return drain(client, fromDlq && dlq ? dlq.url : url, o);
    },
    async delete() {
      await deleteQuietly(client, url);
      await deleteQuietly(client, dlq?.url);
    },
  };
}
