/**
 * Batched sends, shared by `sqsd-worker send`, `local --send` against a running session and
 * the DLQ redrive fallback: SendMessageBatch with at most 10 entries and 1 MiB per call (SQS's
 * limits), a bounded number of calls in flight. A FIFO queue gets one call at a time, so the
 * order of the input is the order within each message group.
 */
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { sendFields, type SendInput, type WorkerQueues } from "./sqs";

/** SQS's limits for one SendMessageBatch call. */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 1_048_576;

/** How many times an entry that failed on the server's side (not the sender's) is tried. */
const ENTRY_ATTEMPTS = 3;

/** An entry SQS refused, by its index in the input. */
export interface SendFailure {
  index: number;
  code: string;
  message: string;
}

export interface BatchSendResult {
  /** MessageId per input index (undefined: not sent). */
  ids: Array<string | undefined>;
  sent: number;
  failures: SendFailure[];
  /** A whole call failed (access denied, throttled after retries…): the rest was not sent. */
  error?: unknown;
}

export interface BatchSendOptions {
  /** Calls in flight at once (default 8; 1 on FIFO queues whatever is given). */
  concurrency?: number;
  /** Called after every call with the running totals. */
  onProgress?: (sent: number, failed: number) => void;
}

/** Bytes SQS counts for a message: body plus each attribute's name, type and value. */
export function messageBytes(m: SendInput): number {
  let n = Buffer.byteLength(m.body);
  for (const [name, v] of Object.entries(m.attributes ?? {})) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? "") + Buffer.byteLength(v.StringValue ?? "") + (v.BinaryValue?.byteLength ?? 0);
  }
  return n;
}

/** Input indexes grouped into calls: in order, ≤ 10 entries and ≤ 1 MiB each. */
export function planBatches(messages: readonly SendInput[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  messages.forEach((m, i) => {
    const size = messageBytes(m);
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Send every message; never throws (a failed call ends the run and is returned as `error`). */
export async function sendBatched(sqs: SQSClient, q: Pick<WorkerQueues, "url" | "fifo">, messages: readonly SendInput[], opts: BatchSendOptions = {}): Promise<BatchSendResult> {
  const result: BatchSendResult = { ids: new Array<string | undefined>(messages.length).fill(undefined), sent: 0, failures: [] };
  const batches = planBatches(messages);
  let next = 0;

  const sendBatch = async (indexes: number[]) => {
    let pending = indexes;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const r = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.url,
          Entries: pending.map((i) => ({ Id: String(i), ...sendFields(q.fifo, messages[i] as SendInput) })),
        }),
      );
      for (const s of r.Successful ?? []) {
        result.ids[Number(s.Id)] = s.MessageId;
        result.sent++;
      }
      const retry: number[] = [];
      for (const f of r.Failed ?? []) {
        // SenderFault: the entry itself is wrong (too big, bad attribute); trying again cannot help.
        if (!f.SenderFault && attempt < ENTRY_ATTEMPTS) retry.push(Number(f.Id));
        else result.failures.push({ index: Number(f.Id), code: f.Code ?? "?", message: f.Message ?? "" });
      }
      opts.onProgress?.(result.sent, result.failures.length);
      pending = retry;
      if (retry.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  };

  const worker = async () => {
    while (result.error === undefined && next < batches.length) {
      const batch = batches[next++] as number[];
      try {
        await sendBatch(batch);
      } catch (err) {
        result.error ??= err;
      }
    }
  };
  const width = q.fifo ? 1 : Math.max(1, Math.min(opts.concurrency ?? 8, batches.length));
  await Promise.all(Array.from({ length: width }, worker));
  result.failures.sort((a, b) => a.index - b.index);
  return result;
}
