/**
 * Bounds: at most HttpConnections requests in flight to the app, and never more messages
 * held than HttpConnections allows plus one receive's worth (10), or ReceiveAhead's worth when
 * set; and at 100 connections no abort listener piles up on a shared signal.
 */
import { strict as assert } from "node:assert";
import { setMaxListeners } from "node:events";
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

  /** Samples what the queue and the daemon hold while a slow app works through a backlog. */
  async function heldWhileBusy(env: Record<string, string>, messages: number): Promise<{ queue: number[]; held: number[] }> {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ status: 200, delayMs: 500 });
    await t.queue.sendMany(Array.from({ length: messages }, (_, i) => `m${i}`));
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", HttpConnections: "2", VisibilityTimeout: "30", ...env }));
    const queue: number[] = [];
    const held: number[] = [];
    while (t.app.requests.length < messages && queue.length < 200) {
      queue.push((await t.queue.counts()).inFlight);
      held.push(t.d.daemon.snapshot().held);
      await sleep(250);
    }
    await t.app.waitForRequests(messages, 40_000);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    assert.ok(queue.filter((n) => n > 0).length >= 5, `sampled while busy: ${queue.join(",")}`);
    assert.equal(t.app.maxInFlight(), 2);
    return { queue, held };
  }

  it("HttpConnections=2: messages held (in flight on the queue) stay within HttpConnections + 10", async () => {
    const s = await heldWhileBusy({}, 40);
    assert.ok(Math.max(...s.queue) <= 2 + 10, `queue in-flight samples: ${s.queue.join(",")}`);
    assert.ok(Math.max(...s.held) <= 2 + 10, `daemon held samples: ${s.held.join(",")}`);
  });

  it("ReceiveAhead=3, HttpConnections=2: holds more than one receive's worth ahead, never past 2 + 3 × 10", async () => {
    const s = await heldWhileBusy({ ReceiveAhead: "3" }, 50);
    assert.ok(Math.max(...s.held) > 2 + 10, `the option takes effect: daemon held samples ${s.held.join(",")}`);
    assert.ok(Math.max(...s.queue) <= 2 + 30, `queue in-flight samples: ${s.queue.join(",")}`);
    assert.ok(Math.max(...s.held) <= 2 + 30, `daemon held samples: ${s.held.join(",")}`);
  });

  it("HttpConnections=100: 50+ requests in flight and a drain, without a MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    const leakWarnings = () => warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message);
    process.on("warning", onWarning);
    const restore = limitAbortListeners();
    try {
      // The check can see a leak: here 11 listeners on one signal do warn.
      const probe = new AbortController();
      for (let i = 0; i < 11; i++) probe.signal.addEventListener("abort", () => undefined);
      await eventually(() => assert.equal(leakWarnings().length, 1), { timeoutMs: 2000, intervalMs: 10 });
      warnings.length = 0;

      t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
      t.app = await startApp({ status: 200, delayMs: 1500 });
      await t.queue.sendMany(Array.from({ length: 200 }, (_, i) => `m${i}`));
      t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { HttpConnections: "100", VisibilityTimeout: "30", LogLevel: "info" }));
      await eventually(() => assert.ok(t.app.inFlight() >= 50, `in flight: ${t.app.inFlight()}`), { timeoutMs: 20_000, intervalMs: 20 });
      // A stop while they run: the drain waits for every request.
      await t.d.stop();
      assert.ok(t.app.maxInFlight() >= 50, `max in flight ${t.app.maxInFlight()}`);
      assert.equal(t.d.seen("delivered").length, t.app.requests.length, "every request in flight finished and was deleted");
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
      assert.deepEqual(leakWarnings(), []);
    } finally {
      restore();
      process.off("warning", onWarning);
    }
  });
});

/**
 * Node 24 never reports listeners piling up on an AbortSignal; Node 20 and 22 warn past 10
 * on one signal. Restore that limit on every signal the daemon creates (until `restore()`).
 */
function limitAbortListeners(): () => void {
  const Original = globalThis.AbortController;
  class Limited extends Original {
    constructor() {
      super();
      setMaxListeners(10, this.signal);
    }
  }
  globalThis.AbortController = Limited;
  return () => {
    globalThis.AbortController = Original;
  };
}
