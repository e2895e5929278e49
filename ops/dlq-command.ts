/**
 * `sqsd-worker dlq list|redrive|purge` against a deployed worker: the same implementation
 * (and output) as `sqsd-worker local --dlq` (local/dlq.ts), with AWS clients and the
 * confirmation checked before anything is read.
 */
import type { CliIo } from "../local/cli-io";
import { dlqConfirmation, runDlqAction, type DlqAction } from "../local/dlq";
import { createProgress } from "../local/progress";
import { resolveTarget, workerQueues, type TargetFlags } from "./target";

export interface DlqFlags extends TargetFlags {
  limit: number;
  maxPerSecond?: number;
  yes?: boolean;
}

export async function runDlq(action: DlqAction, f: DlqFlags, io: CliIo): Promise<number> {
  // No terminal and no --yes: refused here, before the stack or a queue is even read.
  const confirm = dlqConfirmation(action, `dlq ${action}`, f.yes === true, io.ask);
  const t = await resolveTarget(f);
  try {
    await runDlqAction(t.sqs, workerQueues(t), action, {
      print: io.out,
      confirm,
      limit: f.limit,
      maxPerSecond: f.maxPerSecond,
      progress: (label, total) => createProgress({ label, total, tty: io.tty, print: io.out }),
    });
    return 0;
  } finally {
    t.sqs.destroy();
  }
}
