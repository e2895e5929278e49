/**
 * The deployed scaling resources carry exactly the shared definition (component/scaling-math.ts,
 * which test/component/scaling-sim.test.ts proves by simulation): compared field by field with
 * scalingDefinition(...), never with a copy of its strings.
 */
import assert from "node:assert/strict";
import { validateArgs } from "../../component/validation";
import { MIN_SCALE_OUT_COOLDOWN, scalingDefinition, targetBacklogPerTask, type MetricMathQuery, type ScalingDefinition, type StepScalingDefinition } from "../../component/scaling-math";
import { parse, type Node } from "../scaling-sim/metric-math-parser";
import { build, minimal, type Stack } from "./mocks";

const POLICY = "aws:appautoscaling/policy:Policy";
const TARGET = "aws:appautoscaling/target:Target";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

interface DeployedMetric {
  id: string;
  expression?: string;
  label?: string;
  returnData: boolean;
  metricStat?: { stat: string; metric: { namespace: string; metricName: string; dimensions: Array<{ name: string; value: string }> } };
  metric?: { namespace: string; metricName: string; stat: string; period: number; dimensions: Record<string, string> };
}

const SCALING = { minCount: 0, maxCount: 7, acceptableLatency: 120, messageProcessingTime: 2, scaleInCooldown: 200, scaleOutCooldown: 420 };

/** The definition the component should have deployed for these `scaling` arguments. */
function expectedFor(s: typeof SCALING): ScalingDefinition {
  return scalingDefinition({ ...s, targetBacklogPerTask: targetBacklogPerTask(s.acceptableLatency, s.messageProcessingTime) });
}

/** The dimensions a metric must carry, with the names the mocks give the queue and the service. */
function dimensions(of: "queue" | "service", p: string): Record<string, string> {
  return of === "queue" ? { QueueName: `${p}-queue` } : { ClusterName: `${p}-cluster`, ServiceName: `${p}-service` };
}

/** Metrics then expressions, in the definition's order, only the last returning data and labelled. */
function assertQuery(deployed: DeployedMetric[], query: MetricMathQuery, p: string, period?: number): void {
  assert.deepEqual(
    deployed.map((q) => q.id),
    [...query.metrics.map((m) => m.id), ...query.expressions.map((e) => e.id)],
  );
  for (const m of query.metrics) {
    const q = deployed.find((d) => d.id === m.id);
    const got = q?.metricStat
      ? { namespace: q.metricStat.metric.namespace, metricName: q.metricStat.metric.metricName, stat: q.metricStat.stat, dims: Object.fromEntries(q.metricStat.metric.dimensions.map((d) => [d.name, d.value])) }
      : { namespace: q?.metric?.namespace, metricName: q?.metric?.metricName, stat: q?.metric?.stat, dims: q?.metric?.dimensions };
    assert.deepEqual(got, { namespace: m.namespace, metricName: m.metricName, stat: m.stat, dims: dimensions(m.of, p) }, m.id);
    if (period !== undefined) assert.equal(q?.metric?.period, period, `${m.id} period`);
  }
  for (const e of query.expressions) assert.equal(deployed.find((d) => d.id === e.id)?.expression, e.expression, e.id);
  const last = query.expressions.at(-1)?.id;
  assert.deepEqual(deployed.filter((q) => q.returnData).map((q) => q.id), [last]);
  assert.equal(deployed.find((q) => q.id === last)?.label, query.label);
}

/** A step policy and its alarm, both named `${prefix}-${name}`, deploy the definition. */
function assertStep(s: Stack, name: string, step: StepScalingDefinition, tags: Record<string, string>): void {
  const policy = s.one(POLICY, name).inputs;
  assert.equal(policy.policyType, "StepScaling");
  assert.deepEqual(policy.stepScalingPolicyConfiguration, {
    ...step.policy,
    stepAdjustments: step.policy.stepAdjustments.map((a) => ({
      scalingAdjustment: a.scalingAdjustment,
      ...(a.metricIntervalLowerBound === undefined ? {} : { metricIntervalLowerBound: String(a.metricIntervalLowerBound) }),
      ...(a.metricIntervalUpperBound === undefined ? {} : { metricIntervalUpperBound: String(a.metricIntervalUpperBound) }),
    })),
  });
  const alarm = s.one(ALARM, name).inputs as Record<string, unknown> & { metricQueries: DeployedMetric[] };
  const { description, query, period, ...evaluation } = step.alarm;
  assert.equal(alarm.alarmDescription, description);
  for (const [key, value] of Object.entries(evaluation)) assert.equal(alarm[key], value, key);
  assertQuery(alarm.metricQueries, query, s.prefix, period);
  assert.deepEqual(alarm.alarmActions, [`arn:aws:appautoscaling:us-east-1:123456789012:${s.prefix}-${name}`]);
  assert.deepEqual(alarm.tags, tags);
}

