import assert from "node:assert/strict";
import { BACKLOG_PER_TASK_EXPRESSION, WAKE_FROM_ZERO_EXPRESSION } from "../../component/scaling-math";
import { build, minimal } from "./mocks";

const POLICY = "aws:appautoscaling/policy:Policy";
const TARGET = "aws:appautoscaling/target:Target";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

interface Metric {
  id: string;
  expression?: string;
  returnData: boolean;
  metricStat?: { stat: string; metric: { namespace: string; metricName: string; dimensions: Array<{ name: string; value: string }> } };
}

describe("scaling", () => {
  for (const [latency, time, target] of [[600, 0.25, 2400], [300, 1, 300], [60, 7, 8], [10, 30, 1]] as const) {
    it(`tracks ${target} messages per task for latency ${latency}s / ${time}s`, async () => {
      const s = await build({ ...minimal(), scaling: { minCount: 1, maxCount: 7, acceptableLatency: latency, messageProcessingTime: time } });
      const cfg = s.one(POLICY, "backlog").inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number };
      assert.equal(cfg.targetValue, target);
    });
  }

  it("uses metric math on visible + in-flight per running task, guarded for zero tasks", async () => {
    const s = await build({ ...minimal(), scaling: { minCount: 0, maxCount: 5, scaleInCooldown: 200, scaleOutCooldown: 30 } });
    const p = s.prefix;
    const target = s.one(TARGET).inputs;
    assert.equal(target.resourceId, `service/${p}-cluster/${p}-service`);
    assert.equal(target.scalableDimension, "ecs:service:DesiredCount");
    assert.equal(target.minCapacity, 0);
    assert.equal(target.maxCapacity, 5);
    const policy = s.one(POLICY, "backlog").inputs;
    assert.equal(policy.policyType, "TargetTrackingScaling");
    const cfg = policy.targetTrackingScalingPolicyConfiguration as {
      scaleInCooldown: number;
      scaleOutCooldown: number;
      customizedMetricSpecification: { metrics: Metric[] };
    };
    assert.equal(cfg.scaleInCooldown, 200);
    assert.equal(cfg.scaleOutCooldown, 30);
    const metrics = cfg.customizedMetricSpecification.metrics;
    const byId = Object.fromEntries(metrics.map((m) => [m.id, m]));
    assert.equal(byId.m1?.metricStat?.metric.metricName, "ApproximateNumberOfMessagesVisible");
    assert.equal(byId.m2?.metricStat?.metric.metricName, "ApproximateNumberOfMessagesNotVisible");
    assert.deepEqual(byId.m1?.metricStat?.metric.dimensions, [{ name: "QueueName", value: `${p}-queue` }]);
    assert.equal(byId.m3?.metricStat?.metric.namespace, "ECS/ContainerInsights");
    assert.equal(byId.m3?.metricStat?.metric.metricName, "RunningTaskCount");
    assert.deepEqual(byId.m3?.metricStat?.metric.dimensions, [
      { name: "ClusterName", value: `${p}-cluster` },
      { name: "ServiceName", value: `${p}-service` },
    ]);
    assert.equal(byId.e1?.expression, "(m1 + m2) / IF(FILL(m3, 0) > 0, m3, 1)");
    assert.equal(BACKLOG_PER_TASK_EXPRESSION, byId.e1?.expression);
    // Only the final expression returns data.
    assert.deepEqual(metrics.filter((m) => m.returnData).map((m) => m.id), ["e1"]);
    // Autoscaling owns desiredCount.
    const service = s.seen.find((r) => r.type === "aws:ecs/service:Service");
    assert.deepEqual(service?.ignoreChanges, ["desiredCount"]);
    assert.equal(s.one("aws:ecs/service:Service").inputs.desiredCount, 0);
  });

  it("wakes from zero: a step policy adding one task when work waits and no task runs", async () => {
    const s = await build({ ...minimal(), scaling: { minCount: 0, acceptableLatency: 3600, messageProcessingTime: 1 } });
    const wake = s.one(POLICY, "wake").inputs;
    assert.equal(wake.policyType, "StepScaling");
    assert.deepEqual(wake.stepScalingPolicyConfiguration, {
      adjustmentType: "ChangeInCapacity",
      cooldown: 60,
      metricAggregationType: "Maximum",
      stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
    });
    const alarm = s.one(ALARM, "wake").inputs as {
      metricQueries: Array<{ id: string; expression?: string; returnData: boolean; metric?: { metricName: string; period: number } }>;
      alarmActions: string[];
      threshold: number;
      comparisonOperator: string;
      evaluationPeriods: number;
      treatMissingData: string;
    };
    assert.deepEqual(alarm.alarmActions, [`arn:aws:appautoscaling:us-east-1:123456789012:${s.prefix}-wake`]);
    assert.equal(alarm.comparisonOperator, "GreaterThanOrEqualToThreshold");
    assert.equal(alarm.threshold, 1);
    assert.equal(alarm.evaluationPeriods, 1); // about a minute
    assert.equal(alarm.treatMissingData, "notBreaching");
    const e1 = alarm.metricQueries.find((q) => q.id === "e1");
    assert.equal(e1?.expression, WAKE_FROM_ZERO_EXPRESSION);
    assert.equal(e1?.expression, "IF((m1 + m2) > 0 AND FILL(m3, 0) == 0 AND FILL(m4, 0) == 0, 1, 0)");
    assert.deepEqual(
      alarm.metricQueries.filter((q) => q.metric).map((q) => [q.id, q.metric?.metricName, q.metric?.period]),
      [
        ["m1", "ApproximateNumberOfMessagesVisible", 60],
        ["m2", "ApproximateNumberOfMessagesNotVisible", 60],
        ["m3", "RunningTaskCount", 60],
        ["m4", "DesiredTaskCount", 60],
      ],
    );
    assert.deepEqual(alarm.metricQueries.filter((q) => q.returnData).map((q) => q.id), ["e1"]);
  });

  it("needs no wake policy when min is at least 1", async () => {
    const s = await build({ ...minimal(), scaling: { minCount: 2, maxCount: 3 } });
    assert.equal(s.count(POLICY), 1);
    assert.equal(s.ofType(ALARM).filter((a) => a.name.endsWith("-wake")).length, 0);
    assert.equal(s.one("aws:ecs/service:Service").inputs.desiredCount, 2);
  });

  it("fixed-count mode creates no scaling and keeps desiredCount managed", async () => {
    const s = await build({ ...minimal(), desiredCount: 3 });
    assert.equal(s.count(TARGET), 0);
    assert.equal(s.count(POLICY), 0);
    assert.equal(s.one("aws:ecs/service:Service").inputs.desiredCount, 3);
    assert.deepEqual(s.seen.find((r) => r.type === "aws:ecs/service:Service")?.ignoreChanges, []);
  });
});
