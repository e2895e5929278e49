/**
 * Outcomes: what each answer of the app (or its silence) does to the message.
 * Real daemon, real SQS emulator, real HTTP app.
 */
import { strict as assert } from "node:assert";
import { startApp, type Behaviour, type RecordedRequest } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually, sleep } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";

const EMPTY = { visible: 0, inFlight: 0, delayed: 0 };

/** The receive count the daemon sent with a request. */
function receiveCount(r: RecordedRequest | undefined): number {
  return Number(r?.headers["x-aws-sqsd-receive-count"]);
}

/** First try answers `first`, every later try 200: shows whether (and when) the message came back. */
function firstThen200(first: Behaviour): Behaviour {
  return (req) => {
    if (receiveCount(req) !== 1) return { status: 200 };
    return typeof first === "function" ? first(req) : first;
  };
}

describe("sidecar: outcomes", function () {
  const t = sidecarTest();

  async function run(behaviour: Behaviour, extra: Record<string, string> = {}) {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp(behaviour);
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.url, { MaxRetries: "5", ...extra }));
  }

  it("200 deletes the message", async () => {
    // VisibilityTimeout=30: an undeleted message would still be counted in flight.
    await run({ status: 200 }, { VisibilityTimeout: "30", ErrorVisibilityTimeout: "1" });
    const id = await t.queue.send("ok");
    await t.app.waitForRequests(1);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    const delivered = await t.d.waitFor("delivered", (e) => e.message.id === id);
    assert.equal(delivered.status, 200);
    await sleep(1500);
    assert.equal(t.app.requests.length, 1, "delivered once");
    assert.equal(t.d.seen("failed").length, 0);
  });

  it("default SuccessStatus (200 only): 201 and 204 do not delete, the message comes back", async () => {
    await run(
      firstThen200((req) => ({ status: Number(req.body.toString()) })),
      { VisibilityTimeout: "30", ErrorVisibilityTimeout: "1" },
    );
    const ids = await t.queue.sendMany(["201", "204"]);
    const reqs = await t.app.waitForRequests(4, 15_000);
    for (const [i, id] of ids.entries()) {
      const tries = reqs.filter((r) => r.headers["x-aws-sqsd-msgid"] === id);
      assert.deepEqual(tries.map(receiveCount), [1, 2], `message ${i} ("${["201", "204"][i]}") delivered twice`);
      const failed = await t.d.waitFor("failed", (e) => e.message.id === id);
      assert.deepEqual([failed.outcome, failed.status, failed.message.receiveCount], ["response", Number(["201", "204"][i]), 1]);
    }
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
  });

  it("SuccessStatus=2xx: 204 deletes", async () => {
    await run({ status: 204 }, { SuccessStatus: "2xx", VisibilityTimeout: "30", ErrorVisibilityTimeout: "1" });
    const id = await t.queue.send("x");
    await t.app.waitForRequests(1);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
    assert.equal((await t.d.waitFor("delivered", (e) => e.message.id === id)).status, 204);
    await sleep(1500); // past ErrorVisibilityTimeout: a retry would have shown up by now
    assert.equal(t.app.requests.length, 1);
  });

  it("500: the message comes back after ErrorVisibilityTimeout, not VisibilityTimeout", async () => {
    await run(firstThen200({ status: 500 }), { VisibilityTimeout: "30", ErrorVisibilityTimeout: "2" });
    const id = await t.queue.send("x");
    const [r1, r2] = await t.app.waitForRequests(2, 15_000);
    const gap = r2!.at - r1!.at;
    assert.ok(gap >= 1500, `came back after ${gap} ms: not before ~2 s of ErrorVisibilityTimeout`);
    assert.ok(gap < 10_000, `came back after ${gap} ms: well before VisibilityTimeout (30 s)`);
    assert.equal(receiveCount(r2), 2);
    const failed = await t.d.waitFor("failed", (e) => e.message.id === id);
    assert.equal(failed.status, 500);
    assert.equal(failed.retryInSeconds, 2);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
  });

  it("connection destroyed mid-request: ErrorVisibilityTimeout", async () => {
    await run(firstThen200({ destroy: true }), { VisibilityTimeout: "30", ErrorVisibilityTimeout: "1" });
    const id = await t.queue.send("x");
    const [r1, r2] = await t.app.waitForRequests(2, 15_000);
    const gap = r2!.at - r1!.at;
    assert.ok(gap >= 500 && gap < 10_000, `came back after ${gap} ms (ErrorVisibilityTimeout 1 s, VisibilityTimeout 30 s)`);
    const failed = await t.d.waitFor("failed", (e) => e.message.id === id);
    assert.equal(failed.outcome, "connection-error");
    assert.equal(failed.retryInSeconds, 1);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
  });

  it("app not listening (connection refused): not deleted, logged as a connection error", async () => {
    await run({ status: 200 }, { VisibilityTimeout: "30", ErrorVisibilityTimeout: "1" });
    // Up for the start-up health check, then gone: the next POST is refused.
    await t.app.close();
    const id = await t.queue.send("x");
    const failed = await t.d.waitFor("failed", (e) => e.message.id === id);
    assert.equal(failed.outcome, "connection-error");
    assert.match(failed.reason, /ECONNREFUSED/);
    assert.equal(failed.retryInSeconds, 1);
    await sleep(2000);
    const c = await t.queue.counts();
    assert.equal(c.visible + c.inFlight, 1, `still in the queue: ${JSON.stringify(c)}`);
    assert.equal(t.d.seen("delivered", (e) => e.message.id === id).length, 0, "never deleted");
  });

  for (const status of [429, 503]) {
    for (const form of ["delta-seconds", "HTTP-date"] as const) {
      it(`${status} with Retry-After (${form}): next delivery not before the delay`, async () => {
        // ErrorVisibilityTimeout=0: without Retry-After it would come back at once.
        const retryAfter = () => (form === "delta-seconds" ? "3" : new Date(Date.now() + 4000).toUTCString());
        await run(firstThen200(() => ({ status, headers: { "Retry-After": retryAfter() } })), {
          VisibilityTimeout: "30",
          ErrorVisibilityTimeout: "0",
        });
        const id = await t.queue.send("x");
        const [r1, r2] = await t.app.waitForRequests(2, 15_000);
        const gap = r2!.at - r1!.at;
        // An HTTP-date has whole seconds: now+4 s rounds down to at least now+3 s.
        assert.ok(gap >= 2500, `came back after ${gap} ms, before Retry-After`);
        assert.ok(gap < 10_000, `came back after ${gap} ms`);
        const failed = await t.d.waitFor("failed", (e) => e.message.id === id);
        assert.equal(failed.status, status);
        assert.ok(failed.retryInSeconds >= 3, `visibility ${failed.retryInSeconds} s`);
      });
    }
  }

  it("InactivityTimeout: a hanging request is aborted and the message reappears only after VisibilityTimeout", async () => {
    await run(firstThen200({ hang: true }), { InactivityTimeout: "1", VisibilityTimeout: "4", ErrorVisibilityTimeout: "0" });
    const id = await t.queue.send("x");
    const [r1] = await t.app.waitForRequests(1);
    // The daemon closed the connection: the app's request is no longer open.
    await eventually(() => assert.equal(t.app.inFlight(), 0), { timeoutMs: 3000 });
    assert.ok(Date.now() - r1!.at < 3000, "aborted about InactivityTimeout after it started");
    const timedOut = await t.d.waitFor("timed-out", (e) => e.message.id === id);
    assert.ok(timedOut.latencyMs >= 900, `aborted after InactivityTimeout (${timedOut.latencyMs} ms)`);
    assert.equal(t.d.seen("delivered", (e) => e.message.id === id && e.message.receiveCount === 1).length, 0, "not deleted");
    const [, r2] = await t.app.waitForRequests(2, 15_000);
    const gap = r2!.at - r1!.at;
    assert.ok(gap >= 3500, `re-shown after ${gap} ms, before VisibilityTimeout (4 s)`);
    assert.ok(gap < 10_000, `re-shown after ${gap} ms`);
    assert.equal(receiveCount(r2), 2);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), EMPTY));
  });
});
