/**
 * Dead-letter queue operations, one implementation for `sqsd-worker local --dlq` (the
 * emulator) and `sqsd-worker dlq` (AWS): list, redrive (back to the worker queue) and purge.
 *
 * - list peeks: receives with visibility 0, so nothing is hidden or consumed, up to a bound.
 * - redrive uses SQS's own message move task when the server has it; otherwise (fauxqs)
 *   receive → send → delete, in that order, so an interruption duplicates rather than loses.
 * - redrive and purge ask first (see confirm.ts). Nothing else here deletes a message.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { sendBatched } from "./batch-send";
import { confirmation, DeclinedError, type Ask, type Confirm } from "./confirm";
import { MoveTaskError, MoveTaskUnsupportedError, prepareMove } from "./move-task";
import type { Progress } from "./progress";
import { depthOf, queueArn, type SendInput, type WorkerQueues } from "./sqs";

export const DLQ_ACTIONS = ["list", "redrive", "purge"] as const;
export type DlqAction = (typeof DLQ_ACTIONS)[number];

/** Default and largest bound of `list`. */
export const LIST_LIMIT = { default: 100, max: 1000 } as const;

export interface ReceiveAllOptions {
  /** Visibility given to each received message, in seconds. */
  visibilitySeconds: number;
  /** Long-poll wait of each receive (default 0: stop at the first empty receive). */
  waitTimeSeconds?: number;
  /** Called with each batch before the next receive (e.g. to delete it). */
  onBatch?: (batch: Message[]) => Promise<void>;
}

function receive(sqs: SQSClient, url: string, max: number, visibilitySeconds: number, waitTimeSeconds = 0) {
  return sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
      WaitTimeSeconds: waitTimeSeconds,
      VisibilityTimeout: visibilitySeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
}

/** Receive every message of `url` once, with all attributes, until a receive comes back empty. */
export async function receiveAll(sqs: SQSClient, url: string, opts: ReceiveAllOptions): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const batch = (await receive(sqs, url, 10, opts.visibilitySeconds, opts.waitTimeSeconds)).Messages ?? [];
    if (batch.length === 0) return out;
    out.push(...batch);
    await opts.onBatch?.(batch);
  }
}

/**
 * Up to `limit` distinct messages of `url`, received with visibility 0 so they stay visible.
 * SQS hands out a sample per receive; stop once `expected` are seen, the bound is reached,
 * or three receives in a row bring nothing new.
 */
export async function peekMessages(sqs: SQSClient, url: string, limit: number, expected: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  let idle = 0;
  for (let calls = 0; seen.size < Math.min(limit, expected) && idle < 3 && calls < limit + 10; calls++) {
    const batch = (await receive(sqs, url, limit - seen.size, 0)).Messages ?? [];
    const fresh = batch.filter((m) => m.MessageId && !seen.has(m.MessageId));
    for (const m of fresh) if (seen.size < limit) seen.set(m.MessageId as string, m);
    idle = fresh.length === 0 ? idle + 1 : 0;
  }
  return [...seen.values()];
}

/** One line per message: id, sent time, attributes, then the body (shortened). */
export function describeMessage(m: Message, maxBody = 200): string {
  const attrs = Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => `${k}=${v.StringValue ?? "(binary)"}`);
  const body = m.Body ?? "";
  const shown = body.length > maxBody ? `${body.slice(0, maxBody)}… (${body.length} chars)` : body;
  const sent = m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : "?";
  return `${m.MessageId ?? "?"}  sent ${sent}${attrs.length ? `  [${attrs.join(", ")}]` : ""}\n    ${shown}`;
}

/** A received message as it is sent back: body, message attributes, FIFO group. */
function resendInput(m: Message): SendInput {
  const attributes = Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).filter(([, v]) => v.DataType !== undefined));
  return { body: m.Body ?? "", attributes, groupId: m.Attributes?.MessageGroupId };
}

/** What a DLQ action needs besides the queues. */
export interface DlqOptions {
  /** Where lines go, as they happen. */
  print: (line: string) => void;
  /** Asked before redrive and purge. */
  confirm: Confirm;
  /** list: most messages shown (default LIST_LIMIT.default). */
  limit?: number;
  /** redrive: most messages moved per second. */
  maxPerSecond?: number;
  /** redrive: a progress reporter for `total` messages (a bar on a terminal). */
  progress?: (label: string, total: number) => Progress;
  /** redrive: ListMessageMoveTasks poll interval (tests). */
  pollMs?: number;
}

/**
 * The confirmation an action needs: none for list; for redrive and purge `--yes` or the
 * terminal (a ConfigError at once when there is neither, before anything is read).
 */
export function dlqConfirmation(action: DlqAction, what: string, yes: boolean, ask: Ask | undefined): Confirm {
  return action === "list" ? () => Promise.resolve(true) : confirmation(what, yes, ask);
}

/** Run one action, printing its lines. Throws DeclinedError when not confirmed. */
export async function runDlqAction(sqs: SQSClient, q: WorkerQueues, action: DlqAction, opts: DlqOptions): Promise<void> {
  switch (action) {
    case "list":
      return list(sqs, q, opts);
    case "redrive":
      return redrive(sqs, q, opts);
    case "purge":
      return purge(sqs, q, opts);
  }
}

