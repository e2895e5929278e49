/**
 * The messages this daemon holds, from receive to settle, and the order they go out in.
 *
 * Bounds: at most HttpConnections requests in flight, and at most HttpConnections plus one
 * receive's worth of messages held (received, not yet settled), counting receives still in
 * progress; ReceiveAhead n raises the second to n receives' worth. FIFO queues: one message
 * per message group in flight, in the order received.
 */
import type { ReceivedMessage } from "./message";

export interface Held {
  msg: ReceivedMessage;
  /** Epoch ms when the current visibility timeout ends. */
  visibleAt: number;
  /** True once handed to the dispatcher. */
  started: boolean;
  /** performance.now() at receive, for stage timings. */
  receivedMono: number;
}

export class WorkQueue {
  private readonly waiting: Held[] = [];
  private readonly held = new Map<string, Held>();
  private readonly busyGroups = new Set<string>();
  private reserved = 0;
  private backlog = false;
  private active = 0;
  private waiters: Array<() => void> = [];

  constructor(
    /** Requests in flight at once (HttpConnections). */
    readonly concurrency: number,
    /** Messages one receive may return. */
    readonly batchSize: number,
    /** Receives' worth held beyond `concurrency` (ReceiveAhead; 1 is the contract's bound). */
    readonly ahead = 1,
  ) {}

  /** Most messages held at once, receives in progress included. */
  get heldBound(): number {
    return this.concurrency + this.ahead * this.batchSize;
  }

  get heldCount(): number {
    return this.held.size;
  }
  get activeCount(): number {
    return this.active;
  }
  /** Every held message (for visibility heartbeats). */
  heldMessages(): IterableIterator<Held> {
    return this.held.values();
  }

  /**
   * How many messages a poller may ask for now: one receive's worth while a delivery slot is
   * free or reserved for nothing yet; and, while the queue has a backlog (the last receive
   * came back full), also when every slot is taken, so the next receive is already on its way,
   * as long as a full receive still fits under the held bound. With SQS 15 ms away, waiting
   * for a slot to free first left HttpConnections 10 one receive in flight, at half the rate.
   * Without a backlog no receive waits while every slot is busy: a long poll aborted by a
   * second signal could take a message that was just released.
   */
  private room(): number {
    const taken = this.held.size + this.reserved;
    if (taken < this.concurrency || (this.backlog && taken + this.batchSize <= this.heldBound)) return this.batchSize;
    return 0;
  }

  /** A receive asked for `asked` messages and got `got`: a full one means the queue has more. */
  received(got: number, asked: number): void {
    this.backlog = got >= asked;
  }

  /** Wait for room, then reserve it; resolves 0 if the signal aborts first. */
  async reserve(signal: AbortSignal): Promise<number> {
    while (!signal.aborted) {
      const n = this.room();
      if (n > 0) {
        this.reserved += n;
        return n;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          resolve();
        };
        this.waiters.push(done);
        signal.addEventListener("abort", done, { once: true });
      });
    }
    return 0;
  }

  unreserve(n: number): void {
    this.reserved -= n;
    this.wake();
  }

  /** Add received messages, in receive order. */
  accept(messages: ReceivedMessage[], visibilityMs: number): void {
    const now = performance.now();
    for (const msg of messages) {
      const h: Held = { msg, visibleAt: msg.receivedAt + visibilityMs, started: false, receivedMono: now };
      this.held.set(msg.receiptHandle, h);
      this.waiting.push(h);
    }
  }

  /** Next message that may be posted now, or undefined. Marks it started. */
  next(): Held | undefined {
    if (this.active >= this.concurrency) return undefined;
    const i = this.waiting.findIndex((h) => h.msg.groupId === undefined || !this.busyGroups.has(h.msg.groupId));
    if (i < 0) return undefined;
    const [h] = this.waiting.splice(i, 1);
    if (!h) return undefined;
    h.started = true;
    this.active++;
    if (h.msg.groupId !== undefined) this.busyGroups.add(h.msg.groupId);
    return h;
  }

  /** A message is settled (or given up): frees its slot and group. */
  finish(h: Held): void {
    if (!this.held.delete(h.msg.receiptHandle)) return;
    if (h.started) {
      this.active--;
      if (h.msg.groupId !== undefined) this.busyGroups.delete(h.msg.groupId);
    } else {
      const i = this.waiting.indexOf(h);
      if (i >= 0) this.waiting.splice(i, 1);
    }
    this.wake();
  }

  /** Remove and return the waiting messages of a group (FIFO: after a failure they must go back in order). */
  takeWaitingOfGroup(groupId: string): Held[] {
    const taken = this.waiting.filter((h) => h.msg.groupId === groupId);
    for (const h of taken) this.finish(h);
    return taken;
  }

  /** Remove and return every message not yet posted (shutdown). */
  takeAllWaiting(): Held[] {
    const taken = [...this.waiting];
    for (const h of taken) this.finish(h);
    return taken;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
