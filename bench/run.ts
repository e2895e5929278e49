/**
 * Sidecar benchmark: figures, not assertions (docs/performance.md holds the runs).
 *
 * Side by side, in one run against one SQS emulator on 127.0.0.1 and one app: our daemon (the
 * bundle, started as the image starts it) and, when SIMPLE_SQSD_BIN names its binary,
 * simple-sqsd (the Go daemon it replaces; ElasticMQ only, as it speaks the query protocol),
 * alternating, same app, same concurrency, several rounds. Scenarios: the emulator as is,
 * and behind a proxy adding an in-region SQS round trip (15 ± 5 ms) to every call, with a
 * 0 ms and a 50 ms app; then one idle minute of each.
 *
 *   npm run bench                          quick profile (CI: fauxqs, no peer, < 3 minutes)
 *   SIMPLE_SQSD_BIN=/path/simplesqsd SQS_EMULATOR=elasticmq npm run bench -- --full
 *   npm run bench -- --only latency        one group: base, latency, idle, or an HttpConnections value
 *   npm run bench -- --ab /tmp/old.cjs     this build against an older bundle instead of the peer
 *   npm run bench -- --ours /tmp/x.cjs     a given bundle as ours instead of this source tree
 *   npm run bench -- --rounds 5 --messages 5000
 *   npm run bench -- --set ReceiveAhead=3  our daemon with a sidecar option set (repeatable)
 *   npm run bench -- --stages              where the time goes inside our daemon (bench/stages.ts)
 *   BENCH_NODE_FLAGS="--max-semi-space-size=2" BENCH_LOG_LEVEL=warn npm run bench
 *   BENCH_AB_LOG_LEVEL=warn npm run bench -- --ab dist/sqsd.cjs    the same build, logging less
 *   BENCH_AB_NODE_FLAGS="--max-semi-space-size=2" npm run bench -- --ab dist/sqsd.cjs   …or with other flags
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../sidecar/build";
import { startSqsServer } from "../test/support/sqs-server";
import { startBenchApp } from "./app";
import { COMPARE_HEADER, compare, compareRows, duplicates, type ScenarioResult } from "./compare";
import { peerSkipReason, simpleSqsd, sqsdWorker, type Contender } from "./daemons";
import { measureIdle, type IdleFigures } from "./idle";
import { warmUp, type Scenario } from "./scenario";
import { runStages } from "./stages";
import { median } from "./stats";

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** `--set Name=Value`, repeatable: sidecar options for our daemon (e.g. ReceiveAhead=3). */
function ourOptions(): Record<string, string> {
  const options: Record<string, string> = {};
  process.argv.forEach((arg, i) => {
    if (arg !== "--set") return;
    const [name, ...value] = (process.argv[i + 1] ?? "").split("=");
    if (!name || value.length === 0) throw new Error(`--set takes Name=Value (a sidecar option), got "${process.argv[i + 1] ?? ""}"`);
    options[name] = value.join("=");
  });
  return options;
}

const full = process.argv.includes("--full");
const only = flag("--only");
const rounds = Number(flag("--rounds") ?? (full ? 5 : 3));
const extraNodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const SQS_LATENCY = { meanMs: 15, jitterMs: 5 };
const IDLE_CONNECTIONS = [10, 50];

function scenarios(): Scenario[] {
  const base = Number(flag("--messages") ?? (full ? 10_000 : 2_000));
  const slow = Number(flag("--messages") ?? (full ? 3_000 : 1_000));
  const list: Array<Scenario & { group: string }> = [];
  for (const connections of [10, 50]) list.push({ group: "base", label: `HttpConnections ${connections}`, connections, appDelayMs: 0, messages: base });
  for (const connections of [10, 50]) {
    for (const appDelayMs of [0, 50]) {
      // A 50 ms app at 10 connections does 200 msg/s at most: fewer messages keep the run short.
      const appBound = appDelayMs > 0 ? (connections * 1000) / appDelayMs : Number.POSITIVE_INFINITY;
      const messages = Math.min(slow, Math.round(appBound * (full ? 8 : 4)));
      list.push({ group: "latency", label: `SQS ${SQS_LATENCY.meanMs}±${SQS_LATENCY.jitterMs} ms, HttpConnections ${connections}, app ${appDelayMs} ms`, connections, appDelayMs, latency: SQS_LATENCY, messages });
    }
  }
  return list.filter((s) => only === undefined || s.group === only || String(s.connections) === only);
}

function idleRows(figures: IdleFigures[]): string[] {
  return [
    "| idle, 60 s, empty queue | HttpConnections | receive calls / minute | receives in progress at once | per poller / minute | RSS MiB at the end | peak RSS MiB |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...figures.map((f) => `| ${f.daemon} | ${f.connections} | ${f.receivesPerMinute.toFixed(0)} | ${f.pollers} | ${(f.receivesPerMinute / Math.max(1, f.pollers)).toFixed(1)} | ${f.rssMiB.toFixed(0)} | ${f.peakRssMiB.toFixed(0)} |`),
  ];
}

