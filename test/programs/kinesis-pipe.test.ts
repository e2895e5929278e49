/**
 * programs/kinesis-pipe under Pulumi mocks: the stream, the pipe's source and target, the
 * role's exact permissions (and an offline IAM simulation of them), FIFO target parameters,
 * and the producer's records.
 */
import assert from "node:assert/strict";
import type { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from "@aws-sdk/client-kinesis";
import { ACCOUNT, REGION, loadProgram, recorded, registeredBy, setStackConfig, setWorkerConfig, settle, valueOf, type Resources } from "./program-mocks";
import {
  createKinesisPipe,
  KINESIS_READ_ACTIONS,
  parsePipeConfig,
  PIPE_DEFAULTS,
  pipePolicy,
  pipeTrustPolicy,
  queueTargetParameters,
  type PolicyDocument,
} from "../../programs/kinesis-pipe/pipe";
import { chunks, MAX_RECORDS_PER_CALL, producerCommand, putAll, sampleEvents, toRecords } from "../../programs/kinesis-pipe/producer";
import { decide } from "../component/simulate";

type PipeProgram = typeof import("../../programs/kinesis-pipe/index");

const FILTER = '{"data":{"type":["order"]}}';
const READ = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"];

describe("programs/kinesis-pipe: config", () => {
  it("defaults: one shard, 24 h, from the oldest record, batches of 10, no filter, 10 retries or an hour", () => {
    assert.deepEqual(parsePipeConfig({}), PIPE_DEFAULTS);
    assert.equal(PIPE_DEFAULTS.filterPattern, undefined);
  });

  it("parses every key and lists every problem", () => {
    assert.deepEqual(
      parsePipeConfig({
        shardCount: "2",
        retentionHours: "48",
        startingPosition: "LATEST",
        batchSize: "5",
        batchWindowSeconds: "5",
        filterPattern: FILTER,
        maximumRetryAttempts: "3",
        maximumRecordAgeSeconds: "7200",
      }),
      { shardCount: 2, retentionHours: 48, startingPosition: "LATEST", batchSize: 5, batchWindowSeconds: 5, filterPattern: FILTER, maximumRetryAttempts: 3, maximumRecordAgeSeconds: 7200 },
    );
    assert.throws(
      () => parsePipeConfig({ startingPosition: "AT_TIMESTAMP", batchSize: "11", retentionHours: "1", filterPattern: "[1]", maximumRetryAttempts: "-1", maximumRecordAgeSeconds: "30" }),
      (err: Error) => {
        assert.match(err.message, /startingPosition: one of TRIM_HORIZON, LATEST/);
        // Pipes refuses a batch larger than its SQS target takes (10).
        assert.match(err.message, /batchSize: expected an integer 1-10, got "11"/);
        assert.match(err.message, /retentionHours: expected an integer 24-8760/);
        assert.match(err.message, /filterPattern: expected a JSON object/);
        // -1 (forever) is what this program exists to prevent.
        assert.match(err.message, /maximumRetryAttempts: expected an integer 0-10000, got "-1"/);
        assert.match(err.message, /maximumRecordAgeSeconds: expected an integer 60-604800, got "30"/);
        return true;
      },
    );
  });

  it("gives up on a record while the stream still holds it", () => {
    assert.throws(() => parsePipeConfig({ maximumRecordAgeSeconds: "86400" }), /maximumRecordAgeSeconds: 86400 is not below the stream's retention \(24 h\): lower it, or raise retentionHours/);
    assert.equal(parsePipeConfig({ maximumRecordAgeSeconds: "86400", retentionHours: "48" }).maximumRecordAgeSeconds, 86400);
  });
});

describe("programs/kinesis-pipe: the pipe's role", () => {
  const stream = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/events`;
  const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:worker-queue`;
  const dlq = `arn:aws:sqs:${REGION}:${ACCOUNT}:events-pipe-dlq`;
  const policy = pipePolicy(stream, queue, dlq);

  it("reads exactly the stream, lists streams, and sends to exactly the queue and its own DLQ", () => {
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadStream", Effect: "Allow", Action: READ, Resource: stream },
        { Sid: "ListStreams", Effect: "Allow", Action: "kinesis:ListStreams", Resource: "*" },
        { Sid: "SendToQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: queue },
        { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: dlq },
      ],
    });
    assert.deepEqual([...KINESIS_READ_ACTIONS], READ);
  });

  it("is trusted by EventBridge Pipes for this account only", () => {
    assert.deepEqual(pipeTrustPolicy(ACCOUNT), {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "pipes.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } },
      ],
    });
  });

  it("IAM simulation: the reads, the list and the sends are allowed, their neighbours are not", async () => {
    for (const action of READ) assert.equal(await decide([policy], { action, resource: stream }), "Allowed", action);
    assert.equal(await decide([policy], { action: "kinesis:ListStreams", resource: "*" }), "Allowed");
    assert.equal(await decide([policy], { action: "sqs:SendMessage", resource: queue }), "Allowed");
    assert.equal(await decide([policy], { action: "sqs:SendMessage", resource: dlq }), "Allowed");
    const denied: Array<[string, string]> = [
      ["kinesis:GetRecords", `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/other`],
      ["kinesis:PutRecord", stream],
      ["kinesis:DeleteStream", stream],
      ["kinesis:ListStreamConsumers", stream],
      ["sqs:SendMessage", `arn:aws:sqs:${REGION}:${ACCOUNT}:worker-dlq`],
      ["sqs:ReceiveMessage", dlq],
      ["sqs:ReceiveMessage", queue],
      ["sqs:DeleteMessage", queue],
    ];
    for (const [action, resource] of denied) assert.equal(await decide([policy], { action, resource }), "ImplicitlyDenied", `${action} ${resource}`);
  });
});

