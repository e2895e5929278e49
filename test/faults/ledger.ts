/**
 * Accounting for fault-injection tests: every message sent carries a unique id in its body
 * (`fid:<run>-<n>`), and at the end each one must be accounted for: answered 200 by the app
 * (at least once), or in the dead-letter queue. Nothing lost, nothing left invisible.
 * Duplicates (more than one 200 for an id) are counted and checked against a bound the test
 * justifies (e.g. only ids whose first 200 fell in a fault window).
 */
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import { SendMessageBatchCommand, type MessageAttributeValue, type SQSClient } from "@aws-sdk/client-sqs";
import type { Behaviour, RecordedRequest, Reply } from "../support/app-server";
import type { TestQueue } from "../support/sqs-server";
import { sleep } from "../support/wait";

/** The id token in a body: `fid:<letters, digits, dot, dash, underscore>`. */
const ID_TOKEN = /fid:([A-Za-z0-9._-]+)/;

export interface OutgoingMessage {
  id: string;
  body: string;
  attrs?: Record<string, MessageAttributeValue>;
}

/** What the app decides for one request of a known id. */
export type Decide = (id: string, receiveCount: number, req: RecordedRequest) => Reply | Promise<Reply>;

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface AccountOptions {
  /** Ids expected in the DLQ (default: no expectation; any DLQ id only has to be a sent id). */
  expectDlq?: Iterable<string>;
  /**
   * Whether a duplicate 200 for `id` is allowed. `okTimes` are the Date.now() values of its
   * 200s. Default: no duplicates allowed.
   */
  duplicateAllowed?: (id: string, okTimes: number[]) => boolean;
  /** Ids that may be neither processed nor dead-lettered (e.g. deliberately left behind). */
  mayBeMissing?: Iterable<string>;
}

