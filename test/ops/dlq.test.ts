/**
 * `sqsd-worker dlq list|redrive|purge` against a real emulator (ElasticMQ in CI: it has the
 * message move task), as a user runs it; and the receive → send → delete fallback on fauxqs,
 * which has no move task.
 */
import assert from "node:assert/strict";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { runDlqAction } from "../../local/dlq";
import { DeclinedError } from "../../local/confirm";
import { sqsServer, startSqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { ops, opsOnTerminal } from "./run-ops";

async function deadLetters(server: SqsServer, q: TestQueue, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await server.client.send(new SendMessageCommand({ QueueUrl: q.dlqUrl, MessageBody: `{"n": ${i}}`, MessageAttributes: { origin: { DataType: "String", StringValue: `m${i}` } } }));
  }
}

describe("sqsd-worker dlq (ops)", function () {
  this.timeout(90_000);
  let server: SqsServer;
  let q: TestQueue;
  const target = () => ["--queue-url", q.url, "--endpoint", server.endpoint];

  before(async () => {
    server = await sqsServer();
  });
  beforeEach(async () => {
    q = await server.createQueue({ maxReceiveCount: 2, name: "ops-dlq" });
  });
  afterEach(() => q.delete());

  it("list peeks (visibility 0, up to --limit): every message stays visible in the DLQ", async () => {
    await deadLetters(server, q, 3);
    const all = await ops(["dlq", "list", ...target()]);
    assert.equal(all.code, 0, all.out);
    // The DLQ comes from the queue's RedrivePolicy: no --dlq-url given.
    assert.match(all.out, new RegExp(`dead-letter queue ${q.dlqName}: 3 message\\(s\\)\\n`));
    for (let i = 0; i < 3; i++) assert.match(all.out, new RegExp(`\\[origin=m${i}\\]\\n    \\{"n": ${i}\\}`));
    const two = await ops(["dlq", "list", "--limit", "2", ...target()]);
    assert.equal(two.code, 0, two.out);
    assert.match(two.out, /: 3 message\(s\), showing 2 \(--limit shows more, at most 1000\)/);
    assert.deepEqual(await q.dlqCounts(), { visible: 3, inFlight: 0 });
  });

  it("redrive runs an SQS message move task at --max-per-second, with progress lines, until it completes", async () => {
    await deadLetters(server, q, 12);
    const r = await ops(["dlq", "redrive", "--yes", "--max-per-second", "10", ...target()]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /redriving about 12 message\(s\) from .*-dlq to .* with an SQS message move task, at most 10\/s/);
    assert.match(r.out, /move task [0-9a-f-]{36} started/);
    assert.match(r.out, /^moved \d+\/12 \(\d+%\)$/m);
    assert.match(r.out, new RegExp(`redrove 12 message\\(s\\) from ${q.dlqName} to ${q.name}\\n`));
    assert.deepEqual(await q.dlqCounts(), { visible: 0, inFlight: 0 });
    const back = await q.receiveAll();
    assert.equal(back.length, 12);
    assert.deepEqual(back.map((m) => m.MessageAttributes?.origin?.StringValue).sort(), Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
  });

  it("redrive and purge without a terminal and without --yes: exit 2, nothing read or changed", async () => {
    await deadLetters(server, q, 2);
    for (const action of ["redrive", "purge"]) {
      const r = await ops(["dlq", action, ...target()]);
      assert.equal(r.code, 2, r.out);
      assert.equal(r.out, `sqsd-worker dlq: dlq ${action} needs a confirmation and there is no terminal to ask on: pass --yes to confirm\n`);
    }
    assert.deepEqual(await q.dlqCounts(), { visible: 2, inFlight: 0 });
    assert.deepEqual(await q.counts(), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it("on a terminal, purge asks: 'n' keeps every message (exit 1), 'y' purges", async () => {
    await deadLetters(server, q, 2);
    const no = await opsOnTerminal(["dlq", "purge", ...target()], "n\n");
    assert.equal(no.code, 1, no.out);
    assert.match(no.out, new RegExp(`Delete all 2 message\\(s\\) in ${q.dlqName}\\? This cannot be undone\\. \\[y/N\\]`));
    assert.match(no.out, /not confirmed: nothing was deleted/);
    assert.deepEqual(await q.dlqCounts(), { visible: 2, inFlight: 0 });
    const yes = await opsOnTerminal(["dlq", "purge", ...target()], "y\n");
    assert.equal(yes.code, 0, yes.out);
    assert.match(yes.out, new RegExp(`purged ${q.dlqName} \\(2 message\\(s\\)\\)`));
    assert.deepEqual(await q.dlqCounts(), { visible: 0, inFlight: 0 });
  });

  it("purge --yes empties the DLQ and leaves the worker queue alone", async () => {
    await deadLetters(server, q, 3);
    await q.send("keep me");
    const r = await ops(["dlq", "purge", "--yes", ...target()]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`purged ${q.dlqName} \\(3 message\\(s\\)\\)`));
    assert.deepEqual(await q.dlqCounts(), { visible: 0, inFlight: 0 });
    assert.equal((await q.counts()).visible, 1);
  });

  it("a queue without a RedrivePolicy: exit 6 asking for --dlq-url", async () => {
    const plain = await server.createQueue({ name: "ops-nodlq" });
    try {
      const r = await ops(["dlq", "list", "--queue-url", plain.url, "--endpoint", server.endpoint]);
      assert.equal(r.code, 6, r.out);
      assert.match(r.out, /has no dead-letter queue \(no RedrivePolicy\): pass --dlq-url/);
    } finally {
      await plain.delete();
    }
  });
});

describe("dlq redrive without a message move task (fauxqs): receive → send → delete", function () {
  this.timeout(60_000);
  let server: SqsServer;
  before(async () => {
    server = await startSqsServer({ kind: "fauxqs" });
  });
  after(() => server.stop());

  it("moves every message with its attributes, and only after a confirmation", async () => {
    const q = await server.createQueue({ maxReceiveCount: 2, name: "fallback" });
    await deadLetters(server, q, 15);
    const queues = { url: q.url, name: q.name, fifo: false, dlqUrl: q.dlqUrl as string, dlqName: q.dlqName as string };
    const lines: string[] = [];
    const declined = runDlqAction(server.client, queues, "redrive", { print: (l) => lines.push(l), confirm: () => Promise.resolve(false) });
    await assert.rejects(declined, DeclinedError);
    assert.deepEqual(await q.dlqCounts(), { visible: 15, inFlight: 0 });

    const progress: Array<[number, number]> = [];
    await runDlqAction(server.client, queues, "redrive", {
      print: (l) => lines.push(l),
      confirm: () => Promise.resolve(true),
      progress: () => ({ update: (done, total) => progress.push([done, total ?? -1]), finish: () => undefined }),
    });
    assert.match(lines.join("\n"), /by receive → send → delete \(this server has no message move task\)/);
    assert.equal(lines.at(-1), `redrove 15 message(s) from ${q.dlqName} to ${q.name}`);
    assert.deepEqual(progress.at(-1), [15, 15]);
    assert.deepEqual(await q.dlqCounts(), { visible: 0, inFlight: 0 });
    const back = await q.receiveAll();
    assert.deepEqual(back.map((m) => m.MessageAttributes?.origin?.StringValue).sort(), Array.from({ length: 15 }, (_, i) => `m${i}`).sort());
    await q.delete();
  });
});
