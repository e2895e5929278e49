/**
 * The environment's CloudWatch dashboard (`dashboard`, on by default): queue depth, age of the
 * oldest message, dead letters, running and desired tasks, the scaling metric against its target,
 * and the sidecar's outcomes and latency. See docs/operating.md#dashboard.
 *
 * The body is built by a pure function (dashboardBody) from plain names. Nothing in it is a copy:
 * the backlog-per-task metric math and its target are scalingDefinition's (the object scaling.ts
 * deploys); the sidecar's namespace and dimension value are what the daemon's own config parser
 * (sidecar/config.ts) makes of the environment the component gives its container; the counters are
 * typed by the sidecar's Counter. test/component/dashboard.test.ts compares the widgets with an
 * EMF line written by the sidecar's Metrics (sidecar/telemetry.ts).
 *
 * Tags: the AWS provider's Dashboard resource takes none, so `tags` do not reach the dashboard.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig } from "../sidecar/config";
import type { Counter } from "../sidecar/telemetry";
import { oldestMessageAgeAlarm } from "./alarms";
import type { WorkerEnvironmentArgs } from "./args";
import { dashboardName } from "./names";
import { queueNameFromArn } from "./queue";
import { scalingDefinition, type BacklogPolicyDefinition, type ScalingMetric } from "./scaling-math";
import { sidecarEnvironment } from "./sidecar-env";
import type { Settings } from "./validation";

/** One metric's rendering properties in a widget. */
export interface MetricOptions {
  readonly id?: string;
  readonly label?: string;
  readonly stat?: string;
  readonly visible?: boolean;
}

/** A metric: namespace, metric name, dimension name and value pairs, then its options. */
export type MetricRow = [...string[], MetricOptions];

/** A metric-math expression over the rows' ids. */
export type ExpressionRow = [{ readonly expression: string; readonly id: string; readonly label?: string; readonly visible?: boolean }];

export interface MetricProperties {
  readonly title: string;
  readonly region: string;
  readonly view: "timeSeries";
  readonly stacked: boolean;
  readonly period: number;
  readonly metrics: ReadonlyArray<MetricRow | ExpressionRow>;
  readonly yAxis: { readonly left: { readonly min: number; readonly label?: string } };
  readonly annotations?: { readonly horizontal: ReadonlyArray<{ readonly label: string; readonly value: number }> };
}

export interface TextProperties {
  readonly markdown: string;
}

export type Widget =
  | { readonly type: "metric"; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly properties: MetricProperties }
  | { readonly type: "text"; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly properties: TextProperties };

/** Why a section has nothing to show: a text widget says so in its place. */
export interface Unavailable {
  readonly unavailable: string;
}

/** Where the sidecar's EMF metrics are: its namespace and the value of its one dimension. */
export interface SidecarMetrics {
  readonly namespace: string;
  readonly queueName: string;
}

/** Everything the body needs, as plain values. */
export interface DashboardInputs {
  /** The component's name, for the header. */
  readonly component: string;
  readonly region: string;
  readonly queueName: string;
  /** The worker queue's dead-letter queue (none for an existingQueue without dlqArn). */
  readonly dlqName?: string;
  /** The EventBridge rules' dead-letter queue (with eventRules). */
  readonly rulesDlqName?: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** ECS publishes task counts to ECS/ContainerInsights only with Container Insights on. */
  readonly containerInsights: boolean;
  /** The oldest-message alarm's threshold in seconds (none with alarms off). */
  readonly oldestAgeAlarm?: number;
  /** The backlog policy (scaling on), or why there is none. */
  readonly scaling: BacklogPolicyDefinition | Unavailable;
  readonly sidecar: SidecarMetrics | Unavailable;
}

/** Every point is one minute, the resolution of SQS's metrics and the sidecar's default MetricsInterval. */
const PERIOD = 60;
const SQS = "AWS/SQS";
const INSIGHTS = "ECS/ContainerInsights";
/** The dimension of SQS's queue metrics. */
const SQS_DIMENSION = "QueueName";
/** The one dimension of the sidecar's EMF lines (sidecar/telemetry.ts), valued with its queue's name. */
const SIDECAR_DIMENSION = "QueueName";
/** The sidecar's latency metric (sidecar/telemetry.ts), in milliseconds. */
const LATENCY_METRIC = "RequestLatency";

/**
 * Each counter the sidecar writes: its label and widget. Typed by the sidecar's Counter, so a
 * counter added to (or renamed in) the sidecar must be placed here.
 */
const COUNTERS: Readonly<Record<Counter, { readonly label: string; readonly widget: "outcomes" | "intake" }>> = {
  Succeeded: { label: "delivered", widget: "outcomes" },
  Failed: { label: "failed", widget: "outcomes" },
  TimedOut: { label: "timed out", widget: "outcomes" },
  DeadLettered: { label: "dead-lettered", widget: "outcomes" },
  Received: { label: "received", widget: "intake" },
  Released: { label: "released (handed back)", widget: "intake" },
  Expired: { label: "expired (past RetentionPeriod, not posted)", widget: "intake" },
};

const unavailable = <T extends object>(x: T | Unavailable): x is Unavailable => "unavailable" in x;