async function list(sqs: SQSClient, q: WorkerQueues, opts: DlqOptions): Promise<void> {
  const limit = opts.limit ?? LIST_LIMIT.default;
  // In flight counts too: a peek elsewhere may have left a message "invisible" for 0 s (fauxqs).
  const depth = await depthOf(sqs, q.dlqUrl);
  const messages = await peekMessages(sqs, q.dlqUrl, limit, depth.visible + depth.inFlight);
  const count = Math.max(messages.length, depth.visible + depth.inFlight);
  const why = messages.length >= limit ? `--limit shows more, at most ${LIST_LIMIT.max}` : "the others are in flight: received by someone else";
  opts.print(`dead-letter queue ${q.dlqName}: ${count} message(s)${messages.length < count ? `, showing ${messages.length} (${why})` : ""}`);
  for (const m of messages) opts.print(describeMessage(m));
}

async function redrive(sqs: SQSClient, q: WorkerQueues, opts: DlqOptions): Promise<void> {
  const depth = await depthOf(sqs, q.dlqUrl);
  const total = depth.visible + depth.inFlight;
  if (total === 0) {
    opts.print(`dead-letter queue ${q.dlqName} is empty: nothing to redrive`);
    return;
  }
  const [dlqArn, queueArnValue] = await Promise.all([queueArn(sqs, q.dlqUrl), queueArn(sqs, q.url)]);
  // Read-only checks first (API present, no task running), so the question says what will happen.
  const move = await prepareMove(sqs, dlqArn, q.dlqName).catch((err: unknown) => {
    if (err instanceof MoveTaskUnsupportedError) return undefined;
    throw err;
  });
  const how = move ? "with an SQS message move task" : "by receive → send → delete (this server has no message move task)";
  const rate = opts.maxPerSecond ? `, at most ${opts.maxPerSecond}/s` : "";
  if (!(await opts.confirm(`Move about ${total} message(s) from ${q.dlqName} back to ${q.name} ${how}${rate}?`))) {
    throw new DeclinedError("not confirmed: nothing was moved");
  }
  opts.print(`redriving about ${total} message(s) from ${q.dlqName} to ${q.name} ${how}${rate}`);
  const progress = opts.progress?.("moved", total);
  const onProgress = (moved: number, of: number) => progress?.update(moved, of);
  let moved: number;
  try {
    moved = move
      ? await move.start({
          destinationArn: queueArnValue,
          maxPerSecond: opts.maxPerSecond,
          pollMs: opts.pollMs,
          onStarted: (handle) => opts.print(`move task ${handle} started (it goes on in SQS if this command stops; cancel: aws sqs cancel-message-move-task --task-handle ${handle})`),
          onProgress,
        })
      : await redriveByCopy(sqs, q, total, opts.maxPerSecond, onProgress);
  } finally {
    progress?.finish();
  }
  opts.print(`redrove ${moved} message(s) from ${q.dlqName} to ${q.name}`);
}

/**
 * Redrive without the move task: receive a batch (hidden for a minute), send it to the
 * worker queue, then delete from the DLQ only what was sent. At most `total` messages (the
 * count at the start), so messages that fail again and come back are not moved in a loop.
 */
async function redriveByCopy(sqs: SQSClient, q: WorkerQueues, total: number, maxPerSecond: number | undefined, onProgress: (moved: number, total: number) => void): Promise<number> {
  const started = performance.now();
  let moved = 0;
  while (moved < total) {
    const batch = (await receive(sqs, q.dlqUrl, total - moved, 60)).Messages ?? [];
    if (batch.length === 0) break;
    const sent = await sendBatched(sqs, q, batch.map(resendInput), { concurrency: 1 });
    const unsent = batch.filter((_, i) => sent.ids[i] === undefined);
    if (unsent.length > 0) {
      // Not sent: visible again at once, still in the DLQ.
      await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: q.dlqUrl, Entries: unsent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })) }));
    }
    const done = batch.filter((_, i) => sent.ids[i] !== undefined);
    if (done.length > 0) {
      const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.dlqUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      if (del.Failed?.length) throw new MoveTaskError(`${del.Failed.length} message(s) were sent back to ${q.name} but could not be deleted from ${q.dlqName} (${del.Failed[0]?.Code}): they are now in both queues`);
    }
    moved += done.length;
    onProgress(moved, total);
    if (sent.error !== undefined) throw sent.error;
    if (sent.failures.length > 0) {
      const f = sent.failures[0];
      throw new MoveTaskError(`${sent.failures.length} message(s) could not be sent back to ${q.name} (${f?.code}: ${f?.message}); they stay in ${q.dlqName}. Moved ${moved}.`);
    }
    if (maxPerSecond) {
      const wait = (moved / maxPerSecond) * 1000 - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return moved;
}

async function purge(sqs: SQSClient, q: WorkerQueues, opts: DlqOptions): Promise<void> {
  const before = await depthOf(sqs, q.dlqUrl);
  const n = before.visible + before.inFlight + before.delayed;
  if (!(await opts.confirm(`Delete all ${n} message(s) in ${q.dlqName}? This cannot be undone.`))) {
    throw new DeclinedError("not confirmed: nothing was deleted");
  }
  await sqs.send(new PurgeQueueCommand({ QueueUrl: q.dlqUrl }));
  opts.print(`purged ${q.dlqName} (${n} message(s))`);
}
