/**
 * Health gating and the daemon's own status endpoint: nothing is received before the app is
 * healthy, receiving pauses while it is unhealthy, and /livez and /readyz tell the truth.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { freePort } from "../support/emulator-process";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

async function status(port: number, path: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { code: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("sidecar: health", function () {
  const t = sidecarTest();

  it("does not receive until the app's port answers (no health path), then delivers", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    await t.queue.send("early");
    const port = await freePort();
    t.d = await startDaemon(daemonEnv(t.server, t.queue, `http://127.0.0.1:${port}/`), { noWait: true });
    await sleep(1500);
    assert.deepEqual(await t.queue.counts(), { visible: 1, inFlight: 0, delayed: 0 }, "nothing received while the app is down");
    // Now the app comes up on that port.
    const late: Server = createServer((req, res) => req.resume().on("end", () => res.end("ok")));
    await new Promise<void>((r) => late.listen(port, "127.0.0.1", () => r()));
    try {
      await eventually(async () => assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }), { timeoutMs: 15_000 });
      assert.equal((late.address() as AddressInfo).port, port);
    } finally {
      late.closeAllConnections();
      late.close();
    }
  });

  it("pauses receiving while HealthCheckPath fails, resumes when it passes, and /readyz follows", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    let healthy = false;
    t.app = await startApp((req) => (req.path === "/health" ? { status: healthy ? 200 : 503 } : { status: 200 }));
    const statusPort = await freePort();
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { HealthCheckPath: "/health", StatusPort: String(statusPort), HealthCheckSuccessCount: "2" }), {
      noWait: true,
    });
    await t.queue.send("one");
    await sleep(1000);
    assert.equal(t.app.requests.filter((r) => r.method === "POST").length, 0, "no delivery before the app is healthy");
    assert.equal((await status(statusPort, "/livez")).code, 200);
    assert.equal((await status(statusPort, "/readyz")).code, 503);

    healthy = true;
    await eventually(() => assert.equal(t.app!.requests.filter((r) => r.method === "POST").length, 1), { timeoutMs: 10_000 });
    const ready = await status(statusPort, "/readyz");
    assert.equal(ready.code, 200);
    assert.equal(ready.body.appHealthy, true);

    healthy = false;
    assert.equal(t.d.seen("app-unhealthy").length, 0);
    assert.equal((await t.d.waitFor("app-unhealthy", undefined, 10_000)).reason, "health check failed");
    await t.queue.send("two");
    await sleep(1500);
    assert.equal(t.app.requests.filter((r) => r.method === "POST").length, 1, "paused while unhealthy");
    assert.equal((await status(statusPort, "/readyz")).code, 503);

    healthy = true;
    await t.d.waitFor("app-healthy", undefined, 10_000);
    await eventually(() => assert.equal(t.app!.requests.filter((r) => r.method === "POST").length, 2), { timeoutMs: 10_000 });
  });

  it("treats a refused connection as the app going down: pauses, then resumes", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 10 });
    t.app = await startApp();
    const port = t.app.port;
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ErrorVisibilityTimeout: "0" }));
    await t.app.close();
    await t.queue.send("while down");
    assert.match((await t.d.waitFor("app-unhealthy", undefined, 10_000)).reason, /ECONNREFUSED/);
    const failures = t.d.seen("failed").length;
    assert.ok(failures >= 1, "the refused delivery failed");
    await sleep(1500);
    assert.ok(t.d.seen("failed").length <= failures + 1, "no retry storm while the app is down");
    const back: Server = createServer((req, res) => req.resume().on("end", () => res.end("ok")));
    await new Promise<void>((r) => back.listen(port, "127.0.0.1", () => r()));
    try {
      await eventually(async () => assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }), { timeoutMs: 15_000 });
    } finally {
      back.closeAllConnections();
      back.close();
    }
  });
});