/** The issue's targets, checked against the first contender and the peer, when it ran. */
function targets(results: ScenarioResult[], idle: IdleFigures[], ours: string, peer: string): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const a = r.runs.get(ours);
    const b = r.runs.get(peer);
    if (!a || !b) continue;
    const rate = median(a.map((f, i) => f.msgPerSec / b[i]!.msgPerSec));
    const cpu = median(a.map((f, i) => f.cpuPer10k / b[i]!.cpuPer10k));
    lines.push(`${r.scenario.label}: msg/s ${rate.toFixed(2)} × peer (target ≥ 1.2) ${rate >= 1.2 ? "met" : "NOT met"}; CPU/msg ${cpu.toFixed(2)} × peer (target ≤ 1.2) ${cpu <= 1.2 ? "met" : "NOT met"}`);
    if (r.scenario.connections === 50) {
      const rss = median(a.map((f) => f.peakRssMiB));
      lines.push(`${r.scenario.label}: peak RSS ${rss.toFixed(0)} MiB (target ≤ 80) ${rss <= 80 ? "met" : "NOT met"}`);
    }
  }
  for (const f of idle.filter((x) => x.daemon === ours)) {
    const perPoller = f.receivesPerMinute / Math.max(1, f.pollers);
    lines.push(`idle at ${f.connections}: RSS ${f.rssMiB.toFixed(0)} MiB (target ≤ 60) ${f.rssMiB <= 60 ? "met" : "NOT met"}; ${perPoller.toFixed(1)} receives per poller per minute (target ≤ 3) ${perPoller <= 3 ? "met" : "NOT met"}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const server = await startSqsServer();
  try {
    if (process.argv.includes("--stages")) {
      await runStages(server, { full, only, extraNodeFlags });
      return;
    }
    // This source tree, bundled as `npm run build` does; or a given build (--ours).
    const current = flag("--ours") ?? (await bundle(join(tmpdir(), `sqsd-bench-${process.pid}.cjs`)));
    const logLevel = process.env.BENCH_LOG_LEVEL;
    const options = ourOptions();
    const settings = Object.entries(options).map(([k, v]) => ` ${k}=${v}`).join("");
    const contenders: Contender[] = [sqsdWorker(`sqsd-worker${settings}`, current, { extraNodeFlags, logLevel, options })];
    const ab = flag("--ab");
    let peer: string | undefined;
    const abLogLevel = process.env.BENCH_AB_LOG_LEVEL ?? logLevel;
    const abFlags = process.env.BENCH_AB_NODE_FLAGS === undefined ? extraNodeFlags : process.env.BENCH_AB_NODE_FLAGS.split(" ").filter(Boolean);
    if (ab) contenders.push(sqsdWorker(`sqsd-worker ${ab}${abLogLevel ? ` LogLevel=${abLogLevel}` : ""}${abFlags.length ? ` ${abFlags.join(" ")}` : ""}`, ab, { extraNodeFlags: abFlags, logLevel: abLogLevel }));
    else {
      const skip = peerSkipReason(server.kind);
      if (skip) console.log(`simple-sqsd: not compared: ${skip}`);
      else {
        contenders.push(simpleSqsd(process.env.SIMPLE_SQSD_BIN!));
        peer = "simple-sqsd";
      }
    }
    console.log(
      `sqsd benchmark (${full ? "full" : "quick"} profile, ${rounds} rounds): ${server.version}, node ${process.version}${extraNodeFlags.length ? ` ${extraNodeFlags.join(" ")}` : ""}, ${process.platform}/${process.arch}; ${contenders.map((c) => c.name).join(" vs ")}`,
    );
    await warmUp(server, full ? 20_000 : 5_000);
    const rows: string[] = [];
    const results = await compare(server, contenders, scenarios(), rounds, (r) => {
      const lines = compareRows(r);
      if (rows.length === 0) console.log(COMPARE_HEADER.join("\n"));
      console.log(lines.join("\n"));
      rows.push(...lines);
      for (const d of duplicates(r)) console.log(`  note: ${d}`);
    });
    let idle: IdleFigures[] = [];
    if (only === undefined || only === "idle") {
      const app = await startBenchApp(0);
      idle = await measureIdle(server, contenders, IDLE_CONNECTIONS, app);
      await app.close();
    }
    console.log(`\n${contenders.map((c) => c.name).join(" vs ")}, ${server.version}, ${rounds} rounds (first ÷ this: ratios within a round, median and range)`);
    if (rows.length > 0) console.log([...COMPARE_HEADER, ...rows].join("\n"));
    if (idle.length > 0) console.log(`\n${idleRows(idle).join("\n")}`);
    if (peer) console.log(`\ntargets:\n${targets(results, idle, contenders[0]!.name, peer).map((l) => `- ${l}`).join("\n")}`);
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
