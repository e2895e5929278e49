/**
 * The request headers of one delivery: every header the app sees is built here.
 */
import { createHmac } from "node:crypto";
import type { Config } from "./config";
import { ATTRIBUTE_HEADER_PREFIX } from "./header-names";
import { RESERVED_ATTR_PREFIX, isoUtc, type ReceivedMessage } from "./message";

export interface BuiltHeaders {
  headers: Record<string, string>;
  /** Attribute names not forwarded because their value cannot be a header value. */
  dropped: string[];
}

/** Characters an HTTP header value may not carry (CR, LF, NUL and other controls but tab). */
const FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * A header value as bytes on the wire: UTF-8 text is sent as its raw bytes (Node writes
 * header strings as latin1), so non-ASCII attribute values arrive unchanged.
 */
export function headerValue(text: string): string | undefined {
  if (FORBIDDEN.test(text)) return undefined;
  return /[^\x00-\x7f]/.test(text) ? Buffer.from(text, "utf8").toString("latin1") : text;
}

function scheduledAt(raw: string): string {
  const t = Date.parse(raw);
  return Number.isNaN(t) ? raw : isoUtc(t);
}

export function buildHeaders(cfg: Config, msg: ReceivedMessage, url: string, body: Buffer): BuiltHeaders {
  const h: Record<string, string> = {
    "user-agent": cfg.userAgent,
    "content-type": cfg.mimeType,
    "x-aws-sqsd-msgid": msg.id,
    "x-aws-sqsd-queue": cfg.queueName,
    "x-aws-sqsd-receive-count": String(msg.receiveCount),
  };
  if (msg.firstReceivedAt !== undefined) h["x-aws-sqsd-first-received-at"] = isoUtc(msg.firstReceivedAt);
  if (msg.sentAt !== undefined) h["x-aws-sqsd-sent-at"] = isoUtc(msg.sentAt);
  if (msg.senderId !== undefined) h["x-aws-sqsd-sender-id"] = msg.senderId;
  if (msg.traceHeader !== undefined) h["x-amzn-trace-id"] = msg.traceHeader;
  if (msg.groupId !== undefined) h["x-aws-sqsd-message-group-id"] = msg.groupId;
  if (msg.sequenceNumber !== undefined) h["x-aws-sqsd-sequence-number"] = msg.sequenceNumber;
  if (msg.deduplicationId !== undefined) h["x-aws-sqsd-message-deduplication-id"] = msg.deduplicationId;

  const dropped: string[] = [];
  for (const [name, attr] of Object.entries(msg.attributes)) {
    if (name.startsWith(RESERVED_ATTR_PREFIX)) continue;
    const type = attr.DataType ?? "";
    if (!type.startsWith("String") && !type.startsWith("Number")) continue; // Binary: dropped by contract
    const value = headerValue(attr.StringValue ?? "");
    if (value === undefined) dropped.push(name);
    else h[`${ATTRIBUTE_HEADER_PREFIX}${name}`] = value;
  }

  if (msg.task) {
    for (const [key, raw] of [
      ["x-aws-sqsd-taskname", msg.task.name],
      ["x-aws-sqsd-scheduled-at", scheduledAt(msg.task.scheduledAt)],
      ["x-aws-sqsd-path", msg.task.path],
    ] as const) {
      const value = headerValue(raw);
      if (value !== undefined) h[key] = value;
    }
  }

  if (cfg.hmacSecret !== undefined) {
    const mac = createHmac("sha256", cfg.hmacSecret);
    mac.update(`POST ${url}\n`);
    mac.update(body);
    h[cfg.hmacHeader.toLowerCase()] = mac.digest("hex");
  }
  if (cfg.authorization !== undefined) h[cfg.authorization.name.toLowerCase()] = cfg.authorization.value;
  return { headers: h, dropped };
}
