/**
 * Receive errors back off with jitter and never spin: with the SQS server down the daemon
 * makes a handful of calls, and when it comes back the daemon resumes by itself.
 */
import { strict as assert } from "node:assert";
import { requireOrSkip } from "../support/ci-requirement";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { startSqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";

describe("sidecar: receive errors", function () {
  let server: SqsServer;
  let queue: TestQueue;
  let app: TestApp;
  let d: RunningDaemon;

  after(async () => {
    await d?.stop();
    await app?.close();
    await server?.stop();
  });

  it("backs off while SQS is down and resumes without a restart", async function () {
    server = await startSqsServer({ persistent: true });
    if (!server.restart) requireOrSkip(this, `the ${server.kind} server cannot be restarted (an external SQS_ENDPOINT)`, "run against an emulator the tests start: unset SQS_ENDPOINT");
    queue = await server.createQueue({ maxReceiveCount: 5 });
    app = await startApp();
    d = await startDaemon(daemonEnv(server, queue, app.url, { WaitTime: "1" }));
    await queue.send("before");
    await app.waitForRequests(1);

    const callsBefore = d.daemon.receiveCalls;
    const downMs = 4000;
    const t0 = Date.now();
    await server.restart({ downMs });
    const outageSeconds = (Date.now() - t0) / 1000;
    const calls = d.daemon.receiveCalls - callsBefore;
    const backoffs = d.seen("receive-failed");
    // One long poll per WaitTime second while healthy would be ~outageSeconds calls; a hot loop thousands.
    assert.ok(backoffs.length >= 2, `errors were seen and backed off (${backoffs.length})`);
    assert.ok(calls <= outageSeconds + 3, `${calls} receive calls in ${outageSeconds.toFixed(1)} s of outage`);
    const delays = backoffs.map((e) => e.retryInMs);
    assert.ok(delays.every((ms) => ms >= 100), `every retry waited (${delays.join(", ")} ms)`);
    assert.ok(Math.max(...delays) > Math.min(...delays), "delays grow");

    await queue.send("after");
    const reqs = await app.waitForRequests(2, 30_000);
    assert.equal(reqs[1]!.body.toString(), "after");
    assert.ok(d.seen("receive-recovered").length >= 1);
  });
});
