/**
 * Logs and metrics, both listeners of the daemon's events: one JSON line per delivery
 * outcome, and CloudWatch Embedded Metric Format lines with the interval's counts and
 * latency (on by default, off by a flag).
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  QueueName: string;
  [metric: string]: unknown;
}

describe("sidecar: logs and metrics", function () {
  const t = sidecarTest();

  it("logs each outcome as one JSON line and writes EMF lines whose counts add up", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp((req) => ({ status: req.body.toString() === "bad" ? 500 : 200 }));
    const ids = await t.queue.sendMany(["a", "b", "c"]);
    const badId = await t.queue.send("bad");
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { Metrics: "true", MetricsInterval: "1", MetricsNamespace: "Test/Sqsd", ErrorVisibilityTimeout: "30" }));
    await eventually(() => assert.equal(t.d!.seen("delivered").length + t.d!.seen("failed").length, 4));
    // The outcomes come from the events; each one is also written as one log line.
    for (const id of ids) {
      const event = t.d.seen("delivered", (e) => e.message.id === id)[0]!;
      const lines = t.d.logs.filter((l) => l.msgId === id);
      assert.equal(lines.length, 1, `one line for ${id}`);
      assert.deepEqual(
        { msg: lines[0]!.msg, level: lines[0]!.level, status: lines[0]!.status, action: lines[0]!.action, latencyMs: lines[0]!.latencyMs, receiveCount: lines[0]!.receiveCount },
        { msg: "delivered", level: "info", status: 200, action: "delete", latencyMs: event.latencyMs, receiveCount: 1 },
      );
    }
    const failed = t.d.seen("failed", (e) => e.message.id === badId)[0]!;
    const bad = t.d.logs.filter((l) => l.msgId === badId);
    assert.equal(bad.length, 1);
    assert.deepEqual(
      { msg: bad[0]!.msg, level: bad[0]!.level, status: bad[0]!.status, action: bad[0]!.action, visibilityTimeout: bad[0]!.visibilityTimeout, outcome: bad[0]!.outcome },
      { msg: "delivery failed", level: "warn", status: 500, action: "retry", visibilityTimeout: 30, outcome: "response" },
    );
    assert.equal(failed.retryInSeconds, 30);

    await eventually(() => assert.ok(t.d!.logs.some((l) => "_aws" in l)), { timeoutMs: 5000 });
    await t.d.stop(); // flushes the last interval
    const emf = t.d.logs.filter((l) => "_aws" in l) as unknown as EmfLine[];
    const sum = (name: string) => emf.reduce((n, l) => n + Number(l[name] ?? 0), 0);
    assert.equal(sum("Received"), 4);
    assert.equal(sum("Succeeded"), 3);
    assert.equal(sum("Failed"), 1);
    assert.equal(sum("DeadLettered"), 0);
    assert.deepEqual(t.d.seen("stopped")[0]?.totals, { Received: 4, Succeeded: 3, Failed: 1 }, "the stopped event carries the totals");
    const first = emf[0]!;
    const directive = first._aws.CloudWatchMetrics[0]!;
    assert.equal(directive.Namespace, "Test/Sqsd");
    assert.deepEqual(directive.Dimensions, [["QueueName"]]);
    assert.equal(first.QueueName, t.queue.name);
    for (const m of directive.Metrics) assert.ok(m.Name in first, `metric ${m.Name} has a value`);
    const latencies = emf.flatMap((l) => (Array.isArray(l.RequestLatency) ? (l.RequestLatency as number[]) : []));
    assert.equal(latencies.length, 4, "one latency sample per request");
    assert.ok(emf.every((l) => !Array.isArray(l.RequestLatency) || (l.RequestLatency as number[]).length <= 100));
  });

  it("writes no EMF line with --no-metrics (Metrics=false)", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    await t.queue.send("x");
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { Metrics: "false", MetricsInterval: "1" }));
    await t.d.waitFor("delivered");
    await sleep(1500);
    await t.d.stop();
    // There were figures to write (the positive case), yet no EMF line.
    assert.equal(t.d.daemon.metrics.totals.get("Succeeded"), 1);
    assert.equal(t.d.logs.filter((l) => "_aws" in l).length, 0);
  });
});
