/**
 * The visibility heartbeat: keeps every held message invisible while it waits or its request
 * runs, so a slow job (InactivityTimeout above VisibilityTimeout) or a message waiting for the
 * app to come back is never delivered twice at once. Extends a message's visibility when less
 * than half of it is left.
 */
import type { Emit } from "./daemon-events";
import { messageInfo } from "./message";
import type { SqsBatches } from "./sqs-batches";
import type { WorkQueue } from "./work-queue";

export class VisibilityHeartbeat {
  private timer?: NodeJS.Timeout;

  constructor(
    /** VisibilityTimeout in seconds. */
    private readonly visibilityTimeout: number,
    private readonly work: WorkQueue,
    private readonly batches: SqsBatches,
    private readonly emit: Emit,
    private readonly clock: () => number,
  ) {}

  /** No heartbeat below 2 s: the calls could not keep up with the timeout. */
  start(): void {
    const vt = this.visibilityTimeout;
    if (vt < 2 || this.timer) return;
    const marginMs = Math.max(1000, (vt * 1000) / 2);
    this.timer = setInterval(() => this.beat(marginMs), Math.min(1000, marginMs / 2));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private beat(marginMs: number): void {
    const vt = this.visibilityTimeout;
    const now = this.clock();
    for (const h of this.work.heldMessages()) {
      if (h.visibleAt - now > marginMs) continue;
      h.visibleAt = now + vt * 1000;
      this.emit("visibility-extended", { message: messageInfo(h.msg), visibilityTimeout: vt });
      void this.batches.setVisibility(h.msg.receiptHandle, h.msg.id, vt);
    }
  }
}
