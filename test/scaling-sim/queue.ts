/**
 * An SQS queue as the metrics and the sidecar see it: visible messages in arrival order and
 * messages in flight. ApproximateNumberOfMessagesNotVisible counts messages "sent to a client
 * but ... not yet deleted or ... not yet reached the end of their visibility window"
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
 */

export interface Message {
  readonly id: number;
  readonly sentAt: number;
  /** First receive (the wait a user sees). */
  receivedAt?: number;
  doneAt?: number;
}

export class Queue {
  readonly all: Message[] = [];
  private visible: Message[] = [];
  /** Messages back from a task stopped mid-message, visible again at `at`. */
  private returning: Array<{ message: Message; at: number }> = [];
  inFlight = 0;

  send(now: number, count: number): void {
    for (let k = 0; k < count; k++) {
      const m: Message = { id: this.all.length, sentAt: now };
      this.all.push(m);
      this.visible.push(m);
    }
  }

  tick(now: number): void {
    const due = this.returning.filter((r) => r.at <= now);
    this.returning = this.returning.filter((r) => r.at > now);
    for (const r of due) {
      this.inFlight--;
      this.visible.push(r.message);
    }
  }

  get visibleCount(): number {
    return this.visible.length;
  }

  receive(now: number): Message | undefined {
    const m = this.visible.shift();
    if (!m) return undefined;
    m.receivedAt ??= now;
    this.inFlight++;
    return m;
  }

  delete(m: Message, now: number): void {
    m.doneAt = now;
    this.inFlight--;
  }

  /** A holder died: the message stays in flight until its visibility timeout ends. */
  abandon(m: Message, now: number, visibilityTimeout: number): void {
    this.returning.push({ message: m, at: now + visibilityTimeout });
  }
}
