/**
 * What a delivery means for its message: delete it, change its visibility, or leave it.
 */
import type { Config } from "./config";
import type { Delivery } from "./dispatcher";

export type Action =
  | { kind: "delete" }
  /** Set visibility so the message comes back after `seconds`. */
  | { kind: "visibility"; seconds: number; reason: string }
  /** Do nothing: the message reappears when its current visibility ends. */
  | { kind: "leave"; reason: string };

const MAX_VISIBILITY = 43200;

/** Retry-After as seconds: delta-seconds or an HTTP-date; undefined when unparseable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(MAX_VISIBILITY, Math.max(0, seconds));
}

export function isSuccess(cfg: Config, status: number): boolean {
  return cfg.successStatus === "2xx" ? status >= 200 && status < 300 : status === 200;
}

export function decide(cfg: Config, d: Delivery, now: number): Action {
  switch (d.kind) {
    case "response": {
      if (isSuccess(cfg, d.status)) return { kind: "delete" };
      if (d.status === 429 || d.status === 503) {
        const after = parseRetryAfter(d.retryAfter, now);
        if (after !== undefined) return { kind: "visibility", seconds: after, reason: `status ${d.status}, Retry-After ${after}s` };
      }
      return { kind: "visibility", seconds: cfg.errorVisibilityTimeout, reason: `status ${d.status}` };
    }
    case "connection-error":
      return { kind: "visibility", seconds: cfg.errorVisibilityTimeout, reason: d.error };
    case "invalid":
      return { kind: "visibility", seconds: cfg.errorVisibilityTimeout, reason: d.error };
    case "timeout":
      return { kind: "leave", reason: `no response within InactivityTimeout (${cfg.inactivityTimeoutMs / 1000}s)` };
    case "aborted":
      return { kind: "visibility", seconds: 0, reason: "shutdown: request aborted after the drain timeout" };
  }
}
