/**
 * Visibility heartbeat: when a request runs longer than VisibilityTimeout (and
 * InactivityTimeout allows it), the daemon keeps extending the message's visibility, so a
 * slow job is never delivered twice at once.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

describe("sidecar: visibility heartbeat", function () {
  const t = sidecarTest();

  it("a 6 s request under VisibilityTimeout=2 is delivered once and deleted", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    // Every request takes 6 s: a duplicate delivery would show as a second request.
    t.app = await startApp({ status: 200, delayMs: 6000 });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", VisibilityTimeout: "2", InactivityTimeout: "20", ErrorVisibilityTimeout: "1" }));
    const id = await t.queue.send("slow job");
    await t.app.waitForRequests(1);
    await t.d.waitFor("delivered", (e) => e.message.id === id, 15_000);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }));
    await sleep(2500); // past one more VisibilityTimeout: nothing left to come back
    assert.equal(t.app.requests.length, 1, "exactly one request");
    assert.equal(t.app.maxInFlight(), 1, "never two at once");
    const extended = t.d.seen("visibility-extended", (e) => e.message.id === id);
    assert.ok(extended.length >= 2, `visibility was extended while the request ran (${extended.length} times)`);
    assert.ok(extended.every((e) => e.visibilityTimeout === 2));
  });
});