type Section = { readonly type: "metric"; readonly properties: MetricProperties } | { readonly type: "text"; readonly properties: TextProperties };

const text = (markdown: string): Section => ({ type: "text", properties: { markdown } });

function graph(region: string, title: string, metrics: ReadonlyArray<MetricRow | ExpressionRow>, extra: { yLabel?: string; target?: { label: string; value: number } } = {}): Section {
  return {
    type: "metric",
    properties: {
      title,
      region,
      view: "timeSeries",
      stacked: false,
      period: PERIOD,
      metrics,
      yAxis: { left: { min: 0, ...(extra.yLabel !== undefined ? { label: extra.yLabel } : {}) } },
      ...(extra.target !== undefined ? { annotations: { horizontal: [extra.target] } } : {}),
    },
  };
}

const sqs = (metricName: string, queue: string, label: string): MetricRow => [SQS, metricName, SQS_DIMENSION, queue, { label, stat: "Maximum" }];

/** The backlog-per-task widget: the policy's metrics and expressions, only the result shown, and the target as a line. */
function backlogSection(i: DashboardInputs, backlog: BacklogPolicyDefinition): Section {
  const dimensions = (m: ScalingMetric): string[] => (m.of === "queue" ? [SQS_DIMENSION, i.queueName] : ["ClusterName", i.clusterName, "ServiceName", i.serviceName]);
  const { query, targetValue } = backlog;
  const last = query.expressions.length - 1;
  return graph(
    i.region,
    "Backlog per task (the scaling metric) and its target",
    [
      ...query.metrics.map((m): MetricRow => [m.namespace, m.metricName, ...dimensions(m), { id: m.id, stat: m.stat, visible: false }]),
      ...query.expressions.map((e, k): ExpressionRow => [k === last ? { expression: e.expression, id: e.id, label: query.label } : { expression: e.expression, id: e.id, visible: false }]),
    ],
    { yLabel: "messages per task", target: { label: `target: ${targetValue} per task`, value: targetValue } },
  );
}

function sidecarSections(region: string, s: SidecarMetrics): Section[] {
  const counters = (widget: "outcomes" | "intake"): MetricRow[] =>
    (Object.entries(COUNTERS) as Array<[Counter, (typeof COUNTERS)[Counter]]>)
      .filter(([, c]) => c.widget === widget)
      .map(([name, c]): MetricRow => [s.namespace, name, SIDECAR_DIMENSION, s.queueName, { label: c.label, stat: "Sum" }]);
  const latency = (stat: string): MetricRow => [s.namespace, LATENCY_METRIC, SIDECAR_DIMENSION, s.queueName, { label: stat, stat }];
  return [
    graph(region, "Sidecar: outcomes per minute (all tasks)", counters("outcomes"), { yLabel: "messages" }),
    graph(region, "Sidecar: received, released, expired per minute", counters("intake"), { yLabel: "messages" }),
    graph(region, "Sidecar: request latency (the app's answer)", [latency("p50"), latency("p99")], { yLabel: "ms" }),
  ];
}

/** Width and height of the header and of every other widget, on CloudWatch's 24-column grid. */
const HEADER = { width: 24, height: 2 };
const TILE = { width: 12, height: 6 };

/** The dashboard body: a header, then the sections two to a row. */
export function dashboardBody(i: DashboardInputs): { widgets: Widget[] } {
  const dlqs = [
    ...(i.dlqName !== undefined ? [sqs("ApproximateNumberOfMessagesVisible", i.dlqName, `dead-letter queue ${i.dlqName}`)] : []),
    ...(i.rulesDlqName !== undefined ? [sqs("ApproximateNumberOfMessagesVisible", i.rulesDlqName, `EventBridge rules' dead-letter queue ${i.rulesDlqName}`)] : []),
  ];
  const insights = (metricName: string, label: string): MetricRow => [INSIGHTS, metricName, "ClusterName", i.clusterName, "ServiceName", i.serviceName, { label, stat: "Average" }];
  const sections: Section[] = [
    graph(i.region, `Queue depth: ${i.queueName}`, [sqs("ApproximateNumberOfMessagesVisible", i.queueName, "visible (waiting)"), sqs("ApproximateNumberOfMessagesNotVisible", i.queueName, "in flight")], { yLabel: "messages" }),
    graph(i.region, "Age of the oldest message", [sqs("ApproximateAgeOfOldestMessage", i.queueName, "oldest message")], {
      yLabel: "seconds",
      ...(i.oldestAgeAlarm !== undefined ? { target: { label: `alarm above ${i.oldestAgeAlarm} s`, value: i.oldestAgeAlarm } } : {}),
    }),
    dlqs.length > 0 ? graph(i.region, "Dead letters (messages in the dead-letter queue)", dlqs, { yLabel: "messages" }) : text("### Dead letters\nNo dead-letter queue: the `existingQueue` was given without `dlqArn`."),
    i.containerInsights
      ? graph(i.region, `Tasks: ${i.serviceName}`, [insights("RunningTaskCount", "running"), insights("DesiredTaskCount", "desired")], { yLabel: "tasks" })
      : text("### Tasks\nContainer Insights is off (`containerInsights: false`), so ECS publishes no task counts; `npx sqsd-worker status` reads them from ECS."),
    unavailable(i.scaling) ? text(`### Backlog per task\n${i.scaling.unavailable}`) : backlogSection(i, i.scaling),
    ...(unavailable(i.sidecar) ? [text(`### Sidecar metrics\n${i.sidecar.unavailable}`)] : sidecarSections(i.region, i.sidecar)),
  ];
  const header: Widget = {
    type: "text",
    x: 0,
    y: 0,
    ...HEADER,
    properties: {
      markdown: `## Worker environment ${i.component}\nQueue \`${i.queueName}\`, service \`${i.serviceName}\` in cluster \`${i.clusterName}\`. One point per minute; SQS and Container Insights publish a few minutes late. Made by Pulumi: edits here are replaced by the next \`pulumi up\`.`,
    },
  };
  const widgets = sections.map((s, k): Widget => ({ ...s, x: (k % 2) * TILE.width, y: HEADER.height + Math.floor(k / 2) * TILE.height, ...TILE }));
  return { widgets: [header, ...widgets] };
}

