/**
 * Logs and metrics: one JSON line per delivery outcome, and CloudWatch Embedded Metric
 * Format lines with the interval's counts and latency (on by default, off by a flag).
 */
import { strict as assert } from "node:assert";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { eventually, sleep } from "../support/wait";

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  QueueName: string;
  [metric: string]: unknown;
}

describe("sidecar: logs and metrics", function () {
  let server: SqsServer;
  let queue: TestQueue;
  let app: TestApp;
  let d: RunningDaemon | undefined;

  before(async () => {
    server = await sqsServer();
  });
  afterEach(async () => {
    await d?.stop();
    await app?.close();
    await queue?.delete();
    d = undefined;
  });

  it("logs each outcome as one JSON line and writes EMF lines whose counts add up", async () => {
    queue = await server.createQueue({ maxReceiveCount: 5 });
    app = await startApp((req) => ({ status: req.body.toString() === "bad" ? 500 : 200 }));
    const ids = await queue.sendMany(["a", "b", "c"]);
    const badId = await queue.send("bad");
    d = await startDaemon(daemonEnv(server, queue, app.url, { Metrics: "true", MetricsInterval: "1", MetricsNamespace: "Test/Sqsd", ErrorVisibilityTimeout: "30" }));
    await eventually(() => assert.equal(d!.logs.filter((l) => l.msg === "delivered" || l.msg === "delivery failed").length, 4));

    for (const id of ids) {
      const line: Record<string, unknown> = d.logs.find((l) => l.msgId === id)!;
      assert.equal(line.msg, "delivered");
      assert.equal(line.status, 200);
      assert.equal(line.action, "delete");
      assert.equal(typeof line.latencyMs, "number");
    }
    const bad: Record<string, unknown> = d.logs.find((l) => l.msgId === badId)!;
    assert.equal(bad.status, 500);
    assert.equal(bad.action, "retry");
    assert.equal(bad.visibilityTimeout, 30);

    await eventually(() => assert.ok(d!.logs.some((l) => "_aws" in l)), { timeoutMs: 5000 });
    await d.stop(); // flushes the last interval
    const emf = d.logs.filter((l) => "_aws" in l) as unknown as EmfLine[];
    const sum = (name: string) => emf.reduce((n, l) => n + Number(l[name] ?? 0), 0);
    assert.equal(sum("Received"), 4);
    assert.equal(sum("Succeeded"), 3);
    assert.equal(sum("Failed"), 1);
    const first = emf[0]!;
    const directive = first._aws.CloudWatchMetrics[0]!;
    assert.equal(directive.Namespace, "Test/Sqsd");
    assert.deepEqual(directive.Dimensions, [["QueueName"]]);
    assert.equal(first.QueueName, queue.name);
    for (const m of directive.Metrics) assert.ok(m.Name in first, `metric ${m.Name} has a value`);
    const latencies = emf.flatMap((l) => (Array.isArray(l.RequestLatency) ? (l.RequestLatency as number[]) : []));
    assert.equal(latencies.length, 4, "one latency sample per request");
    assert.ok(emf.every((l) => !Array.isArray(l.RequestLatency) || (l.RequestLatency as number[]).length <= 100));
  });

  it("writes no EMF line with --no-metrics (Metrics=false)", async () => {
    queue = await server.createQueue({ maxReceiveCount: 5 });
    app = await startApp();
    await queue.send("x");
    d = await startDaemon(daemonEnv(server, queue, app.url, { Metrics: "false", MetricsInterval: "1" }));
    await app.waitForRequests(1);
    await sleep(1500);
    await d.stop();
    assert.equal(d.logs.filter((l) => "_aws" in l).length, 0);
  });
});
