import assert from "node:assert/strict";
import { build, minimal, ACCOUNT, REGION } from "./mocks";
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
    assert.equal(s.count("aws:sqs/queuePolicy:QueuePolicy"), 2); // queue + DLQ, not one per source
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

  it("sets a message group for FIFO queues", async () => {
    const s = await build({ ...minimal(), queue: { fifo: true }, eventRules: [{ name: "r", eventPattern: "{}" }, { name: "g", eventPattern: "{}", messageGroupId: "grp" }] });
    assert.deepEqual(s.one("aws:cloudwatch/eventTarget:EventTarget", "rule-r").inputs.sqsTarget, { messageGroupId: "r" });
    assert.deepEqual(s.one("aws:cloudwatch/eventTarget:EventTarget", "rule-g").inputs.sqsTarget, { messageGroupId: "grp" });
  });
});
