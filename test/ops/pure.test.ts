/**
 * The pure parts of the ops commands and their shared pieces: progress output, batch
 * planning, the confirmation guard, error mapping, stack outputs, queue URLs, and the
 * metrics read against what the sidecar writes.
 */
import assert from "node:assert/strict";
import type { Logger } from "pino";
import { MAX_BATCH_BYTES, planBatches } from "../../local/batch-send";
import { confirmation } from "../../local/confirm";
import { ConfigError } from "../../local/errors";
import { createProgress } from "../../local/progress";
import { regionOfQueueUrl } from "../../ops/clients";
import { EXIT, explainError } from "../../ops/errors";
import { DEFAULT_NAMESPACE, outcomeQueries } from "../../ops/metrics";
import { targetFromOutputs } from "../../ops/stack";
import { duration } from "../../ops/status";
import { checkTargetFlags } from "../../ops/target";
import { optionSpec } from "../../sidecar/options";
import { Metrics } from "../../sidecar/telemetry";
import { TypedEmitter } from "../../sidecar/typed-emitter";
import type { DaemonEvents } from "../../sidecar/daemon-events";

describe("ops: progress", () => {
  it("without a terminal: a plain line at each tenth passed, never at 100 % (the caller's summary says that)", () => {
    const lines: string[] = [];
    const p = createProgress({ label: "sent", total: 250, print: (l) => lines.push(l) });
    for (let n = 10; n <= 250; n += 10) p.update(n);
    p.finish();
    assert.deepEqual(lines, ["sent 30/250 (12%)", "sent 50/250 (20%)", "sent 80/250 (32%)", "sent 100/250 (40%)", "sent 130/250 (52%)", "sent 150/250 (60%)", "sent 180/250 (72%)", "sent 200/250 (80%)", "sent 230/250 (92%)"]);
  });

  it("on a terminal: one bar redrawn with \\r at most ten times a second, the last state always, then a newline", () => {
    let t = 0;
    let written = "";
    const p = createProgress({ label: "moved", total: 40, tty: { write: (s) => (written += s), columns: 80 }, print: () => assert.fail("no plain lines on a terminal"), now: () => t });
    for (let n = 1; n <= 40; n++) {
      t += 10; // 40 updates in 0.4 s
      p.update(n);
    }
    p.finish();
    const draws = written.split("\r").filter(Boolean);
    assert.ok(draws.length >= 4 && draws.length <= 6, JSON.stringify(draws));
    assert.match(draws.at(-1) ?? "", /^\[#{10,40}\] moved 40\/40 \(100%\) {2}100\/s\x1b\[K\n$/);
    assert.match(draws[0] ?? "", /^\[#{0,4}-+\] moved \d\/40 \(\d+%\)/);
  });

  it("a move task's total may change while it runs", () => {
    const lines: string[] = [];
    const p = createProgress({ label: "moved", total: 10, print: (l) => lines.push(l) });
    p.update(5, 100);
    p.update(50, 100);
    assert.deepEqual(lines, ["moved 50/100 (50%)"]);
  });
});

describe("ops: batches", () => {
  const msg = (bytes: number) => ({ body: "x".repeat(bytes) });

  it("10 entries a call", () => {
    assert.deepEqual(planBatches(Array.from({ length: 25 }, () => msg(1))).map((b) => b.length), [10, 10, 5]);
  });

  it("and at most 1 MiB a call, counting attributes", () => {
    const big = Math.floor(MAX_BATCH_BYTES / 3);
    assert.deepEqual(planBatches([msg(big), msg(big), msg(big), msg(10)]), [[0, 1, 2], [3]]);
    const withAttr = { body: "x".repeat(big), attributes: { k: { DataType: "String", StringValue: "v".repeat(10) } } };
    assert.deepEqual(planBatches([withAttr, withAttr, withAttr]), [[0, 1], [2]]);
  });
});

describe("ops: the confirmation guard", () => {
  it("--yes confirms without asking; a terminal asks (only y/yes go on); neither refuses at once", async () => {
    assert.equal(await confirmation("dlq purge", true, () => assert.fail("must not ask"))("?"), true);
    const asked: string[] = [];
    const answer = (a: string) => confirmation("dlq purge", false, (q) => (asked.push(q), Promise.resolve(a)));
    assert.equal(await answer("y")("Purge?"), true);
    assert.equal(await answer(" YES ")("Purge?"), true);
    assert.equal(await answer("")("Purge?"), false);
    assert.equal(await answer("no")("Purge?"), false);
    assert.equal(asked[0], "Purge? [y/N] ");
    assert.throws(() => confirmation("dlq purge", false, undefined), (e: unknown) => e instanceof ConfigError && /dlq purge needs a confirmation .* pass --yes/.test(e.message));
  });
});

describe("ops: errors → exit codes", () => {
  const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, $call: "SQS ReceiveMessage on https://q", ...extra });
  const cases: Array<[unknown, number]> = [
    [Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), EXIT.credentials],
    [sdkError("ExpiredToken"), EXIT.credentials],
    [sdkError("InvalidClientTokenId"), EXIT.credentials],
    [sdkError("AccessDenied"), EXIT.accessDenied],
    [sdkError("KMS.AccessDeniedException"), EXIT.accessDenied],
    [sdkError("Whatever", { $metadata: { httpStatusCode: 403 } }), EXIT.accessDenied],
    [sdkError("RequestThrottled"), EXIT.throttled],
    [sdkError("ThrottlingException"), EXIT.throttled],
    [sdkError("QueueDoesNotExist"), EXIT.notFound],
    [sdkError("ClusterNotFoundException"), EXIT.notFound],
    [new ConfigError(["bad"]), EXIT.usage],
    [Object.assign(new Error("Region is missing"), { name: "Error" }), EXIT.usage],
    [Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), EXIT.failed],
    [sdkError("InternalError"), EXIT.failed],
  ];
  for (const [err, code] of cases) {
    it(`${(err as Error).name} ${(err as Error).message.slice(0, 30)} → ${code}`, () => {
      const e = explainError(err);
      assert.equal(e.exitCode, code, e.message);
      assert.doesNotMatch(e.message, /\n/, "one line");
    });
  }
  it("the line names the call and its resource", () => {
    assert.equal(explainError(sdkError("QueueDoesNotExist")).message, "SQS ReceiveMessage on https://q: does not exist (QueueDoesNotExist); check the URL or name, and the region");
  });
});

