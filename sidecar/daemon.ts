/**
 * The daemon's lifecycle: check the queue, wait for the app, receive and deliver, and on
 * SIGTERM drain without losing a message. Wiring of the parts lives here; each part's
 * logic lives in its own module.
 */
import { GetQueueAttributesCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import type { Server } from "node:http";
import { backoffDelay, sleep, within } from "./backoff";
import type { Config } from "./config";
import { ConfigError } from "./config";
import { Dispatcher, type Delivery } from "./dispatcher";
import { AppHealth } from "./health";
import { normalise, type ReceivedMessage } from "./message";
import { decide } from "./outcome";
import { Pollers, errorText } from "./poller";
import { Settler } from "./settler";
import { startStatusServer } from "./status-server";
import { TaskProtection } from "./task-protection";
import { Metrics, type Logger, type StageTimings } from "./telemetry";
import { WorkQueue, type Held } from "./work-queue";

export interface DaemonOptions {
  /** Injectable clock (epoch ms), so retention can be tested without waiting days. */
  clock?: () => number;
  /** An SQS client to use instead of one built from the config. */
  sqs?: SQSClient;
  /** How long the daemon must be idle before task protection is dropped (default 10 s). */
  protectionIdleGraceMs?: number;
  /** Collect per-message stage timings here (benchmarks). */
  timings?: StageTimings;
}

/** Errors that no retry can fix: the daemon exits with code 2. */
const FATAL_QUEUE_ERRORS = new Set([
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "AccessDenied",
  "AccessDeniedException",
  "InvalidAddress",
  "InvalidSecurity",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
]);

export class Daemon {
  readonly metrics: Metrics;
  private readonly clock: () => number;
  private readonly sqs: SQSClient;
  private readonly work: WorkQueue;
  private readonly dispatcher: Dispatcher;
  private readonly health: AppHealth;
  private readonly settler: Settler;
  private readonly pollers: Pollers;
  private readonly protection?: TaskProtection;
  private readonly stopping = new AbortController();
  private readonly drainAbort = new AbortController();
  private readonly idle = new Set<() => void>();
  private heartbeat?: NodeJS.Timeout;
  private status?: Server;
  private started = false;
  private stopPromise?: Promise<void>;
  private readonly timings?: StageTimings;
  private readonly ownsSqs: boolean;

  constructor(
    readonly cfg: Config,
    private readonly log: Logger,
    opts: DaemonOptions = {},
  ) {
    this.clock = opts.clock ?? Date.now;
    this.ownsSqs = opts.sqs === undefined;
    this.timings = opts.timings;
    this.sqs =
      opts.sqs ??
      new SQSClient({
        region: cfg.region,
        endpoint: cfg.endpoint,
        requestHandler: { requestTimeout: (cfg.waitTimeSeconds + 10) * 1000, httpAgent: { keepAlive: true, maxSockets: 64 } },
      });
    this.work = new WorkQueue(cfg.httpConnections, cfg.maxMessages);
    this.dispatcher = new Dispatcher(cfg, log);
    this.health = new AppHealth(cfg, log);
    this.health.onOpen(() => this.pump());
    this.settler = new Settler(this.sqs, cfg.queueUrl, log);
    this.metrics = new Metrics(log, { enabled: cfg.metrics, namespace: cfg.metricsNamespace, queueName: cfg.queueName, intervalMs: cfg.metricsIntervalMs });
    this.pollers = new Pollers(
      cfg,
      this.sqs,
      this.work,
      this.health,
      { onMessages: (m, at) => this.onMessages(m, at), clock: this.clock },
      log,
      this.stopping.signal,
    );
    if (cfg.taskProtection && cfg.ecsAgentUri) {
      this.protection = new TaskProtection({ agentUri: cfg.ecsAgentUri, expiresInMinutes: cfg.taskProtectionMinutes, idleGraceMs: opts.protectionIdleGraceMs ?? 10_000 }, log, this.clock);
    }
  }

  get receiveCalls(): number {
    return this.pollers.receiveCalls;
  }

  /** SQS batch calls made so far (deletes, visibility changes). */
  get batchCalls(): { delete: number; visibility: number } {
    return this.settler.calls;
  }

  /** Start serving status, check the queue, wait for the app, then receive. Resolves once receiving. */
  async start(): Promise<void> {
    if (this.cfg.statusPort !== 0) await this.startStatus();
    await this.inspectQueue();
    if (this.stopping.signal.aborted) return;
    this.log.info({ target: this.cfg.appOrigin + this.cfg.httpPath, queue: this.cfg.queueUrl }, "waiting for the app");
    await this.health.waitUntilHealthy(this.stopping.signal);
    if (this.stopping.signal.aborted) return;
    this.metrics.start();
    this.startHeartbeat();
    void this.health.monitor(this.stopping.signal);
    this.started = true;
    this.pollers.start();
    this.log.info({ httpConnections: this.cfg.httpConnections, fifo: this.cfg.fifo }, "receiving");
    if (this.cfg.drainTimeoutMs < this.cfg.waitTimeSeconds * 1000 + 1000) {
      this.log.warn(
        { drainTimeout: this.cfg.drainTimeoutMs / 1000, waitTime: this.cfg.waitTimeSeconds },
        "DrainTimeout is shorter than WaitTime + 1 s: a stop may have to abort a waiting long poll, and SQS hides what it takes for VisibilityTimeout",
      );
    }
  }

  private async startStatus(): Promise<void> {
    try {
      this.status = await startStatusServer(this.cfg.statusHost, this.cfg.statusPort, () => this.snapshot());
    } catch (err) {
      throw new ConfigError([
        `StatusPort=${this.cfg.statusPort}: cannot listen on ${this.cfg.statusHost}:${this.cfg.statusPort} (${errorText(err)}). Pick a free port, or 0 to turn the endpoint off.`,
      ]);
    }
  }

  snapshot() {
    const totals = Object.fromEntries(this.metrics.totals);
    return {
      live: !this.stopping.signal.aborted,
      ready: this.started && this.health.isHealthy && !this.stopping.signal.aborted,
      appHealthy: this.health.isHealthy,
      held: this.work.heldCount,
      inFlight: this.work.activeCount,
      pollers: this.pollers.count,
      totals,
    };
  }

  /** Read the queue's attributes: fail fast on a queue that does not exist, warn on mismatches. */
  private async inspectQueue(): Promise<void> {
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        const res = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.cfg.queueUrl, AttributeNames: ["All"] }), {
          abortSignal: this.stopping.signal,
        });
        this.checkRedrive(res.Attributes ?? {});
        return;
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        const e = err as { name?: string; Code?: string };
        const codes = [e.name, e.Code, e.Code?.split("#").pop()];
        if (codes.some((c) => c !== undefined && FATAL_QUEUE_ERRORS.has(c))) {
          throw new ConfigError([`WorkerQueueURL=${this.cfg.queueUrl}: ${errorText(err)}. Check the queue URL, region, endpoint and the task role's sqs permissions.`]);
        }
        const delay = backoffDelay(attempt, 500, 20_000);
        this.log.warn({ err: errorText(err), retryInMs: Math.round(delay) }, "cannot read the queue yet: retrying");
        await sleep(delay, this.stopping.signal);
      }
    }
  }

  private checkRedrive(attrs: Record<string, string>): void {
    if (!attrs.RedrivePolicy) {
      this.log.warn({ queue: this.cfg.queueName }, "queue has no redrive policy: failing messages are retried until they expire, never dead-lettered");
      return;
    }
    try {
      const { maxReceiveCount } = JSON.parse(attrs.RedrivePolicy) as { maxReceiveCount?: number | string };
      if (Number(maxReceiveCount) !== this.cfg.maxRetries) {
        this.log.warn({ maxRetries: this.cfg.maxRetries, maxReceiveCount: Number(maxReceiveCount) }, "MaxRetries differs from the queue's redrive maxReceiveCount; the queue's value decides");
      }
    } catch {
      this.log.warn({ redrivePolicy: attrs.RedrivePolicy }, "cannot parse the queue's redrive policy");
    }
  }

  private onMessages(raw: Message[], receivedAt: number): void {
    if (raw.length === 0) return;
    const messages = raw.map((m) => normalise(m, receivedAt));
    this.metrics.count("Received", messages.length);
    if (this.stopping.signal.aborted) {
      // A receive that was already running when shutdown began: hand its messages straight back.
      for (const m of messages) this.release(m, "received during shutdown");
      return;
    }
    const fresh = messages.filter((m) => !this.expire(m));
    this.work.accept(fresh, this.cfg.visibilityTimeout * 1000);
    if (this.protection) void this.protection.update(this.work.heldCount).then(() => this.pump());
    else this.pump();
  }

  /** Messages first received longer ago than RetentionPeriod are deleted unposted. */
  private expire(m: ReceivedMessage): boolean {
    if (m.firstReceivedAt === undefined) return false;
    const age = this.clock() - m.firstReceivedAt;
    if (age <= this.cfg.retentionPeriodMs) return false;
    this.metrics.count("Expired");
    this.log.warn({ msgId: m.id, ageSeconds: Math.round(age / 1000), retentionPeriod: this.cfg.retentionPeriodMs / 1000 }, "message past RetentionPeriod: deleted unposted");
    void this.settler.delete(m.receiptHandle, m.id);
    return true;
  }

  /**
   * Start as many deliveries as there are free slots. While the app is unhealthy, received
   * messages wait (kept invisible by the heartbeat) instead of burning a retry.
   */
  private pump(): void {
    if (this.stopping.signal.aborted || !this.health.isHealthy) return;
    for (let h = this.work.next(); h; h = this.work.next()) void this.run(h);
  }

  private async run(h: Held): Promise<void> {
    this.timings?.toRequest.push(performance.now() - h.receivedMono);
    const d = await this.dispatcher.deliver(h.msg, this.drainAbort.signal);
    if (d.kind === "connection-error" && d.refused) this.health.markUnhealthy(d.error, this.stopping.signal);
    this.settle(h, d);
    this.work.finish(h);
    void this.protection?.update(this.work.heldCount);
    if (this.work.activeCount === 0) for (const fn of this.idle) fn();
    this.pump();
  }

  private settle(h: Held, d: Delivery): void {
    const m = h.msg;
    const action = decide(this.cfg, d, this.clock());
    const status = d.kind === "response" ? d.status : undefined;
    const base = { msgId: m.id, status, outcome: d.kind, latencyMs: Math.round(d.latencyMs * 100) / 100, receiveCount: m.receiveCount, task: m.task?.name };
    this.metrics.latency(d.latencyMs);
    switch (action.kind) {
      case "delete":
        this.metrics.count("Succeeded");
        this.log.info({ ...base, action: "delete" }, "delivered");
        if (this.timings) {
          const answered = performance.now();
          const t = this.timings;
          void this.settler
            .delete(m.receiptHandle, m.id, () => t.toDeleteSent.push(performance.now() - answered))
            .then(() => t.toDelete.push(performance.now() - answered));
        } else void this.settler.delete(m.receiptHandle, m.id);
        return;
      case "visibility": {
        const lastTry = m.receiveCount >= this.cfg.maxRetries;
        this.metrics.count(d.kind === "aborted" ? "Released" : "Failed");
        if (lastTry && d.kind !== "aborted") this.metrics.count("DeadLettered");
        const fields = { ...base, action: "retry", visibilityTimeout: action.seconds, reason: action.reason, deadLetterNext: lastTry || undefined };
        if (d.kind === "aborted") this.log.warn(fields, "released");
        else this.log.warn(fields, "delivery failed");
        void this.settler.setVisibility(m.receiptHandle, m.id, action.seconds);
        this.releaseGroupAfter(m);
        return;
      }
      case "leave":
        this.metrics.count("TimedOut");
        this.log.warn({ ...base, action: "leave", reason: action.reason }, "delivery timed out");
        this.releaseGroupAfter(m);
        return;
    }
  }

  /** FIFO: after a failure, the group's later messages go back so they follow the failed one in order. */
  private releaseGroupAfter(m: ReceivedMessage): void {
    if (m.groupId === undefined) return;
    for (const h of this.work.takeWaitingOfGroup(m.groupId)) this.release(h.msg, "an earlier message of its group failed");
  }

  private release(m: ReceivedMessage, reason: string): void {
    this.metrics.count("Released");
    this.log.debug({ msgId: m.id, reason }, "released");
    void this.settler.setVisibility(m.receiptHandle, m.id, 0);
  }

  /** Keep held messages invisible while they wait or run (VisibilityTimeout ≥ 2 s). */
  private startHeartbeat(): void {
    const vt = this.cfg.visibilityTimeout;
    if (vt < 2) return;
    const marginMs = Math.max(1000, (vt * 1000) / 2);
    this.heartbeat = setInterval(
      () => {
        const now = this.clock();
        for (const h of this.work.heldMessages()) {
          if (h.visibleAt - now > marginMs) continue;
          h.visibleAt = now + vt * 1000;
          this.log.debug({ msgId: h.msg.id, visibilityTimeout: vt }, "visibility extended");
          void this.settler.setVisibility(h.msg.receiptHandle, h.msg.id, vt);
        }
      },
      Math.min(1000, marginMs / 2),
    );
    this.heartbeat.unref();
  }

  /**
   * Graceful stop: no new receives; unposted messages released at once; requests in flight
   * and receives still waiting get DrainTimeout to finish (then are aborted; what requests
   * held is released, what receives bring is released at once); pending calls flushed.
   * `abortReceives`: do not wait for waiting receives (the queue itself is going away).
   */
  stop(reason = "stop requested", opts: { abortReceives?: boolean } = {}): Promise<void> {
    if (opts.abortReceives) this.pollers.abortReceives();
    this.stopPromise ??= this.drain(reason);
    return this.stopPromise;
  }

  /** Cut a stop short: abort requests in flight and waiting receives now (a second signal). */
  hurry(): void {
    this.drainAbort.abort();
    this.pollers.abortReceives();
  }

  private async drain(reason: string): Promise<void> {
    const t0 = performance.now();
    this.log.info({ reason, held: this.work.heldCount, inFlight: this.work.activeCount }, "stopping: receiving stopped, draining");
    this.stopping.abort();
    for (const h of this.work.takeAllWaiting()) this.release(h.msg, "shutdown before posting");
    const receivesEnded = this.pollers.stop(this.cfg.drainTimeoutMs).then((clean) => {
      if (!clean) this.log.warn("receives still waiting were aborted: SQS may yet hand them messages, which come back after VisibilityTimeout");
    });
    if (this.work.activeCount > 0) {
      const drained = new Promise<void>((resolve) => this.idle.add(resolve));
      if (!(await within(drained, this.cfg.drainTimeoutMs))) {
        this.log.warn({ inFlight: this.work.activeCount, drainTimeout: this.cfg.drainTimeoutMs / 1000 }, "drain timeout: aborting requests in flight");
        this.drainAbort.abort();
        await drained;
      }
    }
    await receivesEnded;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await within(this.settler.flush(), 10_000);
    await this.protection?.release();
    this.metrics.stop();
    this.dispatcher.close();
    this.health.close();
    await new Promise<void>((resolve) => (this.status ? this.status.close(() => resolve()) : resolve()));
    if (this.ownsSqs) this.sqs.destroy();
    this.log.info({ totals: Object.fromEntries(this.metrics.totals), tookMs: Math.round(performance.now() - t0) }, "stopped");
  }
}
