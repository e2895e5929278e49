/**
 * Dead-letter queue operations: list, redrive (back to the worker queue) and purge. Redrive
 * is receive → send → delete, in that order, so a crash in between duplicates a message
 * rather than losing it (and it works on any SQS-compatible server).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { depthOf, sendTo, type WorkerQueues } from "./sqs";

export const DLQ_ACTIONS = ["list", "redrive", "purge"] as const;
export type DlqAction = (typeof DLQ_ACTIONS)[number];

export interface ReceiveAllOptions {
  /** Visibility given to each received message, in seconds. */
  visibilitySeconds: number;
  /** Long-poll wait of each receive (default 0: stop at the first empty receive). */
  waitTimeSeconds?: number;
  /** Called with each batch before the next receive (e.g. to delete it). */
  onBatch?: (batch: Message[]) => Promise<void>;
}

/** Receive every message of `url` once, with all attributes, until a receive comes back empty. */
export async function receiveAll(sqs: SQSClient, url: string, opts: ReceiveAllOptions): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: opts.waitTimeSeconds ?? 0,
        VisibilityTimeout: opts.visibilitySeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    const batch = r.Messages ?? [];
    if (batch.length === 0) return out;
    out.push(...batch);
    await opts.onBatch?.(batch);
  }
}

/** One line per message: id, first-received time, receive count, attributes, body (shortened). */
export function describeMessage(m: Message, maxBody = 200): string {
  const attrs = Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => `${k}=${v.StringValue ?? "(binary)"}`);
  const body = m.Body ?? "";
  const shown = body.length > maxBody ? `${body.slice(0, maxBody)}… (${body.length} chars)` : body;
  const sent = m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : "?";
  return `${m.MessageId ?? "?"}  sent ${sent}${attrs.length ? `  [${attrs.join(", ")}]` : ""}\n    ${shown}`;
}

/** Run one action; returns the lines to print. */
export async function runDlqAction(sqs: SQSClient, q: WorkerQueues, action: DlqAction): Promise<string[]> {
  switch (action) {
    case "list": {
      const messages = await receiveAll(sqs, q.dlqUrl, { visibilitySeconds: 30 });
      // Listing must not hide them: make each visible again at once (a redrive may follow).
      for (const m of messages) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.dlqUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      return [`dead-letter queue ${q.dlqName}: ${messages.length} message(s)`, ...messages.map((m) => describeMessage(m))];
    }
    case "redrive": {
      const messages = await receiveAll(sqs, q.dlqUrl, { visibilitySeconds: 30 });
      for (const m of messages) {
        const attributes = Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).filter(([, v]) => v.DataType !== undefined));
        await sendTo(sqs, q, { body: m.Body ?? "", attributes, groupId: m.Attributes?.MessageGroupId });
        await sqs.send(new DeleteMessageCommand({ QueueUrl: q.dlqUrl, ReceiptHandle: m.ReceiptHandle }));
      }
      return [`redrove ${messages.length} message(s) from ${q.dlqName} to ${q.name}`];
    }
    case "purge": {
      const before = await depthOf(sqs, q.dlqUrl);
      await sqs.send(new PurgeQueueCommand({ QueueUrl: q.dlqUrl }));
      return [`purged ${q.dlqName} (${before.visible + before.inFlight} message(s))`];
    }
  }
}
