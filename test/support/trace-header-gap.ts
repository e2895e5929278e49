/**
 * fauxqs drops the AWSTraceHeader system attribute (ElasticMQ and SQS keep it). Tests of the
 * header's forwarding prove that gap on fauxqs instead of skipping: if a later fauxqs keeps the
 * header, this fails and the test should run there as on ElasticMQ.
 */
import { strict as assert } from "node:assert";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SqsServer, TestQueue } from "./sqs-server";

export const TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

/** Send a message carrying AWSTraceHeader straight to `queue`. */
export async function sendTraced(server: SqsServer, queue: TestQueue, body = "{}"): Promise<void> {
  await server.client.send(
    new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: TRACE_HEADER } } }),
  );
}

/** True when the server under test keeps AWSTraceHeader; on fauxqs, asserts (on a queue of its own) that it still does not. */
export async function keepsTraceHeader(server: SqsServer): Promise<boolean> {
  if (server.kind !== "fauxqs") return true;
  const queue = await server.createQueue({ name: "trace-gap" });
  try {
    await sendTraced(server, queue);
    const [m] = await queue.receiveAll();
    assert.ok(m, "the traced message came back");
    assert.equal(m.Attributes?.AWSTraceHeader, undefined, "fauxqs now keeps AWSTraceHeader: run the forwarding test on it too (test/support/trace-header-gap.ts)");
  } finally {
    await queue.delete();
  }
  return false;
}
