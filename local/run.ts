/**
 * Run a session to its end, the same way for `npm start` and `sqsd-worker local`: until
 * SIGINT/SIGTERM (or, with `work`, until that work is done), or until the app crashes.
 * Maps errors to exit codes: 2 usage/configuration, 1 failure while running, 0 clean stop.
 */
import { ConfigError, StartError } from "./errors";
import { LocalSession, type SessionOptions } from "./session";

/** Exit code and message of an error. */
export function reportError(err: unknown, write: (text: string) => void): number {
  if (err instanceof ConfigError) {
    write(`sqsd-worker local: configuration error\n${err.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 2;
  }
  if (err instanceof StartError) {
    write(`sqsd-worker local: cannot start the sidecar (${err.failure})\n  ${err.message}\n`);
    return 2;
  }
  write(`sqsd-worker local: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

/**
 * Start the session, then run `work` (if any) and stop when it resolves; else run until a
 * signal. An app that exits on its own ends the run with exit code 1.
 */
export async function runSession(opts: SessionOptions, work?: (s: LocalSession) => Promise<void>, errors: (text: string) => void = (t) => process.stderr.write(t)): Promise<number> {
  let stopSignal: (sig: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (stopSignal = resolve));
  // Installed before start, so Ctrl-C while the app boots still cleans up.
  process.on("SIGINT", stopSignal);
  process.on("SIGTERM", stopSignal);
  let session: LocalSession | undefined;
  try {
    const s = LocalSession.create(opts);
    session = s;
    const started = await Promise.race([s.start().then(() => "started" as const), signalled]);
    if (started !== "started") {
      await s.stop(`${started} received during start`);
      return 0;
    }
    const outcome = await Promise.race([
      signalled.then((sig) => ({ kind: "signal" as const, sig })),
      s.appFailure.then((err) => ({ kind: "crash" as const, err })),
      ...(work ? [work(s).then(() => ({ kind: "done" as const }))] : []),
    ]);
    switch (outcome.kind) {
      case "signal":
        await s.stop(`${outcome.sig} received`);
        return 0;
      case "crash":
        await s.stop("the app exited");
        return reportError(outcome.err, errors);
      case "done":
        await s.stop("done");
        return 0;
    }
  } catch (err) {
    await session?.stop("failure", false);
    return reportError(err, errors);
  } finally {
    process.off("SIGINT", stopSignal);
    process.off("SIGTERM", stopSignal);
  }
}
