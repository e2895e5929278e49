/**
 * The scaling the component deployed before issue 11 (commit bf1546f), kept as a known-bad
 * design: the scenario tests run it to show they catch the failures the review described.
 * Not deployed anywhere.
 */
import type { ScalingDefinition, ScalingMetric, ScalingSettingsInput } from "../../component/scaling-math";

const metric = (id: string, namespace: ScalingMetric["namespace"], metricName: string): ScalingMetric =>
  namespace === "AWS/SQS" ? { id, namespace, metricName, stat: "Sum", of: "queue" } : { id, namespace, metricName, stat: "Average", of: "service" };

const m1 = metric("m1", "AWS/SQS", "ApproximateNumberOfMessagesVisible");
const m2 = metric("m2", "AWS/SQS", "ApproximateNumberOfMessagesNotVisible");
const m3 = metric("m3", "ECS/ContainerInsights", "RunningTaskCount");
const m4 = metric("m4", "ECS/ContainerInsights", "DesiredTaskCount");

export function previousDesign(s: ScalingSettingsInput): ScalingDefinition {
  return {
    minCapacity: s.minCount,
    maxCapacity: s.maxCount,
    backlog: {
      query: { metrics: [m1, m2, m3], label: "Backlog per task", expressions: [{ id: "e1", expression: "(m1 + m2) / IF(FILL(m3, 0) > 0, m3, 1)" }] },
      targetValue: s.targetBacklogPerTask,
      // Its default then, with no floor: what a stack without the setting deployed.
      scaleOutCooldown: 60,
      scaleInCooldown: s.scaleInCooldown,
      disableScaleIn: false,
    },
    wake:
      s.minCount === 0
        ? {
            alarm: {
              description: "previous wake alarm",
              query: {
                metrics: [m1, m2, m3, m4],
                label: "Work waiting with zero tasks",
                expressions: [{ id: "e1", expression: "IF((m1 + m2) > 0 AND FILL(m3, 0) == 0 AND FILL(m4, 0) == 0, 1, 0)" }],
              },
              period: 60,
              comparisonOperator: "GreaterThanOrEqualToThreshold",
              threshold: 1,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              treatMissingData: "notBreaching",
            },
            policy: { adjustmentType: "ChangeInCapacity", cooldown: 60, metricAggregationType: "Maximum", stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }] },
          }
        : undefined,
  };
}
