/**
 * The daemon's lifecycle: check the queue, wait for the app, receive and deliver, and on a
 * stop drain without losing a message. Wiring only: each step's logic lives in its own
 * module, and everything that happens is told as a typed event (daemon-events.ts).
 */
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import type { Server } from "node:http";
import { within } from "./backoff";
import type { Config } from "./config";
import type { DaemonEventName, DaemonEvents, Emit } from "./daemon-events";
import { Dispatcher } from "./dispatcher";
import { StartError, errorText } from "./errors";
import { logEvents } from "./event-log";
import { AppHealth } from "./health";
import { VisibilityHeartbeat } from "./heartbeat";
import { normalise } from "./message";
import { Pollers } from "./poller";
import { REDRIVE_REFRESH_MS, RedriveWatch } from "./redrive-watch";
import { Settler } from "./settler";
import { SqsBatches } from "./sqs-batches";
import { sqsWire, sqsWireFor, type SqsWire } from "./sqs-wire";
import { startStatusServer } from "./status-server";
import { TaskProtection } from "./task-protection";
import { Metrics, type Logger, type StageTimings } from "./telemetry";
import { TypedEmitter } from "./typed-emitter";
import { WorkQueue, type Held } from "./work-queue";

export interface DaemonOptions {
  /** Injectable clock (epoch ms), so retention can be tested without waiting days. */
  clock?: () => number;
  /** An SDK client whose endpoint, region and credentials to use instead of the config's (the caller destroys it). */
  sqs?: SQSClient;
  /** How long the daemon must be idle before task protection is dropped (default 10 s). */
  protectionIdleGraceMs?: number;
  /** How often the queue's redrive policy is read again (default 5 minutes). */
  redriveRefreshMs?: number;
  /** Events not written to the log, because the caller shows them itself (local mode). */
  unloggedEvents?: readonly DaemonEventName[];
  /** Collect per-message stage timings here (benchmarks). */
  timings?: StageTimings;
}

/** What the status endpoint answers (and tests and local mode read). */
export interface DaemonSnapshot {
  live: boolean;
  ready: boolean;
  appHealthy: boolean;
  /** Messages received and not yet settled. */
  held: number;
  /** Requests to the app in flight. */
  inFlight: number;
  /** Poller loops running. */
  pollers: number;
  /** Receive calls in progress (long polls waiting on SQS). */
  receiving: number;
  totals: Record<string, number>;
}

/**
 * The sqsd daemon: polls the queue of `cfg`, POSTs each message to the app, settles it by
 * the answer. `start()`, then `stop()` (as on SIGTERM). Listen with `on(event, listener)`:
 * see {@link DaemonEvents} for every event and its payload.
 */
export class Daemon extends TypedEmitter<DaemonEvents> {
  readonly metrics: Metrics;
  private readonly clock: () => number;
  /** Every SQS call, sent without the AWS SDK (sqs-wire.ts). */
  private readonly wire: SqsWire;
  private readonly work: WorkQueue;
  private readonly dispatcher: Dispatcher;
  private readonly health: AppHealth;
  private readonly batches: SqsBatches;
  private readonly settler: Settler;
  private readonly heartbeat: VisibilityHeartbeat;
  private readonly redrive: RedriveWatch;
  private readonly pollers: Pollers;
  private readonly protection?: TaskProtection;
  /** Aborted when a stop begins: no new receives or deliveries. */
  private readonly stopping = new AbortController();
  /** Aborted when requests in flight must end now (drain timeout, second signal). */
  private readonly abortRequests = new AbortController();
  private readonly idle = new Set<() => void>();
  private status?: Server;
  private started = false;
  private stopPromise?: Promise<void>;
  private abortedRequests = 0;

  constructor(
    readonly cfg: Config,
    private readonly log: Logger,
    opts: DaemonOptions = {},
  ) {
    super();
    const emit: Emit = (event, payload) => this.emit(event, payload);
    this.clock = opts.clock ?? Date.now;
    this.wire = opts.sqs ? sqsWireFor(opts.sqs, cfg) : sqsWire(cfg);
    this.work = new WorkQueue(cfg.httpConnections, cfg.maxMessages, cfg.receiveAhead);
    this.dispatcher = new Dispatcher(cfg, log, this.abortRequests.signal);
    this.health = new AppHealth(cfg, log, emit);
    this.health.onOpen(() => this.pump());
    this.batches = new SqsBatches(this.wire, (call, messageId, reason, attempts) => emit("settle-failed", { call, messageId, reason, attempts }));
    this.redrive = new RedriveWatch(this.wire, cfg.queueUrl, emit, log, opts.redriveRefreshMs ?? REDRIVE_REFRESH_MS);
    this.settler = new Settler({ cfg, batches: this.batches, work: this.work, emit, clock: this.clock, redrivePolicy: () => this.redrive.policy, timings: opts.timings });
    this.heartbeat = new VisibilityHeartbeat(cfg.visibilityTimeout, this.work, this.batches, emit, this.clock);
    this.metrics = new Metrics(log, { enabled: cfg.metrics, namespace: cfg.metricsNamespace, queueName: cfg.queueName, intervalMs: cfg.metricsIntervalMs });
    this.metrics.observe(this);
    logEvents(this, log, cfg, new Set(opts.unloggedEvents));
    this.pollers = new Pollers(
      cfg,
      this.wire,
      this.work,
      this.health,
      {
        onMessages: (m, at) => this.onMessages(m, at),
        onReceiveFailed: (error, failures, retryInMs) => emit("receive-failed", { error, failures, retryInMs }),
        onReceiveRecovered: (failures) => emit("receive-recovered", { failures }),
        clock: this.clock,
      },
      this.stopping.signal,
    );
    if (cfg.taskProtection && cfg.ecsAgentUri) {
      this.protection = new TaskProtection(
        { agentUri: cfg.ecsAgentUri, expiresInMinutes: cfg.taskProtectionMinutes, idleGraceMs: opts.protectionIdleGraceMs ?? 10_000 },
        log,
        emit,
        this.clock,
      );
    }
  }

