/**
 * The daemon's SQS calls (ReceiveMessage, DeleteMessageBatch, ChangeMessageVisibilityBatch,
 * GetQueueAttributes) sent without the AWS SDK: the SQS JSON protocol on the daemon's HTTP/1.1
 * pool (http1.ts), signed by sigv4.ts, credentials from credentials.ts. Per call the SDK ran
 * ~20 middlewares, a schema-driven (de)serializer, its endpoint rules and 3-4 timers: about a
 * fifth of the daemon's CPU at 50 connections; loaded, it took ~20 MiB of memory
 * (docs/performance.md). A daemon given an SDK client (local mode) takes its endpoint, region
 * and credentials from it.
 *
 * What the SDK did that still happens here: the MD5 of every received body is checked (a
 * mismatch fails the receive, as the SDK's check does); errors carry the service's error name,
 * `$fault` and `$metadata.httpStatusCode`; a clock that SQS calls skewed is corrected. Retries
 * are the callers' (the pollers back off, the batcher retries entries); a request on a pooled
 * connection that the server closed is sent again once (http-request.ts).
 */
import type {
  BatchResultErrorEntry,
  QueueAttributeName,
  ChangeMessageVisibilityBatchRequestEntry,
  DeleteMessageBatchRequestEntry,
  Message,
  MessageAttributeValue,
  MessageSystemAttributeName,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { createHash } from "node:crypto";
import type { Config } from "./config";
import { defaultCredentials } from "./credentials";
import { Deadlines } from "./deadlines";
import { Http1Pool, RequestHandle } from "./http1";
import { SigV4, type Credentials } from "./sigv4";
import { VERSION } from "./version";

export interface SqsWireOptions {
  queueUrl: string;
  /** The client's endpoint when one was configured (emulators, VPC endpoints); else the queue URL's origin is, as the SDK does. */
  endpoint: () => Promise<string | undefined>;
  region: () => Promise<string>;
  credentials: () => Promise<Credentials>;
  /** Longest a call may take: a receive waits up to WaitTime on the server. */
  requestTimeoutMs: number;
  /** Connections at most: pollers plus batch calls in flight. */
  maxSockets: number;
}

export interface ReceiveInput {
  MaxNumberOfMessages: number;
  WaitTimeSeconds: number;
  VisibilityTimeout: number;
  MessageAttributeNames: string[];
  MessageSystemAttributeNames: MessageSystemAttributeName[];
}

/** An error answer from SQS, shaped like the SDK's service exceptions. */
export class SqsServiceError extends Error {
  readonly $fault: "client" | "server";
  readonly $metadata: { httpStatusCode: number };
  constructor(
    name: string,
    message: string,
    status: number,
    /** The query protocol's code (x-amzn-query-error), e.g. AWS.SimpleQueueService.NonExistentQueue. */
    readonly Code?: string,
  ) {
    super(message);
    this.name = name;
    this.$fault = status < 500 ? "client" : "server";
    this.$metadata = { httpStatusCode: status };
  }
}

/** The answer did not come within the request timeout. */
class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** Errors that mean the signature's clock was off (the SDK's list). */
const CLOCK_SKEW_ERRORS = new Set(["AuthFailure", "InvalidSignatureException", "RequestExpired", "RequestInTheFuture", "RequestTimeTooSkewed", "SignatureDoesNotMatch"]);

interface Call {
  handle: RequestHandle;
  timedOut: boolean;
}

interface Wire {
  pool: Http1Pool;
  /** host[:port] of the endpoint (signed). */
  host: string;
  path: string;
  signer: SigV4;
}

/** SQS's JSON protocol error body: `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"…"}`. */
function serviceError(status: number, body: string, queryError: string | undefined): SqsServiceError {
  let type = "";
  let message = body.slice(0, 500);
  try {
    const parsed = JSON.parse(body) as { __type?: string; message?: string; Message?: string };
    type = parsed.__type ?? "";
    message = parsed.message ?? parsed.Message ?? message;
  } catch {
    // not JSON (a proxy's error page): keep the text
  }
  const name = type.slice(type.lastIndexOf("#") + 1) || (status >= 500 ? "InternalFailure" : `HTTP${status}`);
  return new SqsServiceError(name, message || `HTTP status ${status}`, status, queryError?.split(";")[0]);
}

function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** Binary attribute values arrive base64-encoded; the SDK's Message type holds bytes. */
function decodeAttributes(attrs: Record<string, MessageAttributeValue> | undefined): void {
  if (!attrs) return;
  for (const v of Object.values(attrs)) {
    const raw = v as { BinaryValue?: unknown; BinaryListValues?: unknown[] };
    if (typeof raw.BinaryValue === "string") v.BinaryValue = Buffer.from(raw.BinaryValue, "base64");
    if (Array.isArray(raw.BinaryListValues)) v.BinaryListValues = raw.BinaryListValues.map((b) => (typeof b === "string" ? Buffer.from(b, "base64") : (b as Uint8Array)));
  }
}

export class SqsWire {
  private readonly calls: Deadlines<Call>;
  private wire?: Wire;
  private resolving?: Promise<Wire>;
  /** Server time minus local time, learnt from a clock-skew error (as the SDK's systemClockOffset). */
  private clockOffsetMs = 0;
  private destroyed = false;
  private readonly userAgent = `sqsd-worker/${VERSION} node/${process.versions.node}`;

  constructor(private readonly opts: SqsWireOptions) {
    this.calls = new Deadlines<Call>(opts.requestTimeoutMs, (c) => {
      c.timedOut = true;
      c.handle.abort();
    });
  }

