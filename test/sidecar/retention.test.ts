/**
 * RetentionPeriod: a message first received longer ago than RetentionPeriod is deleted
 * unposted, and logged. The daemon's clock is injected, so "2 hours ago" needs no waiting;
 * the emulator sets ApproximateFirstReceiveTimestamp (real time) on the first receive.
 */
import { strict as assert } from "node:assert";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { eventually, sleep } from "../support/wait";

const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

describe("sidecar: RetentionPeriod", function () {
  let server: SqsServer;
  let queue: TestQueue;
  let app: TestApp;
  let d: RunningDaemon;

  async function run(clock?: () => number) {
    queue = await server.createQueue({ maxReceiveCount: 5 });
    app = await startApp({ status: 200 });
    // VisibilityTimeout=30: a message received but not deleted stays counted in flight.
    const env = daemonEnv(server, queue, app.url, { MaxRetries: "5", RetentionPeriod: "60", VisibilityTimeout: "30" });
    d = await startDaemon(env, { clock });
  }

  before(async () => {
    server = await sqsServer();
  });
  afterEach(async () => {
    await d?.stop();
    await app?.close();
    await queue?.delete();
  });

  it("deletes unposted a message first received longer ago than RetentionPeriod, with a warning", async () => {
    await run(() => Date.now() + 2 * 3600_000);
    const id = await queue.send("stale");
    const line = await d.waitForLog((l) => l.msgId === id && /past RetentionPeriod/.test(String(l.msg)));
    assert.equal(line.level, "warn");
    assert.ok(Number(line.ageSeconds) >= 7000, `age ${String(line.ageSeconds)} s`);
    await eventually(async () => assert.deepEqual(await queue.counts(), EMPTY));
    await sleep(1000);
    assert.equal(app.requests.length, 0, "never posted");
    assert.equal(d.daemon.metrics.totals.get("Expired"), 1);
  });

  it("control: a fresh message under the same RetentionPeriod is delivered", async () => {
    await run();
    const id = await queue.send("fresh");
    const [req] = await app.waitForRequests(1);
    assert.equal(req!.headers["x-aws-sqsd-msgid"], id);
    await eventually(async () => assert.deepEqual(await queue.counts(), EMPTY));
    assert.ok(!d.logs.some((l) => /past RetentionPeriod/.test(String(l.msg))));
  });
});
