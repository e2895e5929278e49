/**
 * RetentionPeriod: a message first received longer ago than RetentionPeriod is deleted
 * unposted, and logged. The daemon's clock is injected, so "2 hours ago" needs no waiting;
 * the emulator sets ApproximateFirstReceiveTimestamp (real time) on the first receive.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

describe("sidecar: RetentionPeriod", function () {
  const t = sidecarTest();

  async function run(clock?: () => number) {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp({ status: 200 });
    // VisibilityTimeout=30: a message received but not deleted stays counted in flight.
    const env = daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", RetentionPeriod: "60", VisibilityTimeout: "30" });
    t.d = await startDaemon(env, { clock });
  }

  it("deletes unposted a message first received longer ago than RetentionPeriod, with a warning", async () => {
    await run(() => Date.now() + 2 * 3600_000);
    const id = await t.queue.send("stale");
    const expired = await t.d.waitFor("expired", (e) => e.message.id === id);
    assert.ok(expired.ageSeconds >= 7000, `age ${expired.ageSeconds} s`);
    assert.equal(expired.retentionPeriodSeconds, 60);
    const line = await t.d.waitForLog((l) => l.msgId === id && /past RetentionPeriod/.test(String(l.msg)));
    assert.equal(line.level, "warn", "and it is logged as a warning");
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    await sleep(1000);
    assert.equal(t.app.requests.length, 0, "never posted");
    assert.equal(t.d.daemon.metrics.totals.get("Expired"), 1);
  });

  it("control: a fresh message under the same RetentionPeriod is delivered", async () => {
    await run();
    const id = await t.queue.send("fresh");
    const [req] = await t.app.waitForRequests(1);
    assert.equal(req!.headers["x-aws-sqsd-msgid"], id);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    await t.d.waitFor("delivered", (e) => e.message.id === id);
    assert.equal(t.d.seen("expired").length, 0);
  });
});
