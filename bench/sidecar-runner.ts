/**
 * One sidecar, in its own process so its RSS and CPU are its own: runs the real Daemon
 * until `expect` messages have been delivered (or for `idleMs` against an empty queue),
 * then prints one JSON line of figures on stdout and exits.
 *
 * Env: the sidecar's own options, plus BENCH_EXPECT (messages to wait for) or BENCH_IDLE_MS;
 * BENCH_DEBUG_MEM=1 also prints, on stderr, the peak of each V8 heap space and the call counts.
 */
import { getHeapSpaceStatistics } from "node:v8";
import { loadConfig } from "../sidecar/config";
import { Daemon } from "../sidecar/daemon";
import { createLogger, type StageTimings } from "../sidecar/telemetry";
import { peakRssMiB } from "./proc-stats";

export interface RunnerResult {
  delivered: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  receiveCalls: number;
  deleteCalls: number;
  pollers: number;
  toRequest: number[];
  toDeleteSent: number[];
  toDelete: number[];
  /** process.memoryUsage() at the end, in MiB. */
  memory: Record<string, number>;
}

const debugMemory = Boolean(process.env.BENCH_DEBUG_MEM);
const peak: Record<string, number> = {};
function samplePeak(): void {
  const mu = process.memoryUsage() as unknown as Record<string, number>;
  for (const [k, v] of Object.entries(mu)) peak[k] = Math.max(peak[k] ?? 0, Math.round(v / 1048576));
  for (const sp of getHeapSpaceStatistics()) peak[sp.space_name] = Math.max(peak[sp.space_name] ?? 0, Math.round(sp.physical_space_size / 1048576));
}

async function main(): Promise<void> {
  const expect = Number(process.env.BENCH_EXPECT ?? "0");
  const idleMs = Number(process.env.BENCH_IDLE_MS ?? "0");
  const cfg = loadConfig({}, process.env);
  const timings: StageTimings = { toRequest: [], toDeleteSent: [], toDelete: [] };
  const daemon = new Daemon(cfg, createLogger(cfg.logLevel), { timings });
  let delivered = 0;
  daemon.on("delivered", () => delivered++);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await daemon.start();
  let maxPollers = 0;
  if (idleMs > 0) {
    const end = Date.now() + idleMs;
    while (Date.now() < end) {
      maxPollers = Math.max(maxPollers, daemon.snapshot().pollers);
      await new Promise((r) => setTimeout(r, 50));
    }
  } else {
    while (delivered < expect || timings.toDelete.length < expect) {
      maxPollers = Math.max(maxPollers, daemon.snapshot().pollers);
      if (debugMemory) samplePeak();
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  // With --expose-gc, memory below is what is really retained, not garbage awaiting collection.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage(cpu0);
  const result: RunnerResult = {
    delivered,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: peakRssMiB("self"),
    receiveCalls: daemon.receiveCalls,
    deleteCalls: daemon.batchCalls.delete,
    pollers: maxPollers,
    toRequest: timings.toRequest,
    toDeleteSent: timings.toDeleteSent,
    toDelete: timings.toDelete,
    memory: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 104857.6) / 10])),
  };
  if (debugMemory) console.error(JSON.stringify({ ...peak, deleteCalls: daemon.batchCalls.delete, receiveCalls: daemon.receiveCalls }));
  await daemon.stop("benchmark done");
  // Exit only once the (large) line is flushed: a pipe write is asynchronous.
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`, () => process.exit(0));
}

void main();
