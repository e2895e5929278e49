/**
 * Visibility heartbeat: when a request runs longer than VisibilityTimeout (and
 * InactivityTimeout allows it), the daemon keeps extending the message's visibility, so a
 * slow job is never delivered twice at once.
 */
import { strict as assert } from "node:assert";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { eventually, sleep } from "../support/wait";

describe("sidecar: visibility heartbeat", function () {
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

  it("a 6 s request under VisibilityTimeout=2 is delivered once and deleted", async () => {
    queue = await server.createQueue({ maxReceiveCount: 5 });
    // Every request takes 6 s: a duplicate delivery would show as a second request.
    app = await startApp({ status: 200, delayMs: 6000 });
    d = await startDaemon(daemonEnv(server, queue, app.url, { MaxRetries: "5", VisibilityTimeout: "2", InactivityTimeout: "20", ErrorVisibilityTimeout: "1" }));
    const id = await queue.send("slow job");
    await app.waitForRequests(1);
    await d.waitForLog((l) => l.msgId === id && l.msg === "delivered", 15_000);
    await eventually(async () => assert.deepEqual(await queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }));
    await sleep(2500); // past one more VisibilityTimeout: nothing left to come back
    assert.equal(app.requests.length, 1, "exactly one request");
    assert.equal(app.maxInFlight(), 1, "never two at once");
    const extended = d.logs.filter((l) => l.msgId === id && l.msg === "visibility extended");
    assert.ok(extended.length >= 1, "visibility was extended while the request ran");
    assert.equal(extended[0]!.level, "debug");
  });
});
