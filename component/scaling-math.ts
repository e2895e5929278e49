/**
 * Scaling arithmetic and the scaling policy as pure data: the metric-math expressions, the wake
 * alarm and both policies' settings. component/scaling.ts deploys exactly this and the scaling
 * simulator (test/scaling-sim) evaluates exactly this. See docs/scaling.md.
 */

/**
 * Messages one task may have waiting or in flight so that the last one still starts within
 * `acceptableLatency` seconds, when each takes `messageProcessingTime` seconds:
 * floor(latency / time), at least 1. (Floor, not Copilot's ceil: ceil would overshoot the
 * promised latency by up to one message.)
 */
export function targetBacklogPerTask(acceptableLatency: number, messageProcessingTime: number): number {
  if (!(acceptableLatency > 0) || !Number.isFinite(acceptableLatency)) {
    throw new RangeError(`acceptableLatency must be a positive number of seconds, got ${acceptableLatency}`);
  }
  if (!(messageProcessingTime > 0) || !Number.isFinite(messageProcessingTime)) {
    throw new RangeError(`messageProcessingTime must be a positive number of seconds, got ${messageProcessingTime}`);
  }
  // Round first so 0.3 / 0.1 (= 2.9999999999999996) counts as 3.
  return Math.max(1, Math.floor(Number((acceptableLatency / messageProcessingTime).toFixed(9))));
}

/** Stop timeout for the containers: the sidecar's drain plus 5 s of slack, at most Fargate's 120 s. */
export function stopTimeoutFor(drainTimeout: number): number {
  return Math.min(120, Math.ceil(drainTimeout) + 5);
}

/** One CloudWatch metric the expressions read; the component adds the dimensions. */
export interface ScalingMetric {
  readonly id: string;
  readonly namespace: "AWS/SQS" | "ECS/ContainerInsights";
  readonly metricName: string;
  readonly stat: "Sum" | "Average";
  /** Whose dimensions: the queue (QueueName) or the service (ClusterName, ServiceName). */
  readonly of: "queue" | "service";
}

/** One metric-math expression of a query. */
export interface MathExpression {
  readonly id: string;
  readonly expression: string;
}

/** Metrics and expressions; the last expression is the result (the only one returning data). */
export interface MetricMathQuery {
  readonly metrics: readonly ScalingMetric[];
  readonly expressions: readonly MathExpression[];
  /** Label of the result. */
  readonly label: string;
}

/** The target-tracking policy on backlog per task. */
export interface BacklogPolicyDefinition {
  readonly query: MetricMathQuery;
  readonly targetValue: number;
  readonly scaleOutCooldown: number;
  readonly scaleInCooldown: number;
  readonly disableScaleIn: boolean;
}

export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";

/** One step of a step-scaling policy; bounds are relative to the alarm threshold. */
export interface StepAdjustment {
  readonly metricIntervalLowerBound?: number;
  readonly metricIntervalUpperBound?: number;
  readonly scalingAdjustment: number;
}

/** A CloudWatch alarm and the step-scaling policy it invokes (wake and sleep). */
export interface StepScalingDefinition {
  readonly alarm: {
    readonly description: string;
    readonly query: MetricMathQuery;
    readonly period: number;
    readonly comparisonOperator: "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
    readonly threshold: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly treatMissingData: TreatMissingData;
  };
  readonly policy: {
    readonly adjustmentType: "ChangeInCapacity";
    readonly cooldown: number;
    readonly metricAggregationType: "Maximum" | "Minimum";
    readonly stepAdjustments: readonly StepAdjustment[];
  };
}

/**
 * A target-tracking policy on a metric ECS publishes for the service (Copilot's
 * cpu_percentage / memory_percentage). With the backlog policy beside it, Application Auto
 * Scaling scales out when any policy asks for more tasks and in only when all of them allow
 * fewer. The scaling simulator does not model CPU or memory and leaves these out.
 */
export interface UtilizationPolicyDefinition {
  /** Suffix of the deployed policy's name: "cpu" or "memory". */
  readonly name: "cpu" | "memory";
  readonly predefinedMetricType: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization";
  readonly targetValue: number;
  readonly scaleOutCooldown: number;
  readonly scaleInCooldown: number;
  readonly disableScaleIn: boolean;
}

export interface ScalingDefinition {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly backlog: BacklogPolicyDefinition;
  /** CPU and memory policies beside the backlog one, when asked for (none: absent or empty). */
  readonly utilization?: readonly UtilizationPolicyDefinition[];
  /** 0 → 1 (only when the service may sleep, minCount 0). */
  readonly wake?: StepScalingDefinition;
  /** 1 → 0 after a quiet spell (only when minCount is 0). */
  readonly sleep?: StepScalingDefinition;
}

/** What the definition needs from the resolved `scaling` arguments. */
export interface ScalingSettingsInput {
  readonly minCount: number;
  readonly maxCount: number;
  readonly targetBacklogPerTask: number;
  readonly scaleInCooldown: number;
  readonly scaleOutCooldown: number;
  /** Average CPU utilization to hold, percent: adds a CPU policy. */
  readonly targetCpuPercent?: number;
  /** Average memory utilization to hold, percent: adds a memory policy. */
  readonly targetMemoryPercent?: number;
}

