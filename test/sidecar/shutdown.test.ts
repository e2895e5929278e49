/**
 * SIGTERM/SIGINT on the real `sqsd` process: stop receiving, hand unposted messages back at
 * once, let requests in flight finish (up to DrainTimeout) and delete them, exit 0.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv } from "../support/daemon";
import { startSidecarProcess } from "../support/sidecar-process";
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

  it("aborts requests still running at DrainTimeout and releases them with visibility 0", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ hang: true });
    await t.queue.send("slow");
    const proc = startSidecarProcess({ env: daemonEnv(t.server, t.queue, t.app.url, { DrainTimeout: "1", VisibilityTimeout: "60", InactivityTimeout: "60" }) });
    await t.app.waitForRequests(1, 20_000);
    const t0 = Date.now();
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    const took = Date.now() - t0;
    assert.equal(exit.code, 0, proc.stderr());
    assert.ok(took >= 900 && took < 8000, `waited for the 1 s drain, then exited (${took} ms)`);
    assert.ok(proc.logs.some((l) => l.msg === "drain timeout: aborting requests in flight"));
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "released, not left invisible for 60 s");
  });

  it("exits promptly when idle, with no message left invisible", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    const proc = startSidecarProcess({ env: daemonEnv(t.server, t.queue, t.app.url, { WaitTime: "20" }) });
    await proc.waitForLog((l) => l.msg === "receiving", 20_000);
    await sleep(300); // a long poll is now waiting
    const t0 = Date.now();
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    assert.equal(exit.code, 0);
    assert.ok(Date.now() - t0 < 5000, "did not wait out the 20 s long poll");
    assert.ok(proc.logs.some((l) => l.msg === "stopped"));
  });
});
