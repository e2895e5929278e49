/**
 * Running totals of a local session, fed with the daemon's delivery outcomes. Pure, so the
 * summary's numbers are tested without a queue.
 */
import type { DeliveryEvent } from "./events";

/** Totals of the session (the summary's machine-checkable lines). */
export interface Totals {
  sent: number;
  delivered: number;
  /** Failed or timed-out deliveries that go back to the queue for another try. */
  retried: number;
  /** Failed or timed-out deliveries on the last try (the queue's maxReceiveCount): the queue dead-letters them. */
  deadLettered: number;
  timedOut: number;
}

export class Tally {
  readonly totals: Totals = { sent: 0, delivered: 0, retried: 0, deadLettered: 0, timedOut: 0 };
  /** Latency (ms) of every delivery attempt, in order. */
  readonly latencies: number[] = [];
  /** Message IDs that reached an end state (deleted after success, or headed for the DLQ). */
  readonly settled = new Set<string>();

  sent(n = 1): void {
    this.totals.sent += n;
  }

  record(e: DeliveryEvent): void {
    this.latencies.push(e.latencyMs);
    switch (e.kind) {
      case "delivered":
        this.totals.delivered++;
        this.settled.add(e.msgId);
        return;
      case "failed":
        if (e.deadLetterNext) {
          this.totals.deadLettered++;
          this.settled.add(e.msgId);
        } else this.totals.retried++;
        return;
      case "timed-out":
        this.totals.timedOut++;
        if (e.deadLetterNext) {
          this.totals.deadLettered++;
          this.settled.add(e.msgId);
        } else this.totals.retried++;
        return;
    }
  }

  /** p50 / p95 / max of the attempts so far, in ms (0 when none). */
  latencySummary(): { p50: number; p95: number; max: number } {
    if (this.latencies.length === 0) return { p50: 0, p95: 0, max: 0 };
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
  }
}

/** The summary block: one `name: value` line each, stable names for scripts and tests. */
export function summaryLines(t: Tally, extra: { inFlight: number; queueDepth: number; dlqDepth: number; elapsedMs: number }): string[] {
  const l = t.latencySummary();
  const ms = (v: number) => `${Math.round(v * 10) / 10} ms`;
  return [
    `sent: ${t.totals.sent}`,
    `delivered: ${t.totals.delivered}`,
    `retried: ${t.totals.retried}`,
    `dead-lettered: ${t.totals.deadLettered}`,
    `timed out: ${t.totals.timedOut}`,
    `in flight: ${extra.inFlight}`,
    `queue depth: ${extra.queueDepth}`,
    `dlq depth: ${extra.dlqDepth}`,
    `latency: p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)}`,
    `elapsed: ${(extra.elapsedMs / 1000).toFixed(1)} s`,
  ];
}