/** The CPU and memory policies the settings ask for, with the backlog policy's cooldowns. */
function utilizationPolicies(s: ScalingSettingsInput): UtilizationPolicyDefinition[] {
  const policy = (name: "cpu" | "memory", targetValue: number): UtilizationPolicyDefinition => ({
    name,
    predefinedMetricType: name === "cpu" ? "ECSServiceAverageCPUUtilization" : "ECSServiceAverageMemoryUtilization",
    targetValue,
    scaleOutCooldown: s.scaleOutCooldown,
    scaleInCooldown: s.scaleInCooldown,
    disableScaleIn: false,
  });
  return [
    ...(s.targetCpuPercent !== undefined ? [policy("cpu", s.targetCpuPercent)] : []),
    ...(s.targetMemoryPercent !== undefined ? [policy("memory", s.targetMemoryPercent)] : []),
  ];
}

const queueMetric = (id: string, metricName: string): ScalingMetric => ({ id, namespace: "AWS/SQS", metricName, stat: "Sum", of: "queue" });
const serviceMetric = (id: string, metricName: string): ScalingMetric => ({ id, namespace: "ECS/ContainerInsights", metricName, stat: "Average", of: "service" });

const VISIBLE = queueMetric("m1", "ApproximateNumberOfMessagesVisible");
const IN_FLIGHT = queueMetric("m2", "ApproximateNumberOfMessagesNotVisible");
const DESIRED = serviceMetric("m3", "DesiredTaskCount");

/**
 * Visible plus in-flight messages, the newest SQS value carried over minutes that have not
 * arrived: late or missing SQS data means "unchanged", never "empty".
 */
const WORK: MathExpression = { id: "work", expression: "FILL(m1 + m2, REPEAT)" };
/** Tasks wanted: the newest DesiredTaskCount, carried over minutes that have not arrived. */
const TASKS: MathExpression = { id: "tasks", expression: "FILL(m3, REPEAT)" };
/**
 * Work per wanted task. Only where both inputs are known: a false IF without a false value
 * drops the datapoint, and AND counts a missing side as 0, so a minute before SQS's or
 * Container Insights' first datapoint in the range has no value instead of a wrong one. An
 * empty queue counts as a trace (0.001) of work: target tracking then keeps one task
 * (ceil rounds it up) and only the sleep policy, on SQS data alone, goes to zero.
 */
const BACKLOG_PER_TASK: MathExpression = {
  id: "e1",
  expression: "IF(work >= 0 AND tasks >= 0, IF(work > 0, work, 0.001) / IF(tasks > 1, tasks, 1))",
};
/** 1 in a minute SQS reports messages waiting and none in flight: nothing consumes them. */
const NOBODY_CONSUMING: MathExpression = { id: "e1", expression: "IF(m1 > 0 AND m2 == 0, 1, 0)" };
/** The sleep alarm's result: the work itself, which must be 0 in every evaluated minute. */
const WORK_RESULT: MathExpression = { ...WORK, id: "e1" };

/**
 * The task count reaches the metric a minute late plus Container Insights' publishing delay;
 * until then a scale-out's metric still divides by the old count and would multiply the fleet
 * again. The cooldown makes the next scale-out wait for it: 60 s plus up to 5 minutes of delay.
 */
export const MIN_SCALE_OUT_COOLDOWN = 360;

/** The policies and alarms for one environment's resolved `scaling`. */
export function scalingDefinition(s: ScalingSettingsInput): ScalingDefinition {
  const sleeps = s.minCount === 0;
  return {
    minCapacity: s.minCount,
    maxCapacity: s.maxCount,
    backlog: {
      query: { metrics: [VISIBLE, IN_FLIGHT, DESIRED], label: "Backlog per task", expressions: [WORK, TASKS, BACKLOG_PER_TASK] },
      targetValue: s.targetBacklogPerTask,
      scaleOutCooldown: s.scaleOutCooldown,
      scaleInCooldown: s.scaleInCooldown,
      disableScaleIn: false,
    },
    utilization: utilizationPolicies(s),
    wake: sleeps
      ? {
          alarm: {
            description: "Messages wait and none is in flight: add a task (wakes a service at zero)",
            query: { metrics: [VISIBLE, IN_FLIGHT], label: "Messages waiting, none in flight", expressions: [NOBODY_CONSUMING] },
            period: 60,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: 1,
            // Any 1 of the last 8 minutes: a datapoint up to 5 minutes late, even of SQS's
            // 5-minute granularity, still falls in the range the alarm retrieves.
            evaluationPeriods: 8,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
          },
          policy: {
            // +1, not ExactCapacity 1, which would pull a larger fleet back to 1. The alarm stays
            // in ALARM for up to 8 minutes after the task starts consuming and re-invokes the
            // policy every minute: the cooldown (task start + 8 min + 5 min of delay) makes those
            // calls add nothing, while a fleet back at 0 still wakes at once.
            adjustmentType: "ChangeInCapacity",
            cooldown: 900,
            metricAggregationType: "Maximum",
            stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }],
          },
        }
      : undefined,
    sleep: sleeps
      ? {
          alarm: {
            description: "SQS reported no message visible or in flight for 15 minutes: stop every task",
            query: { metrics: [VISIBLE, IN_FLIGHT], label: "Messages visible or in flight", expressions: [WORK_RESULT] },
            period: 60,
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 15,
            datapointsToAlarm: 15,
            treatMissingData: "missing",
          },
          // Removes every task at once (minCapacity 0 bounds it); protected tasks stay until
          // their sidecar releases them. Maximum: the step applies when even the largest of the
          // evaluated datapoints is below 1.
          policy: { adjustmentType: "ChangeInCapacity", cooldown: 300, metricAggregationType: "Maximum", stepAdjustments: [{ metricIntervalUpperBound: 0, scalingAdjustment: -s.maxCount }] },
        }
      : undefined,
  };
}
