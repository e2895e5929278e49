/**
 * Sidecar benchmark: figures, not assertions. In one run, against one SQS emulator on
 * 127.0.0.1 and a no-op HTTP app, for several HttpConnections values:
 *   limit   = msg/s of a bare receive(10) + delete-batch loop with the SDK (no HTTP hop),
 *             with as many loops as the sidecar's pollers;
 *   sidecar = msg/s end to end through the sidecar, and sidecar/limit;
 *   added latency p50/p99: received → request started, app's answer → delete call sent, and
 *   (including the SQS call) app's answer → delete accepted;
 *   the sidecar's peak RSS and CPU seconds per 10,000 messages (it runs in its own process);
 *   idle cost: receive calls per minute against an empty queue.
 *
 *   npm run bench                      quick profile (CI)
 *   npm run bench -- --full            the full profile (more messages, 60 s idle window)
 *   npm run bench -- --only 50         one HttpConnections value (or "idle": the idle window)
 *   SQS_EMULATOR=elasticmq npm run bench
 *   BENCH_NODE_FLAGS="--max-semi-space-size=2" npm run bench   try Node/V8 flags on the sidecar
 *   BENCH_DEBUG_MEM=1 npm run bench -- --only 50              peak heap spaces and call counts
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { bundle } from "../sidecar/build";
import { SIDECAR_NODE_FLAGS } from "../sidecar/node-flags";
import { startSqsServer, type SqsServer } from "../test/support/sqs-server";
import type { RunnerResult } from "./sidecar-runner";

interface Scenario {
  connections: number;
  appDelayMs: number;
  messages: number;
}

const full = process.argv.includes("--full");
const onlyAt = process.argv.indexOf("--only");
/** `--only 50`: that HttpConnections value alone; `--only idle`: the idle window alone. */
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
/** The sidecar runs with the image's Node flags, then any given in BENCH_NODE_FLAGS. */
const nodeFlags = [...SIDECAR_NODE_FLAGS, ...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean)];
const MESSAGES = full ? 20_000 : 3_000;
const SCENARIOS: Scenario[] = [
  { connections: 1, appDelayMs: 0, messages: full ? 5_000 : 1_000 },
  { connections: 10, appDelayMs: 0, messages: MESSAGES },
  { connections: 50, appDelayMs: 0, messages: MESSAGES },
  { connections: 100, appDelayMs: 0, messages: MESSAGES },
  { connections: 50, appDelayMs: 50, messages: MESSAGES },
];
// A whole minute: with a 20 s long poll, calls start at 0, 20 and 40 s.
const IDLE_MS = 59_000;

/** The most pollers the sidecar runs at this concurrency (see sidecar/poller.ts). */
function pollersFor(connections: number): number {
  return Math.min(11, Math.ceil(connections / 10) + 1);
}

async function fill(sqs: SQSClient, queueUrl: string, n: number): Promise<void> {
  let next = 0;
  const body = JSON.stringify({ job: "bench", payload: "x".repeat(200) });
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < n) {
        const count = Math.min(10, n - next);
        next += count;
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: Array.from({ length: count }, (_, i) => ({ Id: `m${i}`, MessageBody: body })) }));
      }
    }),
  );
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

async function noopApp(delayMs: number): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => (delayMs > 0 ? setTimeout(() => res.end("ok"), delayMs) : res.end("ok")));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return server;
}

async function runSidecar(runner: string, env: Record<string, string>): Promise<RunnerResult> {
  const child = spawn(process.execPath, [...nodeFlags, runner], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  const line = out.split("\n").find((l) => l.startsWith("BENCH "));
  if (code !== 0 || !line) throw new Error(`sidecar runner failed (exit ${code}):\n${out.slice(-2000)}`);
  return JSON.parse(line.slice(6)) as RunnerResult;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const f1 = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const runner = await bundle(join(tmpdir(), `sqsd-bench-runner-${process.pid}.cjs`), join(__dirname, "sidecar-runner.ts"));
  const server: SqsServer = await startSqsServer();
  console.log(`sqsd benchmark (${full ? "full" : "quick"} profile): ${server.version}, node ${process.version} ${nodeFlags.join(" ")}, ${process.platform}/${process.arch}`);
  const baseEnv = (queueUrl: string, app: Server, connections: number): Record<string, string> => ({
    WorkerQueueURL: queueUrl,
    Endpoint: server.endpoint,
    Region: server.region,
    HttpUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/`,
    HttpConnections: String(connections),
    StatusPort: "0",
    LogLevel: "warn",
    Metrics: "true",
    MetricsInterval: "60",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  const rows: string[] = [];
  for (const s of SCENARIOS.filter((x) => only === undefined || (String(x.connections) === only && x.appDelayMs === 0))) {
    const app = await noopApp(s.appDelayMs);
    const q1 = await server.createQueue({ name: "bench-limit" });
    await fill(server.client, q1.url, s.messages);
    const lim = await limit(server.client, q1.url, s.messages, pollersFor(s.connections));
    await q1.delete();
    const q2 = await server.createQueue({ name: "bench-sidecar" });
    await fill(server.client, q2.url, s.messages);
    const r = await runSidecar(runner, { ...baseEnv(q2.url, app, s.connections), WaitTime: "1", BENCH_EXPECT: String(s.messages) });
    await q2.delete();
    app.close();
    const rate = r.delivered / r.seconds;
    const label = `HttpConnections ${s.connections}${s.appDelayMs ? `, app ${s.appDelayMs} ms` : ""}`;
    rows.push(
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
    console.log(rows[rows.length - 1]);
  }
  if (only !== undefined && only !== "idle") {
    await server.stop();
    process.exit(0);
  }
  const app = await noopApp(0);
  const q = await server.createQueue({ name: "bench-idle" });
  const idle = await runSidecar(runner, { ...baseEnv(q.url, app, 50), WaitTime: "20", BENCH_IDLE_MS: String(IDLE_MS) });
  app.close();
  const perMinute = (idle.receiveCalls / (IDLE_MS / 1000)) * 60;
  console.log(`idle: ${idle.receiveCalls} receive calls in ${IDLE_MS / 1000} s with ${idle.pollers} poller(s) = ${f1(perMinute / Math.max(1, idle.pollers))} per poller per minute; peak RSS ${f1(idle.peakRssMiB)} MiB`);
  await server.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
