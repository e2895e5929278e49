/**
 * `sqsd-worker send`: messages from a file in local mode's `--send` format (send-lines.ts),
 * or one `--body`, with `--attr name=value` String attributes on each, sent in batches
 * (local/send-messages.ts, shared with `local --send`).
 */
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { readFileSync } from "node:fs";
import type { CliIo } from "../local/cli-io";
import { parseSendText, type OutgoingMessage } from "../local/send-lines";
import { sendMessages } from "../local/send-messages";
import { EXIT, OpsError } from "./errors";
import { resolveTarget, type TargetFlags } from "./target";

export interface SendFlags extends TargetFlags {
  file?: string;
  body?: string;
  attr: string[];
  concurrency: number;
}

/** `name=value` pairs as String attributes. */
export function parseAttrs(pairs: readonly string[]): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new OpsError(EXIT.usage, `--attr ${JSON.stringify(p)}: expected name=value`);
    out[p.slice(0, eq)] = { DataType: "String", StringValue: p.slice(eq + 1) };
  }
  return out;
}

function readMessages(f: SendFlags, io: CliIo): { messages: OutgoingMessage[]; source: string } {
  if ((f.file === undefined) === (f.body === undefined)) throw new OpsError(EXIT.usage, 'give --file <messages.jsonl> ("-" = stdin) or --body <text>');
  const attrs = parseAttrs(f.attr);
  if (f.body !== undefined) return { messages: [{ body: f.body, attributes: attrs, delaySeconds: 0, line: 1 }], source: "--body" };
  const source = f.file === "-" ? "stdin" : (f.file as string);
  let text: string;
  try {
    text = f.file === "-" ? io.stdin() : readFileSync(f.file as string, "utf8");
  } catch (err) {
    throw new OpsError(EXIT.usage, `--file ${f.file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  // A line's own attributes win over --attr.
  const messages = parseSendText(text, source).map((m) => ({ ...m, attributes: { ...attrs, ...m.attributes } }));
  if (messages.length === 0) throw new OpsError(EXIT.usage, `--file ${f.file}: no messages in it`);
  return { messages, source };
}

export async function runSend(f: SendFlags, io: CliIo): Promise<number> {
  const { messages, source } = readMessages(f, io);
  const t = await resolveTarget(f, false);
  try {
    const r = await sendMessages(t.sqs, { ...t.queue }, messages, { source, print: io.out, tty: io.tty, concurrency: f.concurrency });
    if (r.error !== undefined) throw r.error;
    return r.failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    t.sqs.destroy();
  }
}
