/**
 * Long-poll receive loops, bounded by free delivery slots.
 *
 * One poller runs while the queue is quiet (3 receives a minute at a 20 s wait). A receive
 * that comes back full starts another, up to enough to fill HttpConnections plus one; an
 * extra poller whose receive comes back empty stops. Receive errors back off with jitter, never spin.
 */
import { ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { backoffDelay, sleep } from "./backoff";
import type { Config } from "./config";
import type { AppHealth } from "./health";
import type { Logger } from "./telemetry";
import type { WorkQueue } from "./work-queue";

export interface PollerHooks {
  /** Messages arrived (possibly after shutdown began: the caller decides what to do). */
  onMessages(messages: Message[], receivedAt: number): void;
  /** Current time (injectable for tests). */
  clock(): number;
}

export class Pollers {
  private running = 0;
  private nextId = 0;
  private readonly loops = new Set<Promise<void>>();
  private failures = 0;
  readonly max: number;
  /** Aborts receives in progress (after the drain). */
  private readonly receiveAbort = new AbortController();
  receiveCalls = 0;

  constructor(
    private readonly cfg: Config,
    private readonly sqs: SQSClient,
    private readonly work: WorkQueue,
    private readonly health: AppHealth,
    private readonly hooks: PollerHooks,
    private readonly log: Logger,
    /** Stops new receives (shutdown). */
    private readonly stopping: AbortSignal,
  ) {
    // Enough receives to fill the connections, plus one so the next receive overlaps the
    // deliveries of the last (the held bound still caps what they may ask for).
    this.max = Math.min(11, Math.ceil(cfg.httpConnections / cfg.maxMessages) + 1);
  }

  get count(): number {
    return this.running;
  }

  start(): void {
    this.spawn();
  }

  /** Abort receives still waiting, then wait for every loop to end. */
  async stop(): Promise<void> {
    this.receiveAbort.abort();
    await Promise.all([...this.loops]);
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
    while (!this.stopping.aborted) {
      await this.health.waitOpen(this.stopping);
      const room = await this.work.reserve(this.stopping);
      if (room === 0) break;
      let messages: Message[];
      try {
        this.receiveCalls++;
        const res = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.cfg.queueUrl,
            MaxNumberOfMessages: room,
            WaitTimeSeconds: this.cfg.waitTimeSeconds,
            VisibilityTimeout: this.cfg.visibilityTimeout,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
          }),
          { abortSignal: this.receiveAbort.signal },
        );
        messages = res.Messages ?? [];
        if (this.failures > 0) this.log.info({ after: this.failures }, "receive recovered");
        this.failures = 0;
      } catch (err) {
        this.work.unreserve(room);
        if (this.receiveAbort.signal.aborted) break;
        this.failures++;
        const delay = backoffDelay(this.failures, 200, 20_000);
        this.log.warn({ err: errorText(err), failures: this.failures, retryInMs: Math.round(delay) }, "receive failed: backing off");
        await sleep(delay, this.stopping);
        continue;
      }
      // Accept before unreserving, so no other poller sees the room twice.
      this.hooks.onMessages(messages, this.hooks.clock());
      this.work.unreserve(room);
      if (messages.length === room && this.running < this.max && !this.stopping.aborted) this.spawn();
      else if (messages.length === 0 && id !== 0 && this.running > 1) break;
    }
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