describe("ops: targets", () => {
  it("stack outputs: top level, or the one exported object with a queueUrl", () => {
    assert.deepEqual(targetFromOutputs("dev", { queueUrl: "u", dlqUrl: "d", clusterName: "c", serviceName: "s", other: 1 }), { queueUrl: "u", dlqUrl: "d", clusterName: "c", serviceName: "s" });
    assert.deepEqual(targetFromOutputs("dev", { worker: { queueUrl: "u", serviceName: "s" }, region: "eu-west-1" }), { queueUrl: "u", serviceName: "s", region: "eu-west-1" });
    assert.throws(() => targetFromOutputs("dev", { a: 1 }), /stack "dev": it has no queueUrl output \(outputs: a\)/);
    assert.throws(() => targetFromOutputs("dev", { a: { queueUrl: "x" }, b: { queueUrl: "y" } }), /several outputs have a queueUrl \(a, b\)/);
  });

  it("the region of a queue URL", () => {
    assert.equal(regionOfQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/q"), "eu-west-1");
    assert.equal(regionOfQueueUrl("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q"), "cn-north-1");
    assert.equal(regionOfQueueUrl("https://us-west-2.queue.amazonaws.com/123456789012/q"), "us-west-2");
    assert.equal(regionOfQueueUrl("http://127.0.0.1:9324/000000000000/q"), undefined);
  });

  it("flag combinations are checked before anything is read", () => {
    assert.throws(() => checkTargetFlags({}), /give --stack <name>/);
    assert.throws(() => checkTargetFlags({ stack: "dev", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/q" }), /--stack and --queue-url: give one/);
    assert.throws(() => checkTargetFlags({ queueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", cluster: "c" }), /--cluster and --service go together/);
    assert.throws(() => checkTargetFlags({ queueUrl: "https://sqs.us-east-1.amazonaws.com/q" }), /not a queue URL/);
    assert.doesNotThrow(() => checkTargetFlags({ queueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", cluster: "c", service: "s" }));
  });

  it("durations", () => {
    assert.deepEqual([42, 250, 3600, 3 * 3600 + 5 * 60, 2 * 86_400 + 3600].map(duration), ["42 s", "4 min", "1 h", "3 h 5 min", "2 d 1 h"]);
  });
});

describe("ops: the metrics read are the ones the sidecar writes", () => {
  it("namespace, dimension and metric names of an EMF line match the status queries", () => {
    let line: Record<string, unknown> = {};
    const log = { info: (obj: Record<string, unknown>) => (line = obj) } as unknown as Logger;
    const emitter = new TypedEmitter<DaemonEvents>();
    const metrics = new Metrics(log, { enabled: true, namespace: optionSpec("MetricsNamespace").default as string, queueName: "orders", intervalMs: 60_000 });
    metrics.observe(emitter);
    metrics.count("Succeeded");
    metrics.latency(12);
    metrics.flush();
    const emf = (line._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0];
    assert.ok(emf, JSON.stringify(line));
    const queries = outcomeQueries({ queueName: "orders", namespace: DEFAULT_NAMESPACE, minutes: 15, end: new Date() });
    assert.equal(emf.Namespace, DEFAULT_NAMESPACE);
    const written = emf.Metrics.map((m) => m.Name).sort();
    const read = [...new Set(queries.map((q) => q.MetricStat?.Metric?.MetricName ?? ""))].sort();
    assert.deepEqual(read, written);
    for (const q of queries) {
      assert.equal(q.MetricStat?.Metric?.Namespace, emf.Namespace);
      // Each dimension set the sidecar declares, with the values its line carries.
      assert.deepEqual(q.MetricStat?.Metric?.Dimensions, emf.Dimensions[0]?.map((name) => ({ Name: name, Value: line[name] })));
    }
  });
});
