/**
 * Bounds: at most HttpConnections requests in flight to the app, and never more messages
 * held than HttpConnections allows plus one receive's worth (10).
 */
import { strict as assert } from "node:assert";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { eventually, sleep } from "../support/wait";

const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

describe("sidecar: concurrency bounds", function () {
  let server: SqsServer;
  let queue: TestQueue;
  let app: TestApp;
  let d: RunningDaemon;

  before(async () => {
    server = await sqsServer();
  });
  afterEach(async () => {
    await d?.stop();
    await app?.close();
    await queue?.delete();
  });

  it("HttpConnections=3: exactly 3 requests in flight at most, and it gets there", async () => {
    queue = await server.createQueue({ maxReceiveCount: 5 });
    app = await startApp({ status: 200, delayMs: 300 });
    // Messages first, daemon second: the queue is full from the first receive.
    const ids = await queue.sendMany(Array.from({ length: 30 }, (_, i) => `m${i}`));
    d = await startDaemon(daemonEnv(server, queue, app.url, { MaxRetries: "5", HttpConnections: "3", VisibilityTimeout: "30" }));
    const reqs = await app.waitForRequests(30, 20_000);
    assert.equal(app.maxInFlight(), 3);
    assert.deepEqual(new Set(reqs.map((r) => r.headers["x-aws-sqsd-msgid"])), new Set(ids), "every message delivered");
    await eventually(async () => assert.deepEqual(await queue.counts(), EMPTY));
    assert.equal(app.requests.length, 30, "each once");
  });

  it("HttpConnections=2: messages held (in flight on the queue) stay within HttpConnections + 10", async () => {
    queue = await server.createQueue({ maxReceiveCount: 5 });
    app = await startApp({ status: 200, delayMs: 500 });
    await queue.sendMany(Array.from({ length: 40 }, (_, i) => `m${i}`));
    d = await startDaemon(daemonEnv(server, queue, app.url, { MaxRetries: "5", HttpConnections: "2", VisibilityTimeout: "30" }));
    const queueSamples: number[] = [];
    const heldSamples: number[] = [];
    while (app.requests.length < 40 && queueSamples.length < 100) {
      queueSamples.push((await queue.counts()).inFlight);
      heldSamples.push(d.daemon.snapshot().held);
      await sleep(250);
    }
    await app.waitForRequests(40, 20_000);
    await eventually(async () => assert.deepEqual(await queue.counts(), EMPTY));
    assert.ok(queueSamples.filter((n) => n > 0).length >= 5, `sampled while busy: ${queueSamples.join(",")}`);
    assert.ok(Math.max(...queueSamples) <= 2 + 10, `queue in-flight samples: ${queueSamples.join(",")}`);
    assert.ok(Math.max(...heldSamples) <= 2 + 10, `daemon held samples: ${heldSamples.join(",")}`);
    assert.equal(app.maxInFlight(), 2);
  });
});
