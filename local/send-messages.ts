/**
 * Sending a file of messages and saying what happened, the same for `sqsd-worker send` and
 * `sqsd-worker local --send` against a running session: batched sends, a progress bar on a
 * terminal for more than one batch (plain lines at each tenth otherwise), one summary line,
 * then one line per refused message naming its source line.
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { MAX_BATCH_ENTRIES, sendBatched } from "./batch-send";
import { createProgress, type Terminal } from "./progress";
import type { OutgoingMessage } from "./send-lines";
import type { WorkerQueues } from "./sqs";

/** Failure lines shown at most (the count is always given). */
const SHOWN_FAILURES = 10;

export interface SendMessagesOptions {
  /** The file name or "stdin", for the lines. */
  source: string;
  print: (line: string) => void;
  /** Draw the progress bar here when set. */
  tty?: Terminal;
  concurrency?: number;
}

/** The outcome; `error` (a whole call failed) has been reported by the caller's error handling. */
export interface SendMessagesResult {
  sent: number;
  failed: number;
  error?: unknown;
}

export async function sendMessages(sqs: SQSClient, q: Pick<WorkerQueues, "url" | "name" | "fifo">, messages: readonly OutgoingMessage[], opts: SendMessagesOptions): Promise<SendMessagesResult> {
  const t0 = performance.now();
  const progress = messages.length > MAX_BATCH_ENTRIES ? createProgress({ label: "sent", total: messages.length, tty: opts.tty, print: opts.print }) : undefined;
  const r = await sendBatched(sqs, q, messages, { concurrency: opts.concurrency, onProgress: (sent, failed) => progress?.update(sent + failed) });
  progress?.finish();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const failed = r.failures.length;
  // Nothing sent and the call failed: the caller's error line says it all.
  if (r.error !== undefined && r.sent === 0) return { sent: 0, failed, error: r.error };
  const only = messages.length === 1 && r.ids[0] ? ` (MessageId ${r.ids[0]})` : "";
  opts.print(`sent ${r.sent} of ${messages.length} message(s) from ${opts.source} to ${q.name}${only}${failed ? `, ${failed} refused` : ""} in ${seconds} s`);
  for (const f of r.failures.slice(0, SHOWN_FAILURES)) {
    opts.print(`  ${opts.source} line ${messages[f.index]?.line ?? "?"}: refused (${f.code}${f.message ? `: ${f.message}` : ""})`);
  }
  if (failed > SHOWN_FAILURES) opts.print(`  … and ${failed - SHOWN_FAILURES} more`);
  return { sent: r.sent, failed, error: r.error };
}
