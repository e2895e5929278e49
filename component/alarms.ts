/**
 * Alarms: a non-empty dead-letter queue (the worker's, the EventBridge targets'), messages
 * waiting too long, and the deployment rollback alarms Copilot's `rollback_alarms` map creates.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import type { QueueInfo } from "./queue";

/** Seconds the oldest message may wait before the age alarm fires (`alarms.oldestMessageAgeThreshold`). */
export const DEFAULT_OLDEST_MESSAGE_AGE = 900;

/** The age alarm's threshold, or undefined with alarms off (the dashboard draws it). */
export function oldestMessageAgeAlarm(args: WorkerEnvironmentArgs): number | undefined {
  const a = args.alarms ?? {};
  return a.enabled === false ? undefined : (a.oldestMessageAgeThreshold ?? DEFAULT_OLDEST_MESSAGE_AGE);
}

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
      threshold: a.oldestMessageAgeThreshold ?? DEFAULT_OLDEST_MESSAGE_AGE,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    { parent },
  );
}

/** A rollback alarm the component creates: what it watches, as Copilot's worker template does. */
export interface RollbackAlarm {
  /** Suffix of its name and logical name. */
  readonly kind: "cpu" | "memory" | "messages-delayed";
  readonly namespace: string;
  readonly metricName: string;
  readonly unit: string;
  readonly threshold: number;
  /** Whose dimensions: the service (ClusterName, ServiceName) or the queue (QueueName). */
  readonly of: "service" | "queue";
}

/** The rollback alarms `deployment` asks for. */
export function rollbackAlarms(args: WorkerEnvironmentArgs): RollbackAlarm[] {
  const d = args.deployment ?? {};
  const service = (kind: "cpu" | "memory", metricName: string, threshold: number | undefined): RollbackAlarm[] =>
    threshold === undefined ? [] : [{ kind, namespace: "AWS/ECS", metricName, unit: "Percent", threshold, of: "service" }];
  return [
    ...service("cpu", "CPUUtilization", d.rollbackOnCpuPercent),
    ...service("memory", "MemoryUtilization", d.rollbackOnMemoryPercent),
    ...(d.rollbackOnMessagesDelayed === undefined
      ? []
      : [{ kind: "messages-delayed" as const, namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesDelayed", unit: "Count", threshold: d.rollbackOnMessagesDelayed, of: "queue" as const }]),
  ];
}

/**
 * Its physical name, fixed so the service can name it before it exists (ECS takes alarm names
 * at service creation, and the alarm watches that service): project, stack and component make
 * it unique per stack.
 */
export function rollbackAlarmName(component: string, kind: RollbackAlarm["kind"]): string {
  return `${pulumi.getProject()}-${pulumi.getStack()}-${component}-rollback-${kind}`;
}

/** Create the rollback alarms after the service: 2 of 3 one-minute averages at or above the threshold (Copilot's). */
export function createRollbackAlarms(
  name: string,
  args: WorkerEnvironmentArgs,
  target: { clusterName: pulumi.Output<string>; serviceName: pulumi.Output<string>; queueName: pulumi.Output<string> },
  parent: pulumi.Resource,
): void {
  for (const r of rollbackAlarms(args)) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-rollback-${r.kind}`,
      {
        name: rollbackAlarmName(name, r.kind),
        alarmDescription: `Rolls a deployment back: ${r.metricName} at or above ${r.threshold} in 2 of 3 minutes`,
        namespace: r.namespace,
        metricName: r.metricName,
        dimensions: r.of === "queue" ? { QueueName: target.queueName } : { ClusterName: target.clusterName, ServiceName: target.serviceName },
        statistic: "Average",
        unit: r.unit,
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: r.threshold,
        tags: args.tags,
      },
      { parent },
    );
  }
}
