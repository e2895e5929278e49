/**
 * Put sample events into the Kinesis stream, as the blog's producer did:
 *
 *   npx tsx programs/kinesis-pipe/producer.ts --stream "$(pulumi stack output streamName -C programs/kinesis-pipe)" --count 20
 *
 * Each event is one JSON record; its partition key (the customer id) decides its shard, so
 * events of one customer stay in order in the stream. The pipe turns each record into one
 * SQS message, which the worker's app prints.
 */
import { randomUUID } from "node:crypto";
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Command, InvalidArgumentError } from "commander";

/** One sample event: an order placed by a customer. */
export interface OrderEvent {
  type: "order";
  orderId: string;
  customerId: string;
  amount: number;
  createdAt: string;
}

/** PutRecords takes at most 500 records per call. */
export const MAX_RECORDS_PER_CALL = 500;

/** `count` sample events spread over `customers` customers. Deterministic apart from the ids. */
export function sampleEvents(count: number, now: Date = new Date(), customers = 5, id: () => string = randomUUID): OrderEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: "order",
    orderId: id(),
    customerId: `customer-${i % customers}`,
    amount: Math.round((10 + ((i * 7.31) % 90)) * 100) / 100,
    createdAt: new Date(now.getTime() + i).toISOString(),
  }));
}

/**
 * The Kinesis records of `events`: the JSON of each as UTF-8 data, partitioned by customer.
 * JSON data matters downstream: Pipes can filter on fields of `data` only when it is JSON.
 */
export function toRecords(events: readonly OrderEvent[]): PutRecordsRequestEntry[] {
  return events.map((e) => ({ Data: new TextEncoder().encode(JSON.stringify(e)), PartitionKey: e.customerId }));
}

/** Split `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Options of {@link putAll}. */
export interface PutOptions {
  /** Retries of the records a call rejected (throttling), with a growing pause. Default: 3. */
  retries?: number;
}

/** Put every record, retrying the ones PutRecords rejects; returns how many were accepted. */
export async function putAll(client: KinesisClient, streamName: string, records: readonly PutRecordsRequestEntry[], opts: PutOptions = {}): Promise<number> {
  let accepted = 0;
  for (const chunk of chunks(records, MAX_RECORDS_PER_CALL)) {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const r = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      const results = r.Records ?? [];
      // A partial failure (ProvisionedThroughputExceeded) rejects entries, not the call.
      const failed = pending.filter((_, i) => results[i]?.ErrorCode !== undefined);
      accepted += pending.length - failed.length;
      if (failed.length === 0) break;
      if (attempt >= (opts.retries ?? 3)) {
        throw new Error(`${failed.length} records rejected after ${attempt + 1} attempts: ${results.find((x) => x.ErrorCode)?.ErrorMessage ?? "unknown"}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      pending = failed;
    }
  }
  return accepted;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** The command line (exported for tests). */
export function producerCommand(): Command {
  return new Command("producer")
    .description("Put sample order events into a Kinesis data stream")
    .requiredOption("--stream <name>", "stream name (pulumi stack output streamName)")
    .option("--count <n>", "how many events", positiveInt, 10)
    .option("--region <region>", "AWS region (default: AWS_REGION or your profile's)")
    .option("--endpoint <url>", "Kinesis endpoint, e.g. a local emulator");
}

async function main(argv: string[]): Promise<void> {
  const cmd = producerCommand().parse(argv);
  const o = cmd.opts<{ stream: string; count: number; region?: string; endpoint?: string }>();
  const client = new KinesisClient({
    region: o.region,
    endpoint: o.endpoint,
    // HTTP/1.1, which every Kinesis endpoint (and the local emulators) speaks.
    requestHandler: new NodeHttpHandler(),
  });
  try {
    const events = sampleEvents(o.count);
    const n = await putAll(client, o.stream, toRecords(events));
    console.log(`put ${n} records into ${o.stream}`);
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main(process.argv).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
