/**
 * The scenarios the scaling must pass, each with the behaviour it asserts; shared by
 * test/component/scaling-sim.test.ts and the report. Every scenario starts with half an hour
 * of idle queue (every alarm settles) and sends at 17 s past a minute.
 */
import { MIN_SCALE_OUT_COOLDOWN } from "../../component/scaling-math";
import { allDone, longestWait, minutesToMin, peakBacklog, tasksNeeded } from "./measures";
import type { Publishing } from "./metric-stream";
import { simulate, type Outcome, type Scenario, type ScenarioSettings } from "./world";

/** minCount 0, maxCount 20, target 300 messages per task (300 s / 1 s), the component's default cooldowns. */
export const SETTINGS: ScenarioSettings = { minCount: 0, maxCount: 20, acceptableLatency: 300, messageProcessingTime: 1, scaleInCooldown: 300, scaleOutCooldown: MIN_SCALE_OUT_COOLDOWN };
export const FIRST_SEND = 1817;
const TASK_START = 60;

export interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  /** What went wrong; empty when the behaviour holds. */
  readonly failures: (o: Outcome) => string[];
}

/** Every datapoint `minutes` late. */
export const late = (minutes: number, granularity = 60): Publishing => ({ granularity, delay: () => minutes * 60 });
/** Datapoints alternately on time and `minutes` late. */
export const jittery = (minutes: number): Publishing => ({ granularity: 60, delay: (t) => ((t / 60) % 2 === 0 ? 0 : minutes * 60) });

/**
 * Seconds a message may wait at zero tasks: the rest of its metric interval, the delay, one
 * alarm evaluation, the task start, and one more interval per datapoint that never arrives.
 */
export function wakeBound(sqs: Publishing, startSeconds = TASK_START, lostDatapoints = 0): number {
  return sqs.granularity * (1 + lostDatapoints) + sqs.delay(0) + 60 + startSeconds;
}

/** Minutes from the last message done to zero tasks: 15 quiet datapoints, the delay, two evaluations. */
const sleepBound = (sqs: Publishing) => 15 + Math.ceil(sqs.delay(0) / 60) + 2;

function check(failures: string[], ok: boolean, message: string): void {
  if (!ok) failures.push(message);
}

/** One message into a service at zero: processed within the wake bound by one task, then back to zero. */
export function oneMessage(name: string, sqs: Publishing, opts: { startSeconds?: number; lost?: readonly number[]; rangeExtra?: number } = {}): Case {
  const lost = opts.lost ?? [];
  const startSeconds = opts.startSeconds ?? TASK_START;
  return {
    name,
    scenario: {
      scaling: SETTINGS,
      sends: [{ at: FIRST_SEND, count: 1 }],
      seconds: FIRST_SEND + 45 * 60,
      sqs: { ...sqs, missing: (t) => lost.includes(t) },
      tasks: { startSeconds },
      rangeExtra: opts.rangeExtra,
    },
    failures: (o) => {
      const f: string[] = [];
      const bound = wakeBound(sqs, startSeconds, lost.length);
      check(f, longestWait(o) <= bound, `received after ${longestWait(o)} s, bound ${bound} s`);
      check(f, o.service.launched === 1, `${o.service.launched} tasks launched for one message`);
      check(f, o.service.stoppedBeforeWork === 0, `${o.service.stoppedBeforeWork} tasks stopped before they received anything`);
      check(f, minutesToMin(o) <= sleepBound(sqs), `back to 0 after ${minutesToMin(o)} min, bound ${sleepBound(sqs)}`);
      return f;
    },
  };
}

/** One 10-minute message while Container Insights lags: one task, not one per minute. */
export function longMessage(name: string, containerInsights: Scenario["containerInsights"]): Case {
  return {
    name,
    scenario: { scaling: SETTINGS, sends: [{ at: FIRST_SEND, count: 1 }], seconds: FIRST_SEND + 45 * 60, containerInsights, tasks: { processingSeconds: 600 } },
    failures: (o) => {
      const f: string[] = [];
      check(f, allDone(o), "the message was not processed");
      check(f, o.peakDesired === 1, `peak ${o.peakDesired} tasks for one message`);
      check(f, o.service.launched === 1, `${o.service.launched} tasks launched`);
      return f;
    },
  };
}

