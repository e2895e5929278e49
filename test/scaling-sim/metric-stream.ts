/**
 * A CloudWatch metric as the alarms see it: one datapoint per publishing interval, stamped with
 * the start of that interval and visible only once published.
 * - SQS: "CloudWatch metrics for your Amazon SQS queues are automatically collected and pushed
 *   to CloudWatch at one-minute intervals" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-monitoring-using-cloudwatch.html;
 *   older versions of that page said every five minutes, so both granularities are modelled).
 * - Container Insights: RunningTaskCount / DesiredTaskCount per service, one datapoint a minute
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html).
 * Neither page promises when a datapoint arrives; the delay is a scenario setting, and so are
 * datapoints that never arrive.
 */
import type { Series } from "./metric-math";

export interface Publishing {
  /** Seconds each datapoint covers: 60, or 300 for SQS as older docs describe it. */
  readonly granularity: number;
  /** Seconds after the end of its interval that the datapoint stamped `timestamp` arrives. */
  readonly delay: (timestamp: number) => number;
  /** Datapoints that never arrive. */
  readonly missing?: (timestamp: number) => boolean;
}

export const onTime: Publishing = { granularity: 60, delay: () => 0 };

interface Datapoint {
  readonly timestamp: number;
  readonly value: number;
  readonly publishedAt: number;
}

export class MetricStream {
  private readonly points: Datapoint[] = [];

  constructor(private readonly publishing: Publishing) {}

  /** Called every second with the value now; samples at the end of each interval. */
  tick(now: number, value: () => number | undefined): void {
    const g = this.publishing.granularity;
    if ((now + 1) % g !== 0) return;
    const timestamp = now + 1 - g;
    if (this.publishing.missing?.(timestamp)) return;
    const v = value();
    if (v === undefined) return;
    this.points.push({ timestamp, value: v, publishedAt: timestamp + g + this.publishing.delay(timestamp) });
  }

  /** The datapoints stamped in [from, to) that have arrived by `now`. */
  query(from: number, to: number, now: number): Series {
    const out = new Map<number, number>();
    for (const p of this.points) if (p.timestamp >= from && p.timestamp < to && p.publishedAt <= now) out.set(p.timestamp, p.value);
    return out;
  }
}
