/**
 * The scaling simulator: a queue, its metrics, the component's alarms and policies, Application
 * Auto Scaling and the ECS service, advanced one second at a time. Alarms are evaluated at
 * every minute boundary (CloudWatch evaluates standard-resolution alarms once a minute).
 */
import { scalingDefinition, targetBacklogPerTask, type MetricMathQuery, type ScalingDefinition, type ScalingSettingsInput } from "../../component/scaling-math";
import type { AlarmState } from "./alarm";
import { ScalableTarget, StepPolicy, TargetTrackingPolicy, type Request } from "./autoscaling";
import { Service, type ServiceStats, type TaskSettings } from "./ecs";
import { MetricStream, onTime, type Publishing } from "./metric-stream";
import { Queue, type Message } from "./queue";

export interface ScenarioSettings {
  readonly minCount: number;
  readonly maxCount: number;
  readonly acceptableLatency: number;
  readonly messageProcessingTime: number;
  readonly scaleInCooldown: number;
  readonly scaleOutCooldown: number;
}

export interface Scenario {
  readonly scaling: ScenarioSettings;
  /** The design under test; default: the component's. */
  readonly design?: (s: ScalingSettingsInput) => ScalingDefinition;
  readonly sends: ReadonlyArray<{ readonly at: number; readonly count: number }>;
  readonly seconds: number;
  readonly initialDesired?: number;
  readonly tasks?: Partial<TaskSettings>;
  readonly sqs?: Publishing;
  readonly containerInsights?: Publishing & {
    /** Send no task-count datapoint while the service has no task wanted or running. */
    readonly silentAtZero?: boolean;
  };
  /** Periods an alarm retrieves beyond its evaluation periods (undocumented; the docs' example is 2). */
  readonly rangeExtra?: number;
}

export interface Minute {
  readonly t: number;
  readonly desired: number;
  readonly pending: number;
  readonly running: number;
  readonly visible: number;
  readonly inFlight: number;
  readonly alarms: Readonly<Record<string, AlarmState>>;
}

export interface Outcome {
  readonly messages: readonly Message[];
  readonly minutes: readonly Minute[];
  readonly service: ServiceStats;
  readonly peakDesired: number;
  readonly finalDesired: number;
  readonly targetBacklogPerTask: number;
  readonly definition: ScalingDefinition;
}

const DEFAULT_TASKS: TaskSettings = { startSeconds: 60, processingSeconds: 1, concurrency: 1, protection: true, idleGraceSeconds: 10, visibilityTimeout: 30 };

/** Run one scenario to its end. */
export function simulate(s: Scenario): Outcome {
  const target = targetBacklogPerTask(s.scaling.acceptableLatency, s.scaling.messageProcessingTime);
  const definition = (s.design ?? scalingDefinition)({ ...s.scaling, targetBacklogPerTask: target });
  const tasks: TaskSettings = { ...DEFAULT_TASKS, processingSeconds: s.scaling.messageProcessingTime, ...s.tasks };
  const queue = new Queue();
  const service = new Service(tasks, queue);
  const scalable = new ScalableTarget(definition.minCapacity, definition.maxCapacity, s.initialDesired ?? s.scaling.minCount);
  const ci = s.containerInsights ?? onTime;
  const quiet = (now: number) => s.containerInsights?.silentAtZero === true && scalable.desired === 0 && service.running(now) + service.pending(now) === 0;
  const sources: Record<string, [Publishing, (now: number) => number | undefined]> = {
    ApproximateNumberOfMessagesVisible: [s.sqs ?? onTime, () => queue.visibleCount],
    ApproximateNumberOfMessagesNotVisible: [s.sqs ?? onTime, () => queue.inFlight],
    RunningTaskCount: [ci, (now) => (quiet(now) ? undefined : service.running(now))],
    DesiredTaskCount: [ci, (now) => (quiet(now) ? undefined : scalable.desired)],
  };
  const streams = new Map(Object.entries(sources).map(([name, [publishing, value]]) => [name, { stream: new MetricStream(publishing), value }]));
  /** A query's ids resolved to the streams of their metrics. */
  const fetchFor = (query: MetricMathQuery) => (id: string, from: number, to: number, now: number) => {
    const metric = query.metrics.find((m) => m.id === id);
    const source = metric && streams.get(metric.metricName);
    if (!source) throw new Error(`the simulator has no source for ${id} (${metric?.namespace} ${metric?.metricName})`);
    return source.stream.query(from, to, now);
  };
  const rangeExtra = s.rangeExtra ?? 2;
  const tracking = new TargetTrackingPolicy(definition.backlog, fetchFor(definition.backlog.query), rangeExtra);
  const steps = Object.fromEntries(
    (["wake", "sleep"] as const).flatMap((name) => {
      const d = definition[name];
      return d ? [[name, new StepPolicy(d, fetchFor(d.alarm.query), rangeExtra)]] : [];
    }),
  ) as Partial<Record<"wake" | "sleep", StepPolicy>>;

  const minutes: Minute[] = [];
  let peakDesired = scalable.desired;
  for (let now = 0; now < s.seconds; now++) {
    if (now % 60 === 0 && now > 0) {
      const current = scalable.desired;
      const requests: Request[] = [...tracking.requests(now, current), ...Object.values(steps).flatMap((p) => p.requests(now, current))];
      scalable.apply(now, requests, () => [tracking, ...Object.values(steps)].forEach((p) => p.cooldowns.scaledOut()));
      peakDesired = Math.max(peakDesired, scalable.desired);
      const alarms: Record<string, AlarmState> = { high: tracking.high.state, low: tracking.low.state };
      for (const [name, p] of Object.entries(steps)) alarms[name] = p.alarm.state;
      minutes.push({ t: now, desired: scalable.desired, pending: service.pending(now), running: service.running(now), visible: queue.visibleCount, inFlight: queue.inFlight, alarms });
    }
    for (const send of s.sends) if (send.at === now) queue.send(now, send.count);
    queue.tick(now);
    service.tick(now, scalable.desired);
    for (const { stream, value } of streams.values()) stream.tick(now, () => value(now));
  }
  return { messages: queue.all, minutes, service: service.stats, peakDesired, finalDesired: scalable.desired, targetBacklogPerTask: target, definition };
}