/**
 * 3000 messages into a service at zero (target 300: 10 tasks). Never more tasks than the
 * backlog needs; all of them once target tracking can see the data (`reachesNeed`); processed
 * within the latency target plus the wake and one scale-out (unless maxCount caps the fleet);
 * back to zero afterwards.
 */
export function burst(name: string, publishing: { sqs?: Publishing; containerInsights?: Scenario["containerInsights"] }, opts: { maxCount?: number; reachesNeed?: boolean; rangeExtra?: number } = {}): Case {
  const sqs = publishing.sqs ?? late(0);
  return {
    name,
    scenario: {
      scaling: { ...SETTINGS, maxCount: opts.maxCount ?? SETTINGS.maxCount },
      sends: [{ at: FIRST_SEND, count: 3000 }],
      seconds: FIRST_SEND + 120 * 60,
      ...publishing,
      rangeExtra: opts.rangeExtra,
    },
    failures: (o) => {
      const f: string[] = [];
      const need = tasksNeeded(o);
      check(f, allDone(o), "not every message was processed");
      check(f, o.peakDesired <= need, `peak ${o.peakDesired} tasks, the backlog needs ${need}`);
      if (opts.reachesNeed !== false) {
        check(f, o.peakDesired === need, `peak ${o.peakDesired} tasks, the backlog needs ${need}`);
      }
      // Capped below the need, no fleet can keep the latency promise.
      if (opts.reachesNeed !== false && Math.ceil(peakBacklog(o) / o.targetBacklogPerTask) <= o.definition.maxCapacity) {
        const bound = SETTINGS.acceptableLatency + wakeBound(sqs) + 4 * 60 + TASK_START;
        check(f, longestWait(o) <= bound, `longest wait ${longestWait(o)} s, bound ${bound} s`);
      }
      check(f, minutesToMin(o) <= sleepBound(sqs), `back to 0 after ${minutesToMin(o)} min, bound ${sleepBound(sqs)}`);
      return f;
    },
  };
}

/**
 * 120 ten-minute messages, target 6 per task (3600 s / 600 s): 20 tasks, and the scale-in
 * starts while tasks still hold their last messages; none of them may be stopped.
 */
export function drain(name: string, publishing: { sqs?: Publishing; containerInsights?: Scenario["containerInsights"] }, protection = true): Case {
  return {
    name,
    scenario: {
      scaling: { ...SETTINGS, acceptableLatency: 3600, messageProcessingTime: 600 },
      sends: [{ at: FIRST_SEND, count: 120 }],
      seconds: FIRST_SEND + 180 * 60,
      ...publishing,
      tasks: { protection },
    },
    failures: (o) => {
      const f: string[] = [];
      check(f, allDone(o), "not every message was processed");
      check(f, o.service.stoppedHolding === 0, `${o.service.stoppedHolding} tasks stopped while holding a message`);
      check(f, o.minutes.some((m) => m.desired < m.running && m.inFlight > 0), "no scale-in happened while tasks held messages (the scenario proves nothing)");
      check(f, o.finalDesired === 0, `ends at ${o.finalDesired} tasks`);
      return f;
    },
  };
}

/**
 * 300 messages a minute for an hour (5 tasks' throughput). Backlog-per-task tracking lets the
 * queue grow to the target before adding tasks, so the fleet swings between 1 and what the
 * rate needs; waits stay within the latency target plus one scale-out, and the service never
 * sleeps while messages flow, even when SQS publishes nothing for `outageMinutes`.
 */
