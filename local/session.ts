/**
 * One local run of the worker pattern: embedded SQS emulator, queue + DLQ, the user's app
 * (child process) or an app already running, the sidecar (in-process Daemon), periodic
 * tasks and the live view. Start it, let it run, stop it: stop() drains the sidecar before
 * the app and the emulator go away, so nothing acknowledged is lost.
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "../sidecar/config";
import { Daemon } from "../sidecar/daemon";
import { createLogger } from "../sidecar/telemetry";
import { describeExit, startApp, type AppProcess } from "./app-process";
import type { CronEntry } from "./cron-config";
import { startEmulator, type Emulator } from "./emulator";
import { ConfigError, RunError, StoppedError } from "./errors";
import { DELIVERY_EVENTS, onDelivery, parseLogNote } from "./events";
import { LiveView, type Printer, type StatusSnapshot } from "./live-view";
import { localConfig, type OptionValues } from "./local-config";
import { assertPortFree } from "./ports";
import { PeriodicScheduler } from "./scheduler";
import type { OutgoingMessage } from "./send-lines";
import { createWorkerQueues, depthOf, emulatorClient, sendTo, type WorkerQueues } from "./sqs";
import { Tally, summaryLines } from "./tally";

/** What to run. */
export interface SessionOptions {
  /** Sidecar options from flags (environment variables are read too). */
  flags: OptionValues;
  env: NodeJS.ProcessEnv;
  /** Shell command that starts the app; without it the app must already listen on HttpUrl. */
  appCommand?: string;
  cron: readonly CronEntry[];
  /** Emulator port on 127.0.0.1 (0 = any free port). */
  sqsPort: number;
  /** Worker queue name (".fifo" suffix = FIFO queue); its DLQ is `<name>-dlq`. */
  queueName: string;
  print: Printer;
  /** Also show the sidecar's info lines. */
  verbose?: boolean;
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export class LocalSession {
  readonly tally = new Tally();
  readonly view: LiveView;
  /** Never rejects; resolves with the error when the app exits on its own while running. */
  readonly appFailure: Promise<RunError>;
  private resolveAppFailure: (e: RunError) => void = () => undefined;
  private emulator?: Emulator;
  private sqs?: SQSClient;
  private daemon?: Daemon;
  private app?: AppProcess;
  private scheduler?: PeriodicScheduler;
  private ticker?: NodeJS.Timeout;
  private stopPromise?: Promise<string[]>;
  private booting?: Promise<void>;
  private bootRaw?: Promise<void>;
  private stopRequested = false;
  private readonly appOutput: string[] = [];
  private readonly started = performance.now();
  queues?: WorkerQueues;
  cfg?: Config;

  private constructor(private readonly opts: SessionOptions, private readonly preCfg: Config) {
    this.view = new LiveView(opts.print, preCfg.maxRetries);
    this.appFailure = new Promise((resolve) => (this.resolveAppFailure = resolve));
  }

  /** Check the options (throws ConfigError before anything starts); then call start(). */
  static create(opts: SessionOptions): LocalSession {
    // Options first: a bad variable must not leave an emulator or an app behind.
    const pre = localConfig(opts.flags, opts.env);
    if (opts.cron.length > 0 && opts.queueName.endsWith(".fifo")) {
      throw new ConfigError(["--cron: periodic tasks are not supported on FIFO queues (as in Beanstalk)"]);
    }
    return new LocalSession(opts, pre);
  }

  /**
   * Start everything; on any failure, stop what was started and rethrow. stop() may be
   * called while this runs (Ctrl-C during start): start then rejects with StoppedError.
   */
  start(): Promise<void> {
    // bootRaw settles when boot() does; shutdown waits for it (not for this cleanup chain).
    this.bootRaw ??= this.boot();
    this.booting ??= this.bootRaw.catch(async (err: unknown) => {
      await this.stop(this.stopPromise ? "stopped" : "start failed", false);
      throw err;
    });
    return this.booting;
  }

  /** Throw if stop() was called while booting. */
  private checkStopped(): void {
    if (this.stopRequested) throw new StoppedError("stopped during start");
  }

  /** The emulator's endpoint, for other tools (aws --endpoint-url, `local --send`). */
  get endpoint(): string {
    return this.emulator?.endpoint ?? "";
  }

  private async boot(): Promise<void> {
    const { opts, preCfg } = this;
    const appUrl = new URL(preCfg.appOrigin);
    const appPort = Number(appUrl.port) || 80;
    if (opts.appCommand) await assertPortFree(appUrl.hostname, appPort, `app port (HttpUrl ${preCfg.appOrigin})`);
    this.checkStopped();
    this.emulator = await startEmulator(opts.sqsPort, preCfg.region);
    this.checkStopped();
    this.sqs = emulatorClient(this.emulator.endpoint, preCfg.region, preCfg.waitTimeSeconds);
    this.queues = await createWorkerQueues(this.sqs, {
      name: opts.queueName,
      maxRetries: preCfg.maxRetries,
      visibilityTimeout: preCfg.visibilityTimeout,
      retentionSeconds: preCfg.retentionPeriodMs / 1000,
    });
    this.checkStopped();
    const cfg = localConfig(opts.flags, opts.env, { url: this.queues.url, endpoint: this.emulator.endpoint });
    this.cfg = cfg;
    this.view.line("sqs", `emulator fauxqs on ${this.emulator.endpoint}: queue ${this.queues.name} (DLQ ${this.queues.dlqName}, maxReceiveCount ${cfg.maxRetries})`);

    if (opts.appCommand) {
      this.view.line("app", `starting: ${opts.appCommand}  (PORT=${appPort})`);
      this.app = startApp(opts.appCommand, { PORT: String(appPort) }, (line) => {
        this.appOutput.push(line);
        if (this.appOutput.length > 20) this.appOutput.shift();
        opts.print(`app | ${line}`);
      });
      void this.app.exited.then((e) => {
        if (this.app?.stopping) return;
        this.resolveAppFailure(new RunError(`app command "${opts.appCommand}" exited with ${describeExit(e)} while running`));
      });
    }

    // Outcomes come from the daemon's events; its log brings the rest (warnings, lifecycle).
    this.daemon = new Daemon(cfg, this.sidecarLogger(cfg), { sqs: this.sqs, unloggedEvents: DELIVERY_EVENTS });
    onDelivery(this.daemon, (e) => {
      this.tally.record(e);
      this.view.delivery(e);
    });
    this.view.line("sidecar", `waiting for the app at ${cfg.appOrigin}${cfg.httpPath}`);
    await this.startDaemon(this.daemon, cfg);
    this.checkStopped();
    this.view.line("sidecar", `receiving (HttpConnections ${cfg.httpConnections}, ErrorVisibilityTimeout ${cfg.errorVisibilityTimeout} s, MaxRetries ${cfg.maxRetries})`);

    if (opts.cron.length > 0) {
      this.scheduler = new PeriodicScheduler(
        opts.cron,
        async (m, task, at) => {
          const id = await this.sendRaw({ body: m.body, attributes: m.attributes }, `task ${task.name} @${at.toISOString().slice(11, 19)}`);
          this.view.line("enqueued", `periodic task ${task.name} → POST ${task.url} (scheduled ${at.toISOString()})`);
          return id;
        },
        (task, err) => this.view.line("error", `periodic task ${task.name}: cannot enqueue (${(err as Error).message})`),
      );
      this.scheduler.start();
      for (const t of opts.cron) this.view.line("cron", `${t.name} "${t.schedule}" → POST ${t.url}, next at ${this.scheduler.nextRun(t).toISOString()}`);
    }
    this.ticker = setInterval(() => void this.refreshStatus(), 500);
    this.ticker.unref();
  }

  /** daemon.start(), unless the app exits first: then a ConfigError naming the command. */
  private async startDaemon(daemon: Daemon, cfg: Config): Promise<void> {
    const app = this.app;
    if (!app) return daemon.start();
    const exitedFirst = app.exited.then((e) => e);
    const result = await Promise.race([daemon.start().then(() => "started" as const), exitedFirst]);
    if (result !== "started") {
      const tail = this.appOutput.slice(-5).map((l) => `    ${l}`).join("\n");
      throw new ConfigError([
        `--app "${app.command}" exited with ${describeExit(result)} before it accepted connections on ${cfg.appOrigin}` +
          (tail ? `; its last output:\n${tail}` : " (it printed nothing)"),
      ]);
    }
  }

  /** The sidecar's log lines as notes in the live view (raw JSON never reaches the terminal). */
  private sidecarLogger(cfg: Config) {
    const user = LEVELS[cfg.logLevel] ?? 30;
    const shown = user < 30 ? user : this.opts.verbose ? 30 : Math.max(40, user);
    return createLogger(user < 30 ? cfg.logLevel : "info", {
      write: (line: string) => {
        const note = parseLogNote(line);
        if (note && (LEVELS[note.level] ?? 30) >= shown) this.view.note(note);
      },
    });
  }

  private async sendRaw(m: Parameters<typeof sendTo>[2], label: string): Promise<string> {
    if (!this.sqs || !this.queues) throw new Error("session not started");
    const id = await sendTo(this.sqs, this.queues, m);
    this.tally.sent();
    this.view.label(id, label);
    return id;
  }

  /** Enqueue messages (from --send); each is labelled in the live view by its line and body. */
  async send(messages: readonly OutgoingMessage[], source = "--send"): Promise<string[]> {
    const ids: string[] = [];
    for (const m of messages) {
      const preview = m.body.length > 40 ? `${m.body.slice(0, 40)}…` : m.body;
      ids.push(await this.sendRaw(m, `${source}:${m.line} ${preview}`));
    }
    if (messages.length > 0) this.view.line("enqueued", `${messages.length} message(s) from ${source}`);
    return ids;
  }

  /** Enqueue one run of a periodic task now (demo, or a test of the task's handler). */
  fireTask(name: string): Promise<string> {
    if (!this.scheduler) return Promise.reject(new Error("no periodic tasks configured"));
    return this.scheduler.fireNow(name);
  }

  async snapshot(): Promise<StatusSnapshot> {
    const [queue, dlq] = this.sqs && this.queues ? await Promise.all([depthOf(this.sqs, this.queues.url), depthOf(this.sqs, this.queues.dlqUrl)]) : [{ visible: 0, inFlight: 0, delayed: 0 }, { visible: 0, inFlight: 0, delayed: 0 }];
    return { totals: { ...this.tally.totals }, inFlight: this.daemon?.snapshot().inFlight ?? 0, queue, dlq: dlq.visible + dlq.inFlight };
  }

  private refreshing = false;
  private async refreshStatus(): Promise<void> {
    if (this.refreshing || this.stopPromise) return;
    this.refreshing = true;
    try {
      this.view.status(await this.snapshot());
    } catch {
      /* the emulator is stopping */
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * Resolve once every sent message reached an end state: deleted after a 200, or in the
   * DLQ; the queue is empty and nothing is in flight. Rejects after `timeoutMs`.
   */
  async waitSettled(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const s = await this.snapshot();
      const t = s.totals;
      const q = s.queue.visible + s.queue.inFlight + s.queue.delayed;
      if (t.delivered + t.deadLettered >= t.sent && q === 0 && s.inFlight === 0 && s.dlq >= t.deadLettered) return;
      if (performance.now() > deadline) throw new RunError(`not settled after ${timeoutMs / 1000} s: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Stop in the order that loses nothing: periodic tasks, then the sidecar drains (requests
   * in flight finish and are deleted; unposted messages go back to the queue), then the app
   * and the emulator. Returns the summary lines (printed too, unless `printSummary` is false).
   */
  stop(reason: string, printSummary = true): Promise<string[]> {
    this.stopRequested = true;
    this.stopPromise ??= this.shutdown(reason, printSummary);
    return this.stopPromise;
  }

  private async shutdown(reason: string, printSummary: boolean): Promise<string[]> {
    // Stopping while booting: end the wait for the app, then let boot() reach a checkpoint.
    if (this.bootRaw) {
      void this.daemon?.stop(reason, { abortReceives: true });
      await this.bootRaw.catch(() => undefined);
    }
    if (this.ticker) clearInterval(this.ticker);
    this.scheduler?.stop();
    if (this.daemon) this.view.line("stopping", `${reason}: draining the sidecar`);
    // The emulator goes away with the session: a receive left waiting on it can take nothing.
    await this.daemon?.stop(reason, { abortReceives: true });
    let lines: string[] = [];
    if (printSummary && this.sqs && this.queues) {
      const s = await this.snapshot().catch(() => undefined);
      if (s) this.view.status(s);
      lines = summaryLines(this.tally, {
        inFlight: s?.inFlight ?? 0,
        queueDepth: s ? s.queue.visible + s.queue.inFlight + s.queue.delayed : 0,
        dlqDepth: s?.dlq ?? 0,
        elapsedMs: performance.now() - this.started,
      });
    }
    await this.app?.stop();
    this.sqs?.destroy();
    await this.emulator?.close();
    if (printSummary && lines.length > 0) {
      // Unindented `name: value` lines, so scripts can grep '^delivered:'.
      this.opts.print("--- summary ---");
      for (const l of lines) this.opts.print(l);
    }
    return lines;
  }
}