  /** ReceiveMessage calls made so far (benchmarks, tests). */
  get receiveCalls(): number {
    return this.pollers.receiveCalls;
  }

  /** SQS batch calls made so far (deletes, visibility changes). */
  get batchCalls(): { delete: number; visibility: number } {
    return this.batches.calls;
  }

  /**
   * Serve status, read the queue, wait for the app, then receive; resolves once receiving (or
   * once a stop ended the wait). Rejects with a StartError when the status port is taken or
   * the queue is missing or may not be read.
   */
  async start(): Promise<void> {
    if (this.cfg.statusPort !== 0) await this.startStatus();
    if (!(await this.redrive.first(this.stopping.signal))) return;
    this.emit("started", {
      queueUrl: this.cfg.queueUrl,
      queueName: this.cfg.queueName,
      fifo: this.cfg.fifo,
      target: this.cfg.appOrigin + this.cfg.httpPath,
      ...(this.redrive.policy ? { redrivePolicy: this.redrive.policy } : {}),
    });
    await this.health.waitUntilHealthy(this.stopping.signal);
    if (this.stopping.signal.aborted) return;
    this.metrics.start();
    this.heartbeat.start();
    this.redrive.start();
    void this.health.monitor(this.stopping.signal);
    this.started = true;
    this.pollers.start();
    this.emit("receiving", { httpConnections: this.cfg.httpConnections, heldBound: this.work.heldBound, fifo: this.cfg.fifo });
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
      throw new StartError(
        "status-port-unavailable",
        `StatusPort=${this.cfg.statusPort}: cannot listen on ${this.cfg.statusHost}:${this.cfg.statusPort} (${errorText(err)}). Pick a free port, or 0 to turn the endpoint off.`,
        { cause: err },
      );
    }
  }

  snapshot(): DaemonSnapshot {
    const stopping = this.stopping.signal.aborted;
    return {
      live: !stopping,
      ready: this.started && this.health.isHealthy && !stopping,
      appHealthy: this.health.isHealthy,
      held: this.work.heldCount,
      inFlight: this.work.activeCount,
      pollers: this.pollers.count,
      receiving: this.pollers.receiving,
      totals: Object.fromEntries(this.metrics.totals),
    };
  }

  private onMessages(raw: Message[], receivedAt: number): void {
    if (raw.length === 0) return;
    const messages = raw.map((m) => normalise(m, receivedAt));
    this.emit("received", { count: messages.length });
    if (this.stopping.signal.aborted) {
      // A receive that was already waiting when the stop began: hand its messages straight back.
      for (const m of messages) this.settler.release(m, "received-while-stopping");
      return;
    }
    const fresh = messages.filter((m) => !this.settler.expire(m));
    this.work.accept(fresh, this.cfg.visibilityTimeout * 1000);
    if (this.protection) void this.protection.update(this.work.heldCount).then(() => this.pump());
    else this.pump();
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
    const d = await this.dispatcher.deliver(h.msg);
    if (d.kind === "connection-error" && d.refused) this.health.markUnhealthy(d.error, this.stopping.signal);
    if (d.kind === "aborted") this.abortedRequests++;
    this.settler.settle(h, d);
    this.work.finish(h);
    void this.protection?.update(this.work.heldCount);
    if (this.work.activeCount === 0) for (const fn of this.idle) fn();
    this.pump();
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
    this.abortRequests.abort();
    this.pollers.abortReceives();
  }

  private async drain(reason: string): Promise<void> {
    const t0 = performance.now();
    this.emit("stopping", { reason, held: this.work.heldCount, inFlight: this.work.activeCount });
    this.stopping.abort();
    for (const h of this.work.takeAllWaiting()) this.settler.release(h.msg, "not-posted");
    const receivesEnded = this.pollers.stop(this.cfg.drainTimeoutMs).then((aborted) => {
      if (aborted > 0) this.log.warn({ aborted }, "receives still waiting were aborted: SQS may yet hand them messages, which come back after VisibilityTimeout");
      return aborted;
    });
    if (this.work.activeCount > 0) {
      const drained = new Promise<void>((resolve) => this.idle.add(resolve));
      if (!(await within(drained, this.cfg.drainTimeoutMs))) {
        this.log.warn({ inFlight: this.work.activeCount, drainTimeout: this.cfg.drainTimeoutMs / 1000 }, "drain timeout: aborting requests in flight");
        this.abortRequests.abort();
        await drained;
      }
    }
    const abortedReceives = await receivesEnded;
    this.heartbeat.stop();
    this.redrive.stop();
    await within(this.batches.flush(), 10_000);
    await this.protection?.release();
    this.metrics.stop();
    this.dispatcher.close();
    this.health.close();
    await new Promise<void>((resolve) => (this.status ? this.status.close(() => resolve()) : resolve()));
    this.wire.destroy();
    this.emit("stopped", {
      reason,
      tookMs: Math.round(performance.now() - t0),
      abortedRequests: this.abortedRequests,
      abortedReceives,
      totals: Object.fromEntries(this.metrics.totals),
    });
  }
}