describe("programs/kinesis-pipe: the program under mocks", () => {
  let program: PipeProgram;
  let r: Resources;

  before(async () => {
    setWorkerConfig();
    setStackConfig({ startingPosition: "LATEST", batchSize: "7", batchWindowSeconds: "2", filterPattern: FILTER });
    const loaded = await registeredBy(() => loadProgram<PipeProgram>("programs/kinesis-pipe/index"));
    program = loaded.module;
    r = loaded.resources;
  });

  it("creates the worker through programs/worker's createWorker (one WorkerEnvironment)", () => {
    assert.equal(r.one("sqsd-worker:index:WorkerEnvironment").name, "worker-test");
    assert.equal(r.one("awsx:ecr:Image", "worker-test-app").inputs.platform, "linux/amd64");
  });

  it("creates an encrypted provisioned stream", () => {
    const s = r.one("aws:kinesis/stream:Stream", "events-stream");
    assert.equal(s.inputs.shardCount, 1);
    assert.equal(s.inputs.retentionPeriod, 24);
    assert.deepEqual(s.inputs.streamModeDetails, { streamMode: "PROVISIONED" });
    assert.equal(s.inputs.encryptionType, "KMS");
    assert.equal(s.inputs.kmsKeyId, "alias/aws/kinesis");
  });

  it("pipes from the stream's ARN to the worker queue's ARN with the configured source parameters", async () => {
    const pipe = r.one("aws:pipes/pipe:Pipe", "events-pipe");
    const streamArn = await valueOf(program.streamArn);
    assert.match(streamArn, /^arn:aws:kinesis:/);
    assert.equal(pipe.inputs.source, streamArn);
    assert.equal(pipe.inputs.target, `arn:aws:sqs:${REGION}:${ACCOUNT}:worker-test-queue`);
    assert.equal(pipe.inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/events-pipe`);
    assert.deepEqual(pipe.inputs.sourceParameters, {
      kinesisStreamParameters: {
        startingPosition: "LATEST",
        batchSize: 7,
        maximumBatchingWindowInSeconds: 2,
        // A poison record is retried 10 times or for an hour, not forever; a whole-batch
        // failure is halved until the bad record is alone; then it goes to the DLQ.
        maximumRetryAttempts: 10,
        maximumRecordAgeInSeconds: 3600,
        onPartialBatchItemFailure: "AUTOMATIC_BISECT",
        deadLetterConfig: { arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:events-pipe-dlq` },
      },
      filterCriteria: { filters: [{ pattern: FILTER }] },
    });
    // A standard queue: no FIFO message group.
    assert.equal(pipe.inputs.targetParameters, undefined);
  });

  it("gives the pipe a standard, encrypted, TLS-only dead-letter queue", async () => {
    const dlq = r.one("aws:sqs/queue:Queue", "events-pipe-dlq").inputs;
    assert.equal(dlq.fifoQueue, undefined);
    assert.equal(dlq.sqsManagedSseEnabled, true);
    assert.equal(dlq.messageRetentionSeconds, 1209600);
    const policy = r.json<{ Statement: Array<{ Sid: string; Effect: string }> }>("aws:sqs/queuePolicy:QueuePolicy", "events-pipe-dlq", "policy");
    assert.deepEqual(policy.Statement.map((st) => [st.Sid, st.Effect]), [["DenyInsecureTransport", "Deny"]]);
    assert.equal(await valueOf(program.pipeDlqUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/events-pipe-dlq`);
  });

  it("gives the pipe's role exactly the stream reads, the list and the two sends", async () => {
    const streamArn = await valueOf(program.streamArn);
    const attached = r.one("aws:iam/rolePolicy:RolePolicy", "events-pipe");
    assert.equal(attached.inputs.role, "events-pipe-id");
    assert.deepEqual(
      JSON.parse(String(attached.inputs.policy)),
      pipePolicy(streamArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:worker-test-queue`, `arn:aws:sqs:${REGION}:${ACCOUNT}:events-pipe-dlq`),
    );
    assert.deepEqual(r.json<PolicyDocument>("aws:iam/role:Role", "events-pipe", "assumeRolePolicy"), pipeTrustPolicy(ACCOUNT));
    // Nothing else names the pipe's role: no other inline policy, no managed policy attachment.
    assert.deepEqual(
      r.all.filter((x) => x.inputs.role === "events-pipe-id").map((x) => `${x.type} ${x.name}`),
      ["aws:iam/rolePolicy:RolePolicy events-pipe"],
    );
  });

  it("exports the stream name for the producer", async () => {
    assert.equal(await valueOf(program.streamName), "events-stream");
    assert.match(await valueOf(program.pipeArn), /^arn:aws:pipes:/);
    assert.equal(await valueOf(program.queueUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/worker-test-queue`);
  });

  it("FIFO queue: message group from the partition key, deduplication from the event id", async () => {
    assert.equal(queueTargetParameters(false), undefined);
    const before = recorded.length;
    createKinesisPipe("fifo-events", { queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs.fifo`, fifo: true }, PIPE_DEFAULTS);
    await settle();
    const pipe = recorded.slice(before).find((x) => x.type === "aws:pipes/pipe:Pipe");
    assert.deepEqual(pipe?.inputs.targetParameters, { sqsQueueParameters: { messageGroupId: "$.partitionKey", messageDeduplicationId: "$.eventID" } });
    assert.equal(pipe?.inputs.target, `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs.fifo`);
  });
});

