/**
 * Periodic tasks: one EventBridge Scheduler schedule per cron entry, each sending exactly the
 * message Beanstalk's leader would enqueue, so every run is enqueued once whatever the task count.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { schedulerRolePolicy, serviceRole } from "./iam";
import type { QueueInfo } from "./queue";
import type { ResolvedPeriodicTask } from "./validation";
import { periodicMessage } from "../sidecar/periodic-message";

/** Scheduler's universal target for SQS SendMessage: lets the input carry message attributes. */
export const SEND_MESSAGE_TARGET = "arn:aws:scheduler:::aws-sdk:sqs:sendMessage";
/** Replaced by Scheduler with the run's scheduled time (ISO 8601 UTC). */
export const SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

/** The SendMessage request (JSON input of the universal target) for one periodic task. */
export function periodicMessageInput(queueUrl: string, task: Pick<ResolvedPeriodicTask, "name" | "url">): object {
  const m = periodicMessage({ name: task.name, path: task.url, scheduledAt: SCHEDULED_TIME });
  return { QueueUrl: queueUrl, MessageBody: m.body, MessageAttributes: m.attributes };
}

export function createSchedules(
  name: string,
  tasks: readonly ResolvedPeriodicTask[],
  queue: QueueInfo,
  tags: pulumi.Input<{ [key: string]: pulumi.Input<string> }> | undefined,
  parent: pulumi.Resource,
): void {
  if (tasks.length === 0) return;
  const accountId = queue.arn.apply((arn) => arn.split(":")[4] ?? "");
  const policy = pulumi.all([queue.arn, queue.kmsKeyArn]).apply(([arn, key]) => schedulerRolePolicy(arn, key));
  const { role, policy: rolePolicy } = serviceRole(`${name}-scheduler`, "scheduler.amazonaws.com", accountId, policy, tags, parent);
  // A group per environment, so task names are the schedule names without clashing.
  const group = new aws.scheduler.ScheduleGroup(`${name}-schedules`, { tags }, { parent });
  for (const task of tasks) {
    new aws.scheduler.Schedule(
      `${name}-cron-${task.name}`,
      {
        name: task.name,
        groupName: group.name,
        description: `cron.yaml "${task.name}": ${task.schedule} → POST ${task.url}`,
        scheduleExpression: task.expression,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          arn: SEND_MESSAGE_TARGET,
          roleArn: role.arn,
          input: queue.url.apply((url) => JSON.stringify(periodicMessageInput(url, task))),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 300 },
        },
      },
      // A run before the role's policy exists would fail to send.
      { parent, dependsOn: [rolePolicy] },
    );
  }
}