/** A stable number in [0, 1) from the parts (deterministic fault choice). */
export function fraction(...parts: Array<string | number>): number {
  const h = createHash("sha256").update(parts.join("|")).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export class Ledger {
  readonly run = randomBytes(3).toString("hex");
  private next = 0;
  /** id → SQS MessageId (once sent). */
  readonly sent = new Map<string, string>();
  /** id → requests the app received for it. */
  readonly requests = new Map<string, number>();
  /** id → Date.now() of its first request. */
  readonly firstRequestAt = new Map<string, number>();
  /** id → Date.now() of each 200 the app answered. */
  readonly oks = new Map<string, number[]>();
  /** Requests whose body carried no id. */
  unknownRequests = 0;
  /** id → how many times found in the DLQ. */
  readonly dlq = new Map<string, number>();
  /** DLQ bodies without a known id. */
  readonly dlqUnknown: string[] = [];
  finalCounts?: QueueCounts;

  constructor(readonly name: string) {}

  /** A fresh unique id. */
  newId(): string {
    return `${this.run}-${this.next++}`;
  }

  /** The id carried by a body, if any. */
  static idIn(text: string): string | undefined {
    return ID_TOKEN.exec(text)?.[1];
  }

  /** A JSON body carrying `id` (plus `pad` bytes of filler). */
  static jsonBody(id: string, pad = 0): string {
    return JSON.stringify({ id: `fid:${id}`, pad: "x".repeat(pad) });
  }

  /** `n` fresh messages with JSON bodies. */
  messages(n: number, pad = 0): OutgoingMessage[] {
    return Array.from({ length: n }, () => {
      const id = this.newId();
      return { id, body: Ledger.jsonBody(id, pad) };
    });
  }

  /**
   * SendMessageBatch (10 a call) with `concurrency` senders; records each id as sent.
   * Throws on any failed entry.
   */
  async send(client: SQSClient, queueUrl: string, messages: OutgoingMessage[], concurrency = 4): Promise<void> {
    let cursor = 0;
    let accepted = 0;
    const sender = async () => {
      for (;;) {
        const start = cursor;
        cursor += 10;
        if (start >= messages.length) return;
        const chunk = messages.slice(start, start + 10);
        const r = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: m.body, MessageAttributes: m.attrs })),
          }),
        );
        if (r.Failed?.length) throw new Error(`${this.name}: send failed: ${JSON.stringify(r.Failed)}`);
        for (const s of r.Successful ?? []) {
          const m = chunk[Number(s.Id)];
          if (m && s.MessageId) {
            this.sent.set(m.id, s.MessageId);
            accepted++;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    // This call's own messages, each accepted once: `sent` also holds earlier calls' ids.
    assert.equal(accepted, messages.length, `${this.name}: SQS accepted every message of this send`);
    const unsent = messages.filter((m) => !this.sent.has(m.id)).map((m) => m.id);
    assert.deepEqual(unsent, [], `${this.name}: every message sent`);
  }

  /** Record one request; returns its id (undefined when the body carries none). */
  noteRequest(req: RecordedRequest): string | undefined {
    const id = Ledger.idIn(req.body.toString("utf8"));
    if (id === undefined) {
      this.unknownRequests++;
      return undefined;
    }
    this.requests.set(id, (this.requests.get(id) ?? 0) + 1);
    if (!this.firstRequestAt.has(id)) this.firstRequestAt.set(id, Date.now());
    return id;
  }

  /** Record a 200 answered for `id`. */
  noteOk(id: string): void {
    const times = this.oks.get(id);
    if (times) times.push(Date.now());
    else this.oks.set(id, [Date.now()]);
  }

  /**
   * An app behaviour that records every request and every 200. `decide` picks the reply; a
   * 200 with delayMs is recorded once the delay is over (just before it is written).
   */
  behaviour(decide: Decide = () => ({ status: 200 })): Behaviour {
    return async (req) => {
      const id = this.noteRequest(req);
      if (id === undefined) return { status: 400, body: "no fid in body" };
      const rc = Number(req.headers["x-aws-sqsd-receive-count"] ?? "0");
      const reply = await decide(id, rc, req);
      if ("status" in reply && reply.delayMs) {
        await sleep(reply.delayMs);
        if (reply.status === 200) this.noteOk(id);
        return { ...reply, delayMs: 0 };
      }
      if ("status" in reply && reply.status === 200) this.noteOk(id);
      return reply;
    };
  }

  get processed(): number {
    return this.oks.size;
  }

  /** Ids with more than one 200, and how many. */
  duplicates(): Array<[string, number]> {
    return [...this.oks].filter(([, t]) => t.length > 1).map(([id, t]) => [id, t.length]);
  }

  /** Extra 200s beyond the first, summed over ids. */
  get duplicateCount(): number {
    return this.duplicates().reduce((n, [, c]) => n + c - 1, 0);
  }

  /** Sent ids neither processed nor (yet known to be) dead-lettered. */
  outstanding(): string[] {
    return [...this.sent.keys()].filter((id) => !this.oks.has(id) && !this.dlq.has(id));
  }

  /**
   * Wait until the queue is empty (nothing visible, in flight or delayed) and every sent id
   * is processed or counted in the DLQ's visible messages. Bounded by `timeoutMs`; returns
   * whether it settled (the assertions then explain what is missing).
   */
  async settle(queue: TestQueue, timeoutMs: number, intervalMs = 250): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const c = await queue.counts();
      const dlq = queue.dlqUrl ? (await queue.dlqCounts()).visible : 0;
      const processed = [...this.sent.keys()].filter((id) => this.oks.has(id)).length;
      if (c.visible + c.inFlight + c.delayed === 0 && processed + dlq >= this.sent.size) return true;
      await sleep(intervalMs);
    }
    return false;
  }

  /** Read (and delete) the DLQ's messages, and the main queue's final counts. */
  async collect(queue: TestQueue): Promise<void> {
    this.finalCounts = await queue.counts();
    if (!queue.dlqUrl) return;
    for (const m of await queue.receiveAll(true)) {
      const id = Ledger.idIn(m.Body ?? "");
      if (id === undefined || !this.sent.has(id)) this.dlqUnknown.push((m.Body ?? "").slice(0, 80));
      else this.dlq.set(id, (this.dlq.get(id) ?? 0) + 1);
    }
  }

  /** Every sent id processed or dead-lettered, the queue empty, duplicates within the bound. */
  assertAllAccounted(opts: AccountOptions = {}): void {
    const problems: string[] = [];
    const mayBeMissing = new Set(opts.mayBeMissing ?? []);
    const missing = this.outstanding().filter((id) => !mayBeMissing.has(id));
    if (missing.length > 0) {
      const detail = missing.slice(0, 10).map((id) => `${id} (messageId ${this.sent.get(id)}, ${this.requests.get(id) ?? 0} request(s), never 200)`);
      problems.push(`${missing.length} message(s) neither processed nor in the DLQ: ${detail.join("; ")}${missing.length > 10 ? " …" : ""}`);
    }
    const c = this.finalCounts;
    if (!c) problems.push("collect() was not called");
    else if (c.visible + c.inFlight + c.delayed !== 0) problems.push(`queue not empty at the end: ${JSON.stringify(c)}`);
    for (const [id, n] of this.dlq) {
      if (n > 1) problems.push(`${id} found ${n} times in the DLQ`);
      if (this.oks.has(id)) problems.push(`${id} is in the DLQ although the app answered it 200`);
    }
    if (this.dlqUnknown.length) problems.push(`DLQ holds ${this.dlqUnknown.length} unknown message(s): ${this.dlqUnknown.slice(0, 3).join(" | ")}`);
    if (opts.expectDlq) {
      const expected = new Set(opts.expectDlq);
      const notThere = [...expected].filter((id) => !this.dlq.has(id));
      const unexpected = [...this.dlq.keys()].filter((id) => !expected.has(id));
      if (notThere.length) problems.push(`expected in the DLQ but not there: ${notThere.slice(0, 10).join(", ")}`);
      if (unexpected.length) problems.push(`dead-lettered unexpectedly: ${unexpected.slice(0, 10).join(", ")}`);
    }
    const allowed = opts.duplicateAllowed ?? (() => false);
    const badDups = this.duplicates().filter(([id]) => !allowed(id, this.oks.get(id) ?? []));
    if (badDups.length) {
      problems.push(`${badDups.length} unjustified duplicate(s): ${badDups.slice(0, 10).map(([id, n]) => `${id}×${n} at ${(this.oks.get(id) ?? []).join(",")}`).join("; ")}`);
    }
    assert.deepEqual(problems, [], `${this.name}: not every message is accounted for:\n  - ${problems.join("\n  - ")}`);
  }

  /** One line of key figures. */
  summary(extra: Record<string, string | number> = {}): string {
    const fields: Record<string, string | number> = {
      sent: this.sent.size,
      processed: this.processed,
      deadLettered: this.dlq.size,
      duplicates: this.duplicateCount,
      duplicateIds: this.duplicates().length,
      requests: [...this.requests.values()].reduce((a, b) => a + b, 0),
      ...extra,
    };
    return `[faults] ${this.name}: ${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(" ")}`;
  }
}
