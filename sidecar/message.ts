/**
 * One received SQS message, normalised once at receive time so the rest of the daemon
 * never digs through the SDK's optional fields.
 */
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { MessageInfo } from "./daemon-events";

/** Attributes that mark a periodic-task message (cron.yaml entry). */
export const TASK_NAME_ATTR = "beanstalk.sqsd.task_name";
export const TASK_PATH_ATTR = "beanstalk.sqsd.path";
export const TASK_TIME_ATTR = "beanstalk.sqsd.scheduled_time";
export const RESERVED_ATTR_PREFIX = "beanstalk.sqsd.";

export interface PeriodicTask {
  name: string;
  path: string;
  /** Scheduled time as sent; formatted to ISO 8601 UTC when it parses as a date. */
  scheduledAt: string;
}

export interface ReceivedMessage {
  id: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
  /** Epoch ms; undefined when the server did not send it. */
  firstReceivedAt?: number;
  sentAt?: number;
  senderId?: string;
  traceHeader?: string;
  groupId?: string;
  sequenceNumber?: string;
  deduplicationId?: string;
  attributes: Record<string, MessageAttributeValue>;
  task?: PeriodicTask;
  /** When this daemon received it (epoch ms), for latency and visibility tracking. */
  receivedAt: number;
}

function epochMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function periodicTask(attrs: Record<string, MessageAttributeValue>): PeriodicTask | undefined {
  const name = attrs[TASK_NAME_ATTR]?.StringValue;
  const path = attrs[TASK_PATH_ATTR]?.StringValue;
  if (name === undefined && path === undefined) return undefined;
  return { name: name ?? "", path: path ?? "", scheduledAt: attrs[TASK_TIME_ATTR]?.StringValue ?? "" };
}

export function normalise(msg: Message, receivedAt: number): ReceivedMessage {
  const sys = msg.Attributes ?? {};
  const attributes = msg.MessageAttributes ?? {};
  return {
    id: msg.MessageId ?? "",
    receiptHandle: msg.ReceiptHandle ?? "",
    body: msg.Body ?? "",
    receiveCount: Number(sys.ApproximateReceiveCount ?? "1"),
    firstReceivedAt: epochMs(sys.ApproximateFirstReceiveTimestamp),
    sentAt: epochMs(sys.SentTimestamp),
    senderId: sys.SenderId,
    traceHeader: sys.AWSTraceHeader,
    groupId: sys.MessageGroupId,
    sequenceNumber: sys.SequenceNumber,
    deduplicationId: sys.MessageDeduplicationId,
    attributes,
    task: periodicTask(attributes),
    receivedAt,
  };
}

/** What events say about a message: its identity and delivery count, never its body. */
export function messageInfo(m: ReceivedMessage): MessageInfo {
  const info: MessageInfo = { id: m.id, receiveCount: m.receiveCount };
  if (m.groupId !== undefined) info.groupId = m.groupId;
  if (m.task) info.task = m.task.name;
  return info;
}

/** ISO 8601 UTC without fractional seconds, e.g. 2014-10-21T11:01:06Z (Beanstalk's form). */
export function isoUtc(epoch: number): string {
  return new Date(epoch).toISOString().replace(/\.\d{3}Z$/, "Z");
}
