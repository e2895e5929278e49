/**
 * The sidecar's pino log lines → typed delivery events. The daemon has no event API; its
 * logs are its stable, documented output (the same lines CloudWatch gets), so local mode
 * reads them through a custom pino destination instead of patching the daemon. Pure.
 */

/** What happened to one delivery, as the daemon logged it. */
export type DeliveryEvent =
  | { kind: "delivered"; msgId: string; status?: number; latencyMs: number; receiveCount: number; task?: string }
  | {
      kind: "failed";
      msgId: string;
      status?: number;
      outcome: string;
      latencyMs: number;
      receiveCount: number;
      task?: string;
      /** True when this was the last try: the queue moves the message to the DLQ next. */
      deadLetterNext: boolean;
      retryInSeconds?: number;
    }
  | { kind: "timed-out"; msgId: string; latencyMs: number; receiveCount: number; task?: string };

/** Any other line worth showing: warnings, errors, lifecycle. */
export interface LogNote {
  kind: "note";
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

export type SidecarEvent = DeliveryEvent | LogNote;

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Fields that pino adds to every line: not worth repeating in a note. */
const BASE_FIELDS = new Set(["level", "time", "svc", "msg", "pid", "hostname"]);

/** Parse one log line; undefined for lines that are not JSON objects. */
export function parseLogLine(line: string): SidecarEvent | undefined {
  let rec: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    rec = v as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const msg = typeof rec.msg === "string" ? rec.msg : "";
  const common = { msgId: str(rec.msgId) ?? "?", latencyMs: num(rec.latencyMs) ?? 0, receiveCount: num(rec.receiveCount) ?? 1, task: str(rec.task) };
  if (msg === "delivered") return { kind: "delivered", ...common, status: num(rec.status) };
  if (msg === "delivery failed") {
    return {
      kind: "failed",
      ...common,
      status: num(rec.status),
      outcome: str(rec.reason) ?? str(rec.outcome) ?? "failed",
      deadLetterNext: rec.deadLetterNext === true,
      retryInSeconds: num(rec.visibilityTimeout),
    };
  }
  if (msg === "delivery timed out") return { kind: "timed-out", ...common };
  const fields = Object.fromEntries(Object.entries(rec).filter(([k]) => !BASE_FIELDS.has(k)));
  return { kind: "note", level: typeof rec.level === "string" ? rec.level : "info", msg, fields };
}
