/**
 * Stopping: no new receives, unposted messages handed back at once, requests in flight let
 * finish (up to DrainTimeout) and deleted, a waiting receive let return (and what it brings
 * released), pending calls flushed. Signals and exit codes on the real `sqsd` process; the
 * drain's inner steps in process, where the daemon's events and state can be watched.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { freePort } from "../support/emulator-process";
import { startSidecarProcess } from "../support/sidecar-process";
import { eventually } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

/** The daemon's status endpoint: /livez answers 503 once a stop has begun; the body is its snapshot. */
async function livez(port: number): Promise<{ code: number; receiving: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/livez`);
  const body = (await res.json()) as { receiving?: number };
  return { code: res.status, receiving: body.receiving ?? 0 };
}

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
      // The two posted messages were answered 200 and deleted (an aborted one would be visible
      // again); the other 18 are visible again now.
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
    assert.equal(t.app.inFlight(), 0, "the request was aborted");
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "released, not left invisible for 60 s");
  });

  it("waits for a receive in progress instead of abandoning it: a message that arrives during the stop goes back at once", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    // An aborted long poll stays open on the SQS side and would take the late message into a
    // dead connection, invisible for the whole VisibilityTimeout (60 s). WaitTime 10: the
    // long poll is still waiting when the message arrives.
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { WaitTime: "10", VisibilityTimeout: "60" }));
    await eventually(() => assert.equal(t.d!.daemon.snapshot().receiving, 1, "a long poll is waiting"), { intervalMs: 10 });
    const t0 = Date.now();
    const stopped = t.d.daemon.stop("test: stop during a long poll");
    await t.d.waitFor("stopping");
    const id = await t.queue.send("late");
    await stopped;
    assert.ok(Date.now() - t0 < 8000, "the waiting receive returned with the late message, long before WaitTime");
    // The positive case happened: the waiting receive brought the message after the stop began...
    const released = t.d.seen("released", (e) => e.message.id === id);
    assert.deepEqual(
      released.map((e) => e.reason),
      ["received-while-stopping"],
    );
    // ...and it was handed back, not abandoned with the receive.
    assert.equal(t.d.seen("stopped")[0]?.abortedReceives, 0, "no receive was aborted");
    assert.equal(t.app.requests.length, 0, "nothing posted after the stop began");
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "the late message is visible again, not held by a dead long poll");
  });

  it("a second signal aborts requests in flight at once and releases their messages", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ hang: true });
    await t.queue.send("slow");
    // HttpConnections 1: with the one request in flight no receive waits, so the released
    // message cannot be taken by an aborted long poll and is visible at once.
    const statusPort = await freePort();
    const proc = startSidecarProcess({
      env: daemonEnv(t.server, t.queue, t.app.url, { HttpConnections: "1", StatusPort: String(statusPort), DrainTimeout: "60", VisibilityTimeout: "60", InactivityTimeout: "120" }),
    });
    await t.app.waitForRequests(1, 20_000);
    const t0 = Date.now();
    proc.kill("SIGTERM");
    await eventually(async () => assert.equal((await livez(statusPort)).code, 503, "stopping"), { timeoutMs: 5000, intervalMs: 20 });
    assert.equal(t.app.inFlight(), 1, "the first signal let the request run");
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    assert.equal(exit.code, 0, proc.stderr());
    assert.ok(Date.now() - t0 < 5000, `did not wait for the 60 s drain (${Date.now() - t0} ms)`);
    assert.equal(t.app.inFlight(), 0, "the request was aborted");
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "released at once");
  });

  it("a second signal aborts a waiting long poll", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    const statusPort = await freePort();
    const proc = startSidecarProcess({
      env: daemonEnv(t.server, t.queue, t.app.url, { StatusPort: String(statusPort), WaitTime: "20", DrainTimeout: "60" }),
    });
    // The status endpoint counts receives in progress: wait until a long poll is waiting.
    await eventually(async () => assert.equal((await livez(statusPort)).receiving, 1), { timeoutMs: 20_000, intervalMs: 50 });
    const t0 = Date.now();
    proc.kill("SIGTERM");
    const stopping = await eventually(
      async () => {
        const s = await livez(statusPort);
        assert.equal(s.code, 503);
        return s;
      },
      { timeoutMs: 5000, intervalMs: 20 },
    );
    assert.equal(stopping.receiving, 1, "the first signal let the long poll wait");
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    assert.equal(exit.code, 0, proc.stderr());
    assert.ok(Date.now() - t0 < 5000, `did not wait out the 20 s long poll (${Date.now() - t0} ms)`);
  });
});
