/**
 * Plumbing shared by the emulator launchers: free ports, a child process whose output is
 * kept as a log tail, and a stop that escalates from SIGTERM to SIGKILL.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

/** A free TCP port on 127.0.0.1 (the OS picks it; another process could take it before us). */
export { freePort } from "../../local/ports";

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A child process with its last output lines and a promise of its exit. */
export interface ManagedChild {
  child: ChildProcess;
  /** The last lines of stdout and stderr, interleaved. */
  logTail(lines?: number): string;
  /** Settles when the process has exited (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** Called with each stdout line. */
  onLine(fn: (line: string) => void): void;
}

/**
 * Spawn `command` with piped stdio. The process is also killed when this (mocha) process
 * exits, so an interrupted test run leaves no emulator behind.
 */
export function spawnManaged(command: string, args: string[], opts: SpawnOptions = {}): ManagedChild {
  const child = spawn(command, args, { ...opts, stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
  const tail: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  const collect = (isStdout: boolean) => {
    let partial = "";
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        tail.push(line);
        if (tail.length > 400) tail.shift();
        if (isStdout) for (const fn of listeners) fn(line);
      }
    };
  };
  child.stdout?.on("data", collect(true));
  child.stderr?.on("data", collect(false));
  child.stdin?.on("error", () => undefined); // EPIPE when the child is gone
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("error", (err) => {
      tail.push(`spawn error: ${err.message}`);
      live.delete(child);
      resolve({ code: null, signal: null });
    });
    child.on("close", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    logTail: (lines = 40) => tail.slice(-lines).join("\n"),
    onLine: (fn) => listeners.push(fn),
    async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null || !live.has(child)) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** POST ListQueues (AWS JSON protocol) until the endpoint answers 200 or `timeoutMs` passes. */
export async function waitForSqs(
  endpoint: string,
  proc: ManagedChild,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void proc.exited.then(() => (exitedEarly = true));
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (exitedEarly) break;
    try {
      const res = await fetch(endpoint + "/", {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
        body: "{}",
        signal: AbortSignal.timeout(2_000),
      });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await proc.stop("SIGKILL");
  throw new Error(
    `${what} at ${endpoint} did not become ready within ${timeoutMs} ms ` +
      `(${exitedEarly ? "process exited" : last}). Log tail:\n${proc.logTail()}`,
  );
}
