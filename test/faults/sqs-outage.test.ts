/**
 * The SQS endpoint goes away mid-run and comes back (same port, queues and messages kept):
 * the daemon backs off without a hot loop, resumes without a restart, and every message is
 * accounted for. Duplicates are allowed only for messages not yet answered 200 when SQS
 * went down (their delete or visibility change could not reach SQS).
 */
import { strict as assert } from "node:assert";
import { requireOrSkip } from "../support/ci-requirement";
import { startApp, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { startSqsServer, type SqsServer, type SqsServerKind, type TestQueue } from "../support/sqs-server";
import { sleep } from "../support/wait";
import { Ledger } from "./ledger";

// A dedicated fauxqs server by default: it restarts in well under a second, while a
// persistent ElasticMQ takes ~25 s to come back (≈95 s for this test). FAULTS_OUTAGE_EMULATOR=elasticmq runs it there.
const KIND = (process.env.FAULTS_OUTAGE_EMULATOR ?? "fauxqs") as SqsServerKind;

describe("faults: SQS outage", function () {
  this.timeout(150_000);
  let server: SqsServer | undefined;
  let queue: TestQueue | undefined;
  let app: TestApp | undefined;
  let d: RunningDaemon | undefined;

  after(async () => {
    await d?.stop();
    await app?.close();
    await server?.stop();
  });

  it(`SQS (dedicated ${KIND}) down for 3 s plus its restart mid-run: backs off, resumes, nothing lost`, async function () {
    const t0 = Date.now();
    server = await startSqsServer({ kind: KIND, persistent: true });
    if (!server.restart) requireOrSkip(this, `the ${server.kind} server cannot be restarted (an external SQS_ENDPOINT)`, "run against an emulator the tests start: unset SQS_ENDPOINT");
    queue = await server.createQueue({ maxReceiveCount: 5 });
    const ledger = new Ledger("sqs outage");
    const msgs = ledger.messages(400);
    app = await startApp(ledger.behaviour(() => ({ status: 200, delayMs: 150 })));
    d = await startDaemon(
      daemonEnv(server, queue, app.url, { MaxRetries: "5", HttpConnections: "10", VisibilityTimeout: "10", ErrorVisibilityTimeout: "1", WaitTime: "1", LogLevel: "info" }),
    );
    await ledger.send(server.client, queue.url, msgs);
    const deadline = Date.now() + 30_000;
    while (ledger.processed < 60 && Date.now() < deadline) await sleep(20);
    assert.ok(ledger.processed >= 60, "the run got going before the outage");

    const callsBefore = d.daemon.receiveCalls;
    const processedBefore = ledger.processed;
    const downAt = Date.now();
    await server.restart({ downMs: 3000 });
    const upAt = Date.now();
    const outageMs = upAt - downAt;
    const calls = d.daemon.receiveCalls - callsBefore;

    const settled = await ledger.settle(queue, 90_000);
    await ledger.collect(queue);
    const backoffs = d.seen("receive-failed");
    const giveUps = d.seen("settle-failed", (e) => e.call === "delete").length;
    const totals = Object.fromEntries(d.daemon.metrics.totals);
    console.log(
      ledger.summary({
        emulator: server.version,
        outageMs,
        receiveCallsDuringOutage: calls,
        backoffs: backoffs.length,
        deleteGiveUps: giveUps,
        processedBefore,
        ...totals,
        seconds: ((Date.now() - t0) / 1000).toFixed(1),
      }),
    );

    // No hot loop: each poller's delays at least double from 100 ms (equal jitter, base
    // 200 ms), so in T ms one poller makes at most log2(T/100 + 1) + 2 calls; the daemon
    // runs at most ceil(10/10) + 1 = 2 pollers here.
    const bound = 2 * (Math.ceil(Math.log2(outageMs / 100 + 1)) + 2);
    assert.ok(calls <= bound, `${calls} receive calls during ${outageMs} ms of outage (bound ${bound})`);
    assert.ok(backoffs.length >= 2, `receive errors were backed off (${backoffs.length})`);
    assert.ok(d.seen("receive-recovered").length >= 1, "receiving resumed without a restart");
    assert.ok(settled, `settled within 90 s: ${ledger.outstanding().length} outstanding`);
    ledger.assertAllAccounted({
      expectDlq: [],
      // At-least-once: only a message not yet answered when SQS went down may be answered twice.
      duplicateAllowed: (_id, times) => times[0]! >= downAt - 200,
    });
  });
});
