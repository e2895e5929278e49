/**
 * Event sources delivering into the queue: SNS subscriptions (raw delivery) and EventBridge
 * rules. Each returns the queue policy statement it needs, merged into the one queue policy.
 * EventBridge targets also get a retry policy and a dead-letter queue of their own, so an
 * event that cannot be delivered is kept and alarmed on instead of dropped.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import { policyDocument, type PolicyStatement } from "./iam";
import { denyInsecureTransport, type QueueInfo } from "./queue";

/**
 * How long EventBridge keeps retrying a delivery into the queue. SQS is rarely down for long,
 * so a failure that outlasts an hour is a configuration error (queue or key policy) that
 * retrying will not fix: better in the DLQ, and its alarm, than retried for the 24 h default.
 */
export const EVENT_RULE_RETRY_POLICY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 3600 } as const;

/** The dead-letter queue of the EventBridge targets. */
export interface RulesDlq {
  url: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  name: pulumi.Output<string>;
}

export interface Sources {
  /** Statements for the work queue's policy. */
  statements: pulumi.Output<PolicyStatement>[];
  /** Only when there are eventRules. */
  rulesDlq?: RulesDlq;
}

/** Allow `service` to SendMessage to the queue, only on behalf of `sourceArn`. */
export function allowSendFrom(sid: string, service: string, queueArn: string, sourceArn: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": sourceArn } },
  };
}

export function createSources(name: string, args: WorkerEnvironmentArgs, queue: QueueInfo, fifo: boolean, parent: pulumi.Resource): Sources {
  const statements: pulumi.Output<PolicyStatement>[] = [];
  (args.snsSubscriptions ?? []).forEach((sub, n) => {
    new aws.sns.TopicSubscription(
      `${name}-sns-${n}`,
      {
        topic: sub.topicArn,
        protocol: "sqs",
        endpoint: queue.arn,
        // Raw: the app receives the published message itself, not SNS's JSON envelope.
        rawMessageDelivery: true,
        filterPolicy: sub.filterPolicy,
        filterPolicyScope: sub.filterPolicy === undefined ? undefined : (sub.filterPolicyScope ?? "MessageAttributes"),
      },
      { parent },
    );
    statements.push(
      pulumi.all([queue.arn, sub.topicArn]).apply(([q, topic]) => allowSendFrom(`FromSnsTopic${n}`, "sns.amazonaws.com", q, topic)),
    );
  });
  const rules = args.eventRules ?? [];
  if (rules.length === 0) return { statements };

  // EventBridge takes only a standard queue as a DLQ (also for a FIFO target), and SQS-managed
  // SSE needs no key policy for events.amazonaws.com, which the component does not manage.
  const dlq = new aws.sqs.Queue(
    `${name}-rules-dlq`,
    { messageRetentionSeconds: args.queue?.dlqRetentionSeconds ?? 1209600, sqsManagedSseEnabled: true, tags: args.tags },
    { parent },
  );
  const ruleArns: pulumi.Output<string>[] = [];
  for (const [n, rule] of rules.entries()) {
    const eventRule = new aws.cloudwatch.EventRule(
      `${name}-rule-${rule.name}`,
      { eventPattern: rule.eventPattern, eventBusName: rule.eventBusName, description: `sqsd-worker ${name}: ${rule.name}`, tags: args.tags },
      { parent },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-rule-${rule.name}`,
      {
        rule: eventRule.name,
        eventBusName: rule.eventBusName,
        arn: queue.arn,
        // Rules send no deduplication id: a FIFO queue gets content-based deduplication (validation.ts).
        ...(fifo ? { sqsTarget: { messageGroupId: rule.messageGroupId ?? rule.name } } : {}),
        retryPolicy: { ...EVENT_RULE_RETRY_POLICY },
        deadLetterConfig: { arn: dlq.arn },
      },
      { parent },
    );
    ruleArns.push(eventRule.arn);
    statements.push(
      pulumi.all([queue.arn, eventRule.arn]).apply(([q, r]) => allowSendFrom(`FromEventRule${n}`, "events.amazonaws.com", q, r)),
    );
  }
  // EventBridge writes to the DLQ as itself, so the queue policy admits it, for these rules only.
  new aws.sqs.QueuePolicy(
    `${name}-rules-dlq`,
    {
      queueUrl: dlq.url,
      policy: pulumi
        .all([dlq.arn, pulumi.all(ruleArns)])
        .apply(([arn, arns]) =>
          JSON.stringify(policyDocument([denyInsecureTransport(arn), ...arns.map((r, n) => allowSendFrom(`DeadLettersFromEventRule${n}`, "events.amazonaws.com", arn, r))])),
        ),
    },
    { parent },
  );
  return { statements, rulesDlq: { url: dlq.url, arn: dlq.arn, name: dlq.name } };
}