export function steady(name: string, outageMinutes = 0): Case {
  const outageFrom = FIRST_SEND - 17 + 10 * 60;
  const lastSend = FIRST_SEND + 59 * 60;
  return {
    name,
    scenario: {
      scaling: SETTINGS,
      sends: Array.from({ length: 60 }, (_, k) => ({ at: FIRST_SEND + k * 60, count: 300 })),
      seconds: FIRST_SEND + 100 * 60,
      sqs: { ...late(0), missing: (t) => t >= outageFrom && t < outageFrom + outageMinutes * 60 },
    },
    failures: (o) => {
      const f: string[] = [];
      const bound = SETTINGS.acceptableLatency + 3 * 60;
      check(f, allDone(o), "not every message was processed");
      check(f, o.peakDesired <= tasksNeeded(o), `peak ${o.peakDesired} tasks, the backlog needs ${tasksNeeded(o)}`);
      check(f, longestWait(o) <= bound, `longest wait ${longestWait(o)} s, bound ${bound} s`);
      const slept = o.minutes.filter((m) => m.t > FIRST_SEND + 180 && m.t < lastSend && m.desired === 0).length;
      check(f, slept === 0, `no task wanted for ${slept} minutes while messages kept coming`);
      check(f, o.finalDesired === 0, `ends at ${o.finalDesired} tasks`);
      return f;
    },
  };
}

/** Run a case: its failures, empty when it holds. */
export function run(c: Case, design?: Scenario["design"]): { outcome: Outcome; failures: string[] } {
  const outcome = simulate({ ...c.scenario, design });
  return { outcome, failures: c.failures(outcome) };
}

export const DELAYS = [0, 1, 2, 3, 4, 5] as const;

/** The review's four failures, each at every delay from 1 to 5 minutes. */
export function reviewCases(): Case[] {
  return DELAYS.filter((d) => d > 0).flatMap((d) => [
    oneMessage(`(a) SQS ${d} min late: one message wakes the service`, late(d)),
    longMessage(`(b) Container Insights ${d} min late: one task for one message`, late(d)),
    burst(`(c) Container Insights ${d} min late: a burst does not overshoot`, { containerInsights: late(d) }, { reachesNeed: d < 5 }),
    oneMessage(`(d) SQS alternately on time and ${d} min late: the woken task is kept`, jittery(d)),
  ]);
}

/** Everything else the design must do. */
export function behaviourCases(): Case[] {
  return [
    oneMessage("one message wakes a service at zero", late(0)),
    oneMessage("one message wakes it with a 30 s task start", late(0), { startSeconds: 30 }),
    oneMessage("one message wakes it with a 90 s task start", late(0), { startSeconds: 90 }),
    oneMessage("the SQS datapoints of the message's first 2 minutes never arrive", late(0), { lost: [FIRST_SEND - 17, FIRST_SEND + 43] }),
    oneMessage("SQS publishes every 5 minutes", late(0, 300)),
    oneMessage("SQS publishes every 5 minutes, 5 minutes late", late(5, 300)),
    oneMessage("SQS 5 min late, with a wider evaluation range", late(5), { rangeExtra: 10 }),
    burst("a burst scales to what the backlog needs", {}),
    burst("a burst stops at maxCount", {}, { maxCount: 5 }),
    burst("a burst with SQS 4 min late", { sqs: late(4) }),
    burst("a burst with SQS 5 min late: never more than needed", { sqs: late(5) }, { reachesNeed: false }),
    burst("a burst with both 3 min late", { sqs: late(3), containerInsights: late(3) }),
    burst("a burst with Container Insights silent at zero", { containerInsights: { ...late(0), silentAtZero: true } }),
    burst("a burst with every third Container Insights datapoint lost", { containerInsights: { ...late(1), missing: (t) => (t / 60) % 3 === 0 } }),
    burst("a burst with Container Insights 5 min late and a wider range", { containerInsights: late(5) }, { rangeExtra: 10 }),
    burst("a burst with SQS 5 min late and a wider range", { sqs: late(5) }, { rangeExtra: 10 }),
    steady("a steady stream is served within the latency target"),
    steady("SQS publishes nothing for 25 minutes: the fleet holds", 25),
    drain("drains to zero without stopping a task that holds a message", {}),
    drain("drains with both metrics 3 min late", { sqs: late(3), containerInsights: late(3) }),
  ];
}
