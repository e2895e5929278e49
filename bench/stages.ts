/**
 * Where the time goes inside our daemon (`npm run bench -- --stages`): per HttpConnections
 * value, the bare SDK loop's rate (what the emulator can do with no HTTP hop), the sidecar's
 * rate end to end and the ratio, and per-message stage latencies measured inside the daemon
 * (bench/sidecar-runner.ts): received → request started, app's answer → delete sent, and
 * app's answer → delete accepted.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../sidecar/build";
import { SIDECAR_NODE_FLAGS } from "../sidecar/node-flags";
import type { SqsServer } from "../test/support/sqs-server";
import { startBenchApp, type BenchApp } from "./app";
import { fill } from "./scenario";
import type { RunnerResult } from "./sidecar-runner";
import { pct } from "./stats";

interface StageScenario {
  connections: number;
  appDelayMs: number;
  messages: number;
}

/** The most pollers the sidecar runs at this concurrency (see sidecar/poller.ts). */
function pollersFor(connections: number): number {
  return Math.min(11, Math.ceil(connections / 10) + 1);
}

/** Messages/second of the bare SDK loop: the most this emulator can do on this machine. */
async function limit(sqs: SQSClient, queueUrl: string, n: number, loops: number): Promise<number> {
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (done < n) {
        const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }));
        const msgs = res.Messages ?? [];
        if (msgs.length === 0) continue;
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
        done += msgs.length;
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

async function runSidecar(runner: string, nodeFlags: readonly string[], env: Record<string, string>): Promise<RunnerResult> {
  const child = spawn(process.execPath, [...nodeFlags, runner], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  const line = out.split("\n").find((l) => l.startsWith("BENCH "));
  if (code !== 0 || !line) throw new Error(`sidecar runner failed (exit ${code}):\n${out.slice(-2000)}`);
  return JSON.parse(line.slice(6)) as RunnerResult;
}

const f1 = (n: number) => n.toFixed(1);

export async function runStages(server: SqsServer, opts: { full: boolean; only?: string; extraNodeFlags: readonly string[] }): Promise<void> {
  const runner = await bundle(join(tmpdir(), `sqsd-bench-runner-${process.pid}.cjs`), join(__dirname, "sidecar-runner.ts"));
  const nodeFlags = [...SIDECAR_NODE_FLAGS, ...opts.extraNodeFlags];
  const n = opts.full ? 20_000 : 3_000;
  const scenarios: StageScenario[] = [
    { connections: 1, appDelayMs: 0, messages: opts.full ? 5_000 : 1_000 },
    { connections: 10, appDelayMs: 0, messages: n },
    { connections: 50, appDelayMs: 0, messages: n },
    { connections: 100, appDelayMs: 0, messages: n },
    { connections: 50, appDelayMs: 50, messages: n },
  ];
  const env = (queueUrl: string, app: BenchApp, connections: number): Record<string, string> => ({
    WorkerQueueURL: queueUrl,
    Endpoint: server.endpoint,
    Region: server.region,
    HttpUrl: app.url,
    HttpConnections: String(connections),
    StatusPort: "0",
    LogLevel: "warn",
    Metrics: "true",
    MetricsInterval: "60",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  console.log(`\nstages (inside our daemon, LogLevel=warn), node ${nodeFlags.join(" ")}`);
  for (const s of scenarios.filter((x) => opts.only === undefined || (String(x.connections) === opts.only && x.appDelayMs === 0))) {
    const app = await startBenchApp(s.appDelayMs);
    const q1 = await server.createQueue({ name: "bench-limit" });
    await fill(server.client, q1.url, s.messages);
    const lim = await limit(server.client, q1.url, s.messages, pollersFor(s.connections));
    await q1.delete();
    const q2 = await server.createQueue({ name: "bench-sidecar" });
    await fill(server.client, q2.url, s.messages);
    const r = await runSidecar(runner, nodeFlags, { ...env(q2.url, app, s.connections), WaitTime: "1", BENCH_EXPECT: String(s.messages) });
    await q2.delete();
    await app.close();
    const rate = r.delivered / r.seconds;
    const label = `HttpConnections ${s.connections}${s.appDelayMs ? `, app ${s.appDelayMs} ms` : ""}`;
    console.log(
      [
        label.padEnd(30),
        `limit ${f1(lim).padStart(7)} msg/s`,
        `sidecar ${f1(rate).padStart(7)} msg/s`,
        `ratio ${(rate / lim).toFixed(2)}`,
        `recv→req p50/p99 ${f1(pct(r.toRequest, 50))}/${f1(pct(r.toRequest, 99))} ms`,
        `200→delete sent p50/p99 ${f1(pct(r.toDeleteSent, 50))}/${f1(pct(r.toDeleteSent, 99))} ms`,
        `200→delete accepted p50/p99 ${f1(pct(r.toDelete, 50))}/${f1(pct(r.toDelete, 99))} ms`,
        `peak RSS ${f1(r.peakRssMiB)} MiB`,
        `CPU ${f1((r.cpuSeconds / r.delivered) * 10_000)} s/10k msgs`,
        `pollers ${r.pollers}`,
      ].join(" | "),
    );
  }
}
