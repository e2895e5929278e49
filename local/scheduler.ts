/**
 * Local stand-in for EventBridge Scheduler: enqueues each cron.yaml task on its schedule
 * (UTC), one message per run, with the production message shape.
 */
import { parseSchedule, type CronEntry } from "./cron-config";
import { periodicMessage, type PeriodicMessage } from "../sidecar/periodic-message";

/** Sends one periodic message; returns its MessageId. */
export type PeriodicSender = (message: PeriodicMessage, task: CronEntry, scheduledAt: Date) => Promise<string>;

export class PeriodicScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly tasks: readonly CronEntry[],
    private readonly send: PeriodicSender,
    private readonly onError: (task: CronEntry, err: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Arm every task's next run. */
  start(): void {
    for (const t of this.tasks) this.arm(t);
  }

  /** The next scheduled time of a task after now. */
  nextRun(task: CronEntry): Date {
    return parseSchedule(task.schedule, new Date(this.clock())).next().toDate();
  }

  /** Enqueue one run of `name` now (scheduled time = now, to the second), e.g. for a demo. */
  fireNow(name: string): Promise<string> {
    const task = this.tasks.find((t) => t.name === name);
    if (!task) return Promise.reject(new Error(`no periodic task named ${JSON.stringify(name)}`));
    const at = new Date(Math.floor(this.clock() / 1000) * 1000);
    return this.send(periodicMessage({ name: task.name, path: task.url, scheduledAt: at }), task, at);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private arm(task: CronEntry): void {
    if (this.stopped) return;
    const at = this.nextRun(task);
    // setTimeout holds at most ~24.8 days; longer waits re-arm on the way.
    const delay = Math.min(at.getTime() - this.clock(), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      if (this.clock() + 5 < at.getTime()) return this.arm(task);
      this.send(periodicMessage({ name: task.name, path: task.url, scheduledAt: at }), task, at).catch((err: unknown) => this.onError(task, err));
      this.arm(task);
    }, Math.max(0, delay));
    timer.unref();
    this.timers.set(task.name, timer);
  }
}
