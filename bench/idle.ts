/**
 * The idle cost of each daemon: against an empty queue, the receive calls it makes in one
 * minute (counted by a proxy, so both protocols count alike), the most receives it has in
 * progress at once (its pollers or workers), and its memory. Idle daemons compete for
 * nothing, so every daemon and concurrency runs at once, each with its own queue and proxy.
 */
import type { SqsServer } from "../test/support/sqs-server";
import type { BenchApp } from "./app";
import type { Contender } from "./daemons";
import { startSqsProxy, viaProxy } from "./latency-proxy";

export interface IdleFigures {
  daemon: string;
  connections: number;
  receivesPerMinute: number;
  /** Receive calls in progress at once, at most (pollers, or the peer's workers). */
  pollers: number;
  rssMiB: number;
  peakRssMiB: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureIdle(server: SqsServer, contenders: Contender[], connections: number[], app: BenchApp, windowMs = 60_000): Promise<IdleFigures[]> {
  const runs = await Promise.all(
    contenders.flatMap((c) =>
      connections.map(async (n) => {
        const proxy = await startSqsProxy(server.endpoint);
        const q = await server.createQueue({ name: "bench-idle" });
        const daemon = c.start({ queueUrl: viaProxy(q.url, proxy), endpoint: proxy.endpoint, region: server.region, appUrl: app.url, connections: n });
        return { c, n, proxy, q, daemon };
      }),
    ),
  );
  try {
    const deadline = performance.now() + 30_000;
    while (runs.some((r) => r.proxy.receiveTimes.length === 0)) {
      const dead = runs.find((r) => r.daemon.exited);
      if (dead) throw new Error(`${dead.c.name} exited while idle:\n${dead.daemon.outputTail()}`);
      if (performance.now() > deadline) throw new Error("idle: a daemon made no receive call within 30 s");
      await sleep(50);
    }
    // One window from each daemon's first receive: with a 20 s long poll, calls at 0, 20 and 40 s.
    const last = Math.max(...runs.map((r) => r.proxy.receiveTimes[0]!));
    await sleep(Math.max(0, last + windowMs - performance.now()) + 200);
    return runs.map((r) => {
      const t0 = r.proxy.receiveTimes[0]!;
      const calls = r.proxy.receiveTimes.filter((t) => t < t0 + windowMs).length;
      return {
        daemon: r.c.name,
        connections: r.n,
        receivesPerMinute: (calls / windowMs) * 60_000,
        pollers: r.proxy.maxConcurrentReceives,
        rssMiB: r.daemon.rssMiB(),
        peakRssMiB: r.daemon.peakRssMiB(),
      };
    });
  } finally {
    await Promise.all(runs.map(async (r) => {
      await r.daemon.stop();
      await r.proxy.close();
      await r.q.delete();
    }));
  }
}
