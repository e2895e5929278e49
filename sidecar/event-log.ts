/**
 * The daemon's events as JSON log lines: one per delivery outcome and lifecycle step, with
 * the fields (and messages) operators query in CloudWatch Logs. A listener like any other;
 * local mode leaves out the outcomes it shows itself.
 */
import type { Config } from "./config";
import type { DaemonEventName, DaemonEvents, MessageInfo } from "./daemon-events";
import { errorText } from "./errors";
import { redriveWarning } from "./queue-inspection";
import type { Logger } from "./telemetry";
import type { TypedEmitter } from "./typed-emitter";

/** The fields every outcome line carries about its message. */
function about(m: MessageInfo): { msgId: string; receiveCount: number; task?: string } {
  return { msgId: m.id, receiveCount: m.receiveCount, ...(m.task !== undefined ? { task: m.task } : {}) };
}

export function logEvents(events: TypedEmitter<DaemonEvents>, log: Logger, cfg: Pick<Config, "maxRetries" | "queueName" | "inactivityTimeoutMs">, except: ReadonlySet<DaemonEventName> = new Set()): void {
  const on: TypedEmitter<DaemonEvents>["on"] = (event, listener) => (except.has(event) ? events : events.on(event, listener));

  on("started", (e) => log.info({ target: e.target, queue: e.queueUrl }, "waiting for the app"));
  on("receiving", (e) => log.info({ httpConnections: e.httpConnections, heldBound: e.heldBound, fifo: e.fifo }, "receiving"));
  on("redrive-policy", (e) => {
    const warning = redriveWarning(e, cfg.maxRetries);
    const fields = { queue: cfg.queueName, maxRetries: cfg.maxRetries, maxReceiveCount: e.policy?.maxReceiveCount };
    if (e.changed) log.info({ ...fields, redrivePolicy: e.policy }, "the queue's redrive policy changed");
    if (warning) log.warn(fields, warning);
  });
  on("app-unhealthy", (e) => log.warn({ reason: e.reason }, "app unhealthy: receiving paused"));
  on("app-healthy", () => log.info("app healthy: receiving"));
  on("receive-failed", (e) => log.warn({ err: errorText(e.error), failures: e.failures, retryInMs: e.retryInMs }, "receive failed: backing off"));
  on("receive-recovered", (e) => log.info({ after: e.failures }, "receive recovered"));
  // The busiest line: its fields are not even built when info is off (LogLevel=warn).
  on("delivered", (e) => {
    if (log.isLevelEnabled("info")) log.info({ ...about(e.message), status: e.status, outcome: "response", latencyMs: e.latencyMs, action: "delete" }, "delivered");
  });
  on("failed", (e) =>
    log.warn(
      {
        ...about(e.message),
        status: e.status,
        outcome: e.outcome,
        latencyMs: e.latencyMs,
        action: "retry",
        visibilityTimeout: e.retryInSeconds,
        reason: e.reason,
        deadLetterNext: e.deadLetterNext || undefined,
      },
      "delivery failed",
    ),
  );
  on("timed-out", (e) =>
    log.warn(
      { ...about(e.message), outcome: "timeout", latencyMs: e.latencyMs, action: "leave", inactivityTimeout: cfg.inactivityTimeoutMs / 1000, deadLetterNext: e.deadLetterNext || undefined },
      "delivery timed out",
    ),
  );
  on("released", (e) => {
    const fields = { ...about(e.message), reason: e.reason, latencyMs: e.latencyMs, action: "release", deadLetterNext: e.deadLetterNext || undefined };
    // An aborted request is news; a message handed back unposted during a stop is routine.
    if (e.reason === "aborted") log.warn(fields, "released");
    else log.debug(fields, "released");
  });
  on("expired", (e) => log.warn({ msgId: e.message.id, ageSeconds: e.ageSeconds, retentionPeriod: e.retentionPeriodSeconds }, "message past RetentionPeriod: deleted unposted"));
  on("visibility-extended", (e) => {
    if (log.isLevelEnabled("debug")) log.debug({ msgId: e.message.id, visibilityTimeout: e.visibilityTimeout }, "visibility extended");
  });
  on("settle-failed", (e) => {
    const fields = { msgId: e.messageId, reason: e.reason, attempts: e.attempts };
    if (e.call === "delete") log.error(fields, "delete failed: the message will be delivered again");
    else log.warn(fields, "visibility change failed: the message reappears when its current visibility ends");
  });
  on("protection", (e) => log.debug({ enabled: e.enabled }, "task scale-in protection updated"));
  on("stopping", (e) => log.info({ reason: e.reason, held: e.held, inFlight: e.inFlight }, "stopping: receiving stopped, draining"));
  on("stopped", (e) => log.info({ reason: e.reason, totals: e.totals, tookMs: e.tookMs, abortedRequests: e.abortedRequests, abortedReceives: e.abortedReceives }, "stopped"));
}