/** Query ids an expression reads. */
function idsIn(node: Node): string[] {
  switch (node.kind) {
    case "id":
      return [node.name];
    case "unary":
      return idsIn(node.operand);
    case "binary":
      return [...idsIn(node.left), ...idsIn(node.right)];
    case "call":
      return node.args.flatMap(idsIn);
    case "array":
      return node.items.flatMap(idsIn);
    default:
      return [];
  }
}

describe("scaling", () => {
  for (const [latency, time, target] of [[600, 0.25, 2400], [300, 1, 300], [60, 7, 8], [10, 30, 1]] as const) {
    it(`tracks ${target} messages per task for latency ${latency}s / ${time}s`, async () => {
      const s = await build({ ...minimal(), scaling: { minCount: 1, maxCount: 7, acceptableLatency: latency, messageProcessingTime: time } });
      const cfg = s.one(POLICY, "backlog").inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number };
      assert.equal(cfg.targetValue, target);
    });
  }

  it("deploys the shared definition: target, backlog policy, wake and sleep (with tags)", async () => {
    const tags = { team: "fake-team" };
    const s = await build({ ...minimal(), scaling: SCALING, tags });
    const expected = expectedFor(SCALING);
    const p = s.prefix;

    const target = s.one(TARGET).inputs;
    assert.equal(target.resourceId, `service/${p}-cluster/${p}-service`);
    assert.equal(target.scalableDimension, "ecs:service:DesiredCount");
    assert.equal(target.minCapacity, expected.minCapacity);
    assert.equal(target.maxCapacity, expected.maxCapacity);
    assert.deepEqual(target.tags, tags);

    const policy = s.one(POLICY, "backlog").inputs;
    assert.equal(policy.policyType, "TargetTrackingScaling");
    const { query, ...tracking } = expected.backlog;
    const cfg = policy.targetTrackingScalingPolicyConfiguration as Record<string, unknown> & { customizedMetricSpecification: { metrics: DeployedMetric[] } };
    for (const [key, value] of Object.entries(tracking)) assert.equal(cfg[key], value, key);
    assertQuery(cfg.customizedMetricSpecification.metrics, query, p);

    assert.ok(expected.wake && expected.sleep);
    assertStep(s, "wake", expected.wake, tags);
    assertStep(s, "sleep", expected.sleep, tags);
    assert.equal(s.count(POLICY), 3);
    assert.equal(s.ofType(ALARM).filter((a) => /-(wake|sleep)$/.test(a.name)).length, 2);

    // Autoscaling owns desiredCount.
    assert.deepEqual(s.seen.find((r) => r.type === "aws:ecs/service:Service")?.ignoreChanges, ["desiredCount"]);
    assert.equal(s.one("aws:ecs/service:Service").inputs.desiredCount, 0);
  });

  it("keeps scale-out waiting for the late task count: MIN_SCALE_OUT_COOLDOWN by default, a longer one as given, a shorter one refused", async () => {
    const { scaleOutCooldown: _unset, ...noCooldown } = SCALING;
    for (const [given, deployed] of [[undefined, MIN_SCALE_OUT_COOLDOWN], [MIN_SCALE_OUT_COOLDOWN + 240, MIN_SCALE_OUT_COOLDOWN + 240]] as const) {
      const s = await build({ ...minimal(), scaling: { ...noCooldown, scaleOutCooldown: given } });
      const cfg = s.one(POLICY, "backlog").inputs.targetTrackingScalingPolicyConfiguration as { scaleOutCooldown: number; scaleInCooldown: number };
      assert.equal(cfg.scaleOutCooldown, deployed);
      assert.equal(cfg.scaleInCooldown, SCALING.scaleInCooldown);
    }
    assert.throws(() => validateArgs("w", { ...minimal(), scaling: { ...SCALING, scaleOutCooldown: 60 } }), /scaling\.scaleOutCooldown: 60 is below 360.*use 360 or more/s);
  });

  describe("the definition", () => {
    const d = expectedFor(SCALING);
    const queries: Array<[string, MetricMathQuery]> = [
      ["backlog", d.backlog.query],
      ["wake", d.wake?.alarm.query ?? d.backlog.query],
      ["sleep", d.sleep?.alarm.query ?? d.backlog.query],
    ];
    for (const [name, q] of queries) {
      it(`${name}: every expression parses and reads only ids defined before it`, () => {
        const known = new Set(q.metrics.map((m) => m.id));
        for (const e of q.expressions) {
          for (const id of idsIn(parse(e.expression))) assert.ok(known.has(id), `${e.id} reads ${id} before it is defined`);
          known.add(e.id);
        }
      });
    }

    it("wakes and sleeps on SQS data alone (Container Insights' lag cannot drive them)", () => {
      for (const step of [d.wake, d.sleep]) assert.deepEqual([...new Set(step?.alarm.query.metrics.map((m) => m.namespace))], ["AWS/SQS"]);
    });

    it("wake only adds (ChangeInCapacity > 0); sleep removes up to maxCount, down to minCapacity", () => {
      assert.ok(d.wake?.policy.stepAdjustments.every((a) => a.scalingAdjustment > 0));
      assert.deepEqual(d.sleep?.policy.stepAdjustments.map((a) => a.scalingAdjustment), [-SCALING.maxCount]);
    });
  });

  it("needs neither wake nor sleep when min is at least 1", async () => {
    const stepAlarms = (s: Stack) => s.ofType(ALARM).filter((a) => /-(wake|sleep)$/.test(a.name)).map((a) => a.name).sort();
    const zero = await build({ ...minimal(), scaling: { minCount: 0, maxCount: 3 } });
    assert.equal(zero.count(POLICY), 3, "backlog, wake and sleep from zero");
    assert.deepEqual(stepAlarms(zero), [`${zero.prefix}-sleep`, `${zero.prefix}-wake`]);
    const s = await build({ ...minimal(), scaling: { minCount: 2, maxCount: 3 } });
    assert.equal(s.count(POLICY), 1);
    assert.deepEqual(stepAlarms(s), []);
    assert.equal(s.one("aws:ecs/service:Service").inputs.desiredCount, 2);
  });

  it("fixed-count mode creates no scaling and keeps desiredCount managed", async () => {
    const scaled = await build({ ...minimal(), scaling: {} });
    assert.equal(scaled.count(TARGET), 1, "a target is seen with scaling");
    assert.equal(scaled.count(POLICY), 1);
    const s = await build({ ...minimal(), desiredCount: 3 });
    assert.equal(s.count(TARGET), 0);
    assert.equal(s.count(POLICY), 0);
    assert.equal(s.one("aws:ecs/service:Service").inputs.desiredCount, 3);
    assert.deepEqual(s.seen.find((r) => r.type === "aws:ecs/service:Service")?.ignoreChanges, []);
  });

  describe("CPU and memory target tracking beside the backlog policy", () => {
    it("the definition: one policy per target asked for, with the backlog policy's cooldowns; none by default", () => {
      assert.deepEqual(expectedFor(SCALING).utilization, []);
      const d = scalingDefinition({ ...SCALING, targetBacklogPerTask: 60, targetCpuPercent: 70, targetMemoryPercent: 80 });
      assert.deepEqual(d.utilization, [
        { name: "cpu", predefinedMetricType: "ECSServiceAverageCPUUtilization", targetValue: 70, scaleOutCooldown: 420, scaleInCooldown: 200, disableScaleIn: false },
        { name: "memory", predefinedMetricType: "ECSServiceAverageMemoryUtilization", targetValue: 80, scaleOutCooldown: 420, scaleInCooldown: 200, disableScaleIn: false },
      ]);
      // The backlog policy and the wake/sleep pair are the same with or without them.
      const { utilization: _u, ...rest } = d;
      const { utilization: _b, ...base } = expectedFor(SCALING);
      assert.deepEqual(rest, { ...base });
    });

    it("deploys them as target-tracking policies on the same scalable target", async () => {
      const s = await build({ ...minimal(), scaling: { ...SCALING, targetCpuPercent: 70, targetMemoryPercent: 80 } });
      assert.equal(s.count(POLICY), 5, "backlog, cpu, memory, wake, sleep");
      const expected = scalingDefinition({ ...SCALING, targetBacklogPerTask: targetBacklogPerTask(SCALING.acceptableLatency, SCALING.messageProcessingTime), targetCpuPercent: 70, targetMemoryPercent: 80 });
      for (const u of expected.utilization ?? []) {
        const policy = s.one(POLICY, u.name).inputs;
        assert.equal(policy.policyType, "TargetTrackingScaling");
        assert.equal(policy.resourceId, `service/${s.prefix}-cluster/${s.prefix}-service`);
        assert.equal(policy.scalableDimension, "ecs:service:DesiredCount");
        assert.deepEqual(policy.targetTrackingScalingPolicyConfiguration, {
          targetValue: u.targetValue,
          scaleOutCooldown: u.scaleOutCooldown,
          scaleInCooldown: u.scaleInCooldown,
          disableScaleIn: u.disableScaleIn,
          predefinedMetricSpecification: { predefinedMetricType: u.predefinedMetricType },
        });
      }
      const cpuOnly = await build({ ...minimal(), scaling: { minCount: 1, targetCpuPercent: 50 } });
      assert.deepEqual(cpuOnly.ofType(POLICY).map((p) => p.name).sort(), [`${cpuOnly.prefix}-backlog`, `${cpuOnly.prefix}-cpu`]);
    });
  });
});