/** The console's address of a dashboard, in the region's console (China and GovCloud have their own). */
export function dashboardUrl(region: string, name: string): string {
  const host = region.startsWith("cn-") ? "console.amazonaws.cn" : region.startsWith("us-gov-") ? "console.amazonaws-us-gov.com" : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(name)}`;
}

/** ECS sets ECS_AGENT_URI in every task; the sidecar's config wants it with TaskProtection=on. */
const AGENT_URI = "http://169.254.170.2/api/dashboard";

/**
 * The sidecar's metrics as the daemon will write them: its config parsed by its own loadConfig
 * from the environment the component gives its container (sidecar-env.ts plus
 * `sidecar.environment`, as task.ts merges them), so an empty MetricsNamespace means the
 * default and `Metrics: "off"` means none, exactly as in the daemon.
 */
export function sidecarMetrics(args: WorkerEnvironmentArgs, settings: Settings, queueUrl: string, region: string, extra: Record<string, string>): SidecarMetrics | Unavailable {
  if (args.sidecar?.secrets?.MetricsNamespace !== undefined) {
    return { unavailable: "The sidecar reads its MetricsNamespace from a secret (`sidecar.secrets.MetricsNamespace`), which the dashboard cannot see: set it in `sidecar.environment` to have its metrics here." };
  }
  try {
    const cfg = loadConfig({}, { ...sidecarEnvironment(args, settings, queueUrl, region), ...extra, ECS_AGENT_URI: AGENT_URI });
    if (!cfg.metrics) return { unavailable: "The sidecar's `Metrics` option is off (`sidecar.environment.Metrics`): it writes no metrics." };
    return { namespace: cfg.metricsNamespace, queueName: cfg.queueName };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { unavailable: `The sidecar refuses its environment and writes no metrics: ${err.problems.join("; ")}` };
  }
}

export interface DashboardTargets {
  readonly region: pulumi.Output<string>;
  readonly queueUrl: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly dlqArn?: pulumi.Output<string>;
  readonly rulesDlqName?: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
}

/** Create the dashboard; returns its console URL. */
export function createDashboard(name: string, args: WorkerEnvironmentArgs, settings: Settings, t: DashboardTargets, parent: pulumi.Resource): pulumi.Output<string> {
  const scaling: BacklogPolicyDefinition | Unavailable = settings.scaling
    ? scalingDefinition(settings.scaling).backlog
    : { unavailable: `No autoscaling (\`scaling\` is not set): the service runs a fixed ${settings.desiredCount} task(s).` };
  const ageAlarm = oldestMessageAgeAlarm(args);
  const names = pulumi.all([t.queueName, pulumi.output(t.dlqArn), pulumi.output(t.rulesDlqName), t.clusterName, t.serviceName]);
  const body = pulumi
    .all([t.region, t.queueUrl, names, pulumi.output(args.sidecar?.environment ?? {})])
    .apply(([region, queueUrl, [queueName, dlqArn, rulesDlqName, clusterName, serviceName], extra]) =>
      JSON.stringify(
        dashboardBody({
          component: name,
          region,
          queueName,
          ...(dlqArn !== undefined ? { dlqName: queueNameFromArn(dlqArn) } : {}),
          ...(rulesDlqName !== undefined ? { rulesDlqName } : {}),
          clusterName,
          serviceName,
          containerInsights: settings.containerInsights,
          ...(ageAlarm !== undefined ? { oldestAgeAlarm: ageAlarm } : {}),
          scaling,
          sidecar: sidecarMetrics(args, settings, queueUrl, region, extra),
        }),
      ),
    );
  const dashboard = new aws.cloudwatch.Dashboard(
    `${name}-dashboard`,
    { dashboardName: dashboardName(args, name, { project: pulumi.getProject(), stack: pulumi.getStack() }), dashboardBody: body },
    { parent },
  );
  return pulumi.all([t.region, dashboard.dashboardName]).apply(([region, dashboardName]) => dashboardUrl(region, dashboardName));
}
