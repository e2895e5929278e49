/**
 * SIGTERM/SIGINT on the real `sqsd` process: stop receiving, hand unposted messages back at
 * once, let requests in flight finish (up to DrainTimeout) and delete them, let a waiting
 * receive return (and release what it brings), exit 0.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv } from "../support/daemon";
import { LEVEL, startSidecarProcess } from "../support/sidecar-process";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

describe("sidecar: shutdown", function () {
  const t = sidecarTest();

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal}: finishes requests in flight, releases unposted messages at once, exits 0`, async () => {
      t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
      t.app = await startApp({ status: 200, delayMs: 1500 });
      const bodies = Array.from({ length: 20 }, (_, i) => `m${i}`);
      await t.queue.sendMany(bodies);
      // VisibilityTimeout 60: a message left invisible by mistake would stay so for the whole test.
      const proc = startSidecarProcess({ env: daemonEnv(t.server, t.queue, t.app.url, { HttpConnections: "2", VisibilityTimeout: "60" }) });
      await eventually(() => assert.equal(t.app.inFlight(), 2), { timeoutMs: 20_000 });
      const t0 = Date.now();
      proc.kill(signal);
      const exit = await proc.exited;
      const took = Date.now() - t0;
      assert.deepEqual(exit, { code: 0, signal: null }, proc.stderr());
      assert.ok(took < 10_000, `exited within the drain (${took} ms)`);
      assert.equal(t.app.requests.length, 2, "no new request after the signal");
      // The two posted messages were answered 200 and deleted; the other 18 are visible again now.
      const counts = await t.queue.counts();
      assert.deepEqual(counts, { visible: 18, inFlight: 0, delayed: 0 });
      const left = await t.queue.receiveAll();
      const posted = t.app.requests.map((r) => r.body.toString());
      assert.deepEqual(left.map((m) => m.Body).sort(), bodies.filter((b) => !posted.includes(b)).sort());
    });
  }

  // DrainTimeout 2 > WaitTime 1: the last long poll has returned when the request is aborted.
  it("aborts requests still running at DrainTimeout and releases them with visibility 0", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ hang: true });
    await t.queue.send("slow");
    const proc = startSidecarProcess({ env: daemonEnv(t.server, t.queue, t.app.url, { DrainTimeout: "2", VisibilityTimeout: "60", InactivityTimeout: "60" }) });
    await t.app.waitForRequests(1, 20_000);
    const t0 = Date.now();
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    const took = Date.now() - t0;
    assert.equal(exit.code, 0, proc.stderr());
    assert.ok(took >= 1900 && took < 8000, `waited for the 2 s drain, then exited (${took} ms)`);
    assert.ok(proc.logs.some((l) => l.msg === "drain timeout: aborting requests in flight"));
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "released, not left invisible for 60 s");
  });

  it("waits for a receive in progress instead of abandoning it: a message that arrives during the stop goes back at once", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    // An aborted long poll stays open on the SQS side and would take this message into a dead
    // connection, invisible for the whole VisibilityTimeout (60 s).
    const proc = startSidecarProcess({ env: daemonEnv(t.server, t.queue, t.app.url, { WaitTime: "5", VisibilityTimeout: "60" }) });
    await proc.waitForLog((l) => l.msg === "receiving", 20_000);
    await sleep(300); // a long poll is now waiting
    const t0 = Date.now();
    proc.kill("SIGTERM");
    await proc.waitForLog((l) => l.msg === "stopping: receiving stopped, draining", 5000);
    await t.queue.send("late");
    const exit = await proc.exited;
    assert.equal(exit.code, 0, proc.stderr());
    assert.ok(Date.now() - t0 < 8000, "exited within WaitTime");
    assert.equal(t.app.requests.length, 0, "nothing posted after the signal");
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "the late message is visible again, not held by a dead long poll");
    assert.ok(!proc.logs.some((l) => l.level === LEVEL.warn && String(l.msg).startsWith("receives still waiting were aborted")));
  });

  it("a second signal cuts the stop short: waiting receives and requests in flight are aborted", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ hang: true });
    await t.queue.send("slow");
    const proc = startSidecarProcess({ env: daemonEnv(t.server, t.queue, t.app.url, { WaitTime: "20", DrainTimeout: "60", VisibilityTimeout: "60", InactivityTimeout: "120" }) });
    await t.app.waitForRequests(1, 20_000);
    const t0 = Date.now();
    proc.kill("SIGTERM");
    await proc.waitForLog((l) => l.msg === "stopping: receiving stopped, draining", 5000);
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    assert.equal(exit.code, 0, proc.stderr());
    assert.ok(Date.now() - t0 < 5000, `did not wait for the 60 s drain or the 20 s long poll (${Date.now() - t0} ms)`);
    assert.ok(proc.logs.some((l) => l.msg === "second signal: aborting requests in flight and waiting receives"));
    // Released, though the aborted long poll may still take it on the SQS side: then it is in
    // flight until VisibilityTimeout. That is the price of the second signal, and why the
    // first one waits.
    const c = await t.queue.counts();
    assert.equal(c.visible + c.inFlight, 1, `the message is still in the queue: ${JSON.stringify(c)}`);
    assert.ok(proc.logs.some((l) => l.msg === "released" || l.outcome === "aborted"), "the aborted request's message was released");
  });
});
