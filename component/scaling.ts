/**
 * Autoscaling on queue backlog with Application Auto Scaling and CloudWatch metric math (no
 * Lambda): target tracking on (visible + in flight) per running task, and a step policy that
 * wakes a service scaled to zero. See docs/scaling.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKLOG_PER_TASK_EXPRESSION, WAKE_FROM_ZERO_EXPRESSION } from "./scaling-math";
import type { ResolvedScaling } from "./validation";

export interface ScalingInputs {
  clusterName: pulumi.Output<string>;
  serviceName: pulumi.Output<string>;
  queueName: pulumi.Output<string>;
  tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

interface MetricRef {
  namespace: string;
  metricName: string;
  stat: string;
  dimensions: { [name: string]: pulumi.Input<string> };
}

/** m1 visible, m2 in flight (so busy tasks count), m3 running tasks, m4 desired tasks. */
export function scalingMetrics(i: ScalingInputs): Record<"m1" | "m2" | "m3" | "m4", MetricRef> {
  const queue = { QueueName: i.queueName };
  const service = { ClusterName: i.clusterName, ServiceName: i.serviceName };
  return {
    m1: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", stat: "Sum", dimensions: queue },
    m2: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesNotVisible", stat: "Sum", dimensions: queue },
    m3: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", stat: "Average", dimensions: service },
    m4: { namespace: "ECS/ContainerInsights", metricName: "DesiredTaskCount", stat: "Average", dimensions: service },
  };
}

const dimensionList = (d: MetricRef["dimensions"]) => Object.entries(d).map(([name, value]) => ({ name, value }));

export function createScaling(name: string, scaling: ResolvedScaling, i: ScalingInputs, parent: pulumi.Resource): void {
  const target = new aws.appautoscaling.Target(
    `${name}-scaling`,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${i.clusterName}/${i.serviceName}`,
      minCapacity: scaling.minCount,
      maxCapacity: scaling.maxCount,
      tags: i.tags,
    },
    { parent },
  );
  const metrics = scalingMetrics(i);
  const scope = { resourceId: target.resourceId, scalableDimension: target.scalableDimension, serviceNamespace: target.serviceNamespace };

  new aws.appautoscaling.Policy(
    `${name}-backlog`,
    {
      ...scope,
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: {
        targetValue: scaling.targetBacklogPerTask,
        scaleInCooldown: scaling.scaleInCooldown,
        scaleOutCooldown: scaling.scaleOutCooldown,
        disableScaleIn: false,
        customizedMetricSpecification: {
          metrics: [
            ...(["m1", "m2", "m3"] as const).map((id) => ({
              id,
              returnData: false,
              metricStat: {
                stat: metrics[id].stat,
                metric: { namespace: metrics[id].namespace, metricName: metrics[id].metricName, dimensions: dimensionList(metrics[id].dimensions) },
              },
            })),
            { id: "e1", label: "Backlog per task", expression: BACKLOG_PER_TASK_EXPRESSION, returnData: true },
          ],
        },
      },
    },
    { parent },
  );

  if (scaling.minCount === 0) createWakeFromZero(name, scope, metrics, parent);
}

/** 0 → 1 within about a minute whenever there is work, whatever the backlog target. */
function createWakeFromZero(
  name: string,
  scope: Pick<aws.appautoscaling.PolicyArgs, "resourceId" | "scalableDimension" | "serviceNamespace">,
  metrics: ReturnType<typeof scalingMetrics>,
  parent: pulumi.Resource,
): void {
  const wake = new aws.appautoscaling.Policy(
    `${name}-wake`,
    {
      ...scope,
      policyType: "StepScaling",
      stepScalingPolicyConfiguration: {
        // +1 rather than ExactCapacity 1: the alarm only fires while desired is 0, and a
        // lagging datapoint must never pull a larger desired count back down to 1.
        adjustmentType: "ChangeInCapacity",
        cooldown: 60,
        metricAggregationType: "Maximum",
        stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
      },
    },
    { parent },
  );
  new aws.cloudwatch.MetricAlarm(
    `${name}-wake`,
    {
      alarmDescription: "Work in the queue while the service has no task: scale 0 → 1",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
      metricQueries: [
        ...(["m1", "m2", "m3", "m4"] as const).map((id) => ({
          id,
          returnData: false,
          metric: { ...metrics[id], period: 60 },
        })),
        { id: "e1", label: "Work waiting with zero tasks", expression: WAKE_FROM_ZERO_EXPRESSION, returnData: true },
      ],
      alarmActions: [wake.arn],
    },
    { parent },
  );
}
