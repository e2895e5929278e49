/**
 * Long-poll receive loops, bounded by free delivery slots.
 *
 * One poller runs while the queue is quiet (3 receives a minute at a 20 s wait). A receive
 * that comes back full starts another, up to enough to fill HttpConnections plus ReceiveAhead; an
 * extra poller whose receive comes back empty stops. Receive errors back off with jitter, never spin.
 *
 * Stopping does not abort a receive that is waiting: SQS keeps serving a long poll whose
 * connection the client closed, and the messages it hands to that dead connection stay
 * invisible for VisibilityTimeout. So a stop lets waiting receives return (at most WaitTime)
 * and the daemon releases what they bring; aborting them is the last resort.
 */
import type { Message } from "@aws-sdk/client-sqs";
import { AbortFanout } from "./abort-fanout";
import { backoffDelay, sleep, within } from "./backoff";
import type { Config } from "./config";
import { asError } from "./errors";
import type { AppHealth } from "./health";
import type { SqsWire } from "./sqs-wire";
import type { WorkQueue } from "./work-queue";

export interface PollerHooks {
  /** Messages arrived (possibly after shutdown began: the caller decides what to do). */
  onMessages(messages: Message[], receivedAt: number): void;
  /** A receive failed; this poller waits `retryInMs` before the next. */
  onReceiveFailed(error: Error, failures: number, retryInMs: number): void;
  /** A receive succeeded after `failures` failed ones. */
  onReceiveRecovered(failures: number): void;
  /** Current time (injectable for tests). */
  clock(): number;
}

export class Pollers {
  private running = 0;
  private nextId = 0;
  private readonly loops = new Set<Promise<void>>();
  private failures = 0;
  readonly max: number;
  /** Aborts receives in progress (the last resort when stopping). */
  private readonly receiveAbort = new AbortController();
  /** Each loop waits on a child of these, so the shared signals carry one listener each, not one per loop. */
  private readonly stopFanout: AbortFanout;
  private readonly receiveFanout: AbortFanout;
  private inProgress = 0;
  /** Receives aborted instead of being let return. */
  abortedReceives = 0;
  receiveCalls = 0;

  constructor(
    private readonly cfg: Config,
    private readonly sqs: SqsWire,
    private readonly work: WorkQueue,
    private readonly health: AppHealth,
    private readonly hooks: PollerHooks,
    /** Stops new receives (shutdown). */
    stopping: AbortSignal,
  ) {
    // Enough receives to fill the connections, plus ReceiveAhead (1 by default) so the next
    // receives overlap the deliveries of the last (the held bound still caps what they ask for).
    // At most ten to fill them, as at the defaults' largest (100 connections, 10 a receive).
    this.max = Math.min(10, Math.ceil(cfg.httpConnections / cfg.maxMessages)) + cfg.receiveAhead;
    this.stopFanout = new AbortFanout(stopping);
    this.receiveFanout = new AbortFanout(this.receiveAbort.signal);
  }

  /** Poller loops running. */
  get count(): number {
    return this.running;
  }

  /** Receive calls in progress now (long polls waiting on SQS, mostly). */
  get receiving(): number {
    return this.inProgress;
  }

  start(): void {
    this.spawn();
  }

  /**
   * Wait for every loop to end (the `stopping` signal has ended new receives); receives still
   * waiting after `graceMs` are aborted. Resolves with the number of receives aborted.
   */
  async stop(graceMs: number): Promise<number> {
    const ended = Promise.all([...this.loops]);
    if (graceMs <= 0 || !(await within(ended, graceMs))) {
      this.abortReceives();
      await ended;
    }
    return this.abortedReceives;
  }

  /** Abort receives in progress now (a second signal, or an emulator about to go away). */
  abortReceives(): void {
    this.receiveAbort.abort();
  }

  private spawn(): void {
    const id = this.nextId++;
    this.running++;
    const loop = this.loop(id).finally(() => {
      this.running--;
      this.loops.delete(loop);
    });
    this.loops.add(loop);
  }

  private async loop(id: number): Promise<void> {
    const stop = this.stopFanout.child();
    const abort = this.receiveFanout.child();
    try {
      await this.receiveLoop(id, stop.signal, abort.signal);
    } finally {
      this.stopFanout.release(stop);
      this.receiveFanout.release(abort);
    }
  }

  private async receiveLoop(id: number, stopping: AbortSignal, abortReceive: AbortSignal): Promise<void> {
    while (!stopping.aborted) {
      await this.health.waitOpen(stopping);
      const room = await this.work.reserve(stopping);
      if (room === 0) break;
      let messages: Message[];
      this.receiveCalls++;
      this.inProgress++;
      try {
        messages = await this.sqs.receive(
          {
            MaxNumberOfMessages: room,
            WaitTimeSeconds: this.cfg.waitTimeSeconds,
            VisibilityTimeout: this.cfg.visibilityTimeout,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
          },
          abortReceive,
        );
        if (this.failures > 0) this.hooks.onReceiveRecovered(this.failures);
        this.failures = 0;
      } catch (err) {
        this.work.unreserve(room);
        if (abortReceive.aborted) {
          this.abortedReceives++;
          break;
        }
        this.failures++;
        const delay = backoffDelay(this.failures, 200, 20_000);
        this.hooks.onReceiveFailed(asError(err), this.failures, Math.round(delay));
        await sleep(delay, stopping);
        continue;
      } finally {
        this.inProgress--;
      }
      // Accept before unreserving, so no other poller sees the room twice.
      this.work.received(messages.length, room);
      this.hooks.onMessages(messages, this.hooks.clock());
      this.work.unreserve(room);
      if (messages.length === room && this.running < this.max && !stopping.aborted) this.spawn();
      else if (messages.length === 0 && id !== 0 && this.running > 1) break;
    }
  }
}
