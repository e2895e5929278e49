/**
 * Application Auto Scaling for one ECS service, as its user guide describes it:
 * - Target tracking (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html):
 *   AAS creates two alarms on the policy's metric. Scale-out when it is above the target: "scales
 *   out proportionally to the metric as fast as it can" (here ceil(capacity × metric / target),
 *   the proportional rule for a metric that "must increase or decrease proportionally to the
 *   capacity"); scale-in "only when utilization passes a threshold that is far enough below the
 *   target value (usually more than 10% lower)" (here 0.9 × target) and "more gradually".
 *   Capacity is rounded conservatively ("rounding up or down ... prevents it from adding
 *   insufficient capacity or removing too much capacity": ceil both ways). The alarms it
 *   creates for a one-minute metric are 3 of 3 datapoints (scale-out) and 15 of 15 (scale-in)
 *   of 60 s, as their names (TargetTracking-…-AlarmHigh/-AlarmLow) and settings show in the
 *   console; "does not scale in when the state of the alarm is INSUFFICIENT_DATA".
 * - Cooldowns (same page and the step-scaling page, https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html):
 *   during a scale-out cooldown "the capacity added by the initiating scale-out activity is
 *   calculated as part of the desired capacity for the next scale-out" and capacity only grows
 *   for "a larger scale out": the next request is computed from the capacity before the
 *   initiating activity. Scale-in is blocked during the scale-in cooldown; a scale-out ends it.
 * - Step scaling: ChangeInCapacity adds the step's adjustment; the aggregation type (Maximum)
 *   is applied to the alarm's most recent datapoints to pick the step.
 * - Alarm actions: "For Amazon EC2 Auto Scaling actions, the alarm continues to invoke the
 *   action for every period that the alarm remains in the new state"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html);
 *   Application Auto Scaling alarms are modelled the same way.
 * - Several policies at once: "Application Auto Scaling scales based on the policy that
 *   provides the largest capacity for both scale in and scale out"; the result is clamped to
 *   [minCapacity, maxCapacity].
 */
import type { BacklogPolicyDefinition, StepAdjustment, StepScalingDefinition } from "../../component/scaling-math";
import { Alarm, type Evaluation, type FetchMetric } from "./alarm";

/** A capacity a policy asks for, and what happens when it is applied. */
export interface Request {
  readonly capacity: number;
  readonly commit: (now: number) => void;
}

/** A policy's cooldowns (both policy kinds keep the same bookkeeping). */
export class Cooldowns {
  private scaleOutUntil = -Infinity;
  private base = 0;
  private scaleInUntil = -Infinity;

  constructor(
    private readonly scaleOutSeconds: number,
    private readonly scaleInSeconds: number,
  ) {}

  /** The capacity a scale-out request builds on: the one before the initiating scale-out while cooling down. */
  baseFor(now: number, current: number): number {
    return now < this.scaleOutUntil ? this.base : current;
  }

  scaleOutStarted(now: number, capacityBefore: number): void {
    if (now >= this.scaleOutUntil) this.base = capacityBefore;
    this.scaleOutUntil = now + this.scaleOutSeconds;
  }

  scaleInBlocked(now: number): boolean {
    return now < this.scaleInUntil;
  }

  scaleInStarted(now: number): void {
    this.scaleInUntil = now + this.scaleInSeconds;
  }

  /** A scale-out by any policy ends the scale-in cooldown. */
  scaledOut(): void {
    this.scaleInUntil = -Infinity;
  }
}

export class TargetTrackingPolicy {
  readonly high: Alarm;
  readonly low: Alarm;
  readonly cooldowns: Cooldowns;

  constructor(
    private readonly definition: BacklogPolicyDefinition,
    fetch: FetchMetric,
    rangeExtra: number,
  ) {
    const target = definition.targetValue;
    const expressions = definition.query.expressions;
    const ids = definition.query.metrics.map((m) => m.id);
    this.high = new Alarm({ expressions, period: 60, evaluationPeriods: 3, datapointsToAlarm: 3, breaches: (v) => v > target, treatMissingData: "missing" }, ids, fetch, rangeExtra);
    this.low = new Alarm({ expressions, period: 60, evaluationPeriods: 15, datapointsToAlarm: 15, breaches: (v) => v < 0.9 * target, treatMissingData: "missing" }, ids, fetch, rangeExtra);
    this.cooldowns = new Cooldowns(definition.scaleOutCooldown, definition.scaleInCooldown);
  }

