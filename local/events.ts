/**
 * What local mode shows of the sidecar: its delivery outcomes, taken from the daemon's typed
 * events (never from its log text), and its other log lines as notes (warnings, errors,
 * lifecycle). Pure apart from the subscription.
 */
import type { DaemonEventName, DaemonEvents, MessageInfo } from "../sidecar/daemon-events";
import type { TypedEmitter } from "../sidecar/typed-emitter";

/** What happened to one delivery, as the live view and the tally show it. */
export type DeliveryEvent =
  | { kind: "delivered"; msgId: string; status?: number; latencyMs: number; receiveCount: number; task?: string }
  | {
      kind: "failed";
      msgId: string;
      status?: number;
      /** Why, when there is no status to show (connection error, invalid task path). */
      outcome: string;
      latencyMs: number;
      receiveCount: number;
      task?: string;
      /** True when this was the last try: the queue moves the message to the DLQ next. */
      deadLetterNext: boolean;
      retryInSeconds?: number;
      /** The queue's redrive maxReceiveCount, when the daemon knows it. */
      maxReceiveCount?: number;
    }
  | { kind: "timed-out"; msgId: string; latencyMs: number; receiveCount: number; task?: string; deadLetterNext?: boolean; maxReceiveCount?: number };

/** Any other line worth showing: warnings, errors, lifecycle. */
export interface LogNote {
  kind: "note";
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** The daemon events local mode shows itself (so the sidecar does not also log them). */
export const DELIVERY_EVENTS: readonly DaemonEventName[] = ["delivered", "failed", "timed-out"];

function about(m: MessageInfo): { msgId: string; receiveCount: number; task?: string } {
  return { msgId: m.id, receiveCount: m.receiveCount, ...(m.task !== undefined ? { task: m.task } : {}) };
}

/** Call `fn` with every delivery outcome of the daemon. */
export function onDelivery(daemon: TypedEmitter<DaemonEvents>, fn: (e: DeliveryEvent) => void): void {
  daemon.on("delivered", (e) => fn({ kind: "delivered", ...about(e.message), status: e.status, latencyMs: e.latencyMs }));
  daemon.on("failed", (e) =>
    fn({
      kind: "failed",
      ...about(e.message),
      status: e.status,
      outcome: e.reason,
      latencyMs: e.latencyMs,
      deadLetterNext: e.deadLetterNext,
      retryInSeconds: e.retryInSeconds,
      maxReceiveCount: e.maxReceiveCount,
    }),
  );
  daemon.on("timed-out", (e) => fn({ kind: "timed-out", ...about(e.message), latencyMs: e.latencyMs, deadLetterNext: e.deadLetterNext, maxReceiveCount: e.maxReceiveCount }));
}

/** Fields that pino adds to every line: not worth repeating in a note. */
const BASE_FIELDS = new Set(["level", "time", "svc", "msg", "pid", "hostname"]);

function jsonObject(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One sidecar log line as a note; undefined for lines that are not JSON objects. */
export function parseLogNote(line: string): LogNote | undefined {
  const rec = jsonObject(line);
  if (!rec) return undefined;
  const fields = Object.fromEntries(Object.entries(rec).filter(([k]) => !BASE_FIELDS.has(k)));
  return { kind: "note", level: typeof rec.level === "string" ? rec.level : "info", msg: typeof rec.msg === "string" ? rec.msg : "", fields };
}
