/**
 * Dead-lettering: after MaxRetries failed receives the queue's redrive policy moves the
 * message to the DLQ; the daemon flags the last failure and counts it.
 * Real daemon, real SQS emulator, real HTTP app.
 */
import { strict as assert } from "node:assert";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

describe("sidecar: dead-letter queue", function () {
  const t = sidecarTest();

  it("a message that always fails is posted MaxRetries times, then moved to the DLQ", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 3 });
    t.app = await startApp({ status: 500 });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "3", ErrorVisibilityTimeout: "0", VisibilityTimeout: "30" }));
    const id = await t.queue.send('{"poison":true}');

    const reqs = await t.app.waitForRequests(3, 15_000);
    assert.deepEqual(
      reqs.map((r) => Number(r.headers["x-aws-sqsd-receive-count"])),
      [1, 2, 3],
    );
    for (const r of reqs) assert.equal(r.headers["x-aws-sqsd-msgid"], id);

    // The 4th receive is the one that makes the queue move it: DLQ gets it, main queue empties.
    await eventually(async () => assert.equal((await t.queue.dlqCounts()).visible, 1), { timeoutMs: 10_000 });
    assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 });
    await sleep(1000); // ErrorVisibilityTimeout=0: a 4th post would have happened by now
    assert.equal(t.app.requests.length, 3, "exactly MaxRetries posts");
    const [dead] = await t.queue.receiveAll(true);
    assert.equal(dead?.MessageId, id);
    assert.equal(dead?.Body, '{"poison":true}');

    const failures = t.d.logs.filter((l) => l.msgId === id && l.msg === "delivery failed");
    assert.deepEqual(
      failures.map((l) => [l.receiveCount, l.deadLetterNext ?? false]),
      [
        [1, false],
        [2, false],
        [3, true],
      ],
      "only the last try is flagged deadLetterNext",
    );
    assert.equal(t.d.daemon.metrics.totals.get("DeadLettered"), 1);
    assert.equal(t.d.daemon.metrics.totals.get("Failed"), 3);
  });
});