  /** Evaluate both alarms at `now` and return what this policy asks for, if anything. */
  requests(now: number, current: number): Request[] {
    const out: Request[] = [];
    const high = this.high.evaluate(now);
    const low = this.low.evaluate(now);
    const target = this.definition.targetValue;
    const newest = (e: Evaluation) => e.values.at(-1);
    const highValue = newest(high);
    if (high.state === "ALARM" && highValue !== undefined) {
      const capacity = Math.ceil((this.cooldowns.baseFor(now, current) * highValue) / target);
      if (capacity > current) out.push({ capacity, commit: (t) => this.cooldowns.scaleOutStarted(t, current) });
    }
    const lowValue = newest(low);
    if (low.state === "ALARM" && lowValue !== undefined && !this.definition.disableScaleIn && !this.cooldowns.scaleInBlocked(now)) {
      const capacity = Math.ceil((current * lowValue) / target);
      if (capacity < current) out.push({ capacity, commit: (t) => this.cooldowns.scaleInStarted(t) });
    }
    return out;
  }
}

/**
 * The step whose interval holds `breach` (metric minus threshold): above the threshold the
 * lower bound is inclusive and the upper exclusive, below it the reverse (step-scaling page).
 */
function stepFor(steps: readonly StepAdjustment[], breach: number): StepAdjustment | undefined {
  const above = breach >= 0;
  return steps.find((s) => {
    const lo = s.metricIntervalLowerBound ?? -Infinity;
    const hi = s.metricIntervalUpperBound ?? Infinity;
    return above ? breach >= lo && breach < hi : breach > lo && breach <= hi;
  });
}

export class StepPolicy {
  readonly alarm: Alarm;
  readonly cooldowns: Cooldowns;

  constructor(
    private readonly definition: StepScalingDefinition,
    fetch: FetchMetric,
    rangeExtra: number,
  ) {
    const a = definition.alarm;
    const breaches = a.comparisonOperator === "LessThanThreshold" ? (v: number) => v < a.threshold : (v: number) => v >= a.threshold;
    this.alarm = new Alarm(
      { expressions: a.query.expressions, period: a.period, evaluationPeriods: a.evaluationPeriods, datapointsToAlarm: a.datapointsToAlarm, breaches, treatMissingData: a.treatMissingData },
      a.query.metrics.map((m) => m.id),
      fetch,
      rangeExtra,
    );
    // A step policy has one cooldown for both directions.
    this.cooldowns = new Cooldowns(definition.policy.cooldown, definition.policy.cooldown);
  }

  requests(now: number, current: number): Request[] {
    const e = this.alarm.evaluate(now);
    if (e.state !== "ALARM" || e.values.length === 0) return [];
    const pick = this.definition.policy.metricAggregationType === "Minimum" ? Math.min : Math.max;
    const step = stepFor(this.definition.policy.stepAdjustments, pick(...e.values) - this.definition.alarm.threshold);
    if (!step) return [];
    const adjustment = step.scalingAdjustment;
    if (adjustment > 0) {
      const capacity = this.cooldowns.baseFor(now, current) + adjustment;
      return capacity > current ? [{ capacity, commit: (t) => this.cooldowns.scaleOutStarted(t, current) }] : [];
    }
    if (this.cooldowns.scaleInBlocked(now) || adjustment >= 0) return [];
    return [{ capacity: current + adjustment, commit: (t) => this.cooldowns.scaleInStarted(t) }];
  }
}

/** The scalable target: applies the largest request of an evaluation round, within bounds. */
export class ScalableTarget {
  constructor(
    readonly min: number,
    readonly max: number,
    public desired: number,
  ) {}

  apply(now: number, requests: readonly Request[], onScaleOut: () => void): void {
    const outs = requests.filter((r) => r.capacity > this.desired);
    const chosen = (outs.length > 0 ? outs : requests).reduce<Request | undefined>((best, r) => (best && best.capacity >= r.capacity ? best : r), undefined);
    if (!chosen) return;
    const capacity = Math.min(this.max, Math.max(this.min, chosen.capacity));
    if (capacity === this.desired) return;
    if (capacity > this.desired) onScaleOut();
    chosen.commit(now);
    this.desired = capacity;
  }
}
