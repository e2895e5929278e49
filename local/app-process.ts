/**
 * The user's app as a child process: a shell command in its own process group (so stopping
 * it also stops whatever the shell started: npm, tsx, gunicorn workers...), with its output
 * prefixed line by line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** How the app process ended. */
export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running app command. */
export interface AppProcess {
  command: string;
  pid: number | undefined;
  /** Settles once the process has exited (never rejects). */
  exited: Promise<AppExit>;
  /** True once stop() was called: an exit after that is expected. */
  readonly stopping: boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the shell is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** "exit code 3" / "signal SIGKILL", for messages. */
export function describeExit(e: AppExit): string {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code ?? "unknown"}`;
}

/** Whether any process of the group led by `pid` is still alive. */
function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined || process.platform === "win32") return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // negative pid: the whole process group
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Start `command` with `sh -c` (Windows: cmd.exe) and extra `env`. Each output line goes to
 * `print` with the stream name, so the caller can prefix it ("app | ...").
 */
export function startApp(command: string, env: NodeJS.ProcessEnv, print: (line: string, stream: "stdout" | "stderr") => void): AppProcess {
  const child = spawn(command, { shell: true, detached: process.platform !== "win32", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of ["stdout", "stderr"] as const) {
    const src = child[stream];
    if (src) createInterface({ input: src, crlfDelay: Infinity }).on("line", (line) => print(line, stream));
  }
  let stopping = false;
  const exited = new Promise<AppExit>((resolve) => {
    child.on("error", (err) => {
      print(`cannot start: ${err.message}`, "stderr");
      resolve({ code: null, signal: null });
    });
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  // Should this process die without stop(), do not leave the app behind.
  const onExit = () => killGroup(child, "SIGKILL");
  process.on("exit", onExit);
  return {
    command,
    pid: child.pid,
    exited,
    get stopping() {
      return stopping;
    },
    async stop(graceMs = 5_000) {
      stopping = true;
      process.off("exit", onExit);
      // The shell may be gone while its children live on: signal the group regardless.
      killGroup(child, "SIGTERM");
      const deadline = Date.now() + graceMs;
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // The shell is gone; give the rest of its group the same grace, then SIGKILL.
      while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (groupAlive(child.pid)) killGroup(child, "SIGKILL");
    },
  };
}
