/**
 * The daemon's typed events: what happened to each message and to the daemon itself. The
 * daemon's log lines, its EMF metrics and local mode's live view are all listeners of these;
 * a program embedding the daemon subscribes the same way (`daemon.on("failed", …)`).
 */
import type { RedrivePolicy } from "./queue-inspection";
import type { Counter } from "./telemetry";

/** The message an event is about (never its body). */
export interface MessageInfo {
  /** SQS message ID. */
  id: string;
  /** ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
  /** FIFO queues: the message group. */
  groupId?: string;
  /** Periodic tasks: the task's name. */
  task?: string;
}

/** Why a message went back to the queue with visibility 0. */
export type ReleaseReason =
  /** Its request was aborted: the drain timeout passed, or a second signal. */
  | "aborted"
  /** Received but not yet posted when the stop began. */
  | "not-posted"
  /** A receive that was already waiting when the stop began brought it. */
  | "received-while-stopping"
  /** FIFO: an earlier message of its group failed, so it goes back to stay behind that one. */
  | "group-order";

/** Set on every event that hands a message back to the queue. */
interface HandBack {
  /**
   * The message has reached the queue's redrive maxReceiveCount: SQS moves it to the
   * dead-letter queue instead of delivering it again (a `dead-lettered` event follows).
   */
  deadLetterNext: boolean;
  /** The queue's redrive maxReceiveCount as last read; undefined without a redrive policy. */
  maxReceiveCount?: number;
}

export interface DaemonEvents {
  /** The queue was read; the daemon now waits for the app's health check. */
  started: { queueUrl: string; queueName: string; fifo: boolean; target: string; redrivePolicy?: RedrivePolicy };
  /** The app is healthy and the first receive starts. */
  /** `heldBound`: most messages held at once (HttpConnections + ReceiveAhead × MaxMessages). */
  receiving: { httpConnections: number; heldBound: number; fifo: boolean };
  /** The queue's redrive policy, when first read and whenever a later read finds it changed. */
  "redrive-policy": { policy?: RedrivePolicy; problem?: string; changed: boolean };
  /** The app stopped answering (health check failed, connection refused): receiving paused. */
  "app-unhealthy": { reason: string };
  /** The app answers again after `app-unhealthy`: receiving resumed. */
  "app-healthy": Record<string, never>;
  /** A receive brought messages. */
  received: { count: number };
  /** A receive failed (throttling, network, endpoint down): that poller backs off. */
  "receive-failed": { error: Error; failures: number; retryInMs: number };
  /** A receive succeeded after `failures` failed ones. */
  "receive-recovered": { failures: number };
  /** The app answered with a success status: the message is deleted. */
  delivered: { message: MessageInfo; status: number; latencyMs: number };
  /**
   * The delivery failed (another status, a connection error, or a message that cannot be
   * posted): the message comes back after `retryInSeconds`.
   */
  failed: HandBack & {
    message: MessageInfo;
    outcome: "response" | "connection-error" | "invalid";
    /** The app's status, when it answered. */
    status?: number;
    reason: string;
    retryInSeconds: number;
    latencyMs: number;
  };
  /** No answer within InactivityTimeout: the request was aborted and the message reappears when its visibility ends. */
  "timed-out": HandBack & { message: MessageInfo; latencyMs: number };
  /** The message went back to the queue at once (visibility 0). `latencyMs` when a request was aborted. */
  released: HandBack & { message: MessageInfo; reason: ReleaseReason; latencyMs?: number };
  /** The message was first received longer ago than RetentionPeriod: deleted without being posted. */
  expired: { message: MessageInfo; ageSeconds: number; retentionPeriodSeconds: number };
  /** A message handed back on its last receive: SQS moves it to the dead-letter queue next. */
  "dead-lettered": { message: MessageInfo; maxReceiveCount: number; after: "failed" | "timed-out" | "released" };
  /** A held message's visibility was extended (its request runs long, or it waits for the app). */
  "visibility-extended": { message: MessageInfo; visibilityTimeout: number };
  /** A delete or visibility change was given up after retries (a deleted message may then come back). */
  "settle-failed": { call: "delete" | "change-visibility"; messageId: string; reason: string; attempts: number };
  /** The ECS agent accepted a task scale-in protection change. */
  protection: { enabled: boolean };
  /** A stop began: no new receives; unposted messages are being released. */
  stopping: { reason: string; held: number; inFlight: number };
  /** The stop is complete: everything was settled or released, calls flushed. */
  stopped: {
    reason: string;
    tookMs: number;
    /** Requests aborted because the drain took too long (or a second signal came). */
    abortedRequests: number;
    /** Long polls aborted instead of being let return (see DrainTimeout). */
    abortedReceives: number;
    totals: Partial<Record<Counter, number>>;
  };
}

export type DaemonEventName = keyof DaemonEvents;

/** One event with its name, for listeners of every event (recorders, tests). */
export type DaemonEvent = { [K in DaemonEventName]: { type: K; payload: DaemonEvents[K] } }[DaemonEventName];

/** Emit one event (handed to the daemon's parts, so only the daemon's own code can emit). */
export type Emit = <K extends DaemonEventName>(event: K, payload: DaemonEvents[K]) => void;

const NAMES: Record<DaemonEventName, true> = {
  started: true,
  receiving: true,
  "redrive-policy": true,
  "app-unhealthy": true,
  "app-healthy": true,
  received: true,
  "receive-failed": true,
  "receive-recovered": true,
  delivered: true,
  failed: true,
  "timed-out": true,
  released: true,
  expired: true,
  "dead-lettered": true,
  "visibility-extended": true,
  "settle-failed": true,
  protection: true,
  stopping: true,
  stopped: true,
};

/** Every event name (the record above makes the compiler check the list is complete). */
export const DAEMON_EVENT_NAMES = Object.keys(NAMES) as DaemonEventName[];
