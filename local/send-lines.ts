/**
 * The `--send` format: one message per line (JSON lines). Pure, so every rule is tested
 * without a queue.
 *
 * Rule: a line that is a JSON object with a string `body` (and only the keys `body`,
 * `attributes`, `delaySeconds`, `groupId`, `dedupId`) is an envelope; any other JSON object
 * is itself the body, sent as its text exactly as written. Blank lines and lines starting
 * with `#` are skipped. Anything else is an error naming the line number.
 */
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { ConfigError } from "./errors";

/** One message to enqueue. */
export interface OutgoingMessage {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  delaySeconds: number;
  /** FIFO queues only. */
  groupId?: string;
  dedupId?: string;
  /** 1-based line in the source, for messages and the live view. */
  line: number;
}

const ENVELOPE_KEYS = new Set(["body", "attributes", "delaySeconds", "groupId", "dedupId"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isEnvelope(v: Record<string, unknown>): boolean {
  return typeof v.body === "string" && Object.keys(v).every((k) => ENVELOPE_KEYS.has(k));
}

/** Attribute values: strings become String attributes, finite numbers Number attributes. */
function attributesOf(raw: unknown, where: string): Record<string, MessageAttributeValue> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) throw new Error(`${where}: "attributes" must be an object of name → string or number`);
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === "string") out[name] = { DataType: "String", StringValue: value };
    else if (typeof value === "number" && Number.isFinite(value)) out[name] = { DataType: "Number", StringValue: String(value) };
    else throw new Error(`${where}: attribute ${JSON.stringify(name)} must be a string or a number`);
  }
  return out;
}

function envelope(v: Record<string, unknown>, line: number, where: string): OutgoingMessage {
  const delay = v.delaySeconds ?? 0;
  if (typeof delay !== "number" || !Number.isInteger(delay) || delay < 0 || delay > 900) {
    throw new Error(`${where}: "delaySeconds" must be a whole number from 0 to 900`);
  }
  for (const key of ["groupId", "dedupId"] as const) {
    if (v[key] !== undefined && typeof v[key] !== "string") throw new Error(`${where}: "${key}" must be a string`);
  }
  return {
    body: v.body as string,
    attributes: attributesOf(v.attributes, where),
    delaySeconds: delay,
    groupId: v.groupId as string | undefined,
    dedupId: v.dedupId as string | undefined,
    line,
  };
}

/** Parse one line (1-based `line` for errors); undefined for blank and comment lines. */
export function parseSendLine(text: string, line: number, source = "--send"): OutgoingMessage | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return undefined;
  const where = `${source} line ${line}`;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw new Error(`${where}: not valid JSON (${(err as Error).message}); each line must be one JSON object`, { cause: err });
  }
  if (!isPlainObject(value)) throw new Error(`${where}: expected a JSON object, got ${Array.isArray(value) ? "an array" : typeof value}`);
  if (isEnvelope(value)) return envelope(value, line, where);
  if ("body" in value && typeof value.body !== "string" && Object.keys(value).every((k) => ENVELOPE_KEYS.has(k))) {
    throw new Error(`${where}: "body" must be a string (JSON-encode an object body, or send the object itself as the line)`);
  }
  // Any other object is the body itself, byte for byte as written on the line.
  return { body: trimmed, attributes: {}, delaySeconds: 0, line };
}

/** Parse a whole `--send` text; throws ConfigError listing every bad line. */
export function parseSendText(text: string, source = "--send"): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    try {
      const m = parseSendLine(raw, i + 1, source);
      if (m) out.push(m);
    } catch (err) {
      problems.push((err as Error).message);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
