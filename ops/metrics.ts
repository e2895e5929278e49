/**
 * What CloudWatch knows that SQS's attributes do not: the age of the oldest message (SQS's
 * ApproximateAgeOfOldestMessage metric, per minute) and the sidecar's outcomes, from the EMF
 * lines it writes (sidecar/telemetry.ts: its namespace, one dimension QueueName = the queue's
 * name, the COUNTERS and RequestLatency). One GetMetricData call reads them all.
 */
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { optionSpec } from "../sidecar/options";
import { COUNTERS, type Counter } from "../sidecar/telemetry";

/** The sidecar's default namespace: its option table's, so the two cannot drift. */
export const DEFAULT_NAMESPACE = optionSpec("MetricsNamespace").default as string;
/** The one dimension the sidecar's EMF lines carry. */
export const SIDECAR_DIMENSION = "QueueName";
/** The latency metric of the EMF lines. */
export const LATENCY_METRIC = "RequestLatency";

/** How each counter reads in the status (a counter added to the sidecar must be named here). */
export const COUNTER_LABELS: Record<Counter, string> = {
  Received: "received",
  Succeeded: "delivered",
  Failed: "failed",
  TimedOut: "timed out",
  DeadLettered: "dead-lettered",
  Released: "released",
  Expired: "expired",
};

export interface MetricsRequest {
  queueName: string;
  dlqName?: string;
  namespace: string;
  /** The outcome window, in minutes (whole). */
  minutes: number;
  end: Date;
}

export interface MetricsSnapshot {
  /** Seconds, with the minute it was measured; undefined when CloudWatch has no point. */
  oldestAge?: { seconds: number; at: Date };
  dlqOldestAge?: { seconds: number; at: Date };
  minutes: number;
  counts: Record<Counter, number>;
  latencyMs: { p50?: number; p99?: number };
}

/** SQS's own metrics are per queue too, under the same dimension name. */
const SQS_NAMESPACE = "AWS/SQS";
const SQS_DIMENSION = "QueueName";

function stat(id: string, metric: { namespace: string; name: string; dimension: string; queue: string }, period: number, statName: string): MetricDataQuery {
  const Dimensions = [{ Name: metric.dimension, Value: metric.queue }];
  return { Id: id, MetricStat: { Metric: { Namespace: metric.namespace, MetricName: metric.name, Dimensions }, Period: period, Stat: statName }, ReturnData: true };
}

const sqsAge = (queue: string) => ({ namespace: SQS_NAMESPACE, name: "ApproximateAgeOfOldestMessage", dimension: SQS_DIMENSION, queue });
const sidecar = (r: MetricsRequest, name: string) => ({ namespace: r.namespace, name, dimension: SIDECAR_DIMENSION, queue: r.queueName });

/** The age of the oldest message (queue and DLQ), per minute: the latest point wins. */
export function ageQueries(r: MetricsRequest): MetricDataQuery[] {
  const queries = [stat("age", sqsAge(r.queueName), 60, "Maximum")];
  if (r.dlqName) queries.push(stat("dlqage", sqsAge(r.dlqName), 60, "Maximum"));
  return queries;
}

/** The sidecar's counters and latency percentiles, one period as long as the window. */
export function outcomeQueries(r: MetricsRequest): MetricDataQuery[] {
  const window = r.minutes * 60;
  const queries = COUNTERS.map((c) => stat(`c${c.toLowerCase()}`, sidecar(r, c), window, "Sum"));
  queries.push(stat("p50", sidecar(r, LATENCY_METRIC), window, "p50"), stat("p99", sidecar(r, LATENCY_METRIC), window, "p99"));
  return queries;
}

type Series = Map<string, { values: number[]; times: Date[] }>;

/** GetMetricData over every page, newest point first. */
async function query(cw: CloudWatchClient, queries: MetricDataQuery[], start: Date, end: Date): Promise<Series> {
  const results: Series = new Map();
  let token: string | undefined;
  do {
    const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampDescending", NextToken: token }));
    for (const m of out.MetricDataResults ?? []) {
      const prev = results.get(m.Id ?? "") ?? { values: [], times: [] };
      results.set(m.Id ?? "", { values: [...prev.values, ...(m.Values ?? [])], times: [...prev.times, ...(m.Timestamps ?? [])] });
    }
    token = out.NextToken;
  } while (token);
  return results;
}

export async function readMetrics(cw: CloudWatchClient, r: MetricsRequest): Promise<MetricsSnapshot> {
  const ago = (minutes: number) => new Date(r.end.getTime() - minutes * 60_000);
  // SQS publishes the age once a minute, a few minutes late: look back at least 15 minutes.
  const [ages, outcomes] = await Promise.all([query(cw, ageQueries(r), ago(Math.max(r.minutes, 15)), r.end), query(cw, outcomeQueries(r), ago(r.minutes), r.end)]);
  const latest = (id: string) => {
    const v = ages.get(id)?.values[0];
    const at = ages.get(id)?.times[0];
    return v === undefined || !at ? undefined : { seconds: v, at };
  };
  const sum = (id: string) => (outcomes.get(id)?.values ?? []).reduce((a, v) => a + v, 0);
  return {
    oldestAge: latest("age"),
    dlqOldestAge: r.dlqName ? latest("dlqage") : undefined,
    minutes: r.minutes,
    counts: Object.fromEntries(COUNTERS.map((c) => [c, sum(`c${c.toLowerCase()}`)])) as Record<Counter, number>,
    latencyMs: { p50: outcomes.get("p50")?.values[0], p99: outcomes.get("p99")?.values[0] },
  };
}
