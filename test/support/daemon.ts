/**
 * The real daemon, in process, against a real SQS server and a real HTTP app; its JSON log
 * lines are captured for assertions. For signals and exit codes use sidecar-process.ts.
 */
import { loadConfig, type Config } from "../../sidecar/config";
import { Daemon, type DaemonOptions } from "../../sidecar/daemon";
import { createLogger } from "../../sidecar/telemetry";
import { atTeardown } from "./global-fixtures";
import type { LogLine } from "./sidecar-process";
import type { SqsServer, TestQueue } from "./sqs-server";

export interface RunningDaemon {
  daemon: Daemon;
  cfg: Config;
  /** Parsed log lines, live. */
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

export async function startDaemon(env: Record<string, string>, opts: StartDaemonOptions = {}): Promise<RunningDaemon> {
  const logs: LogLine[] = [];
  const listeners = new Set<() => void>();
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
      for (const l of listeners) l();
    },
  };
  // The SDK reads credentials from process.env; the emulators accept any.
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
  const cfg = loadConfig({}, env);
  const daemon = new Daemon(cfg, createLogger(cfg.logLevel, sink), opts);
  let stopped = false;
  const stop = async (stopOpts: { abortReceives?: boolean } = {}) => {
    if (stopped) return;
    stopped = true;
    await daemon.stop("test finished", stopOpts);
  };
  // At teardown the test's queue is discarded: no need to wait out a long poll on it.
  atTeardown(() => stop({ abortReceives: true }));
  const waitForLog = (predicate: (l: LogLine) => boolean, timeoutMs = 10_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const hit = logs.find(predicate);
        if (!hit) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no matching log line within ${timeoutMs} ms; last lines:\n${logs.slice(-10).map((l) => JSON.stringify(l)).join("\n")}`));
      }, timeoutMs);
      if (!check()) listeners.add(check);
    });
  const started = daemon.start();
  if (!opts.noWait) await started;
  else started.catch(() => undefined);
  return { daemon, cfg, logs, waitForLog, stop };
}
