/**
 * SQS's own redrive: StartMessageMoveTask moves a DLQ's messages server-side (at a rate, with
 * its own progress), then ListMessageMoveTasks is polled until the task ends. The task keeps
 * running in SQS if this process stops; only one task per source queue can run at a time.
 * ElasticMQ 1.7.1 has the API; fauxqs 2.4.1 does not (`InvalidAction`): callers then use
 * receive → send → delete (see dlq.ts).
 */
import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type ListMessageMoveTasksResultEntry, type SQSClient } from "@aws-sdk/client-sqs";

/** The server has no message move task API. */
export class MoveTaskUnsupportedError extends Error {
  override name = "MoveTaskUnsupportedError";
}

/** The task ended other than COMPLETED, or could not start. */
export class MoveTaskError extends Error {
  override name = "MoveTaskError";
}

/** Whether an error says the server does not know the action. */
export function isUnsupportedAction(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return /^(InvalidAction|UnsupportedOperation|UnknownOperationException)$/.test(e.name ?? "") || /unknown action|not supported|unsupported operation/i.test(e.message ?? "");
}

async function listTasks(sqs: SQSClient, sourceArn: string): Promise<ListMessageMoveTasksResultEntry[]> {
  try {
    return (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }))).Results ?? [];
  } catch (err) {
    if (isUnsupportedAction(err)) throw new MoveTaskUnsupportedError("this SQS server has no message move task API", { cause: err });
    throw err;
  }
}

/** A move task in progress, ready to start: the check for support and for a running task is done. */
export interface PreparedMove {
  start(opts: MoveOptions): Promise<number>;
}

export interface MoveOptions {
  destinationArn: string;
  /** MaxNumberOfMessagesPerSecond (1-500); SQS's own default (an adaptive rate) when absent. */
  maxPerSecond?: number;
  /** Poll interval of ListMessageMoveTasks (default 1 s). */
  pollMs?: number;
  onStarted?: (taskHandle: string) => void;
  onProgress?: (moved: number, total: number) => void;
}

const when = (ms?: number) => (ms ? new Date(ms).toISOString() : "?");

/**
 * Check that the server has the API and that no task is running on `sourceArn`. Throws
 * MoveTaskUnsupportedError or MoveTaskError; read-only.
 */
export async function prepareMove(sqs: SQSClient, sourceArn: string, sourceName: string): Promise<PreparedMove> {
  const before = await listTasks(sqs, sourceArn);
  const running = before.find((t) => t.Status === "RUNNING" || t.Status === "CANCELLING");
  if (running) {
    throw new MoveTaskError(
      `a message move task is already ${running.Status?.toLowerCase()} on ${sourceName} (started ${when(running.StartedTimestamp)}, ` +
        `${running.ApproximateNumberOfMessagesMoved ?? 0} of ${running.ApproximateNumberOfMessagesToMove ?? "?"} moved): wait for it to end`,
    );
  }
  // Our task is the one that is newer than every task listed now (a finished task has no handle).
  const newestBefore = Math.max(0, ...before.map((t) => t.StartedTimestamp ?? 0));
  return {
    async start(opts) {
      const r = await sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: opts.destinationArn, MaxNumberOfMessagesPerSecond: opts.maxPerSecond }),
      );
      const handle = r.TaskHandle ?? "";
      opts.onStarted?.(handle);
      for (;;) {
        const tasks = await listTasks(sqs, sourceArn);
        const t = tasks.find((x) => handle !== "" && x.TaskHandle === handle) ?? tasks.find((x) => (x.StartedTimestamp ?? 0) > newestBefore);
        if (t) {
          const moved = t.ApproximateNumberOfMessagesMoved ?? 0;
          // ToMove is the count taken when the task started (its total), not what is left.
          opts.onProgress?.(moved, Math.max(moved, t.ApproximateNumberOfMessagesToMove ?? 0));
          if (t.Status === "COMPLETED") return moved;
          if (t.Status === "FAILED") throw new MoveTaskError(`the message move task failed after ${moved} message(s): ${t.FailureReason ?? "no reason given"}`);
          if (t.Status === "CANCELLED") throw new MoveTaskError(`the message move task was cancelled after ${moved} message(s)`);
        }
        await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 1000));
      }
    },
  };
}
