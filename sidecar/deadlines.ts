/**
 * Timeouts of one duration for many short-lived operations, enforced by one timer. Since
 * every entry gets the same duration, they expire in the order they were added: the timer
 * is armed for the oldest only. A timer per operation (plus the closure and, for
 * AbortSignal.timeout, a controller) costs more than many of the operations themselves.
 */
export class Deadlines<T> {
  /** Entry → performance.now() deadline; a Map iterates in insertion order, i.e. deadline order. */
  private readonly entries = new Map<T, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly durationMs: number,
    /** Called once for an entry whose deadline passed (it is removed first). */
    private readonly onExpire: (entry: T) => void,
  ) {}

  add(entry: T): void {
    this.entries.set(entry, performance.now() + this.durationMs);
    this.arm();
  }

  /** The operation ended in time (or otherwise): forget it. */
  delete(entry: T): void {
    this.entries.delete(entry);
  }

  /** Entries still running, oldest first. */
  values(): IterableIterator<T> {
    return this.entries.keys();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Stop the timer (entries are left as they are). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer) return;
    const oldest = this.entries.values().next();
    if (oldest.done) return;
    // Unref'd: an operation in flight keeps the process alive through its own socket. The timer
    // may fire for an entry already gone; expire() then simply re-arms for the oldest left.
    this.timer = setTimeout(() => this.expire(), Math.max(0, oldest.value - performance.now())).unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (const [entry, deadline] of this.entries) {
      if (deadline > now) break;
      this.entries.delete(entry);
      this.onExpire(entry);
    }
    this.arm();
  }
}
