/**
 * The settle step: what a delivery means for its message (outcome.ts decides), told as an
 * event and carried out as an SQS call: delete, change visibility, or leave it. Also the
 * other ways a held message ends: expired (RetentionPeriod) or released unposted, and, on
 * FIFO queues, the release of a failed message's group so the order holds.
 */
import type { Config } from "./config";
import type { Emit, ReleaseReason } from "./daemon-events";
import type { Delivery } from "./dispatcher";
import { messageInfo, type ReceivedMessage } from "./message";
import { decide } from "./outcome";
import { deadLetterNext, type RedrivePolicy } from "./queue-inspection";
import type { SqsBatches } from "./sqs-batches";
import type { StageTimings } from "./telemetry";
import type { Held, WorkQueue } from "./work-queue";

export interface SettlerParts {
  cfg: Config;
  batches: SqsBatches;
  work: WorkQueue;
  emit: Emit;
  /** Epoch ms (injectable: retention is tested without waiting days). */
  clock: () => number;
  /** The queue's redrive policy as last read: it decides what is dead-lettered. */
  redrivePolicy: () => RedrivePolicy | undefined;
  /** Collect per-message stage timings here (benchmarks). */
  timings?: StageTimings;
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

export class Settler {
  constructor(private readonly p: SettlerParts) {}

  /** A delivery is over: tell what it means and make the SQS call. */
  settle(h: Held, d: Delivery): void {
    const m = h.msg;
    const message = messageInfo(m);
    const latencyMs = round2(d.latencyMs);
    if (this.p.timings) this.p.timings.toRequest.push(performance.now() - d.latencyMs - h.receivedMono);
    const action = decide(this.p.cfg, d, this.p.clock());
    switch (action.kind) {
      case "delete":
        this.p.emit("delivered", { message, status: d.kind === "response" ? d.status : 0, latencyMs });
        this.delete(m);
        return;
      case "leave": {
        this.p.emit("timed-out", { message, latencyMs, ...this.handBack(m) });
        this.deadLettered(m, "timed-out");
        this.releaseGroupAfter(m);
        return;
      }
      case "visibility":
        if (d.kind === "aborted") {
          this.release(m, "aborted", latencyMs);
        } else {
          this.p.emit("failed", {
            message,
            outcome: d.kind === "response" ? "response" : d.kind === "connection-error" ? "connection-error" : "invalid",
            ...(d.kind === "response" ? { status: d.status } : {}),
            reason: action.reason,
            retryInSeconds: action.seconds,
            latencyMs,
            ...this.handBack(m),
          });
          this.deadLettered(m, "failed");
          void this.p.batches.setVisibility(m.receiptHandle, m.id, action.seconds);
        }
        this.releaseGroupAfter(m);
        return;
    }
  }

  /** Back to the queue at once (visibility 0). */
  release(m: ReceivedMessage, reason: ReleaseReason, latencyMs?: number): void {
    this.p.emit("released", { message: messageInfo(m), reason, ...(latencyMs !== undefined ? { latencyMs } : {}), ...this.handBack(m) });
    this.deadLettered(m, "released");
    void this.p.batches.setVisibility(m.receiptHandle, m.id, 0);
  }

  /** RetentionPeriod: a message first received longer ago is deleted unposted. True when it was. */
  expire(m: ReceivedMessage): boolean {
    if (m.firstReceivedAt === undefined) return false;
    const age = this.p.clock() - m.firstReceivedAt;
    if (age <= this.p.cfg.retentionPeriodMs) return false;
    this.p.emit("expired", { message: messageInfo(m), ageSeconds: Math.round(age / 1000), retentionPeriodSeconds: this.p.cfg.retentionPeriodMs / 1000 });
    void this.p.batches.delete(m.receiptHandle, m.id);
    return true;
  }

  private delete(m: ReceivedMessage): void {
    const t = this.p.timings;
    if (!t) {
      void this.p.batches.delete(m.receiptHandle, m.id);
      return;
    }
    const answered = performance.now();
    void this.p.batches.delete(m.receiptHandle, m.id, () => t.toDeleteSent.push(performance.now() - answered)).then(() => t.toDelete.push(performance.now() - answered));
  }

  private handBack(m: ReceivedMessage): { deadLetterNext: boolean; maxReceiveCount?: number } {
    const policy = this.p.redrivePolicy();
    return { deadLetterNext: deadLetterNext(m.receiveCount, policy), ...(policy ? { maxReceiveCount: policy.maxReceiveCount } : {}) };
  }

  private deadLettered(m: ReceivedMessage, after: "failed" | "timed-out" | "released"): void {
    const policy = this.p.redrivePolicy();
    if (policy && deadLetterNext(m.receiveCount, policy)) this.p.emit("dead-lettered", { message: messageInfo(m), maxReceiveCount: policy.maxReceiveCount, after });
  }

  /** FIFO: after a failure, the group's later messages go back so they follow the failed one in order. */
  private releaseGroupAfter(m: ReceivedMessage): void {
    if (m.groupId === undefined) return;
    for (const h of this.p.work.takeWaitingOfGroup(m.groupId)) this.release(h.msg, "group-order");
  }
}
