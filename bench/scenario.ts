/**
 * One measured run: a queue filled with N messages, one daemon started against it, timed from
 * the app's first request until the queue is empty (every message posted and deleted).
 */
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SqsServer } from "../test/support/sqs-server";
import type { BenchApp } from "./app";
import type { Contender, DaemonProcess } from "./daemons";
import { viaProxy, type Latency, type SqsProxy } from "./latency-proxy";

export interface Scenario {
  label: string;
  connections: number;
  appDelayMs: number;
  /** Delay added to every SQS call by a proxy; none: the daemon talks to the emulator directly. */
  latency?: Latency;
  messages: number;
}

export interface RunFigures {
  msgPerSec: number;
  /** Daemon CPU seconds (user + system) per 10,000 messages, from the first request to the empty queue. */
  cpuPer10k: number;
  peakRssMiB: number;
  /** POSTs the app answered (more than `messages`: some were delivered twice). */
  posts: number;
  /** TCP connections the app accepted. */
  appConnections: number;
  /** SQS calls per action (only with the proxy). */
  calls: Record<string, number>;
}

const BODY = JSON.stringify({ job: "bench", payload: "x".repeat(200) });

export async function fill(sqs: SQSClient, queueUrl: string, n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const count = Math.min(10, n - next);
        next += count;
        const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: count }, (_, i) => ({ Id: `m${i}`, MessageBody: BODY })) }));
        if (res.Failed?.length) throw new Error(`fill: ${JSON.stringify(res.Failed)}`);
      }
    }),
  );
}

/**
 * Send and drain `n` messages with the SDK: a JVM emulator answers several times slower until
 * its JIT has compiled the hot paths, which would handicap whichever daemon runs first.
 */
export async function warmUp(server: SqsServer, n: number): Promise<void> {
  const q = await server.createQueue({ name: "bench-warm-up" });
  await fill(server.client, q.url, n);
  await q.receiveAll(false, { visibilityTimeout: 60 });
  await q.delete();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** No answered request for this long: the run is stuck (a daemon that fails, or a bench bug). */
const STALL_MS = 60_000;

export async function runOnce(server: SqsServer, contender: Contender, s: Scenario, app: BenchApp, proxy?: SqsProxy): Promise<RunFigures> {
  const q = await server.createQueue({ name: "bench" });
  try {
    await fill(server.client, q.url, s.messages);
    const started: { daemon?: DaemonProcess } = {};
    let cpu0 = 0;
    // The clock and the CPU count start at the first request: start-up is not throughput.
    app.reset(() => (cpu0 = started.daemon?.cpuSeconds() ?? 0));
    proxy?.reset();
    const daemon = contender.start({
      queueUrl: proxy ? viaProxy(q.url, proxy) : q.url,
      endpoint: proxy?.endpoint ?? server.endpoint,
      region: server.region,
      appUrl: app.url,
      connections: s.connections,
    });
    started.daemon = daemon;
    try {
      let seen = -1;
      let lastProgress = performance.now();
      const stuck = (what: string) => {
        if (daemon.exited) throw new Error(`${contender.name} exited during "${s.label}":\n${daemon.outputTail()}`);
        if (app.answered !== seen) {
          seen = app.answered;
          lastProgress = performance.now();
        } else if (performance.now() - lastProgress > STALL_MS) {
          throw new Error(`${contender.name} stalled in "${s.label}" ${what} (${app.answered}/${s.messages} posted):\n${daemon.outputTail()}`);
        }
      };
      while (app.answered < s.messages) {
        stuck("posting");
        await sleep(10);
      }
      // Then until the last delete has landed (the count is exact on an emulator).
      while (true) {
        const c = await q.counts();
        if (c.visible + c.inFlight === 0) break;
        stuck("deleting");
        await sleep(5);
      }
      const seconds = (performance.now() - (app.firstAt ?? 0)) / 1000;
      return {
        msgPerSec: s.messages / seconds,
        cpuPer10k: ((daemon.cpuSeconds() - cpu0) / s.messages) * 10_000,
        peakRssMiB: daemon.peakRssMiB(),
        posts: app.answered,
        appConnections: app.connections,
        calls: Object.fromEntries(proxy?.calls ?? []),
      };
    } finally {
      await daemon.stop();
    }
  } finally {
    await q.delete();
  }
}
