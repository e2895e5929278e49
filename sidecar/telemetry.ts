/**
 * Structured JSON logs (pino) and CloudWatch Embedded Metric Format lines.
 *
 * EMF lines are log lines that CloudWatch Logs turns into metrics, so metrics cost no API
 * calls. Counts are summed over an interval and written as one line; latency goes out as up
 * to 100 sampled values (the EMF limit for a value array), which keeps percentiles honest.
 * The counts come from the daemon's events (observe()), the same ones its listeners get.
 */
import pino, { type Logger } from "pino";
import type { DaemonEvents } from "./daemon-events";
import type { TypedEmitter } from "./typed-emitter";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc: "sqsd" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export const COUNTERS = ["Received", "Succeeded", "Failed", "TimedOut", "Expired", "DeadLettered", "Released"] as const;
export type Counter = (typeof COUNTERS)[number];

const MAX_VALUES = 100;

export class Metrics {
  private counts = new Map<Counter, number>();
  private samples: number[] = [];
  private seen = 0;
  private timer?: NodeJS.Timeout;
  /** Totals since start (never reset), for the status endpoint and tests. */
  readonly totals = new Map<Counter, number>();

  constructor(
    private readonly log: Logger,
    private readonly opts: { enabled: boolean; namespace: string; queueName: string; intervalMs: number },
  ) {}

  /** Count the daemon's events: each counter is one event (Received: messages per receive). */
  observe(events: TypedEmitter<DaemonEvents>): void {
    events.on("received", (e) => this.count("Received", e.count));
    events.on("delivered", (e) => {
      this.count("Succeeded");
      this.latency(e.latencyMs);
    });
    events.on("failed", (e) => {
      this.count("Failed");
      this.latency(e.latencyMs);
    });
    events.on("timed-out", (e) => {
      this.count("TimedOut");
      this.latency(e.latencyMs);
    });
    events.on("released", (e) => {
      this.count("Released");
      if (e.latencyMs !== undefined) this.latency(e.latencyMs);
    });
    events.on("expired", () => this.count("Expired"));
    events.on("dead-lettered", () => this.count("DeadLettered"));
  }

  start(): void {
    if (!this.opts.enabled) return;
    this.timer = setInterval(() => this.flush(), this.opts.intervalMs);
    this.timer.unref();
  }

  count(name: Counter, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
    this.totals.set(name, (this.totals.get(name) ?? 0) + n);
  }

  /** Request latency in ms; reservoir-sampled to MAX_VALUES per interval. */
  latency(ms: number): void {
    this.seen++;
    if (this.samples.length < MAX_VALUES) this.samples.push(ms);
    else {
      const i = Math.floor(Math.random() * this.seen);
      if (i < MAX_VALUES) this.samples[i] = ms;
    }
  }

  /** Write one EMF line with this interval's figures, if there are any. */
  flush(): void {
    if (!this.opts.enabled || (this.counts.size === 0 && this.samples.length === 0)) return;
    const values: Record<string, number | number[]> = {};
    const metrics: Array<{ Name: string; Unit: string }> = [];
    for (const name of COUNTERS) {
      values[name] = this.counts.get(name) ?? 0;
      metrics.push({ Name: name, Unit: "Count" });
    }
    if (this.samples.length > 0) {
      values.RequestLatency = this.samples.map((v) => Math.round(v * 100) / 100);
      metrics.push({ Name: "RequestLatency", Unit: "Milliseconds" });
    }
    this.log.info(
      {
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [{ Namespace: this.opts.namespace, Dimensions: [["QueueName"]], Metrics: metrics }],
        },
        QueueName: this.opts.queueName,
        ...values,
      },
      "metrics",
    );
    this.counts = new Map();
    this.samples = [];
    this.seen = 0;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}

/**
 * Where each message's time goes inside the daemon (benchmarks only; off by default):
 * `toRequest` = received → request started; `toDeleteSent` = app's answer → delete call sent
 * (the wait this daemon adds); `toDelete` = app's answer → delete accepted by SQS.
 */
export interface StageTimings {
  toRequest: number[];
  toDeleteSent: number[];
  toDelete: number[];
}
