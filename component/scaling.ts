/**
 * Autoscaling on queue backlog with Application Auto Scaling and CloudWatch metric math (no
 * Lambda): deploys the policies and the wake alarm that scaling-math.ts defines as data (the
 * same data the scaling simulator evaluates). See docs/scaling.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { scalingDefinition, type MetricMathQuery, type ScalingMetric, type StepScalingDefinition } from "./scaling-math";
import type { ResolvedScaling } from "./validation";

export interface ScalingInputs {
  clusterName: pulumi.Output<string>;
  serviceName: pulumi.Output<string>;
  queueName: pulumi.Output<string>;
  tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

type Dimensions = Array<{ name: string; value: pulumi.Input<string> }>;
type PolicyScope = Pick<aws.appautoscaling.PolicyArgs, "resourceId" | "scalableDimension" | "serviceNamespace">;

/** The dimensions of a metric: the queue's or the service's. */
function dimensionsOf(metric: ScalingMetric, i: ScalingInputs): Dimensions {
  return metric.of === "queue"
    ? [{ name: "QueueName", value: i.queueName }]
    : [
        { name: "ClusterName", value: i.clusterName },
        { name: "ServiceName", value: i.serviceName },
      ];
}

export function createScaling(name: string, scaling: ResolvedScaling, i: ScalingInputs, parent: pulumi.Resource): void {
  const definition = scalingDefinition(scaling);
  const target = new aws.appautoscaling.Target(
    `${name}-scaling`,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${i.clusterName}/${i.serviceName}`,
      minCapacity: definition.minCapacity,
      maxCapacity: definition.maxCapacity,
      tags: i.tags,
    },
    { parent },
  );
  const scope: PolicyScope = { resourceId: target.resourceId, scalableDimension: target.scalableDimension, serviceNamespace: target.serviceNamespace };
  const { query, ...tracking } = definition.backlog;

  new aws.appautoscaling.Policy(
    `${name}-backlog`,
    {
      ...scope,
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: {
        ...tracking,
        customizedMetricSpecification: {
          metrics: [
            ...query.metrics.map((m) => ({
              id: m.id,
              returnData: false,
              metricStat: { stat: m.stat, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: dimensionsOf(m, i) } },
            })),
            ...expressionQueries(query),
          ],
        },
      },
    },
    { parent },
  );

  for (const u of definition.utilization ?? []) {
    const { name: suffix, predefinedMetricType, ...tracking } = u;
    new aws.appautoscaling.Policy(
      `${name}-${suffix}`,
      { ...scope, policyType: "TargetTrackingScaling", targetTrackingScalingPolicyConfiguration: { ...tracking, predefinedMetricSpecification: { predefinedMetricType } } },
      { parent },
    );
  }

  if (definition.wake) createStepScaling(`${name}-wake`, definition.wake, scope, i, parent);
  if (definition.sleep) createStepScaling(`${name}-sleep`, definition.sleep, scope, i, parent);
}

/** The expressions in order; only the last returns data and carries the label. */
function expressionQueries(query: MetricMathQuery) {
  return query.expressions.map((e, k) => {
    const last = k === query.expressions.length - 1;
    return { id: e.id, expression: e.expression, returnData: last, ...(last ? { label: query.label } : {}) };
  });
}

/** The alarm's metric queries: each metric at the alarm's period, then e1 (the only one returning data). */
function alarmQueries(query: MetricMathQuery, period: number, i: ScalingInputs) {
  return [
    ...query.metrics.map((m) => ({
      id: m.id,
      returnData: false,
      metric: { namespace: m.namespace, metricName: m.metricName, stat: m.stat, period, dimensions: Object.fromEntries(dimensionsOf(m, i).map((d) => [d.name, d.value])) },
    })),
    ...expressionQueries(query),
  ];
}

/** A step-scaling policy and the alarm that invokes it (wake: 0 → 1, sleep: → 0). */
function createStepScaling(name: string, step: StepScalingDefinition, scope: PolicyScope, i: ScalingInputs, parent: pulumi.Resource): void {
  const policy = new aws.appautoscaling.Policy(
    name,
    {
      ...scope,
      policyType: "StepScaling",
      stepScalingPolicyConfiguration: {
        ...step.policy,
        // The provider takes the bounds as strings.
        stepAdjustments: step.policy.stepAdjustments.map((s) => ({
          scalingAdjustment: s.scalingAdjustment,
          metricIntervalLowerBound: s.metricIntervalLowerBound?.toString(),
          metricIntervalUpperBound: s.metricIntervalUpperBound?.toString(),
        })),
      },
    },
    { parent },
  );
  const { description, query, period, ...evaluation } = step.alarm;
  new aws.cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: description,
      ...evaluation,
      metricQueries: alarmQueries(query, period, i),
      alarmActions: [policy.arn],
      tags: i.tags,
    },
    { parent },
  );
}
