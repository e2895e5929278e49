/**
 * Smoke test of the test harness itself, against the real emulator chosen by the
 * environment (SQS_EMULATOR=elasticmq | fauxqs): queues, DLQ redrive, the recording app,
 * the child-process runner and the wait helpers.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqsServer, startSqsServer, emulatorKind } from "./sqs-server";
import { startApp } from "./app-server";
import { startSidecarProcess } from "./sidecar-process";
import { eventually, sleep } from "./wait";

describe(`test harness (${emulatorKind()})`, function () {
  this.timeout(120_000);

  describe("sqs-server", () => {
    it("starts one shared server", async () => {
      const a = await sqsServer();
      const b = await sqsServer();
      assert.equal(a, b);
      assert.match(a.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      console.log(`      using ${a.version} at ${a.endpoint}`);
    });

    it("creates unique queues with a DLQ, sends, counts and drains", async () => {
      const sqs = await sqsServer();
      const q = await sqs.createQueue({ maxReceiveCount: 3, visibilityTimeout: 5 });
      const q2 = await sqs.createQueue({ maxReceiveCount: 3 });
      assert.notEqual(q.name, q2.name);
      assert.ok(q.dlqUrl && q.dlqName && q.arn.endsWith(q.name), JSON.stringify(q));
      assert.match(q.arn, /^arn:aws:sqs:us-east-1:\d{12}:/);
      const id = await q.send("hello", { color: { DataType: "String", StringValue: "blue" } });
      const ids = await q.sendMany(Array.from({ length: 23 }, (_, i) => `m${i}`));
      assert.equal(ids.length, 23);
      assert.deepEqual(await q.counts(), { visible: 24, inFlight: 0, delayed: 0 });
      const kept = await q.receiveAll(false, { delete: false, visibilityTimeout: 30 });
      assert.equal(kept.length, 24);
      assert.deepEqual(await q.counts(), { visible: 0, inFlight: 24, delayed: 0 });
      const first = kept.find((m) => m.MessageId === id);
      assert.equal(first?.Body, "hello");
      assert.equal(first?.MessageAttributes?.color?.StringValue, "blue");
      assert.ok(first?.Attributes?.SentTimestamp, "system attributes are requested");

      const other = await q2.sendMany(["x", "y"]);
      const drained = await q2.receiveAll();
      assert.deepEqual(drained.map((m) => m.MessageId).sort(), [...other].sort());
      assert.deepEqual(await q2.counts(), { visible: 0, inFlight: 0, delayed: 0 });
      assert.deepEqual(await q2.dlqCounts(), { visible: 0, inFlight: 0 });
      await q.delete();
      await q2.delete();
    });

    it("counts delayed messages", async () => {
      const q = await (await sqsServer()).createQueue();
      await q.send("later", undefined, { delaySeconds: 30 });
      assert.deepEqual(await q.counts(), { visible: 0, inFlight: 0, delayed: 1 });
      await q.delete();
    });

    it("keeps FIFO order within a group", async () => {
      const q = await (await sqsServer()).createQueue({ fifo: true });
      assert.ok(q.name.endsWith(".fifo"));
      await q.send("a");
      await q.send("b", undefined, { groupId: "g" });
      await q.send("other", undefined, { groupId: "g2" });
      await q.sendMany(["c", "d"]);
      const got = await q.receiveAll();
      assert.deepEqual(
        got.filter((m) => m.Attributes?.MessageGroupId === "g").map((m) => m.Body),
        ["a", "b", "c", "d"],
      );
      assert.equal(got.length, 5);
      await q.delete();
    });

    it("accepts a 1 MiB body and rejects one byte more", async () => {
      const q = await (await sqsServer()).createQueue();
      const big = "x".repeat(1024 * 1024);
      await q.send(big);
      const [m] = await q.receiveAll();
      assert.equal(m?.Body?.length, big.length);
      await assert.rejects(q.send(big + "x"));
      await q.delete();
    });

    it("takes any character SQS allows (emoji included) and rejects the others", async () => {
      const q = await (await sqsServer()).createQueue();
      const body = 'tab\tcr\r\nlf é 日本語 🙂 \u00a0 {"not": json';
      await q.send(body);
      await q.sendMany([body]);
      const got = await q.receiveAll();
      assert.deepEqual(
        got.map((m) => m.Body),
        [body, body],
      );
      await assert.rejects(q.send("nul\u0000"));
      await assert.rejects(q.send("\uFFFE"));
      await q.delete();
    });

    it("moves a message to the DLQ after maxReceiveCount receives (SDK directly)", async () => {
      const sqs = await sqsServer();
      const q = await sqs.createQueue({ maxReceiveCount: 2 });
      await sqs.client.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: "poison" }));
      for (let i = 1; i <= 2; i++) {
        const r = await sqs.client.send(
          new ReceiveMessageCommand({ QueueUrl: q.url, VisibilityTimeout: 30, MessageSystemAttributeNames: ["All"] }),
        );
        const m = r.Messages?.[0];
        assert.equal(m?.Attributes?.ApproximateReceiveCount, String(i));
        await sqs.client.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: m?.ReceiptHandle, VisibilityTimeout: 0 }),
        );
      }
      const third = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }));
      assert.equal(third.Messages?.length ?? 0, 0);
      await eventually(async () => assert.deepEqual(await q.dlqCounts(), { visible: 1, inFlight: 0 }));
      const dead = await q.receiveAll(true);
      assert.deepEqual(
        dead.map((m) => m.Body),
        ["poison"],
      );
      assert.deepEqual(await q.counts(), { visible: 0, inFlight: 0, delayed: 0 });
      await q.delete();
    });

    it("restarts a persistent server on the same port, keeping queues and messages", async function () {
      if (emulatorKind() === "external") this.skip();
      const sqs = await startSqsServer({ persistent: true });
      const q = await sqs.createQueue({ maxReceiveCount: 5 });
      await q.sendMany(["one", "two"]);
      assert.ok(sqs.restart);
      const t0 = Date.now();
      const restarting = sqs.restart({ downMs: 1_000 });
      await sleep(300);
      await assert.rejects(q.counts(), "the endpoint is down while restarting");
      await restarting;
      console.log(`      restart took ${Date.now() - t0} ms`);
      assert.deepEqual(await q.counts(), { visible: 2, inFlight: 0, delayed: 0 });
      assert.deepEqual((await q.receiveAll()).map((m) => m.Body).sort(), ["one", "two"]);
      await sqs.stop();
    });
  });

  describe("app-server", () => {
    it("records a POST and answers as told", async () => {
      const app = await startApp();
      const res = await fetch(app.url + "job?x=1", {
        method: "POST",
        headers: { "X-Aws-Sqsd-Msgid": "abc", "content-type": "application/json" },
        body: '{"a":1}',
      });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), "ok");
      const [r] = await app.waitForRequests(1);
      assert.equal(r?.method, "POST");
      assert.equal(r?.path, "/job?x=1");
      assert.equal(r?.headers["x-aws-sqsd-msgid"], "abc");
      assert.ok(r?.rawHeaders.includes("X-Aws-Sqsd-Msgid"));
      assert.equal(r?.body.toString(), '{"a":1}');
      assert.equal(r?.connectionId, 1);

      app.behave((req) => (req.path === "/retry" ? { status: 503, headers: { "retry-after": "7" } } : { status: 204 }));
      const r503 = await fetch(app.origin + "/retry", { method: "POST", body: "" });
      assert.equal(r503.status, 503);
      assert.equal(r503.headers.get("retry-after"), "7");
      assert.equal((await fetch(app.url, { method: "POST", body: "" })).status, 204);

      app.behave({ destroy: true });
      await assert.rejects(fetch(app.url, { method: "POST", body: "z" }));
      await app.close();
    });

    it("tracks concurrency, and close() ends hanging requests", async () => {
      const app = await startApp({ status: 200, delayMs: 300 });
      await Promise.all(Array.from({ length: 5 }, () => fetch(app.url, { method: "POST", body: "p" })));
      assert.equal(app.maxInFlight(), 5);
      assert.equal(app.connections(), 5);
      assert.equal(new Set(app.requests.map((r) => r.connectionId)).size, 5);
      assert.equal(app.inFlight(), 0);
      app.behave({ hang: true });
      const hanging = fetch(app.url, { method: "POST", body: "h" });
      await app.waitForRequests(6);
      assert.equal(app.inFlight(), 1);
      await app.close();
      await assert.rejects(hanging);
      await assert.rejects(app.waitForRequests(7, 50), /6 of 7/);
    });
  });

  describe("sidecar-process", () => {
    it("runs a daemon with a clean env, parses its JSON logs and stops it", async () => {
      process.env.SQSD_HARNESS_LEAK = "leaked";
      const d = startSidecarProcess({ entry: join(__dirname, "fake-daemon.ts"), args: ["--x", "1"], env: { EXTRA: "1" } });
      delete process.env.SQSD_HARNESS_LEAK;
      const started = await d.waitForLog((l) => l.msg === "started", 15_000);
      assert.deepEqual(started.args, ["--x", "1"]);
      assert.deepEqual(started.env, { LEAK: null, LogLevel: "debug" });
      await d.waitForLog((l) => l.msg === "tick");
      await eventually(() => assert.match(d.stderr(), /something on stderr/));
      assert.deepEqual(d.stdoutText, ["not json"]);
      assert.deepEqual(await d.stop(), { code: 0, signal: null });
      assert.equal(d.logs.at(-1)?.msg, "stopping");
      await assert.rejects(d.waitForLog((l) => l.msg === "never", 1_000), /exited|within/);
    });
  });

  describe("wait", () => {
    it("eventually retries until the assertion passes, else rethrows the last error", async () => {
      let n = 0;
      assert.equal(await eventually(() => (++n < 3 ? assert.fail(`try ${n}`) : n), { intervalMs: 10 }), 3);
      await assert.rejects(
        eventually(() => assert.fail("nope"), { timeoutMs: 100, intervalMs: 10 }),
        /nope \(still failing after 100 ms/,
      );
    });
  });
});
