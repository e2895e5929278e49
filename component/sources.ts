/**
 * Event sources delivering into the queue: SNS subscriptions (raw delivery) and EventBridge
 * rules. Each returns the queue policy statement it needs, merged into the one queue policy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import type { PolicyStatement } from "./iam";
import type { QueueInfo } from "./queue";

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

export function createSources(
  name: string,
  args: WorkerEnvironmentArgs,
  queue: QueueInfo,
  fifo: boolean,
  parent: pulumi.Resource,
): pulumi.Output<PolicyStatement>[] {
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
  for (const [n, rule] of (args.eventRules ?? []).entries()) {
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
        ...(fifo ? { sqsTarget: { messageGroupId: rule.messageGroupId ?? rule.name } } : {}),
      },
      { parent },
    );
    statements.push(
      pulumi.all([queue.arn, eventRule.arn]).apply(([q, r]) => allowSendFrom(`FromEventRule${n}`, "events.amazonaws.com", q, r)),
    );
  }
  return statements;
}
