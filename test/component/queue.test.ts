import assert from "node:assert/strict";
import { build, minimal, ACCOUNT, REGION } from "./mocks";
import { decide } from "./simulate";

const Q = "aws:sqs/queue:Queue";
const QP = "aws:sqs/queuePolicy:QueuePolicy";

describe("queue", () => {
  it("creates the queue with a DLQ redrive (maxReceiveCount = maxRetries) and SQS-managed SSE", async () => {
    const s = await build({ ...minimal(), maxRetries: 5, queue: { delaySeconds: 3 } });
    const queue = s.one(Q, "queue").inputs;
    const dlq = s.one(Q, "dlq").inputs;
    assert.deepEqual(JSON.parse(String(queue.redrivePolicy)), { deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-dlq`, maxReceiveCount: 5 });
    assert.equal(queue.sqsManagedSseEnabled, true);
    assert.equal(dlq.sqsManagedSseEnabled, true);
    assert.equal(queue.messageRetentionSeconds, 345600);
    assert.equal(queue.visibilityTimeoutSeconds, 300);
    assert.equal(queue.delaySeconds, 3);
    assert.equal(queue.receiveWaitTimeSeconds, 20);
    assert.equal(dlq.messageRetentionSeconds, 1209600);
    assert.equal(queue.fifoQueue, undefined);
  });

  it("lets only its own queue dead-letter into the DLQ (redrive allow policy byQueue)", async () => {
    const s = await build(minimal());
    const allow = s.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "dlq").inputs;
    assert.equal(allow.queueUrl, `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${s.prefix}-dlq`, "set on the DLQ");
    assert.deepEqual(JSON.parse(String(allow.redriveAllowPolicy)), {
      redrivePermission: "byQueue",
      sourceQueueArns: [`arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-queue`],
    });
  });

  it("defaults maxReceiveCount to 10", async () => {
    const s = await build(minimal());
    assert.equal(s.json<{ maxReceiveCount: number }>(Q, "queue", "redrivePolicy").maxReceiveCount, 10);
  });

  it("denies non-TLS access to both queues", async () => {
    const s = await build(minimal());
    for (const [policyName, queueName] of [["queue", "queue"], ["dlq", "dlq"]] as const) {
      const policy = s.json<{ Statement: unknown[] }>(QP, policyName, "policy");
      const resource = `arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-${queueName}`;
      assert.deepEqual(policy.Statement[0], {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      const identity = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:*", Resource: "*" }] }];
      const req = (secure: string) => ({ action: "sqs:ReceiveMessage", resource, context: { "aws:SecureTransport": secure } });
      assert.equal(await decide(identity, req("false"), policy), "ExplicitlyDenied");
      assert.equal(await decide(identity, req("true"), policy), "Allowed");
    }
  });

  it("uses a customer KMS key on both queues", async () => {
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    const s = await build({ ...minimal(), queue: { kmsKeyArn: key } });
    for (const name of ["queue", "dlq"]) {
      const q = s.one(Q, name).inputs;
      assert.equal(q.kmsMasterKeyId, key);
      assert.equal(q.sqsManagedSseEnabled, undefined);
    }
  });

  it("makes the DLQ FIFO too, with content-based dedup on the queue", async () => {
    const s = await build({ ...minimal(), queue: { fifo: true, contentBasedDeduplication: true } });
    assert.equal(s.one(Q, "queue").inputs.fifoQueue, true);
    assert.equal(s.one(Q, "queue").inputs.contentBasedDeduplication, true);
    assert.equal(s.one(Q, "dlq").inputs.fifoQueue, true);
    assert.match(String(s.json<{ deadLetterTargetArn: string }>(Q, "queue", "redrivePolicy").deadLetterTargetArn), /\.fifo$/);
  });

  it("creates no queue, DLQ or policy for an existing queue", async () => {
    const created = await build(minimal());
    assert.deepEqual(created.ofType(Q).map((q) => q.name).sort(), [`${created.prefix}-dlq`, `${created.prefix}-queue`], "queues are seen when created");
    assert.equal(created.count(QP), 2, "and their policies");
    const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:existing-q`;
    const s = await build({ ...minimal(), existingQueue: { url: "https://sqs.example.invalid/existing-q", arn, dlqArn: `${arn}-dlq` } });
    assert.equal(s.count(Q), 0);
    assert.equal(s.count(QP), 0);
    assert.equal(await new Promise((r) => s.env.queueArn.apply(r)), arn);
    // The DLQ alarm still watches the given DLQ.
    assert.deepEqual(s.one("aws:cloudwatch/metricAlarm:MetricAlarm", "dlq-not-empty").inputs.dimensions, { QueueName: "existing-q-dlq" });
  });

  it("writes a policy on an existing queue only when sources need one", async () => {
    const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:existing-q`;
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:fake-topic`;
    const s = await build({ ...minimal(), existingQueue: { url: "https://sqs.example.invalid/existing-q", arn }, snsSubscriptions: [{ topicArn: topic }] });
    const policy = s.json<{ Statement: Array<{ Sid: string }> }>(QP, "queue", "policy");
    assert.deepEqual(policy.Statement.map((st) => st.Sid), ["DenyInsecureTransport", "FromSnsTopic0"]);
    assert.equal(s.one(QP, "queue").inputs.queueUrl, "https://sqs.example.invalid/existing-q");
  });
});

describe("alarms", () => {
  const A = "aws:cloudwatch/metricAlarm:MetricAlarm";
  it("alarms on a non-empty DLQ and an old message, notifying the topic", async () => {
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:fake-alerts`;
    const s = await build({ ...minimal(), alarms: { snsTopicArn: topic, oldestMessageAgeThreshold: 120 } });
    const dlq = s.one(A, "dlq-not-empty").inputs;
    assert.equal(dlq.metricName, "ApproximateNumberOfMessagesVisible");
    assert.deepEqual(dlq.dimensions, { QueueName: `${s.prefix}-dlq` });
    assert.equal(dlq.comparisonOperator, "GreaterThanThreshold");
    assert.equal(dlq.threshold, 0);
    assert.deepEqual(dlq.alarmActions, [topic]);
    const age = s.one(A, "oldest-message").inputs;
    assert.equal(age.metricName, "ApproximateAgeOfOldestMessage");
    assert.deepEqual(age.dimensions, { QueueName: `${s.prefix}-queue` });
    assert.equal(age.threshold, 120);
    assert.deepEqual(age.okActions, [topic]);
  });

  it("can be turned off", async () => {
    const on = await build(minimal());
    assert.deepEqual(on.ofType(A).map((a) => a.name).sort(), [`${on.prefix}-dlq-not-empty`, `${on.prefix}-oldest-message`], "on by default");
    const s = await build({ ...minimal(), alarms: { enabled: false } });
    assert.equal(s.count(A), 0);
  });

  it("high-throughput FIFO: deduplication per message group, throughput per message group, content-based deduplication", async () => {
    const attrs = (q: Record<string, unknown>) => [q.fifoQueue, q.contentBasedDeduplication, q.deduplicationScope, q.fifoThroughputLimit];
    const s = await build({ ...minimal(), queue: { fifo: true, contentBasedDeduplication: true, deduplicationScope: "messageGroup", fifoThroughputLimit: "perMessageGroupId" } });
    assert.deepEqual(attrs(s.one(Q, "queue").inputs), [true, true, "messageGroup", "perMessageGroupId"]);
    const short = await build({ ...minimal(), queue: { fifo: true, highThroughput: true } });
    assert.deepEqual(attrs(short.one(Q, "queue").inputs), [true, false, "messageGroup", "perMessageGroupId"]);
    // The DLQ keeps SQS's defaults: it only stores what failed.
    assert.deepEqual(attrs(short.one(Q, "dlq").inputs), [true, undefined, undefined, undefined]);
    const plain = await build({ ...minimal(), queue: { fifo: true } });
    assert.deepEqual(attrs(plain.one(Q, "queue").inputs), [true, false, undefined, undefined], "SQS's defaults unless asked");
  });
});
