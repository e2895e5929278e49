/**
 * The dashboard (component/dashboard.ts) under mocks: its body parsed and every widget's metrics
 * asserted. Nothing is compared with a copy: the scaling widget with scalingDefinition and the
 * deployed backlog policy, the sidecar's widgets with an EMF line that the sidecar's own Metrics
 * writer (sidecar/telemetry.ts) produces when configured by the daemon's own loadConfig from the
 * environment in the deployed task definition.
 */
import assert from "node:assert/strict";
import type { Logger } from "pino";
import { dashboardBody, dashboardUrl, type ExpressionRow, type MetricOptions, type MetricRow, type Widget } from "../../component/dashboard";
import { defaultDashboardName } from "../../component/names";
import { scalingDefinition, targetBacklogPerTask } from "../../component/scaling-math";
import { validateArgs } from "../../component/validation";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { loadConfig } from "../../sidecar/config";
import type { DaemonEvents } from "../../sidecar/daemon-events";
import { optionSpec } from "../../sidecar/options";
import { Metrics } from "../../sidecar/telemetry";
import { TypedEmitter } from "../../sidecar/typed-emitter";
import { containerDefs } from "./helpers";
import { build, minimal, valueOf, ACCOUNT, REGION, type Stack } from "./mocks";

const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const POLICY = "aws:appautoscaling/policy:Policy";
/** The project and stack the mocks run as (mocks.ts setMocks). */
const PROJECT = "sqsd-worker";
const STACK = "test";

/** A metric of a widget, parsed from its row. */
interface Metric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  options: MetricOptions;
}

type Expression = ExpressionRow[0];

type MetricWidget = Extract<Widget, { type: "metric" }>;

function isExpression(row: MetricRow | ExpressionRow): row is ExpressionRow {
  return row.length === 1 && typeof row[0] === "object" && "expression" in row[0];
}

/** A metric row: namespace, name, dimension pairs, options last. */
function parseRow(row: MetricRow): Metric {
  const options = row.at(-1);
  assert.ok(typeof options === "object", `options last in ${JSON.stringify(row)}`);
  const [namespace, metricName, ...pairs] = row.slice(0, -1) as string[];
  assert.ok(namespace !== undefined && metricName !== undefined && pairs.length % 2 === 0, JSON.stringify(row));
  const dimensions: Record<string, string> = {};
  for (let k = 0; k < pairs.length; k += 2) dimensions[pairs[k] as string] = pairs[k + 1] as string;
  return { namespace, metricName, dimensions, options };
}

function body(s: Stack): Widget[] {
  return s.json<{ widgets: Widget[] }>(DASHBOARD, "dashboard", "dashboardBody").widgets;
}

/** The metric widget whose title starts with `title`. */
function graph(widgets: Widget[], title: string): { widget: MetricWidget; metrics: Metric[]; expressions: Expression[] } {
  const found = widgets.filter((w): w is MetricWidget => w.type === "metric" && w.properties.title.startsWith(title));
  assert.equal(found.length, 1, `one widget "${title}…" in ${widgets.map((w) => (w.type === "metric" ? w.properties.title : "text")).join(" | ")}`);
  const widget = found[0] as MetricWidget;
  const rows = widget.properties.metrics;
  return { widget, metrics: rows.filter((r): r is MetricRow => !isExpression(r)).map(parseRow), expressions: rows.filter(isExpression).map((r) => r[0]) };
}

/** The markdown of the text widget starting with `heading`. */
function note(widgets: Widget[], heading: string): string {
  const found = widgets.flatMap((w) => (w.type === "text" && w.properties.markdown.startsWith(heading) ? [w.properties.markdown] : []));
  assert.equal(found.length, 1, `one text widget "${heading}"`);
  return found[0] as string;
}

const short = (m: Metric) => ({ namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat: m.options.stat, label: m.options.label });

