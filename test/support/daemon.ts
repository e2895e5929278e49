/**
 * The real daemon, in process, against a real SQS server and a real HTTP app. What happens
 * to messages is learnt from its typed events (recorded in order); its JSON log lines are
 * captured too, for the tests of logging itself and for diagnostics that are not outcomes.
 * For signals and exit codes use sidecar-process.ts.
 */
import { loadConfig, type Config } from "../../sidecar/config";
import { Daemon, type DaemonOptions } from "../../sidecar/daemon";
import { DAEMON_EVENT_NAMES, type DaemonEvent, type DaemonEventName, type DaemonEvents } from "../../sidecar/daemon-events";
import { createLogger } from "../../sidecar/telemetry";
import { atTeardown } from "./global-fixtures";
import type { LogLine } from "./sidecar-process";
import type { SqsServer, TestQueue } from "./sqs-server";

export interface RunningDaemon {
  daemon: Daemon;
  cfg: Config;
  /** Every event the daemon emitted, in order (live). */
  events: DaemonEvent[];
  /** Payloads of the `type` events seen so far, optionally only those matching `where`. */
  seen<K extends DaemonEventName>(type: K, where?: (payload: DaemonEvents[K]) => boolean): Array<DaemonEvents[K]>;
  /** Resolve with the first `type` event (seen or coming) matching `where`. */
  waitFor<K extends DaemonEventName>(type: K, where?: (payload: DaemonEvents[K]) => boolean, timeoutMs?: number): Promise<DaemonEvents[K]>;
  /** Parsed log lines, live (logging tests and diagnostics; outcomes come from events). */
  logs: LogLine[];
  /** Resolve with the first log line (seen or coming) matching the predicate. */
  waitForLog(predicate: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Graceful stop (as on SIGTERM); `abortReceives` when the test's queue is going away. */
  stop(opts?: { abortReceives?: boolean }): Promise<void>;
}

export interface StartDaemonOptions extends DaemonOptions {
  /** Resolve as soon as the daemon is constructed, without waiting for it to be receiving. */
  noWait?: boolean;
}

/** Environment for a daemon polling `queue` on `server` and posting to `appUrl`. */
export function daemonEnv(server: SqsServer, queue: TestQueue, appUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WorkerQueueURL: queue.url,
    Endpoint: server.endpoint,
    Region: server.region,
    HttpUrl: appUrl,
    StatusPort: "0",
    WaitTime: "1",
    HealthCheckInterval: "0.1",
    MaxRetries: "10",
    Metrics: "false",
    LogLevel: "debug",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    ...extra,
  };
}

/** Resolve with what `find` returns, checked now and whenever `listeners` fire; reject after `timeoutMs`. */
function waitUntil<T>(find: () => T | undefined, listeners: Set<() => void>, timeoutMs: number, describe: (ms: number) => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = () => {
      const hit = find();
      if (hit === undefined) return false;
      listeners.delete(check);
      clearTimeout(timer);
      resolve(hit);
      return true;
    };
    const timer = setTimeout(() => {
      listeners.delete(check);
      reject(new Error(describe(timeoutMs)));
    }, timeoutMs);
    if (!check()) listeners.add(check);
  });
}

export async function startDaemon(env: Record<string, string>, opts: StartDaemonOptions = {}): Promise<RunningDaemon> {
  const logs: LogLine[] = [];
  const events: DaemonEvent[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  const sink = {
    write(chunk: string) {
      for (const line of chunk.split("\n")) {
        if (!line.trim()) continue;
        try {
          logs.push(JSON.parse(line) as LogLine);
        } catch {
          logs.push({ msg: line });
        }
      }
      changed();
    },
  };
  // The SDK reads credentials from process.env; the emulators accept any.
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
  const cfg = loadConfig({}, env);
  const daemon = new Daemon(cfg, createLogger(cfg.logLevel, sink), opts);
  for (const type of DAEMON_EVENT_NAMES) {
    daemon.on(type, (payload) => {
      events.push({ type, payload } as DaemonEvent);
      changed();
    });
  }
  const seen = <K extends DaemonEventName>(type: K, where: (p: DaemonEvents[K]) => boolean = () => true): Array<DaemonEvents[K]> =>
    events.filter((e) => e.type === type).map((e) => e.payload as DaemonEvents[K]).filter(where);
  let stopped = false;
  const stop = async (stopOpts: { abortReceives?: boolean } = {}) => {
    if (stopped) return;
    stopped = true;
    await daemon.stop("test finished", stopOpts);
  };
  // At teardown the test's queue is discarded: no need to wait out a long poll on it.
  atTeardown(() => stop({ abortReceives: true }));
  const tail = (n: number) => events.slice(-n).map((e) => `${e.type} ${JSON.stringify(e.payload)}`).join("\n");
  const running: RunningDaemon = {
    daemon,
    cfg,
    events,
    seen,
    logs,
    waitFor: (type, where = () => true, timeoutMs = 10_000) =>
      waitUntil(() => seen(type, where)[0], listeners, timeoutMs, (ms) => `no matching "${type}" event within ${ms} ms; last events:\n${tail(10)}`),
    waitForLog: (predicate, timeoutMs = 10_000) =>
      waitUntil(() => logs.find(predicate), listeners, timeoutMs, (ms) => `no matching log line within ${ms} ms; last lines:\n${logs.slice(-10).map((l) => JSON.stringify(l)).join("\n")}`),
    stop,
  };
  const started = daemon.start();
  if (!opts.noWait) await started;
  else started.catch(() => undefined);
  return running;
}