  /** ReceiveMessage on the queue: the messages, their bodies' MD5 checked. */
  async receive(input: ReceiveInput, signal?: AbortSignal): Promise<Message[]> {
    const out = await this.call<{ Messages?: Message[] }>("ReceiveMessage", { QueueUrl: this.opts.queueUrl, ...input }, signal);
    const messages = out.Messages ?? [];
    const bad: string[] = [];
    for (const m of messages) {
      if (m.MD5OfBody !== md5Hex(m.Body ?? "")) bad.push(m.MessageId ?? "?");
      decodeAttributes(m.MessageAttributes);
    }
    // The SDK's check, kept: a body changed in transit is not posted (the receive fails; SQS
    // hands the messages out again after their visibility timeout).
    if (bad.length > 0) throw new Error(`Invalid MD5 checksum on messages: ${bad.join(", ")}`);
    return messages;
  }

  async deleteBatch(entries: DeleteMessageBatchRequestEntry[]): Promise<BatchResultErrorEntry[]> {
    return (await this.call<{ Failed?: BatchResultErrorEntry[] }>("DeleteMessageBatch", { QueueUrl: this.opts.queueUrl, Entries: entries })).Failed ?? [];
  }

  async changeVisibilityBatch(entries: ChangeMessageVisibilityBatchRequestEntry[]): Promise<BatchResultErrorEntry[]> {
    return (await this.call<{ Failed?: BatchResultErrorEntry[] }>("ChangeMessageVisibilityBatch", { QueueUrl: this.opts.queueUrl, Entries: entries })).Failed ?? [];
  }

  /** GetQueueAttributes of the queue: the attributes asked for that it has. */
  async getQueueAttributes(names: QueueAttributeName[], signal?: AbortSignal): Promise<Record<string, string>> {
    return (await this.call<{ Attributes?: Record<string, string> }>("GetQueueAttributes", { QueueUrl: this.opts.queueUrl, AttributeNames: names }, signal)).Attributes ?? {};
  }

  /** Close the pooled connections. */
  destroy(): void {
    this.calls.close();
    this.wire?.pool.destroy();
    this.destroyed = true;
  }

  private async resolve(): Promise<Wire> {
    const url = new URL((await this.opts.endpoint()) ?? new URL(this.opts.queueUrl).origin);
    // Idle connections go after 30 s; one the server closed first is sent on again (http1.ts).
    const pool = new Http1Pool(url.origin, { maxSockets: this.opts.maxSockets, idleTimeoutMs: 30_000 });
    if (this.destroyed) pool.destroy();
    return { pool, host: url.host, path: url.pathname + url.search || "/", signer: new SigV4(await this.opts.region(), "sqs") };
  }

  private async call<T>(action: string, input: object, signal?: AbortSignal): Promise<T> {
    const wire = this.wire ?? (this.wire = await (this.resolving ??= this.resolve()));
    const creds = await this.opts.credentials();
    const body = JSON.stringify(input);
    const headers: Record<string, string> = {
      host: wire.host,
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `AmazonSQS.${action}`,
    };
    wire.signer.sign(headers, wire.path, body, creds, Date.now() + this.clockOffsetMs);
    headers["user-agent"] = this.userAgent;
    const call: Call = { handle: new RequestHandle(), timedOut: false };
    const onAbort = () => call.handle.abort();
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.calls.add(call);
    try {
      const res = await wire.pool.request({ method: "POST", path: wire.path, headers, body, handle: call.handle, keepBodyBytes: Number.POSITIVE_INFINITY });
      const text = res.body.toString("utf8");
      if (res.status !== 200) {
        const err = serviceError(res.status, text, res.headers["x-amzn-query-error"]);
        this.learnClock(err, res.headers.date);
        throw err;
      }
      return JSON.parse(text) as T;
    } catch (err) {
      if (call.timedOut) throw new TimeoutError(`${action}: no answer within ${this.opts.requestTimeoutMs} ms`, { cause: err });
      throw err;
    } finally {
      this.calls.delete(call);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private learnClock(err: SqsServiceError, date: string | undefined): void {
    if (!CLOCK_SKEW_ERRORS.has(err.name) || !date) return;
    const server = Date.parse(date);
    if (Number.isFinite(server)) this.clockOffsetMs = server - Date.now();
  }
}

/** Options both factories share: a receive waits up to WaitTime on the server, so only a call well past that is stuck; up to 11 pollers and 8 batch calls of each kind run at once. */
function limits(cfg: Pick<Config, "waitTimeSeconds">): Pick<SqsWireOptions, "requestTimeoutMs" | "maxSockets"> {
  return { requestTimeoutMs: (cfg.waitTimeSeconds + 10) * 1000, maxSockets: 64 };
}

/** The daemon's client for its queue, from its configuration. */
export function sqsWire(cfg: Pick<Config, "queueUrl" | "endpoint" | "region" | "waitTimeSeconds">): SqsWire {
  return new SqsWire({
    queueUrl: cfg.queueUrl,
    endpoint: () => Promise.resolve(cfg.endpoint),
    region: () => Promise.resolve(cfg.region),
    credentials: defaultCredentials(cfg.region),
    ...limits(cfg),
  });
}

/** The client for `cfg.queueUrl` with the endpoint, region and credentials an SDK client resolves (local mode hands one over). */
export function sqsWireFor(sqs: SQSClient, cfg: Pick<Config, "queueUrl" | "waitTimeSeconds">): SqsWire {
  const config = sqs.config;
  return new SqsWire({
    queueUrl: cfg.queueUrl,
    endpoint: async () => {
      if (!config.isCustomEndpoint || !config.endpoint) return undefined;
      const e = await config.endpoint();
      return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ""}${e.path}`;
    },
    region: () => config.region(),
    credentials: () => config.credentials(),
    ...limits(cfg),
  });
}
