/**
 * Run `sqsd-worker local` (or the example) as a child process, as a user would, collecting
 * its output and waiting for lines.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
export const FIXTURE_APP = join(__dirname, "fixtures", "app.js");

/** A running CLI process. */
export interface CliRun {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first output line matching `re` (rejects after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Spawn `node --import tsx <script> ...args` in the repo root. */
export function runTs(script: string, args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const waiters: Array<() => void> = [];
  const onData = (c: Buffer) => {
    out += c.toString("utf8");
    for (const w of waiters) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, ms: performance.now() - t0 })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        waiters.push(check);
        check();
      });
    },
  };
}

/** `sqsd-worker local ...args`. */
export function runLocal(args: string[], env?: NodeJS.ProcessEnv): CliRun {
  return runTs("local/cli.ts", ["local", ...args], env);
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The `name: value` number of a summary line. */
export function summaryValue(output: string, name: string): number | undefined {
  const m = new RegExp(`^${name}: (\\d+)$`, "m").exec(output);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
