/**
 * The benchmark's app: answers every POST with 200 after `delayMs`, counts requests and TCP
 * connections, and calls `onFirstRequest` when the first one arrives (the run's clock starts
 * there, so a daemon's start-up time is not counted as throughput).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface BenchApp {
  url: string;
  /** Requests answered since the last reset(). */
  readonly answered: number;
  /** TCP connections accepted since the last reset(): equal to `answered` when a daemon reconnects per request. */
  readonly connections: number;
  /** performance.now() of the first request since reset(), undefined before it. */
  readonly firstAt: number | undefined;
  /** Start counting again; `onFirst` runs synchronously on the next first request. */
  reset(onFirst?: () => void): void;
  close(): Promise<void>;
}

/**
 * `body` is what the app answers: a short text by default, like most apps ("ok"). A daemon
 * that does not read the answer's body cannot reuse its connection; an empty body spares it.
 */
export async function startBenchApp(delayMs: number, body = process.env.BENCH_APP_BODY ?? "ok"): Promise<BenchApp> {
  let answered = 0;
  let connections = 0;
  let firstAt: number | undefined;
  let onFirst: (() => void) | undefined;
  const server = createServer((req, res) => {
    if (firstAt === undefined) {
      firstAt = performance.now();
      onFirst?.();
    }
    req.resume();
    req.on("end", () => {
      const answer = () => {
        answered++;
        res.end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.on("connection", () => connections++);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get answered() {
      return answered;
    },
    get connections() {
      return connections;
    },
    get firstAt() {
      return firstAt;
    },
    reset(fn) {
      answered = 0;
      connections = 0;
      firstAt = undefined;
      onFirst = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
