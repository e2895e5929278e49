/**
 * An ECS service on Fargate with the sqsd sidecar in each task.
 * - Tasks start `startSeconds` after the desired count rises (a scenario setting: Fargate
 *   start-up is typically 30–90 s and is not a published figure).
 * - A running task's sidecar receives while it holds fewer than `concurrency` messages and
 *   works on each for `processingSeconds`.
 * - Task scale-in protection (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html):
 *   a protected task is not "terminated by scale-in events from either service auto scaling or
 *   deployments"; the service stops unprotected tasks and the protected ones once released.
 *   The sidecar protects before it posts a message and releases after an idle grace
 *   (sidecar/task-protection.ts, 10 s by default in sidecar/daemon.ts).
 * - Which unprotected task ECS stops is not specified: here pending ones first, then the
 *   oldest running one.
 */
import type { Message, Queue } from "./queue";

export interface TaskSettings {
  readonly startSeconds: number;
  readonly processingSeconds: number;
  readonly concurrency: number;
  /** The sidecar's task protection (TaskProtection=on); off shows the CDK failure. */
  readonly protection: boolean;
  readonly idleGraceSeconds: number;
  readonly visibilityTimeout: number;
}

interface Task {
  readonly id: number;
  readonly runningAt: number;
  readonly held: Array<{ message: Message; doneAt: number }>;
  idleSince: number;
}

export interface ServiceStats {
  launched: number;
  /** Tasks stopped while they held a message (must stay 0 with protection on). */
  stoppedHolding: number;
  /** Tasks stopped before they received anything. */
  stoppedBeforeWork: number;
}

export class Service {
  private tasks: Task[] = [];
  private nextId = 0;
  private readonly worked = new Set<number>();
  readonly stats: ServiceStats = { launched: 0, stoppedHolding: 0, stoppedBeforeWork: 0 };

  constructor(
    private readonly settings: TaskSettings,
    private readonly queue: Queue,
  ) {}

  pending(now: number): number {
    return this.tasks.filter((t) => t.runningAt > now).length;
  }

  running(now: number): number {
    return this.tasks.filter((t) => t.runningAt <= now).length;
  }

  private isProtected(t: Task, now: number): boolean {
    return this.settings.protection && (t.held.length > 0 || now < t.idleSince + this.settings.idleGraceSeconds);
  }

  /** Bring the task count toward `desired`, then let running sidecars work. */
  tick(now: number, desired: number): void {
    for (let k = this.tasks.length; k < desired; k++) {
      this.tasks.push({ id: this.nextId++, runningAt: now + this.settings.startSeconds, held: [], idleSince: -Infinity });
      this.stats.launched++;
    }
    if (this.tasks.length > desired) this.stopExcess(now, this.tasks.length - desired);
    for (const t of this.tasks) if (t.runningAt <= now) this.work(t, now);
  }

  private stopExcess(now: number, count: number): void {
    const order = [...this.tasks].sort((a, b) => b.runningAt - a.runningAt).filter((t) => t.runningAt > now);
    order.push(...this.tasks.filter((t) => t.runningAt <= now).sort((a, b) => a.runningAt - b.runningAt));
    const stop = order.filter((t) => !this.isProtected(t, now)).slice(0, count);
    for (const t of stop) {
      if (t.held.length > 0) this.stats.stoppedHolding++;
      if (!this.worked.has(t.id)) this.stats.stoppedBeforeWork++;
      for (const h of t.held) this.queue.abandon(h.message, now, this.settings.visibilityTimeout);
    }
    this.tasks = this.tasks.filter((t) => !stop.includes(t));
  }

  private work(t: Task, now: number): void {
    for (const h of t.held.filter((h) => h.doneAt <= now)) this.queue.delete(h.message, now);
    const before = t.held.length;
    t.held.splice(0, t.held.length, ...t.held.filter((h) => h.doneAt > now));
    if (before > 0 && t.held.length === 0) t.idleSince = now;
    while (t.held.length < this.settings.concurrency) {
      const message = this.queue.receive(now);
      if (!message) break;
      this.worked.add(t.id);
      t.held.push({ message, doneAt: now + this.settings.processingSeconds });
    }
  }
}
