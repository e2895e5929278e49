/**
 * Run the sqsd daemon CLI (`sidecar/bin.ts`) as a real child process, as in production:
 * its own event loop, its own env, signals. Nothing is imported from `sidecar/`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { atTeardown } from "./global-fixtures";
import { spawnManaged } from "./emulator-process";

/** Repository root (this file lives in test/support/). */
export const REPO_ROOT = join(__dirname, "..", "..");

/** The daemon entry point run by {@link startSidecarProcess}. */
export const SIDECAR_MAIN = join(REPO_ROOT, "sidecar", "bin.ts");

/**
 * One parsed JSON log line: `level` as a label ("info", "warn": the daemon's pino formatter
 * writes labels, not pino's numbers), `msg`, `time`, and the line's fields.
 */
export type LogLine = Record<string, unknown>;

/** Options of {@link startSidecarProcess}. */
export interface SidecarProcessOptions {
  /** Added to (and overriding) the clean base env; `undefined` removes a base entry. */
  env?: Record<string, string | undefined>;
  /** CLI arguments after the entry. */
  args?: string[];
  /** Script to run instead of `sidecar/bin.ts` (e.g. a stand-in daemon in harness tests, or the bundle). */
  entry?: string;
  /** Node.js flags before the script (e.g. the image's own, SIDECAR_NODE_FLAGS). */
  nodeFlags?: readonly string[];
  /** Echo the daemon's output to this process's stderr (also when SIDECAR_ECHO=1). */
  echo?: boolean;
}

/** A running daemon. */
export interface SidecarProcess {
  pid: number | undefined;
  /** JSON lines from stdout, in order (the array is live). */
  logs: LogLine[];
  /** stdout lines that were not JSON. */
  stdoutText: string[];
  /** Everything written to stderr. */
  stderr(): string;
  /** Resolve with the first log line (already seen or coming) matching `predicate`. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Send a signal (default SIGTERM). */
  kill(signal?: NodeJS.Signals): void;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves with how it exited. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: string | null }>;
}

/** The base environment: nothing of the caller's except PATH and HOME. */
export function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    LogLevel: "debug",
  };
}

/**
 * Spawn `node --import tsx sidecar/bin.ts ...args` (or `node bundle.cjs ...args`) with the
 * same Node as this process.
 * The process is stopped after the test run if the test did not stop it. When
 * the entry does not exist, this throws a clear error.
 */
export function startSidecarProcess(opts: SidecarProcessOptions = {}): SidecarProcess {
  const entry = opts.entry ?? SIDECAR_MAIN;
  if (!existsSync(entry)) throw new Error(`daemon entry point ${entry} does not exist (yet)`);
  const env: Record<string, string> = baseEnv();
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const echo = opts.echo ?? process.env.SIDECAR_ECHO === "1";
  // A bundle (.cjs) runs on plain Node, as in the image; TypeScript sources through tsx.
  const nodeArgs = entry.endsWith(".cjs") ? [...(opts.nodeFlags ?? [])] : [...(opts.nodeFlags ?? []), "--import", "tsx"];
  const proc = spawnManaged(process.execPath, [...nodeArgs, entry, ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    env,
  });
  const logs: LogLine[] = [];
  const stdoutText: string[] = [];
  let stderr = "";
  const watchers = new Set<(line: LogLine) => void>();
  proc.onLine((line) => {
    if (echo) process.stderr.write(`[sidecar] ${line}\n`);
    let parsed: unknown;
    try {
      parsed = line.trim().startsWith("{") ? JSON.parse(line) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const entry = parsed as LogLine;
      logs.push(entry);
      for (const w of [...watchers]) w(entry);
    } else if (line.length > 0) {
      stdoutText.push(line);
    }
  });
  proc.child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
    if (echo) process.stderr.write(`[sidecar:err] ${c.toString("utf8")}`);
  });
  const exited = proc.exited.then(({ code, signal }) => ({ code, signal: signal as string | null }));

  const sidecar: SidecarProcess = {
    pid: proc.child.pid,
    logs,
    stdoutText,
    stderr: () => stderr,
    exited,
    kill(signal = "SIGTERM") {
      proc.child.kill(signal);
    },
    waitForLog(predicate, timeoutMs = 10_000) {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          watchers.delete(watch);
        };
        const watch = (line: LogLine) => {
          if (!predicate(line)) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching sidecar log within ${timeoutMs} ms. Last lines:\n${tail()}`));
        }, timeoutMs);
        watchers.add(watch);
        void exited.then(({ code, signal }) => {
          if (!watchers.has(watch)) return;
          cleanup();
          reject(new Error(`sidecar exited (code ${code}, signal ${signal}) before a matching log. Last lines:\n${tail()}`));
        });
      });
    },
    async stop(graceMs = 10_000) {
      await proc.stop("SIGTERM", graceMs);
      return exited;
    },
  };
  const tail = () =>
    [...logs.slice(-15).map((l) => JSON.stringify(l)), ...stdoutText.slice(-5), stderr.slice(-2000)].join("\n");
  atTeardown(async () => {
    await sidecar.stop(5_000);
  });
  return sidecar;
}
