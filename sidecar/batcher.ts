/**
 * Group commit for SQS batch calls (DeleteMessageBatch, ChangeMessageVisibilityBatch).
 *
 * An entry is sent at once when no call is in flight, so a lone delete is not delayed;
 * under load, entries that arrive while a call is in flight share the next call (up to 10),
 * or, with `maxWaitMs`, go out in a call of their own once the oldest has waited that long.
 * Failed entries are retried with backoff unless SQS says the request itself is wrong.
 */
import { backoffDelay } from "./backoff";

export interface BatchFailure {
  Id?: string;
  Code?: string;
  Message?: string;
  SenderFault?: boolean;
}

/** Sends one batch; returns the entries SQS reported as failed. Throws when the call fails. */
export type SendBatch<T> = (entries: Array<T & { Id: string }>) => Promise<BatchFailure[]>;

export interface BatcherOptions {
  /** Calls in flight at once. */
  concurrency: number;
  /**
   * Longest an entry waits for company while a call is in flight (a slot permitting); without
   * it, entries wait for that call to return. Trades extra calls for a bounded wait.
   */
  maxWaitMs?: number;
  /** Attempts per entry before giving up (whole-call errors and server faults). */
  maxAttempts: number;
  /** Called once for an entry that will not be retried, with its description (see add()). */
  onGiveUp: (describe: string, reason: string, attempts: number) => void;
}

interface Pending<T> {
  payload: T;
  attempts: number;
  /** performance.now() when it joined the queue. */
  queuedAt: number;
  done: (ok: boolean) => void;
  /** Reported to onGiveUp with the entry. */
  describe: string;
  /** Called when the entry first goes out in a batch call (benchmarks measure the wait). */
  onSent?: () => void;
}

const MAX_BATCH = 10;

export class Batcher<T extends object> {
  private readonly queue: Pending<T>[] = [];
  private inFlight = 0;
  private retrying = 0;
  private nextId = 0;
  private idleWaiters: Array<() => void> = [];
  private lingerTimer?: NodeJS.Timeout;
  /** Batch calls made so far (for benchmarks and the status endpoint). */
  calls = 0;

  constructor(
    private readonly send: SendBatch<T>,
    private readonly opts: BatcherOptions,
  ) {}

  /** Queue one entry; resolves true once SQS accepted it, false when it gave up. */
  add(payload: T, describe: string, onSent?: () => void): Promise<boolean> {
    return new Promise((done) => {
      this.queue.push({ payload, attempts: 0, queuedAt: performance.now(), done, describe, onSent });
      this.pump();
    });
  }

  /** Resolves when nothing is queued, in flight or waiting to retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.retrying === 0;
  }

  /**
   * Send when no call is in flight (no waiting for company), when a full batch is ready or
   * the oldest entry has waited `maxWaitMs` (more calls in parallel, up to `concurrency`).
   * Otherwise entries gather, so batches grow with load instead of calls multiplying.
   */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.opts.concurrency && (this.inFlight === 0 || this.queue.length >= MAX_BATCH || this.overdueInMs() <= 0)) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
        this.notifyIdle();
      });
    }
    this.scheduleLinger();
  }

  /** Milliseconds until the oldest queued entry has waited `maxWaitMs` (Infinity: never). */
  private overdueInMs(): number {
    const first = this.queue[0];
    if (this.opts.maxWaitMs === undefined || !first) return Number.POSITIVE_INFINITY;
    return first.queuedAt + this.opts.maxWaitMs - performance.now();
  }

  private scheduleLinger(): void {
    if (this.lingerTimer || this.queue.length === 0 || this.inFlight >= this.opts.concurrency) return;
    const due = this.overdueInMs();
    if (!Number.isFinite(due)) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.pump();
    }, Math.max(0, due));
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(batch: Pending<T>[]): Promise<void> {
    const byId = new Map<string, Pending<T>>();
    const entries = batch.map((p) => {
      const Id = `e${(this.nextId = (this.nextId + 1) % 1e9)}`;
      byId.set(Id, p);
      if (p.attempts === 0) p.onSent?.();
      return { ...p.payload, Id };
    });
    let failures: BatchFailure[];
    this.calls++;
    try {
      failures = await this.send(entries);
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      for (const p of batch) this.retry(p, reason);
      return;
    }
    const failed = new Set<string>();
    for (const f of failures) {
      const p = f.Id === undefined ? undefined : byId.get(f.Id);
      if (!p) continue;
      failed.add(f.Id as string);
      const reason = `${f.Code ?? "Error"}: ${f.Message ?? ""}`.trim();
      // A sender fault (e.g. an expired receipt handle) fails the same way every time.
      if (f.SenderFault) {
        p.attempts++;
        this.giveUp(p, reason);
      } else this.retry(p, reason);
    }
    for (const [id, p] of byId) if (!failed.has(id)) p.done(true);
  }

  private retry(p: Pending<T>, reason: string): void {
    p.attempts++;
    if (p.attempts >= this.opts.maxAttempts) {
      this.giveUp(p, reason);
      return;
    }
    this.retrying++;
    setTimeout(() => {
      this.retrying--;
      p.queuedAt = performance.now();
      this.queue.push(p);
      this.pump();
    }, backoffDelay(p.attempts, 100, 5000));
  }

  private giveUp(p: Pending<T>, reason: string): void {
    this.opts.onGiveUp(p.describe, reason, p.attempts);
    p.done(false);
  }
}
