/**
 * Bounds: at most HttpConnections requests in flight to the app, and never more messages
 * held than HttpConnections allows plus one receive's worth (10).
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

describe("sidecar: concurrency bounds", function () {
  const t = sidecarTest();

  it("HttpConnections=3: exactly 3 requests in flight at most, and it gets there", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ status: 200, delayMs: 300 });
    // Messages first, daemon second: the queue is full from the first receive.
    const ids = await t.queue.sendMany(Array.from({ length: 30 }, (_, i) => `m${i}`));
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", HttpConnections: "3", VisibilityTimeout: "30" }));
    const reqs = await t.app.waitForRequests(30, 20_000);
    assert.equal(t.app.maxInFlight(), 3);
    assert.deepEqual(new Set(reqs.map((r) => r.headers["x-aws-sqsd-msgid"])), new Set(ids), "every message delivered");
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    assert.equal(t.app.requests.length, 30, "each once");
  });

  it("HttpConnections=2: messages held (in flight on the queue) stay within HttpConnections + 10", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ status: 200, delayMs: 500 });
    await t.queue.sendMany(Array.from({ length: 40 }, (_, i) => `m${i}`));
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", HttpConnections: "2", VisibilityTimeout: "30" }));
    const queueSamples: number[] = [];
    const heldSamples: number[] = [];
    while (t.app.requests.length < 40 && queueSamples.length < 100) {
      queueSamples.push((await t.queue.counts()).inFlight);
      heldSamples.push(t.d.daemon.snapshot().held);
      await sleep(250);
    }
    await t.app.waitForRequests(40, 20_000);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    assert.ok(queueSamples.filter((n) => n > 0).length >= 5, `sampled while busy: ${queueSamples.join(",")}`);
    assert.ok(Math.max(...queueSamples) <= 2 + 10, `queue in-flight samples: ${queueSamples.join(",")}`);
    assert.ok(Math.max(...heldSamples) <= 2 + 10, `daemon held samples: ${heldSamples.join(",")}`);
    assert.equal(t.app.maxInFlight(), 2);
  });
});