describe("programs/kinesis-pipe: the producer", () => {
  const ids = () => {
    let n = 0;
    return () => `order-${++n}`;
  };

  it("shapes each event as one JSON record partitioned by customer", () => {
    const events = sampleEvents(3, new Date("2026-01-02T03:04:05.000Z"), 2, ids());
    assert.deepEqual(events[0], { type: "order", orderId: "order-1", customerId: "customer-0", amount: 10, createdAt: "2026-01-02T03:04:05.000Z" });
    const records = toRecords(events);
    assert.equal(records.length, 3);
    records.forEach((rec, i) => {
      assert.ok(rec.Data instanceof Uint8Array);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(rec.Data)), events[i]);
      assert.equal(rec.PartitionKey, events[i]?.customerId);
      assert.deepEqual(Object.keys(rec).sort(), ["Data", "PartitionKey"]);
    });
    assert.deepEqual(records.map((x) => x.PartitionKey), ["customer-0", "customer-1", "customer-0"]);
  });

  it("puts at most 500 records per call and retries the rejected ones", async () => {
    assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    const calls: PutRecordsRequestEntry[][] = [];
    let first = true;
    const client = {
      send(cmd: PutRecordsCommand) {
        const batch = cmd.input.Records ?? [];
        calls.push(batch);
        // The first call rejects its first record (throttled); later calls accept everything.
        const out = batch.map((_, i) => (first && i === 0 ? { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "slow down" } : { SequenceNumber: "1", ShardId: "s" }));
        first = false;
        return Promise.resolve({ FailedRecordCount: out.filter((o) => "ErrorCode" in o).length, Records: out });
      },
    } as unknown as KinesisClient;
    const records = toRecords(sampleEvents(MAX_RECORDS_PER_CALL + 1, new Date(0), 5, ids()));
    assert.equal(await putAll(client, "events", records), 501);
    assert.deepEqual(calls.map((c) => c.length), [500, 1, 1]);
    assert.equal(calls[1]?.[0], records[0], "the rejected record is sent again");
  });

  it("requires --stream and parses --count", () => {
    const o = producerCommand().exitOverride().parse(["--stream", "s", "--count", "7"], { from: "user" }).opts<{ stream: string; count: number }>();
    assert.deepEqual({ stream: o.stream, count: o.count }, { stream: "s", count: 7 });
    assert.throws(() => producerCommand().exitOverride().configureOutput({ writeErr: () => undefined }).parse([], { from: "user" }), /required option '--stream <name>'/);
  });
});