/** What the sidecar writes: one EMF line of its Metrics, configured as the daemon configures it from the task definition's sqsd environment. */
function emitted(s: Stack): { namespace: string; dimensions: Record<string, string>; metricNames: string[] } {
  const sqsd = containerDefs(s).byName("sqsd");
  const environment = Object.fromEntries((sqsd.environment as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
  const cfg = loadConfig({}, { ...environment, ECS_AGENT_URI: "http://169.254.170.2/api/test" });
  let line: Record<string, unknown> = {};
  const log = { info: (obj: Record<string, unknown>) => (line = obj) } as unknown as Logger;
  const metrics = new Metrics(log, { enabled: cfg.metrics, namespace: cfg.metricsNamespace, queueName: cfg.queueName, intervalMs: 60_000 });
  metrics.observe(new TypedEmitter<DaemonEvents>());
  metrics.count("Succeeded");
  metrics.latency(12);
  metrics.flush();
  const emf = (line._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } | undefined)?.CloudWatchMetrics[0];
  assert.ok(emf, `the sidecar wrote an EMF line: ${JSON.stringify(line)}`);
  assert.equal(emf.Dimensions.length, 1, "one dimension set");
  const dimensions = Object.fromEntries((emf.Dimensions[0] ?? []).map((name) => [name, String(line[name])]));
  return { namespace: emf.Namespace, dimensions, metricNames: emf.Metrics.map((m) => m.Name) };
}

/** Every metric of the sidecar's widgets. */
function sidecarMetrics(widgets: Widget[]): Metric[] {
  return ["Sidecar: outcomes", "Sidecar: received", "Sidecar: request latency"].flatMap((t) => graph(widgets, t).metrics);
}

/** The dashboard's sidecar metrics are exactly the sidecar's: every metric it writes, under its namespace and dimension, and no other. */
function assertOneSource(s: Stack): void {
  const widgets = body(s);
  const written = emitted(s);
  const shown = sidecarMetrics(widgets);
  assert.deepEqual([...new Set(shown.map((m) => m.metricName))].sort(), [...written.metricNames].sort(), "metric names");
  for (const m of shown) {
    assert.equal(m.namespace, written.namespace, `${m.metricName}: namespace`);
    assert.deepEqual(m.dimensions, written.dimensions, `${m.metricName}: dimensions`);
  }
}

describe("dashboard", () => {
  it("one per environment, named <project>-<stack>-<component>, with its console URL as dashboardUrl; dashboard.enabled false creates none", async () => {
    const s = await build(minimal());
    assert.equal(s.count(DASHBOARD), 1);
    const d = s.one(DASHBOARD, "dashboard").inputs;
    assert.equal(d.dashboardName, `${PROJECT}-${STACK}-${s.prefix}`);
    assert.equal(await valueOf(s.env.dashboardUrl), `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/${PROJECT}-${STACK}-${s.prefix}`);
    assert.ok(!String(await valueOf(s.env.dashboardUrl)).includes(ACCOUNT), "no account id");
    for (const w of body(s)) if (w.type === "metric") assert.equal(w.properties.region, REGION, w.properties.title);

    // The positive case above is what the mocks record; with the dashboard off there is none.
    const off = await build({ ...minimal(), dashboard: { enabled: false } });
    assert.equal(off.count(DASHBOARD), 0);
    assert.equal(await valueOf(off.env.dashboardUrl), undefined);
    assert.ok(off.count("aws:ecs/service:Service") === 1, "the rest is still built");
  });

  it("takes no tags (the provider's Dashboard has none), while the other resources carry them", async () => {
    const tags = { team: "fake-team" };
    const s = await build({ ...minimal(), tags });
    assert.equal(s.one(DASHBOARD).inputs.tags, undefined);
    assert.deepEqual(s.one("aws:sqs/queue:Queue", "queue").inputs.tags, tags);
  });

  it("queue depth, oldest message, dead letters (both DLQs) and tasks", async () => {
    const s = await build({ ...minimal(), eventRules: [{ name: "orders", eventPattern: '{"source":["shop"]}' }] });
    const w = body(s);
    const p = s.prefix;
    const queue = { QueueName: `${p}-queue` };
    assert.deepEqual(graph(w, "Queue depth").metrics.map(short), [
      { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: queue, stat: "Maximum", label: "visible (waiting)" },
      { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesNotVisible", dimensions: queue, stat: "Maximum", label: "in flight" },
    ]);
    assert.deepEqual(graph(w, "Age of the oldest message").metrics.map(short), [
      { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: queue, stat: "Maximum", label: "oldest message" },
    ]);
    assert.deepEqual(
      graph(w, "Dead letters").metrics.map((m) => [m.namespace, m.metricName, m.dimensions, m.options.stat]),
      [
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: `${p}-dlq` }, "Maximum"],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: `${p}-rules-dlq` }, "Maximum"],
      ],
    );
    const service = { ClusterName: `${p}-cluster`, ServiceName: `${p}-service` };
    assert.deepEqual(graph(w, "Tasks").metrics.map(short), [
      { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: service, stat: "Average", label: "running" },
      { namespace: "ECS/ContainerInsights", metricName: "DesiredTaskCount", dimensions: service, stat: "Average", label: "desired" },
    ]);
    for (const title of ["Queue depth", "Age", "Dead letters", "Tasks"]) assert.equal(graph(w, title).widget.properties.period, 60, title);
  });

  it("draws the oldest-message alarm's threshold on the age widget, and none with alarms off", async () => {
    const s = await build({ ...minimal(), alarms: { oldestMessageAgeThreshold: 420 } });
    const alarm = s.one("aws:cloudwatch/metricAlarm:MetricAlarm", "oldest-message").inputs;
    assert.equal(alarm.threshold, 420);
    assert.deepEqual(graph(body(s), "Age of the oldest message").widget.properties.annotations, { horizontal: [{ label: "alarm above 420 s", value: alarm.threshold }] });
    const fallback = await build(minimal());
    assert.equal(graph(body(fallback), "Age of the oldest message").widget.properties.annotations?.horizontal[0]?.value, fallback.one("aws:cloudwatch/metricAlarm:MetricAlarm", "oldest-message").inputs.threshold);
    const off = await build({ ...minimal(), alarms: { enabled: false } });
    assert.equal(off.count("aws:cloudwatch/metricAlarm:MetricAlarm"), 0);
    assert.equal(graph(body(off), "Age of the oldest message").widget.properties.annotations, undefined);
  });

  it("the names of an existing queue (FIFO, no DLQ) and a given cluster", async () => {
    const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders.fifo`;
    const s = await build({
      ...minimal(),
      existingQueue: { url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders.fifo`, arn, fifo: true },
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shared`,
    });
    const w = body(s);
    assert.deepEqual(graph(w, "Queue depth").metrics.map((m) => m.dimensions), [{ QueueName: "orders.fifo" }, { QueueName: "orders.fifo" }]);
    assert.match(note(w, "### Dead letters"), /existingQueue.*without `dlqArn`/);
    assert.deepEqual(graph(w, "Tasks").metrics.map((m) => m.dimensions.ClusterName), ["shared", "shared"]);
    assertOneSource(s);
  });

  it("backlog per task: the scaling policy's own metric math (scalingDefinition, as deployed), only the result shown, with the target as a line", async () => {
    const scaling = { minCount: 0, maxCount: 6, acceptableLatency: 90, messageProcessingTime: 2 };
    const s = await build({ ...minimal(), scaling });
    const { widget, metrics, expressions } = graph(body(s), "Backlog per task");
    const expected = scalingDefinition({ minCount: 0, maxCount: 6, scaleInCooldown: 300, scaleOutCooldown: 360, targetBacklogPerTask: targetBacklogPerTask(90, 2) }).backlog;
    const p = s.prefix;
    const dims = { queue: { QueueName: `${p}-queue` }, service: { ClusterName: `${p}-cluster`, ServiceName: `${p}-service` } };
    assert.deepEqual(
      metrics.map((m) => ({ id: m.options.id, namespace: m.namespace, metricName: m.metricName, stat: m.options.stat, dimensions: m.dimensions, visible: m.options.visible })),
      expected.query.metrics.map((m) => ({ id: m.id, namespace: m.namespace, metricName: m.metricName, stat: m.stat, dimensions: dims[m.of], visible: false })),
    );
    assert.deepEqual(
      expressions.map((e) => [e.id, e.expression]),
      expected.query.expressions.map((e) => [e.id, e.expression]),
    );
    // Only the result is drawn, labelled as the policy labels it.
    const result = expected.query.expressions.at(-1);
    assert.deepEqual(expressions.filter((e) => e.visible !== false).map((e) => [e.id, e.label]), [[result?.id, expected.query.label]]);
    assert.deepEqual(widget.properties.annotations?.horizontal.map((h) => h.value), [expected.targetValue]);
    assert.equal(expected.targetValue, 45);
    assert.equal(widget.properties.period, 60);

    // And the policy scaling.ts deployed reads the very same metrics and expressions.
    type Deployed = { id: string; expression?: string; metricStat?: { stat: string; metric: { namespace: string; metricName: string; dimensions: Array<{ name: string; value: string }> } } };
    const deployed = (s.one(POLICY, "backlog").inputs.targetTrackingScalingPolicyConfiguration as { targetValue: number; customizedMetricSpecification: { metrics: Deployed[] } });
    assert.equal(deployed.targetValue, expected.targetValue);
    assert.deepEqual(
      deployed.customizedMetricSpecification.metrics.map((q) =>
        q.metricStat
          ? { id: q.id, metricName: q.metricStat.metric.metricName, stat: q.metricStat.stat, dimensions: Object.fromEntries(q.metricStat.metric.dimensions.map((d) => [d.name, d.value])) }
          : { id: q.id, expression: q.expression },
      ),
      [
        ...metrics.map((m) => ({ id: m.options.id, metricName: m.metricName, stat: m.options.stat, dimensions: m.dimensions })),
        ...expressions.map((e) => ({ id: e.id, expression: e.expression })),
      ],
    );
  });

  it("says so in place of a graph: no scaling, Container Insights off", async () => {
    const w = body(await build({ ...minimal(), desiredCount: 3, containerInsights: false }));
    assert.match(note(w, "### Backlog per task"), /`scaling` is not set.*fixed 3 task/);
    assert.match(note(w, "### Tasks"), /Container Insights is off/);
    assert.equal(w.filter((x) => x.type === "metric" && /^(Backlog|Tasks)/.test(x.properties.title)).length, 0);
  });

  describe("the sidecar's metrics: one source, what the sidecar writes", () => {
    it("default namespace: every counter and the latency (p50, p99), under the sidecar's namespace and dimension", async () => {
      const s = await build(minimal());
      assertOneSource(s);
      const w = body(s);
      const p = s.prefix;
      const row = (metricName: string, stat: string, label: string) => ({ namespace: optionSpec("MetricsNamespace").default, metricName, dimensions: { QueueName: `${p}-queue` }, stat, label });
      assert.deepEqual(graph(w, "Sidecar: outcomes").metrics.map(short), [
        row("Succeeded", "Sum", "delivered"),
        row("Failed", "Sum", "failed"),
        row("TimedOut", "Sum", "timed out"),
        row("DeadLettered", "Sum", "dead-lettered"),
      ]);
      assert.deepEqual(graph(w, "Sidecar: received").metrics.map((m) => [m.metricName, m.options.stat]), [
        ["Received", "Sum"],
        ["Released", "Sum"],
        ["Expired", "Sum"],
      ]);
      assert.deepEqual(graph(w, "Sidecar: request latency").metrics.map(short), [row("RequestLatency", "p50", "p50"), row("RequestLatency", "p99", "p99")]);
    });

    it("sidecar.environment's MetricsNamespace, on a FIFO queue", async () => {
      const s = await build({ ...minimal(), queue: { fifo: true }, sidecar: { environment: { MetricsNamespace: "Acme/Workers" } } });
      assertOneSource(s);
      const shown = sidecarMetrics(body(s));
      assert.deepEqual([...new Set(shown.map((m) => m.namespace))], ["Acme/Workers"]);
      assert.deepEqual([...new Set(shown.map((m) => m.dimensions.QueueName))], [`${s.prefix}-queue.fifo`]);
    });

    it("as the daemon parses it: an empty MetricsNamespace is the default", async () => {
      const s = await build({ ...minimal(), sidecar: { environment: { MetricsNamespace: "" } } });
      assertOneSource(s);
      assert.deepEqual([...new Set(sidecarMetrics(body(s)).map((m) => m.namespace))], [optionSpec("MetricsNamespace").default]);
    });

    it("none, and why, when the sidecar writes none (Metrics off) or its namespace is a secret", async () => {
      const off = body(await build({ ...minimal(), sidecar: { environment: { Metrics: "off" } } }));
      assert.match(note(off, "### Sidecar metrics"), /`Metrics` option is off/);
      assert.equal(off.filter((x) => x.type === "metric" && x.properties.title.startsWith("Sidecar")).length, 0);
      const secret = body(
        await build({ ...minimal(), sidecar: { secrets: { MetricsNamespace: { ssmParameter: "/acme/metrics-namespace" } } } }),
      );
      assert.match(note(secret, "### Sidecar metrics"), /from a secret/);
    });
  });

  describe("the name", () => {
    it("dashboard.name as given; letters, digits, - and _ only, at most 255 (checked at preview)", async () => {
      const s = await build({ ...minimal(), dashboard: { name: "orders_prod-1" } });
      assert.equal(s.one(DASHBOARD).inputs.dashboardName, "orders_prod-1");
      assert.match(String(await valueOf(s.env.dashboardUrl)), /#dashboards\/dashboard\/orders_prod-1$/);
      const args = (name: string): WorkerEnvironmentArgs => ({ ...minimal(), dashboard: { name } });
      assert.throws(() => validateArgs("w", args("orders.prod")), /dashboard\.name: "orders\.prod" has characters CloudWatch refuses/);
      assert.throws(() => validateArgs("w", args("")), /dashboard\.name: is empty/);
      assert.throws(() => validateArgs("w", args("x".repeat(256))), /dashboard\.name: "x{256}" is 256 characters, over CloudWatch's limit of 255; give a shorter name \(by 1 character\)/);
      assert.doesNotThrow(() => validateArgs("w", args("x".repeat(255))));
      assert.doesNotThrow(() => validateArgs("w", { ...minimal(), dashboard: { enabled: false, name: "anything" } }), "no dashboard, no name to check");
    });

    it("the default: '.' (allowed in Pulumi project and stack names) becomes '_'; too long fails the preview naming dashboard.name", () => {
      assert.equal(defaultDashboardName("shop.web", "prod.eu", "jobs"), "shop_web-prod_eu-jobs");
      // Pulumi's longest project and stack names (100 characters each) and the longest component name the IAM roles allow (46) fit: 248.
      const component = "w".repeat(46);
      assert.doesNotThrow(() => validateArgs(component, minimal(), { project: "p".repeat(100), stack: "s".repeat(100) }));
      // Should Pulumi allow longer ones:
      const longer = { project: "p".repeat(108), stack: "s".repeat(100) };
      assert.throws(() => validateArgs(component, minimal(), longer), /dashboard: the default name "p{108}-s{100}-w{46}" \(<project>-<stack>-<component name>\) is 256 characters, over CloudWatch's limit of 255; set dashboard\.name to a shorter name \(by 1 character\)/);
      assert.doesNotThrow(() => validateArgs(component, { ...minimal(), dashboard: { name: "short" } }, longer));
    });

    it("the console URL in the region's partition", () => {
      assert.equal(dashboardUrl("eu-west-1", "a"), "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/a");
      assert.equal(dashboardUrl("cn-north-1", "a"), "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards/dashboard/a");
      assert.equal(dashboardUrl("us-gov-west-1", "a"), "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards/dashboard/a");
    });
  });

  it("lays the widgets on the 24-column grid without overlap, the header first", () => {
    const widgets = dashboardBody({
      component: "w",
      region: REGION,
      queueName: "q",
      dlqName: "d",
      clusterName: "c",
      serviceName: "s",
      containerInsights: true,
      scaling: scalingDefinition({ minCount: 1, maxCount: 2, targetBacklogPerTask: 5, scaleInCooldown: 300, scaleOutCooldown: 360 }).backlog,
      sidecar: { namespace: "N", queueName: "q" },
    }).widgets;
    assert.equal(widgets.length, 9, "header, queue, age, dead letters, tasks, backlog, 3 sidecar");
    assert.deepEqual([widgets[0]?.type, widgets[0]?.x, widgets[0]?.y, widgets[0]?.width], ["text", 0, 0, 24]);
    const cells = new Set<string>();
    for (const w of widgets) {
      assert.ok(w.x >= 0 && w.x + w.width <= 24 && w.height > 0, JSON.stringify(w));
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          assert.ok(!cells.has(`${x},${y}`), `overlap at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
