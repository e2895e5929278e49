/**
 * Start and stop as a program embedding the daemon sees them: the lifecycle events in order
 * with their payloads, and a start that cannot succeed rejecting with a StartError that
 * names the failure and keeps its cause.
 */
import { strict as assert } from "node:assert";
import { createServer } from "node:net";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { freePort } from "../support/emulator-process";
import { loadConfig } from "../../sidecar/config";
import { Daemon } from "../../sidecar/daemon";
import { StartError } from "../../sidecar/errors";
import { createLogger } from "../../sidecar/telemetry";
import { sidecarTest } from "../support/sidecar-test";

/** What start() rejects with (it must reject), once the daemon is stopped again. */
async function failedStart(daemon: Daemon): Promise<unknown> {
  const failed = await daemon.start().then(
    () => assert.fail("started"),
    (err: unknown) => err,
  );
  await daemon.stop();
  return failed;
}

describe("sidecar: start and stop", function () {
  const t = sidecarTest();

  it("tells started, receiving, the outcomes, stopping and stopped, in that order", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 4 });
    t.app = await startApp({ status: 200 });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { HttpPath: "/jobs", MaxRetries: "4" }));
    const id = await t.queue.send("x");
    await t.d.waitFor("delivered", (e) => e.message.id === id);
    await t.d.stop();
    const order = t.d.events.map((e) => e.type).filter((type) => type !== "visibility-extended");
    assert.deepEqual(order, ["redrive-policy", "started", "receiving", "received", "delivered", "stopping", "stopped"]);
    assert.deepEqual(t.d.seen("started")[0], {
      queueUrl: t.queue.url,
      queueName: t.queue.name,
      fifo: false,
      target: `${t.app.origin}/jobs`,
      redrivePolicy: { maxReceiveCount: 4, deadLetterTargetArn: t.queue.dlqArn },
    });
    assert.deepEqual(t.d.seen("receiving")[0], { httpConnections: 50, heldBound: 60, fifo: false });
    assert.deepEqual(t.d.seen("received")[0], { count: 1 });
    const stopped = t.d.seen("stopped")[0]!;
    assert.deepEqual({ ...stopped, tookMs: 0 }, { reason: "test finished", tookMs: 0, abortedRequests: 0, abortedReceives: 0, totals: { Received: 1, Succeeded: 1 } });
  });

  it("a queue that does not exist: start() rejects with a StartError (queue-not-found) whose cause is the SQS error", async () => {
    const env = daemonEnv(t.server, { url: `${t.server.endpoint}/000000000000/no-such-queue-${Date.now()}` } as Parameters<typeof daemonEnv>[1], "http://127.0.0.1:1/");
    const failed = await failedStart(new Daemon(loadConfig({}, env), createLogger("silent")));
    assert.ok(failed instanceof StartError, String(failed));
    assert.equal(failed.failure, "queue-not-found");
    assert.match(failed.message, /no-such-queue/);
    assert.ok(failed.cause instanceof Error, "the cause is kept");
    assert.match(failed.cause.name, /QueueDoesNotExist|NonExistentQueue/);
  });

  it("a taken StatusPort: start() rejects with a StartError (status-port-unavailable) whose cause is EADDRINUSE", async () => {
    t.queue = await t.server.createQueue();
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, "127.0.0.1", () => r()));
    try {
      const failed = await failedStart(new Daemon(loadConfig({}, daemonEnv(t.server, t.queue, "http://127.0.0.1:1/", { StatusPort: String(port) })), createLogger("silent")));
      assert.ok(failed instanceof StartError, String(failed));
      assert.equal(failed.failure, "status-port-unavailable");
      assert.equal((failed.cause as NodeJS.ErrnoException).code, "EADDRINUSE");
    } finally {
      holder.close();
    }
  });
});
