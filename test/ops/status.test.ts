/**
 * `sqsd-worker status`: queue counts from a real emulator, tasks and metrics from the local
 * ECS/CloudWatch stand-in, which records what was asked; `--stack` through a stand-in pulumi
 * CLI; --check, --json, --watch.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { COUNTERS } from "../../sidecar/telemetry";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { startStandIn, type StandIn } from "./aws-stand-in";
import { ops, startOps } from "./run-ops";

interface Query {
  Id: string;
  MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }; Period: number; Stat: string };
}

describe("sqsd-worker status", function () {
  this.timeout(60_000);
  let server: SqsServer;
  let aws: StandIn;
  let q: TestQueue;
  const env = () => ({ AWS_ENDPOINT_URL_ECS: aws.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH: aws.endpoint });
  const target = () => ["--queue-url", q.url, "--endpoint", server.endpoint, "--cluster", "orders", "--service", "orders-svc"];

  before(async () => {
    server = await sqsServer();
    aws = await startStandIn();
  });
  after(() => aws.close());
  beforeEach(async () => {
    q = await server.createQueue({ maxReceiveCount: 5, name: "ops-status" });
    aws.calls.length = 0;
    aws.fail.clear();
    aws.services.clear();
    aws.services.set("orders/orders-svc", { runningCount: 2, desiredCount: 3, pendingCount: 1 });
    aws.metric = () => undefined;
  });
  afterEach(() => q.delete());

  it("shows queue and DLQ depth, tasks, oldest age and the sidecar's outcomes, from the calls it should make", async () => {
    await q.send("a");
    await q.send("b");
    await q.send("c");
    const values: Record<string, number> = { Received: 1210, Succeeded: 1200, Failed: 4, DeadLettered: 2, p50: 40.2, p99: 300 };
    aws.metric = (name, queue, stat) => (name === "ApproximateAgeOfOldestMessage" ? (queue === q.name ? 250 : 7200) : values[name === "RequestLatency" ? stat : name]);
    const r = await ops(["status", ...target(), "--minutes", "30"], env());
    assert.equal(r.code, 0, r.out);
    const lines = r.out.trimEnd().split("\n");
    assert.equal(lines[0], `queue: ${q.name}  3 visible, 0 in flight, 0 delayed`);
    assert.match(lines[1] ?? "", /^oldest message: 4 min \(CloudWatch, minute of \d\d:\d\d UTC\)$/);
    assert.equal(lines[2], `dlq: ${q.dlqName}  0 message(s) (maxReceiveCount 5)`);
    assert.equal(lines[3], "tasks: 2 running, 3 desired, 1 pending (service orders-svc, cluster orders)");
    assert.equal(lines[4], "sidecar, last 30 min: received 1210, delivered 1200, failed 4, timed out 0, expired 0, dead-lettered 2, released 0");
    assert.equal(lines[5], "latency, last 30 min: p50 40 ms, p99 300 ms");

    assert.deepEqual(aws.ops().sort(), ["DescribeServices", "GetMetricData", "GetMetricData"]);
    assert.deepEqual(aws.calls.find((c) => c.target.endsWith("DescribeServices"))?.body, { cluster: "orders", services: ["orders-svc"] });
    const queries = aws.calls.filter((c) => c.target.endsWith("GetMetricData")).flatMap((c) => c.body.MetricDataQueries as Query[]);
    const sidecar = queries.filter((x) => x.MetricStat.Metric.Namespace === "SqsdWorker");
    // The names, namespace and dimension the sidecar writes (sidecar/telemetry.ts), over the whole window.
    assert.deepEqual(sidecar.map((x) => x.MetricStat.Metric.MetricName).sort(), [...COUNTERS, "RequestLatency", "RequestLatency"].sort());
    for (const x of sidecar) {
      assert.deepEqual(x.MetricStat.Metric.Dimensions, [{ Name: "QueueName", Value: q.name }]);
      assert.equal(x.MetricStat.Period, 1800);
    }
    const ages = queries.filter((x) => x.MetricStat.Metric.Namespace === "AWS/SQS");
    assert.deepEqual(ages.map((x) => [x.MetricStat.Metric.MetricName, x.MetricStat.Metric.Dimensions[0]?.Value, x.MetricStat.Stat]), [
      ["ApproximateAgeOfOldestMessage", q.name, "Maximum"],
      ["ApproximateAgeOfOldestMessage", q.dlqName, "Maximum"],
    ]);
  });

  it("--check: exit 3 while the DLQ holds a message, 0 once it is empty; --no-metrics reads no CloudWatch", async () => {
    const clean = await ops(["status", ...target(), "--check", "--no-metrics"], env());
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /^check: ok \(dead-letter queue empty\)$/m);
    await server.client.send(new (await import("@aws-sdk/client-sqs")).SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: "dead" }));
    const dirty = await ops(["status", ...target(), "--check", "--no-metrics"], env());
    assert.equal(dirty.code, 3, dirty.out);
    assert.match(dirty.out, new RegExp(`^check: failed: dead-letter queue ${q.dlqName} has 1 message\\(s\\)$`, "m"));
    assert.ok(!aws.ops().includes("GetMetricData"), aws.ops().join());
  });

  it("--json: one object with the sections; a section AWS refuses shows why and sets the exit code (access denied: 5)", async () => {
    aws.fail.set("DescribeServices", { status: 400, type: "AccessDeniedException", message: "User: test is not authorized to perform: ecs:DescribeServices" });
    const r = await ops(["status", ...target(), "--json"], env());
    assert.equal(r.code, 5, r.out);
    const s = JSON.parse(r.out) as { queue: { name: string }; dlq: { name: string }; tasks: { error: { exitCode: number; message: string } }; metrics: { ok: { minutes: number } } };
    assert.equal(s.queue.name, q.name);
    assert.equal(s.dlq.name, q.dlqName);
    assert.equal(s.tasks.error.exitCode, 5);
    assert.match(s.tasks.error.message, /^ECS DescribeServices on orders-svc in cluster orders: access denied \(AccessDeniedException/);
    assert.equal(s.metrics.ok.minutes, 15);
  });

  it("--watch: the full status, then a time-stamped line when it changes; Ctrl-C exits 0", async () => {
    const run = startOps(["status", ...target(), "--no-metrics", "--watch", "--interval", "1"], env());
    await run.waitFor(/^sidecar: not read/m);
    await q.send("new");
    await run.waitFor(/^\d\d:\d\d:\d\d\.\d{3} {2}status +queue 1 visible, 0 in flight \| dlq 0 \| tasks 2\/3$/m);
    run.child.kill("SIGINT");
    const { code } = await run.exited;
    assert.equal(code, 0, run.output());
  });

  it("--stack: the queue, DLQ, cluster and service from `pulumi stack output --json`, run in --cwd", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ops-stack-"));
    const log = join(dir, "pulumi-call.json");
    const outputs = { queueUrl: q.url, dlqUrl: q.dlqUrl, clusterName: "orders", serviceName: "orders-svc", region: "us-east-1", other: 1 };
    const fakeEnv = { ...env(), PATH: `${join(__dirname, "fixtures")}:${dirname(process.execPath)}`, FAKE_PULUMI_LOG: log, FAKE_PULUMI_OUTPUTS: JSON.stringify(outputs) };
    const r = await ops(["status", "--stack", "dev", "--cwd", dir, "--endpoint", server.endpoint, "--no-metrics"], fakeEnv);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`^queue: ${q.name} `, "m"));
    assert.match(r.out, /^tasks: 2 running, 3 desired/m);
    assert.deepEqual(JSON.parse(readFileSync(log, "utf8")), { argv: ["stack", "output", "--json", "--non-interactive", "--stack", "dev"], cwd: dir });

    const missing = await ops(["status", "--stack", "nope", "--cwd", dir], { ...fakeEnv, FAKE_PULUMI_FAIL: "error: no stack named 'nope' found" });
    assert.equal(missing.code, 2, missing.out);
    assert.equal(missing.out, `sqsd-worker status: stack "nope" in ${dir}: pulumi: no stack named 'nope' found\n`);
    const noCli = await ops(["status", "--stack", "dev"], { PATH: dir });
    assert.equal(noCli.code, 2, noCli.out);
    assert.equal(noCli.out, "sqsd-worker status: --stack needs the pulumi CLI and there is none on PATH: install it (https://www.pulumi.com/docs/install/), or pass --queue-url\n");
  });
});
