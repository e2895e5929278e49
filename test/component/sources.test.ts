import assert from "node:assert/strict";
import { validateArgs } from "../../component/validation";
import { build, minimal, valueOf, ACCOUNT, REGION, type Stack } from "./mocks";
import { decide } from "./simulate";

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:fake-orders`;

describe("event sources", () => {
  it("subscribes SNS topics with raw delivery and a filter policy, allowed by the queue policy", async () => {
    const filterPolicy = JSON.stringify({ kind: ["order"] });
    const s = await build({ ...minimal(), snsSubscriptions: [{ topicArn: TOPIC, filterPolicy }] });
    const sub = s.one("aws:sns/topicSubscription:TopicSubscription", "sns-0").inputs;
    const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-queue`;
    assert.equal(sub.topic, TOPIC);
    assert.equal(sub.protocol, "sqs");
    assert.equal(sub.endpoint, queueArn);
    assert.equal(sub.rawMessageDelivery, true);
    assert.equal(sub.filterPolicy, filterPolicy);
    assert.equal(sub.filterPolicyScope, "MessageAttributes");

    const policy = s.json<{ Statement: Array<{ Sid: string }> }>("aws:sqs/queuePolicy:QueuePolicy", "queue", "policy");
    assert.deepEqual(policy.Statement[1], {
      Sid: "FromSnsTopic0",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": TOPIC } },
    });
    const send = (sourceArn: string) => ({ principal: "sns.amazonaws.com", action: "sqs:SendMessage", resource: queueArn, context: { "aws:SourceArn": sourceArn, "aws:SecureTransport": "true" } });
    assert.equal(await decide([], send(TOPIC), policy), "Allowed");
    assert.equal(await decide([], send(`arn:aws:sns:${REGION}:${ACCOUNT}:other-topic`), policy), "ImplicitlyDenied");
  });

  it("routes EventBridge rules to the queue, merged into the one queue policy", async () => {
    const eventPattern = JSON.stringify({ source: ["fake.app"] });
    const s = await build({ ...minimal(), snsSubscriptions: [{ topicArn: TOPIC }], eventRules: [{ name: "uploads", eventPattern }] });
    const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-queue`;
    const rule = s.one("aws:cloudwatch/eventRule:EventRule", "rule-uploads");
    assert.equal(rule.inputs.eventPattern, eventPattern);
    const target = s.one("aws:cloudwatch/eventTarget:EventTarget", "rule-uploads").inputs;
    assert.equal(target.arn, queueArn);
    assert.equal(target.rule, rule.name);
    assert.equal(target.sqsTarget, undefined);
    // The queue's, its DLQ's and the rules' DLQ's: not one per source.
    assert.deepEqual(s.ofType("aws:sqs/queuePolicy:QueuePolicy").map((p) => p.name.slice(s.prefix.length + 1)).sort(), ["dlq", "queue", "rules-dlq"]);
    const policy = s.json<{ Statement: Array<{ Sid: string }> }>("aws:sqs/queuePolicy:QueuePolicy", "queue", "policy");
    assert.deepEqual(policy.Statement.map((st) => st.Sid), ["DenyInsecureTransport", "FromSnsTopic0", "FromEventRule0"]);
    const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${rule.name}`;
    assert.deepEqual(policy.Statement[2], {
      Sid: "FromEventRule0",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
    });
    const send = (principal: string, sourceArn: string) => ({ principal, action: "sqs:SendMessage", resource: queueArn, context: { "aws:SourceArn": sourceArn, "aws:SecureTransport": "true" } });
    assert.equal(await decide([], send("events.amazonaws.com", ruleArn), policy), "Allowed");
    assert.equal(await decide([], send("events.amazonaws.com", TOPIC), policy), "ImplicitlyDenied");
    assert.equal(await decide([], send("sns.amazonaws.com", ruleArn), policy), "ImplicitlyDenied");
  });

  it("sets a message group for FIFO queues, and content-based deduplication (rules send no deduplication id)", async () => {
    const s = await build({ ...minimal(), queue: { fifo: true }, eventRules: [{ name: "r", eventPattern: "{}" }, { name: "g", eventPattern: "{}", messageGroupId: "grp" }] });
    assert.deepEqual(s.one("aws:cloudwatch/eventTarget:EventTarget", "rule-r").inputs.sqsTarget, { messageGroupId: "r" });
    assert.deepEqual(s.one("aws:cloudwatch/eventTarget:EventTarget", "rule-g").inputs.sqsTarget, { messageGroupId: "grp" });
    assert.equal(s.one("aws:sqs/queue:Queue", "queue").inputs.contentBasedDeduplication, true);
    // Without rules a FIFO queue keeps the SQS default.
    const plain = await build({ ...minimal(), queue: { fifo: true } });
    assert.equal(plain.one("aws:sqs/queue:Queue", "queue").inputs.contentBasedDeduplication, false);
  });

  it("refuses a FIFO queue that would refuse every event: deduplication off, or unknown on an existing queue", () => {
    const rules = [{ name: "r", eventPattern: "{}" }];
    const existing = { url: "https://sqs.example.invalid/q.fifo", arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q.fifo`, fifo: true };
    assert.throws(
      () => validateArgs("t", { ...minimal(), queue: { fifo: true, contentBasedDeduplication: false }, eventRules: rules }),
      /queue\.contentBasedDeduplication: false, but eventRules deliver into this FIFO queue without a deduplication id.*; drop it/,
    );
    assert.throws(
      () => validateArgs("t", { ...minimal(), existingQueue: existing, eventRules: rules }),
      /existingQueue\.contentBasedDeduplication: .*; turn it on \(aws sqs set-queue-attributes .*ContentBasedDeduplication=true\) and set existingQueue\.contentBasedDeduplication: true/,
    );
    assert.doesNotThrow(() => validateArgs("t", { ...minimal(), existingQueue: { ...existing, contentBasedDeduplication: true }, eventRules: rules }));
  });

  it("gives EventBridge targets a retry policy and a standard dead-letter queue that only these rules may write to", async () => {
    const s = await build({ ...minimal(), queue: { fifo: true }, eventRules: [{ name: "a", eventPattern: "{}" }, { name: "b", eventPattern: "{}" }] });
    const dlq = s.one("aws:sqs/queue:Queue", "rules-dlq").inputs;
    assert.equal(dlq.fifoQueue, undefined, "EventBridge takes only a standard queue as a DLQ");
    assert.equal(dlq.sqsManagedSseEnabled, true);
    assert.equal(dlq.messageRetentionSeconds, 1209600);
    const dlqArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-rules-dlq`;
    const ruleArn = (r: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${s.prefix}-rule-${r}`;
    for (const r of ["a", "b"]) {
      const target = s.one("aws:cloudwatch/eventTarget:EventTarget", `rule-${r}`).inputs;
      assert.deepEqual(target.deadLetterConfig, { arn: dlqArn });
      assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 3600 });
    }
    const policy = s.json<{ Statement: Array<{ Sid: string }> }>("aws:sqs/queuePolicy:QueuePolicy", "rules-dlq", "policy");
    assert.deepEqual(policy.Statement.map((st) => st.Sid), ["DenyInsecureTransport", "DeadLettersFromEventRule0", "DeadLettersFromEventRule1"]);
    const send = (principal: string, sourceArn: string, secure = "true") => ({
      principal,
      action: "sqs:SendMessage",
      resource: dlqArn,
      context: { "aws:SourceArn": sourceArn, "aws:SecureTransport": secure },
    });
    assert.equal(await decide([], send("events.amazonaws.com", ruleArn("a")), policy), "Allowed");
    assert.equal(await decide([], send("events.amazonaws.com", ruleArn("b")), policy), "Allowed");
    assert.equal(await decide([], send("events.amazonaws.com", `arn:aws:events:${REGION}:${ACCOUNT}:rule/someone-elses`), policy), "ImplicitlyDenied");
    assert.equal(await decide([], send("sns.amazonaws.com", ruleArn("a")), policy), "ImplicitlyDenied");
    assert.equal(await decide([], send("events.amazonaws.com", ruleArn("a"), "false"), policy), "ExplicitlyDenied");
    // Watched like the worker's own DLQ, and findable.
    const alarm = s.one("aws:cloudwatch/metricAlarm:MetricAlarm", "rules-dlq-not-empty").inputs;
    assert.deepEqual(alarm.dimensions, { QueueName: `${s.prefix}-rules-dlq` });
    assert.equal(alarm.threshold, 0);
    assert.equal(await valueOf(s.env.eventRulesDlqUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${s.prefix}-rules-dlq`);
  });

  it("creates no rules DLQ without rules", async () => {
    const rulesDlqs = (s: Stack) => s.ofType("aws:sqs/queue:Queue").filter((q) => q.name.endsWith("rules-dlq")).map((q) => q.name);
    const withRule = await build({ ...minimal(), eventRules: [{ name: "a", eventPattern: "{}" }] });
    assert.deepEqual(rulesDlqs(withRule), [`${withRule.prefix}-rules-dlq`], "seen with a rule");
    assert.equal(await valueOf(withRule.env.eventRulesDlqUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${withRule.prefix}-rules-dlq`);
    const s = await build({ ...minimal(), snsSubscriptions: [{ topicArn: TOPIC }] });
    assert.deepEqual(rulesDlqs(s), []);
    assert.equal(await valueOf(s.env.eventRulesDlqUrl), undefined);
  });
});
