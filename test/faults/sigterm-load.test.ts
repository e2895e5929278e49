/**
 * SIGTERM to the real `sqsd` process under heavy load: receiving stops, unposted messages go
 * back at once, requests in flight finish and are deleted, exit 0 within the drain timeout.
 * A second daemon then drains the rest and every message is accounted for, with no duplicate.
 */
import { strict as assert } from "node:assert";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { startSidecarProcess, type SidecarProcess } from "../support/sidecar-process";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { sleep } from "../support/wait";
import { Ledger } from "./ledger";

describe("faults: SIGTERM under load", function () {
  this.timeout(120_000);
  let server: SqsServer;
  let queue: TestQueue | undefined;
  let app: TestApp | undefined;
  let proc: SidecarProcess | undefined;
  let d: RunningDaemon | undefined;

  before(async () => {
    server = await sqsServer();
  });
  after(async () => {
    await proc?.stop(5000);
    await d?.stop();
    await app?.close();
    await queue?.delete();
  });

  it("1000 messages, 50 in flight: exit 0 within DrainTimeout, in-flight finished and deleted, the rest released; a second daemon drains them", async () => {
    const t0 = Date.now();
    const visibility = 10;
    const drainSeconds = 10;
    queue = await server.createQueue({ maxReceiveCount: 5 });
    const ledger = new Ledger("sigterm under load");
    const msgs = ledger.messages(1000);
    app = await startApp(ledger.behaviour(() => ({ status: 200, delayMs: 300 })));
    const env = daemonEnv(server, queue, app.url, {
      MaxRetries: "5",
      HttpConnections: "50",
      VisibilityTimeout: String(visibility),
      ErrorVisibilityTimeout: "1",
      DrainTimeout: String(drainSeconds),
      LogLevel: "info",
    });
    proc = startSidecarProcess({ env });
    await ledger.send(server.client, queue.url, msgs);
    const deadline = Date.now() + 60_000;
    while ((ledger.processed < 200 || app.inFlight() < 40) && Date.now() < deadline) await sleep(10);
    assert.ok(ledger.processed >= 200 && app.inFlight() >= 40, `heavy load before the signal (${ledger.processed} done, ${app.inFlight()} in flight)`);

    const inFlightAtKill = app.inFlight();
    const killAt = Date.now();
    proc.kill("SIGTERM");
    const exit = await proc.exited;
    const tookMs = Date.now() - killAt;
    const stderr = proc.stderr();
    proc = undefined;
    assert.deepEqual(exit, { code: 0, signal: null }, stderr.slice(-2000));
    assert.ok(tookMs < drainSeconds * 1000, `exited within the drain timeout (${tookMs} ms)`);

    // Every message the first daemon posted was answered 200 (the drain let it finish).
    const requested = [...ledger.requests.keys()];
    const unfinished = requested.filter((id) => !ledger.oks.has(id));
    assert.deepEqual(unfinished, [], "requests in flight at SIGTERM finished");
    const processedByFirst = ledger.processed;
    const counts = await queue.counts();
    // Released at once: what is left is visible now, except messages handed to a long poll
    // that shutdown cancelled (SQS may still deliver those; they wait out VisibilityTimeout).
    const stuck = counts.inFlight;
    assert.equal(counts.visible + counts.inFlight, msgs.length - processedByFirst, `queue holds exactly the unprocessed messages: ${JSON.stringify(counts)}`);
    assert.ok(stuck <= 60, `at most one cancelled receive per poller (≤ 6 × 10) left in flight: ${stuck}`);

    // A second daemon (in process) drains the rest.
    const t1 = Date.now();
    d = await startDaemon(env);
    const settled = await ledger.settle(queue, visibility * 1000 + 60_000);
    const secondSeconds = (Date.now() - t1) / 1000;
    await ledger.collect(queue);
    console.log(
      ledger.summary({
        emulator: server.version,
        inFlightAtKill,
        exitMs: tookMs,
        processedByFirst,
        visibleAfterExit: counts.visible,
        inFlightAfterExit: stuck,
        secondDaemonSeconds: secondSeconds.toFixed(1),
        seconds: ((Date.now() - t0) / 1000).toFixed(1),
      }),
    );
    assert.ok(settled, `settled: ${ledger.outstanding().length} outstanding`);
    // Finished requests were deleted before exit: the second daemon posts none of them again.
    ledger.assertAllAccounted({ expectDlq: [] });
  });
});
