/** Alarms: a non-empty dead-letter queue (the worker's, the EventBridge targets'), and messages waiting too long. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import type { QueueInfo } from "./queue";

export function createAlarms(
  name: string,
  args: WorkerEnvironmentArgs,
  queue: QueueInfo,
  parent: pulumi.Resource,
  rulesDlqName?: pulumi.Output<string>,
): void {
  const a = args.alarms ?? {};
  if (a.enabled === false) return;
  const actions = a.snsTopicArn === undefined ? [] : [a.snsTopicArn];
  const common = {
    namespace: "AWS/SQS",
    statistic: "Maximum",
    period: 60,
    treatMissingData: "notBreaching",
    alarmActions: actions,
    okActions: actions,
    tags: args.tags,
  };
  if (queue.dlqArn !== undefined) {
    const dlqName = queue.dlqArn.apply((arn) => arn.split(":").pop() ?? arn);
    new aws.cloudwatch.MetricAlarm(
      `${name}-dlq-not-empty`,
      {
        ...common,
        alarmDescription: "Messages reached the dead-letter queue: they failed MaxRetries times",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: dlqName },
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
      },
      { parent },
    );
  }
  if (rulesDlqName !== undefined) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-rules-dlq-not-empty`,
      {
        ...common,
        alarmDescription: "EventBridge could not deliver matched events into the queue (retries exhausted): they wait in the rules' dead-letter queue",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: rulesDlqName },
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
      },
      { parent },
    );
  }
  new aws.cloudwatch.MetricAlarm(
    `${name}-oldest-message`,
    {
      ...common,
      alarmDescription: "The oldest message has waited longer than the threshold: workers are behind or down",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: queue.name },
      comparisonOperator: "GreaterThanThreshold",
      threshold: a.oldestMessageAgeThreshold ?? 900,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    { parent },
  );
}
