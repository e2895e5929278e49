/**
 * `sqsd-worker status`: one snapshot of a deployed worker. Counts come from SQS's attributes
 * (exact enough and immediate); the oldest message's age and the sidecar's outcomes from
 * CloudWatch (metrics.ts); tasks from ECS. A section that cannot be read (a missing
 * permission, throttling) shows why and sets the exit code; the queue itself must be readable.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ECSClient } from "@aws-sdk/client-ecs";
import { COUNTERS, type Counter } from "../sidecar/telemetry";
import { depthOf, type Depth } from "../local/sqs";
import { describeService, type ServiceStatus } from "./ecs";
import { explainError, type OpsError } from "./errors";
import { COUNTER_LABELS, readMetrics, type MetricsSnapshot } from "./metrics";
import type { Target } from "./target";

/** A section's value, or why it is missing. */
export type Section<T> = { ok: T } | { error: OpsError } | { skipped: string };

export interface StatusSnapshot {
  at: Date;
  queue: { name: string; url: string; depth: Depth };
  dlq?: { name: string; url: string; depth: Depth; maxReceiveCount?: number };
  tasks: Section<ServiceStatus>;
  metrics: Section<MetricsSnapshot>;
}

export interface StatusReaders {
  ecs?: ECSClient;
  /** Absent with --no-metrics. */
  cloudWatch?: CloudWatchClient;
  namespace: string;
  minutes: number;
  /** The last metrics read, reused (watch mode reads CloudWatch at most once a minute). */
  cachedMetrics?: Section<MetricsSnapshot>;
}

async function section<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: await read() };
  } catch (err) {
    return { error: explainError(err) };
  }
}

export async function readStatus(t: Target, r: StatusReaders): Promise<StatusSnapshot> {
  const at = new Date();
  const ecs = r.ecs;
  const cw = r.cloudWatch;
  const [depth, dlqDepth, tasks, metrics] = await Promise.all([
    depthOf(t.sqs, t.queue.url),
    t.dlq ? depthOf(t.sqs, t.dlq.url) : Promise.resolve(undefined),
    t.service && ecs ? section(() => describeService(ecs, t.service?.cluster ?? "", t.service?.name ?? "")) : Promise.resolve({ skipped: "unknown (pass --cluster and --service, or --stack)" }),
    r.cachedMetrics ?? (cw ? section(() => readMetrics(cw, { queueName: t.queue.name, dlqName: t.dlq?.name, namespace: r.namespace, minutes: r.minutes, end: at })) : Promise.resolve({ skipped: "not read (--no-metrics)" })),
  ]);
  return {
    at,
    queue: { ...t.queue, depth },
    dlq: t.dlq && dlqDepth ? { ...t.dlq, depth: dlqDepth, maxReceiveCount: t.maxReceiveCount } : undefined,
    tasks,
    metrics,
  };
}

/** Messages in the DLQ: visible, in flight and delayed. */
export function dlqTotal(s: StatusSnapshot): number {
  return s.dlq ? s.dlq.depth.visible + s.dlq.depth.inFlight + s.dlq.depth.delayed : 0;
}

/** "42 s", "4 min", "3 h 5 min", "2 d 1 h". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86_400)} d${s % 86_400 >= 3600 ? ` ${Math.floor((s % 86_400) / 3600)} h` : ""}`;
}

const ms = (v: number | undefined) => (v === undefined ? "?" : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

function why<T>(s: Section<T>): string {
  return "error" in s ? `unavailable: ${s.error.message}` : "skipped" in s ? s.skipped : "";
}

function age(a: { seconds: number; at: Date } | undefined, minutes: number): string {
  return a ? `${duration(a.seconds)} (CloudWatch, minute of ${a.at.toISOString().slice(11, 16)} UTC)` : `no CloudWatch data in the last ${Math.max(minutes, 15)} min`;
}

function outcomes(m: MetricsSnapshot, keys: readonly Counter[]): string {
  return keys.map((k) => `${COUNTER_LABELS[k]} ${m.counts[k]}`).join(", ");
}

/** The full status: `name: value` lines, unindented, for people and for grep. */
export function statusLines(s: StatusSnapshot): string[] {
  const d = s.queue.depth;
  const lines = [`queue: ${s.queue.name}  ${d.visible} visible, ${d.inFlight} in flight, ${d.delayed} delayed`];
  const m = "ok" in s.metrics ? s.metrics.ok : undefined;
  lines.push(`oldest message: ${m ? age(m.oldestAge, m.minutes) : why(s.metrics)}`);
  if (s.dlq) {
    const retries = s.dlq.maxReceiveCount !== undefined ? ` (maxReceiveCount ${s.dlq.maxReceiveCount})` : "";
    const oldest = m?.dlqOldestAge && dlqTotal(s) > 0 ? `, oldest ${duration(m.dlqOldestAge.seconds)}` : "";
    lines.push(`dlq: ${s.dlq.name}  ${dlqTotal(s)} message(s)${oldest}${retries}`);
  } else lines.push("dlq: none (the queue has no RedrivePolicy)");
  if ("ok" in s.tasks) {
    const t = s.tasks.ok;
    const rollout = t.deployments > 1 ? `; rollout ${t.rollout ?? "in progress"}` : t.rollout && t.rollout !== "COMPLETED" ? `; rollout ${t.rollout}` : "";
    lines.push(`tasks: ${t.running} running, ${t.desired} desired, ${t.pending} pending (service ${t.service}, cluster ${t.cluster}${rollout})`);
  } else lines.push(`tasks: ${why(s.tasks)}`);
  if (m) {
    lines.push(`sidecar, last ${m.minutes} min: ${outcomes(m, COUNTERS)}`);
    lines.push(`latency, last ${m.minutes} min: p50 ${ms(m.latencyMs.p50)}, p99 ${ms(m.latencyMs.p99)}`);
  } else lines.push(`sidecar: ${why(s.metrics)}`);
  return lines;
}

/** The one-line form for --watch (printed when it changes). */
export function watchLine(s: StatusSnapshot): string {
  const d = s.queue.depth;
  const parts = [`queue ${d.visible} visible, ${d.inFlight} in flight${d.delayed ? `, ${d.delayed} delayed` : ""}`];
  const m = "ok" in s.metrics ? s.metrics.ok : undefined;
  if (m?.oldestAge) parts.push(`oldest ${duration(m.oldestAge.seconds)}`);
  parts.push(s.dlq ? `dlq ${dlqTotal(s)}` : "no dlq");
  if ("ok" in s.tasks) parts.push(`tasks ${s.tasks.ok.running}/${s.tasks.ok.desired}`);
  else if ("error" in s.tasks) parts.push("tasks ?");
  if (m) parts.push(`${m.minutes} min: ${outcomes(m, ["Succeeded", "Failed", "TimedOut", "DeadLettered"])}`);
  else if ("error" in s.metrics) parts.push("metrics ?");
  return parts.join(" | ");
}

/** The first section error's exit code (0 when every section read). */
export function sectionExitCode(s: StatusSnapshot): number {
  for (const x of [s.tasks, s.metrics]) if ("error" in x) return x.error.exitCode;
  return 0;
}

/** The snapshot as JSON (--json): errors as their exit code and line. */
export function statusJson(s: StatusSnapshot): string {
  const plain = <T>(x: Section<T>) => ("error" in x ? { error: { exitCode: x.error.exitCode, message: x.error.message } } : x);
  return JSON.stringify({ ...s, tasks: plain(s.tasks), metrics: plain(s.metrics) });
}
