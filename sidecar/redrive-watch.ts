/**
 * Reads the queue's redrive policy: once at start (which also proves the queue exists and
 * may be read) and again every few minutes, because it can change while the daemon runs and
 * it decides what the daemon counts as dead-lettered. One cheap GetQueueAttributes each time.
 */
import { backoffDelay, sleep } from "./backoff";
import type { Emit } from "./daemon-events";
import { StartError, errorText } from "./errors";
import { fatalQueueError, readRedrivePolicy, samePolicy, type RedrivePolicy, type RedriveReading } from "./queue-inspection";
import type { SqsWire } from "./sqs-wire";
import type { Logger } from "./telemetry";

/** How often the policy is read again while running (5 minutes). */
export const REDRIVE_REFRESH_MS = 5 * 60_000;

export class RedriveWatch {
  private reading: RedriveReading = {};
  private timer?: NodeJS.Timeout;
  private refreshing = false;

  constructor(
    private readonly sqs: SqsWire,
    private readonly queueUrl: string,
    private readonly emit: Emit,
    private readonly log: Logger,
    private readonly refreshMs = REDRIVE_REFRESH_MS,
  ) {}

  /** The policy as last read; undefined when the queue has none (or an unreadable one). */
  get policy(): RedrivePolicy | undefined {
    return this.reading.policy;
  }

  /**
   * The first read. A queue that does not exist or may not be read fails the start with a
   * StartError; other errors (network, throttling) are retried with backoff. Resolves false
   * when `signal` aborts first.
   */
  async first(signal: AbortSignal): Promise<boolean> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        this.update(await this.fetch(signal), false);
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        if (err instanceof StartError) throw err;
        const failure = fatalQueueError(err);
        if (failure) {
          throw new StartError(failure, `WorkerQueueURL=${this.queueUrl}: ${errorText(err)}. Check the queue URL, region, endpoint and the task role's sqs permissions.`, { cause: err });
        }
        const delay = backoffDelay(attempt, 500, 20_000);
        this.log.warn({ err: errorText(err), retryInMs: Math.round(delay) }, "cannot read the queue yet: retrying");
        await sleep(delay, signal);
      }
    }
    return false;
  }

  /** Read again every refreshMs until stop(). */
  start(): void {
    if (this.timer || this.refreshMs <= 0) return;
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One re-read; on failure the last policy stays (receives report an outage anyway). */
  async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const reading = await this.fetch();
      if (this.timer) this.update(reading, true);
    } catch (err) {
      if (this.timer) this.log.warn({ err: errorText(err) }, "cannot read the queue's redrive policy again: keeping the last one");
    } finally {
      this.refreshing = false;
    }
  }

  private async fetch(signal?: AbortSignal): Promise<RedriveReading> {
    return readRedrivePolicy(await this.sqs.getQueueAttributes(["RedrivePolicy"], signal));
  }

  private update(reading: RedriveReading, again: boolean): void {
    const changed = again && (!samePolicy(reading.policy, this.reading.policy) || reading.problem !== this.reading.problem);
    this.reading = reading;
    if (!again || changed) this.emit("redrive-policy", { ...(reading.policy ? { policy: reading.policy } : {}), ...(reading.problem ? { problem: reading.problem } : {}), changed });
  }
}
