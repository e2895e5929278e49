/**
 * Load: FAULTS_LOAD_MESSAGES messages (default 50,000) through the shipped bundle, run as the
 * image runs it (SIDECAR_NODE_FLAGS), at HttpConnections=100, on a dedicated fauxqs server
 * (ElasticMQ on two CPUs is several times slower). The app takes APP_DELAY_MS per request, so
 * the daemon really holds 50-100 requests in flight (an instant app never has more than a
 * few: the memory bound would be measured at concurrency 1). The daemon's RSS is sampled
 * from /proc/<pid>/status the whole time and must stay bounded; every message is accounted for.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "../../sidecar/build";
import { SIDECAR_NODE_FLAGS } from "../../sidecar/node-flags";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv } from "../support/daemon";
import { startSidecarProcess, type SidecarProcess } from "../support/sidecar-process";
import { startSqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { Ledger } from "./ledger";

const N = Number(process.env.FAULTS_LOAD_MESSAGES ?? 50_000);
/**
 * 155 MiB measured here at 50,000 messages (idle: 72). A leak of 1 KiB per message would pass
 * 200 MiB. No heap cap: the bound holds for the settings users run.
 */
const RSS_LIMIT_MIB = 200;
/**
 * Per request. In flight ≈ throughput × delay (Little's law): 200 ms keeps 100 connections
 * busy up to 500 msg/s, and still 50 in flight at 250 msg/s (below that the run would not
 * settle in time anyway).
 */
const APP_DELAY_MS = 200;
/** The run must reach this many requests in flight at once, or it did not test load. */
const MIN_IN_FLIGHT = 50;
/** Extra NODE_OPTIONS for the daemon, to try heap settings; none by default. */
const NODE_OPTIONS = process.env.FAULTS_LOAD_NODE_OPTIONS ?? "";
/** How the daemon's Node runs, for the test's title and summary line. */
const NODE_FLAGS_TEXT = [...SIDECAR_NODE_FLAGS, NODE_OPTIONS].join(" ").trim();

function rssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

describe("faults: load", function () {
  let server: SqsServer;
  let queue: TestQueue;
  let app: TestApp;
  let proc: SidecarProcess | undefined;

  after(async () => {
    await proc?.stop(5000);
    await app?.close();
    await server?.stop();
  });

  it(`${N} messages at HttpConnections=100 on a dedicated fauxqs server (node ${NODE_FLAGS_TEXT}): all processed once, peak RSS < ${RSS_LIMIT_MIB} MiB`, async function () {
    this.timeout(360_000);
    assert.ok(Number.isInteger(N) && N > 0, `FAULTS_LOAD_MESSAGES=${process.env.FAULTS_LOAD_MESSAGES} is not a positive integer`);
    const t0 = Date.now();
    server = await startSqsServer({ kind: "fauxqs" });
    queue = await server.createQueue({ maxReceiveCount: 5 });
    const ledger = new Ledger("load");
    // Request bodies are not kept beyond the ledger's counts.
    app = await startApp(ledger.behaviour(() => ({ status: 200, delayMs: APP_DELAY_MS })));
    const entry = await bundle(join(tmpdir(), `sqsd-load-${process.pid}.cjs`));
    proc = startSidecarProcess({
      entry,
      nodeFlags: SIDECAR_NODE_FLAGS,
      env: daemonEnv(server, queue, app.url, { HttpConnections: "100", VisibilityTimeout: "60", MaxRetries: "5", WaitTime: "2", LogLevel: "warn", ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}) }),
    });
    const pid = proc.pid;
    assert.ok(pid, "daemon started");
    let peak = 0;
    let samples = 0;
    let inFlightAtPeak = 0;
    /** Requests in flight at each sample while the app was busy. */
    const busy: number[] = [];
    const sample = () => {
      const kib = rssKiB(pid);
      const inFlight = app.inFlight();
      if (inFlight > 0) busy.push(inFlight);
      if (kib !== undefined) {
        if (kib > peak) inFlightAtPeak = inFlight;
        peak = Math.max(peak, kib);
        samples++;
      }
    };
    const sampler = setInterval(sample, 200);
    await new Promise((r) => setTimeout(r, 3000));
    sample();
    const baselineMiB = Math.round(peak / 1024);
    try {
      const tSend = Date.now();
      await ledger.send(server.client, queue.url, ledger.messages(N, 64), 8);
      const sendSeconds = (Date.now() - tSend) / 1000;
      const settled = await ledger.settle(queue, 240_000, 500);
      const runSeconds = (Date.now() - tSend) / 1000;
      sample();
      const exit = proc.stop(10_000);
      assert.deepEqual(await exit, { code: 0, signal: null }, proc.stderr().slice(-2000));
      proc = undefined;
      await ledger.collect(queue);
      const peakMiB = Math.round(peak / 1024);
      const sortedBusy = [...busy].sort((a, b) => a - b);
      const medianInFlight = sortedBusy[Math.floor(sortedBusy.length / 2)] ?? 0;
      console.log(
        ledger.summary({
          emulator: server.version,
          sendSeconds: sendSeconds.toFixed(1),
          runSeconds: runSeconds.toFixed(1),
          throughputPerS: Math.round(N / runSeconds),
          baselineRssMiB: baselineMiB,
          peakRssMiB: peakMiB,
          nodeFlags: NODE_FLAGS_TEXT,
          rssSamples: samples,
          appMaxInFlight: app.maxInFlight(),
          medianInFlight,
          inFlightAtPeakRss: inFlightAtPeak,
          totalSeconds: ((Date.now() - t0) / 1000).toFixed(1),
        }),
      );
      assert.ok(settled, `settled within 240 s (${ledger.outstanding().length} outstanding)`);
      ledger.assertAllAccounted({ expectDlq: [] });
      assert.ok(samples > 5, "RSS was sampled");
      assert.ok(peakMiB < RSS_LIMIT_MIB, `peak RSS ${peakMiB} MiB < ${RSS_LIMIT_MIB} MiB`);
      assert.ok(app.maxInFlight() <= 100, `never more than HttpConnections in flight (${app.maxInFlight()})`);
      // The memory bound holds under load: the daemon held at least MIN_IN_FLIGHT requests at
      // once, and for most of the run (the median of the busy samples), not in one burst.
      assert.ok(app.maxInFlight() >= MIN_IN_FLIGHT, `reached ${MIN_IN_FLIGHT} requests in flight (max ${app.maxInFlight()})`);
      assert.ok(medianInFlight >= MIN_IN_FLIGHT, `${MIN_IN_FLIGHT}+ requests in flight for most of the run (median ${medianInFlight} over ${busy.length} samples)`);
    } finally {
      clearInterval(sampler);
    }
  });
});
