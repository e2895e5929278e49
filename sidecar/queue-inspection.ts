/**
 * What the queue's attributes and errors mean for the daemon. Pure: no SQS calls here.
 */
import type { StartFailure } from "./errors";

/** The queue's redrive policy: after `maxReceiveCount` receives SQS moves a message to the DLQ. */
export interface RedrivePolicy {
  maxReceiveCount: number;
  deadLetterTargetArn?: string;
}

/** The redrive policy as read, or why it could not be understood. */
export interface RedriveReading {
  /** Undefined: no policy (messages are retried until they expire), or an unreadable one. */
  policy?: RedrivePolicy;
  /** Set when the queue has a RedrivePolicy attribute that does not parse. */
  problem?: string;
}

/** SQS error codes that no retry can fix, and what each means for a start. */
const FATAL_QUEUE_ERRORS: ReadonlyMap<string, StartFailure> = new Map([
  ["QueueDoesNotExist", "queue-not-found"],
  ["AWS.SimpleQueueService.NonExistentQueue", "queue-not-found"],
  ["InvalidAddress", "queue-not-found"],
  ["AccessDenied", "queue-access-denied"],
  ["AccessDeniedException", "queue-access-denied"],
  ["InvalidSecurity", "queue-access-denied"],
  ["UnrecognizedClientException", "queue-access-denied"],
  ["InvalidClientTokenId", "queue-access-denied"],
]);

/** The start failure an SQS error means, or undefined when retrying may help (throttling, network). */
export function fatalQueueError(err: unknown): StartFailure | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { name?: unknown; Code?: unknown };
  const code = typeof e.Code === "string" ? e.Code : undefined;
  // Query-protocol codes may come prefixed: "com.amazonaws.sqs#QueueDoesNotExist".
  for (const c of [e.name, code, code?.split("#").pop()]) {
    const failure = typeof c === "string" ? FATAL_QUEUE_ERRORS.get(c) : undefined;
    if (failure) return failure;
  }
  return undefined;
}

/** The RedrivePolicy attribute (a JSON string) of GetQueueAttributes. */
export function readRedrivePolicy(attributes: Partial<Record<string, string>> | undefined): RedriveReading {
  const text = attributes?.RedrivePolicy;
  if (text === undefined || text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: `RedrivePolicy is not JSON: ${text}` };
  }
  const p = (typeof parsed === "object" && parsed !== null ? parsed : {}) as { maxReceiveCount?: unknown; deadLetterTargetArn?: unknown };
  // SQS returns maxReceiveCount as a number; some emulators as a string.
  const max = Number(p.maxReceiveCount);
  if (!Number.isInteger(max) || max < 1) return { problem: `RedrivePolicy has no valid maxReceiveCount: ${text}` };
  return { policy: { maxReceiveCount: max, ...(typeof p.deadLetterTargetArn === "string" ? { deadLetterTargetArn: p.deadLetterTargetArn } : {}) } };
}

export function samePolicy(a: RedrivePolicy | undefined, b: RedrivePolicy | undefined): boolean {
  return a?.maxReceiveCount === b?.maxReceiveCount && a?.deadLetterTargetArn === b?.deadLetterTargetArn;
}

/**
 * Whether a message handed back now (failed, timed out, released) goes to the DLQ instead
 * of being received again: SQS moves it on the receive after its `maxReceiveCount`-th.
 */
export function deadLetterNext(receiveCount: number, policy: RedrivePolicy | undefined): boolean {
  return policy !== undefined && receiveCount >= policy.maxReceiveCount;
}

/** A warning about the policy against MaxRetries (what the deployment meant), or undefined. */
export function redriveWarning(reading: RedriveReading, maxRetries: number): string | undefined {
  if (reading.problem) return `${reading.problem}: dead letters are not counted`;
  if (!reading.policy) return "queue has no redrive policy: failing messages are retried until they expire, never dead-lettered";
  if (reading.policy.maxReceiveCount !== maxRetries) return "MaxRetries differs from the queue's redrive maxReceiveCount; the queue's value decides";
  return undefined;
}
