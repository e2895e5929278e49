/**
 * Dead-lettering is the queue's doing: after its redrive policy's maxReceiveCount receives,
 * SQS moves a message to the DLQ. The daemon counts a message as dead-lettered (event,
 * DeadLettered metric, deadLetterNext) when it hands one back on that last receive, by the
 * queue's real policy, read at start and again while running, whatever MaxRetries says.
 * Real daemon, real SQS emulator, real HTTP app.
 */
import { strict as assert } from "node:assert";
import { SetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

describe("sidecar: dead-letter queue", function () {
  const t = sidecarTest();

  /** The daemon's view of one message's failures: [receiveCount, deadLetterNext] per failure. */
  function failures(id: string): Array<[number, boolean]> {
    return t.d.seen("failed", (e) => e.message.id === id).map((e) => [e.message.receiveCount, e.deadLetterNext]);
  }

  /** A queue (with a DLQ and this maxReceiveCount, or none), an app answering 500, a daemon. */
  async function failingSetup(maxReceiveCount: number | undefined, env: Record<string, string>) {
    t.queue = await t.server.createQueue(maxReceiveCount === undefined ? {} : { maxReceiveCount });
    t.app = await startApp({ status: 500 });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ErrorVisibilityTimeout: "0", VisibilityTimeout: "30", ...env }));
    return t.queue.send('{"poison":true}');
  }

  /** Once the DLQ holds the message: the main queue is empty, and no further post comes. */
  async function assertMovedToDlq(id: string, posts: number): Promise<void> {
    await eventually(async () => assert.equal((await t.queue.dlqCounts()).visible, 1), { timeoutMs: 10_000 });
    assert.deepEqual(await t.queue.counts(), EMPTY);
    await sleep(1000); // ErrorVisibilityTimeout=0: another post would have happened by now
    assert.equal(t.app.requests.length, posts, `exactly ${posts} posts`);
    const [dead] = await t.queue.receiveAll(true);
    assert.equal(dead?.MessageId, id);
  }

  it("no redrive policy (MaxRetries=2): a message failing again and again is never counted dead-lettered", async () => {
    const id = await failingSetup(undefined, { MaxRetries: "2" });
    assert.deepEqual(await t.d.waitFor("redrive-policy"), { changed: false }, "the daemon read the queue: no policy");
    // Well past MaxRetries: the old rule (receive count >= MaxRetries) counted each of these.
    await t.app.waitForRequests(6, 20_000);
    await eventually(() => assert.ok(failures(id).length >= 6, `failures seen: ${failures(id).length}`));
    assert.deepEqual(
      failures(id).slice(0, 6),
      [1, 2, 3, 4, 5, 6].map((n) => [n, false]),
      "never flagged deadLetterNext",
    );
    await t.d.stop();
    assert.equal(t.d.seen("dead-lettered").length, 0);
    assert.equal(t.d.daemon.metrics.totals.get("DeadLettered"), undefined);
    assert.ok((t.d.daemon.metrics.totals.get("Failed") ?? 0) >= 6, "the failures were counted");
    assert.ok(t.d.logs.some((l) => l.level === "warn" && String(l.msg).startsWith("queue has no redrive policy")));
  });

  it("policy below MaxRetries (maxReceiveCount 3, MaxRetries 10): dead-lettered on the 3rd failure, as the queue does", async () => {
    const id = await failingSetup(3, { MaxRetries: "10" });
    const reqs = await t.app.waitForRequests(3, 15_000);
    assert.deepEqual(
      reqs.map((r) => Number(r.headers["x-aws-sqsd-receive-count"])),
      [1, 2, 3],
    );
    await assertMovedToDlq(id, 3);
    assert.deepEqual(failures(id), [
      [1, false],
      [2, false],
      [3, true],
    ]);
    assert.deepEqual(t.d.seen("dead-lettered"), [{ message: { id, receiveCount: 3 }, maxReceiveCount: 3, after: "failed" }]);
    assert.equal(t.d.daemon.metrics.totals.get("DeadLettered"), 1);
    assert.equal(t.d.daemon.metrics.totals.get("Failed"), 3);
  });

  it("policy above MaxRetries (maxReceiveCount 5, MaxRetries 2): not dead-lettered at the 2nd failure, only at the 5th", async () => {
    const id = await failingSetup(5, { MaxRetries: "2" });
    await eventually(() => assert.ok(failures(id).length >= 2));
    assert.deepEqual(failures(id).slice(0, 2), [
      [1, false],
      [2, false],
    ]);
    await assertMovedToDlq(id, 5);
    assert.deepEqual(
      failures(id),
      [1, 2, 3, 4, 5].map((n) => [n, n === 5]),
    );
    assert.deepEqual(
      t.d.seen("dead-lettered").map((e) => [e.message.receiveCount, e.maxReceiveCount]),
      [[5, 5]],
    );
    assert.equal(t.d.daemon.metrics.totals.get("DeadLettered"), 1);
  });

  it("follows a redrive policy changed while running", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 10 });
    t.app = await startApp({ status: 500 });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { ErrorVisibilityTimeout: "0", VisibilityTimeout: "30" }), { redriveRefreshMs: 200 });
    assert.equal((await t.d.waitFor("redrive-policy")).policy?.maxReceiveCount, 10);
    await t.server.client.send(
      new SetQueueAttributesCommand({ QueueUrl: t.queue.url, Attributes: { RedrivePolicy: JSON.stringify({ maxReceiveCount: 2, deadLetterTargetArn: t.queue.dlqArn }) } }),
    );
    const changed = await t.d.waitFor("redrive-policy", (e) => e.changed, 5000);
    assert.equal(changed.policy?.maxReceiveCount, 2);
    const id = await t.queue.send("fails");
    await assertMovedToDlq(id, 2);
    assert.deepEqual(failures(id), [
      [1, false],
      [2, true],
    ]);
    assert.equal(t.d.daemon.metrics.totals.get("DeadLettered"), 1);
  });

  it("a timeout on the last receive is dead-lettered too", async () => {
    t.queue = await t.server.createQueue({ maxReceiveCount: 2 });
    t.app = await startApp({ hang: true });
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { InactivityTimeout: "1", VisibilityTimeout: "2" }));
    const id = await t.queue.send("hangs");
    await t.d.waitFor("dead-lettered", (e) => e.message.id === id, 20_000);
    assert.deepEqual(
      t.d.seen("timed-out", (e) => e.message.id === id).map((e) => [e.message.receiveCount, e.deadLetterNext]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.deepEqual(t.d.seen("dead-lettered")[0], { message: { id, receiveCount: 2 }, maxReceiveCount: 2, after: "timed-out" });
    await eventually(async () => assert.equal((await t.queue.dlqCounts()).visible, 1), { timeoutMs: 15_000 });
  });
});
