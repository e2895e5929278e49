/**
 * Running `sqsd-worker status`: once (lines or --json, --check for scripts), or --watch:
 * the full status, then a time-stamped line whenever it changes, like local mode's live
 * view, until Ctrl-C. CloudWatch is read at most once a minute while watching: its points
 * are per minute, and every metric read is billed.
 */
import type { CliIo } from "../local/cli-io";
import { stampedLine } from "../local/live-view";
import { cloudWatchClient, ecsClient } from "./clients";
import { EXIT, explainError, OpsError } from "./errors";
import { dlqTotal, readStatus, sectionExitCode, statusJson, statusLines, watchLine, type StatusReaders } from "./status";
import { resolveTarget, type Target, type TargetFlags } from "./target";

export interface StatusFlags extends TargetFlags {
  minutes: number;
  metricsNamespace: string;
  metrics: boolean;
  watch?: boolean;
  interval: number;
  check?: boolean;
  json?: boolean;
}

const METRICS_EVERY_MS = 60_000;

export async function runStatus(f: StatusFlags, io: CliIo): Promise<number> {
  if (f.watch && (f.check || f.json)) throw new OpsError(EXIT.usage, "--watch runs until Ctrl-C: it does not go with --check or --json");
  const t = await resolveTarget(f);
  const readers: StatusReaders = {
    ecs: t.service ? ecsClient(t.aws) : undefined,
    cloudWatch: f.metrics ? cloudWatchClient(t.aws) : undefined,
    namespace: f.metricsNamespace,
    minutes: f.minutes,
  };
  try {
    return f.watch ? await watch(t, readers, f.interval * 1000, io) : await once(t, readers, f, io);
  } finally {
    t.sqs.destroy();
    readers.ecs?.destroy();
    readers.cloudWatch?.destroy();
  }
}

async function once(t: Target, readers: StatusReaders, f: StatusFlags, io: CliIo): Promise<number> {
  const s = await readStatus(t, readers);
  if (f.json) io.out(statusJson(s));
  else for (const line of statusLines(s)) io.out(line);
  const failed = sectionExitCode(s);
  if (failed !== 0) return failed;
  if (!f.check) return EXIT.ok;
  const n = dlqTotal(s);
  if (!f.json) io.out(n > 0 ? `check: failed: dead-letter queue ${s.dlq?.name} has ${n} message(s)` : `check: ok (${s.dlq ? "dead-letter queue empty" : "no dead-letter queue"})`);
  return n > 0 ? EXIT.check : EXIT.ok;
}

async function watch(t: Target, readers: StatusReaders, intervalMs: number, io: CliIo): Promise<number> {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    let s = await readStatus(t, readers);
    for (const line of statusLines(s)) io.out(line);
    let metricsAt = Date.now();
    let last = watchLine(s);
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), intervalMs)));
      const done = await Promise.race([tick, stopped.then(() => true)]);
      clearTimeout(timer);
      if (done) return EXIT.ok;
      const fresh = Date.now() - metricsAt >= METRICS_EVERY_MS;
      try {
        s = await readStatus(t, { ...readers, cachedMetrics: fresh ? undefined : s.metrics });
      } catch (err) {
        const e = explainError(err);
        // A passing problem (throttling, the network) is shown and the watch goes on.
        if (e.exitCode !== EXIT.throttled && e.exitCode !== EXIT.failed) throw e;
        io.out(stampedLine("error", e.message));
        continue;
      }
      if (fresh) metricsAt = Date.now();
      const line = watchLine(s);
      if (line !== last) io.out(stampedLine("status", line));
      last = line;
    }
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
