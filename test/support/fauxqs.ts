/**
 * fauxqs (the npm SQS emulator) in a child process running `fauxqs-server.mjs`, so it
 * never shares an event loop with the code under test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnManaged, waitForSqs, type ManagedChild } from "./emulator-process";
import { withTimeout } from "./wait";

/** The installed fauxqs version (read from its package.json). */
export function fauxqsVersion(): string {
  try {
    const file = join(__dirname, "..", "..", "node_modules", "fauxqs", "package.json");
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** A running fauxqs child process. */
export interface FauxqsProcess {
  port: number;
  endpoint: string;
  proc: ManagedChild;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Options for {@link startFauxqsProcess}. */
export interface FauxqsOptions {
  /** Port to bind (default: any free one). */
  port?: number;
  region?: string;
  /** Keep queues and messages in SQLite here, so a restart on the same dataDir finds them. */
  dataDir?: string;
}

/** Start fauxqs on 127.0.0.1 and wait for its "listening <port>" line, then for ListQueues. */
export async function startFauxqsProcess(opts: FauxqsOptions = {}): Promise<FauxqsProcess> {
  const proc = spawnManaged(process.execPath, [join(__dirname, "fauxqs-server.mjs")], {
    cwd: join(__dirname, "..", ".."),
    env: {
      ...process.env,
      FAUXQS_PORT: String(opts.port ?? 0),
      FAUXQS_REGION: opts.region ?? "us-east-1",
      FAUXQS_DATA_DIR: opts.dataDir ?? "",
    },
  });
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      proc.onLine((line) => {
        const m = /^listening (\d+)$/.exec(line.trim());
        if (m?.[1]) resolve(Number(m[1]));
      });
      void proc.exited.then(({ code, signal }) =>
        reject(new Error(`fauxqs exited early (code ${code}, signal ${signal}):\n${proc.logTail()}`)),
      );
    }),
    30_000,
    "fauxqs to listen",
  ).catch(async (err: unknown) => {
    await proc.stop("SIGKILL");
    throw err;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForSqs(endpoint, proc, `fauxqs ${fauxqsVersion()}`, 30_000);
  return { port, endpoint, proc, stop: (signal = "SIGTERM") => proc.stop(signal) };
}
