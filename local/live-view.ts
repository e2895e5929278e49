/**
 * The readable live view: one line per delivery attempt (with its latency), warnings from
 * the sidecar, and a status line (in flight, queue depth, DLQ) whenever it changes. Plain
 * lines, no cursor tricks, so the output reads the same in a terminal, a CI log or a pipe.
 */
import type { DeliveryEvent, LogNote } from "./events";
import type { Totals } from "./tally";

/** Where the view writes: one call per line, without the newline. */
export type Printer = (line: string) => void;

/** What the status line shows. */
export interface StatusSnapshot {
  totals: Totals;
  inFlight: number;
  queue: { visible: number; inFlight: number; delayed: number };
  dlq: number;
}

const clock = () => new Date().toISOString().slice(11, 23);

/** A live-view line: UTC clock, tag, text (also the form of `sqsd-worker status --watch`). */
export function stampedLine(tag: string, text: string): string {
  return `${clock()}  ${tag.padEnd(13)} ${text}`;
}
const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

export class LiveView {
  private lastStatus = "";
  /** A readable name per message ID: what was sent, or the periodic task. */
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly print: Printer,
    private readonly maxRetries: number,
  ) {}

  label(msgId: string, text: string): void {
    this.labels.set(msgId, text);
  }

  private name(msgId: string, task?: string): string {
    return this.labels.get(msgId) ?? (task ? `task ${task}` : `msg ${msgId.slice(0, 8)}`);
  }

  line(tag: string, text: string): void {
    this.print(stampedLine(tag, text));
  }

  delivery(e: DeliveryEvent): void {
    const who = this.name(e.msgId, e.task);
    // The queue's own maxReceiveCount when the daemon read one: it is what dead-letters.
    const tryText = `try ${e.receiveCount}/${(e.kind !== "delivered" ? e.maxReceiveCount : undefined) ?? this.maxRetries}`;
    switch (e.kind) {
      case "delivered":
        return this.line("delivered", `${who}  ${e.status ?? ""} in ${ms(e.latencyMs)} (${tryText})`);
      case "failed": {
        const why = e.status !== undefined ? `HTTP ${e.status}` : e.outcome;
        if (e.deadLetterNext) return this.line("dead-letter", `${who}  ${why} in ${ms(e.latencyMs)} (${tryText}: last try, the queue moves it to the DLQ)`);
        return this.line("retry", `${who}  ${why} in ${ms(e.latencyMs)} (${tryText}, back in ${e.retryInSeconds ?? "?"} s)`);
      }
      case "timed-out":
        if (e.deadLetterNext) return this.line("dead-letter", `${who}  no answer after ${ms(e.latencyMs)} (${tryText}: last try, the queue moves it to the DLQ)`);
        return this.line("timed out", `${who}  no answer after ${ms(e.latencyMs)} (${tryText}; reappears after the visibility timeout)`);
    }
  }

  note(n: LogNote): void {
    const fields = Object.entries(n.fields)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    this.line(`sidecar ${n.level}`, `${n.msg}${fields ? `  ${fields}` : ""}`);
  }

  /** Print the status line if anything in it changed. */
  status(s: StatusSnapshot): void {
    const t = s.totals;
    const text =
      `delivered ${t.delivered} | retried ${t.retried} | dead-lettered ${t.deadLettered} | in flight ${s.inFlight}` +
      ` | queue ${s.queue.visible} visible, ${s.queue.inFlight} invisible${s.queue.delayed ? `, ${s.queue.delayed} delayed` : ""} | dlq ${s.dlq}`;
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.line("status", text);
  }
}
