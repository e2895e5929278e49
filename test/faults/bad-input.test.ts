/**
 * Bad and unusual input: a 1 MiB body, a body that is not JSON under a JSON content type,
 * text across Unicode, 10 message attributes (Binary ones, custom types, odd names, values
 * that cannot be header values, a reserved beanstalk.sqsd.* name), and periodic tasks with a
 * good and a bad path. Each is forwarded or dropped exactly per the contract, the daemon
 * keeps delivering afterwards, and every message is accounted for.
 *
 * SQS bodies are Unicode text limited to #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD
 * #x10000–#x10FFFF: bytes that are not UTF-8 cannot be sent through SQS at all, so there is
 * no such case to deliver.
 */
import { strict as assert } from "node:assert";
import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import { startApp, type RecordedRequest, type TestApp } from "../support/app-server";
import { daemonEnv, startDaemon, type RunningDaemon } from "../support/daemon";
import { sqsServer, type SqsServer, type TestQueue } from "../support/sqs-server";
import { Ledger, type OutgoingMessage } from "./ledger";

const MIB = 1024 * 1024;
const TASK_BODY = "elasticbeanstalk scheduled job";

/** Text across the Unicode planes SQS allows, with controls it allows (tab, CR, LF). */
const UNICODE =
  "tab\there\r\nCRLF é ß Ω ж ע ١٢٣ 中文 日本語 한국어 \u200f\u202e rtl \u0301combining \ufeff BOM \ufffd \ud7ff \ue000 😀 𝄞 🏳️‍🌈 \u{10ffff}";

describe("faults: bad input", function () {
  this.timeout(90_000);
  let server: SqsServer;
  let queue: TestQueue | undefined;
  let app: TestApp | undefined;
  let d: RunningDaemon | undefined;

  before(async () => {
    server = await sqsServer();
  });
  after(async () => {
    await d?.stop();
    await app?.close();
    await queue?.delete();
  });

  it("1 MiB, non-JSON, Unicode bodies, 10 odd attributes and periodic tasks: forwarded or dropped per the contract; the daemon keeps delivering", async () => {
    const t0 = Date.now();
    const maxRetries = 2;
    queue = await server.createQueue({ maxReceiveCount: maxRetries });
    const ledger = new Ledger("bad input");
    const byId = new Map<string, RecordedRequest[]>();
    app = await startApp(
      ledger.behaviour((id, _rc, req) => {
        byId.set(id, [...(byId.get(id) ?? []), req]);
        return { status: 200 };
      }),
    );
    d = await startDaemon(
      daemonEnv(server, queue, app.url, { MaxRetries: String(maxRetries), HttpPath: "/work", VisibilityTimeout: "10", ErrorVisibilityTimeout: "1", LogLevel: "info" }),
    );

    // 1 MiB: the largest SQS body (attributes count towards the limit, so none here).
    const bigId = ledger.newId();
    const bigHead = `{"id":"fid:${bigId}","pad":"`;
    let big = bigHead + "é".repeat((MIB - bigHead.length - 2) / 2) + '"}';
    big = big.slice(0, big.length - (Buffer.byteLength(big) - MIB));
    const notJsonId = ledger.newId();
    const uniId = ledger.newId();
    const attrId = ledger.newId();
    const goodTaskId = ledger.newId();
    const badTaskId = ledger.newId();
    const afterId = ledger.newId();
    const attrs: Record<string, MessageAttributeValue> = {
      plain: { DataType: "String", StringValue: "v" },
      "Odd.Name-with_chars.9": { DataType: "String", StringValue: "odd" },
      ["n".repeat(200)]: { DataType: "String", StringValue: "long name" },
      "Number.int": { DataType: "Number", StringValue: "-12.5e3" },
      custom: { DataType: "String.json", StringValue: '{"a":1}' },
      unicode: { DataType: "String", StringValue: "héllo 中文 😀" },
      multiline: { DataType: "String", StringValue: "line1\nline2" },
      blob: { DataType: "Binary", BinaryValue: Buffer.from([0, 1, 2, 255]) },
      "blob.png": { DataType: "Binary.png", BinaryValue: Buffer.from("\x89PNG") },
      "beanstalk.sqsd.other": { DataType: "String", StringValue: "reserved" },
    };
    const task = (id: string, path: string): OutgoingMessage => ({
      id,
      // The daemon recognises a periodic task by its attributes only; the id rides along in the body.
      body: `${TASK_BODY} fid:${id}`,
      attrs: {
        "beanstalk.sqsd.task_name": { DataType: "String", StringValue: `task-${id}` },
        "beanstalk.sqsd.path": { DataType: "String", StringValue: path },
        "beanstalk.sqsd.scheduled_time": { DataType: "String", StringValue: "2026-11-29T12:00:00Z" },
      },
    });
    const notJson = `not json {"id": fid:${notJsonId} ,,, ]`;
    const uni = `${UNICODE} fid:${uniId} ${UNICODE}`;
    const sent: OutgoingMessage[] = [
      { id: notJsonId, body: notJson },
      { id: uniId, body: uni },
      { id: attrId, body: Ledger.jsonBody(attrId), attrs },
      task(goodTaskId, "/tasks/good?x=1"),
      task(badTaskId, "http://elsewhere/x"),
    ];
    await ledger.send(server.client, queue.url, [{ id: bigId, body: big }]);
    for (const m of sent) await ledger.send(server.client, queue.url, [m]);

    // The bad task fails as invalid on every receive and is dead-lettered after MaxRetries.
    const last = await d.waitFor("failed", (e) => e.outcome === "invalid" && e.message.receiveCount === maxRetries, 30_000);
    assert.equal(last.deadLetterNext, true, "the queue's redrive policy moves it next");
    // Still delivering afterwards.
    await ledger.send(server.client, queue.url, [{ id: afterId, body: Ledger.jsonBody(afterId) }]);
    const settled = await ledger.settle(queue, 30_000);
    await ledger.collect(queue);
    console.log(ledger.summary({ emulator: server.version, bigBodyBytes: Buffer.byteLength(big), seconds: ((Date.now() - t0) / 1000).toFixed(1) }));
    assert.ok(settled, `settled: ${ledger.outstanding().length} outstanding`);
    ledger.assertAllAccounted({ expectDlq: [badTaskId] });
    assert.equal(ledger.requests.get(badTaskId), undefined, "the bad task was never posted");

    const one = (id: string): RecordedRequest => {
      const reqs = byId.get(id) ?? [];
      assert.equal(reqs.length, 1, `${id}: one request`);
      return reqs[0]!;
    };
    // Bodies byte for byte, under the configured content type.
    const bigReq = one(bigId);
    assert.equal(bigReq.body.length, MIB);
    assert.ok(bigReq.body.equals(Buffer.from(big, "utf8")), "1 MiB body unchanged");
    const nj = one(notJsonId);
    assert.ok(nj.body.equals(Buffer.from(notJson, "utf8")), "non-JSON body unchanged");
    assert.equal(nj.headers["content-type"], "application/json");
    assert.ok(one(uniId).body.equals(Buffer.from(uni, "utf8")), "Unicode body unchanged, byte for byte");

    // Attributes: String and Number (custom types too) forwarded; Binary, reserved and
    // values that cannot be header values (a newline) dropped.
    const h = one(attrId).headers;
    const forwarded = Object.keys(h).filter((k) => k.startsWith("x-aws-sqsd-attr-")).sort();
    assert.deepEqual(
      forwarded,
      ["plain", "odd.name-with_chars.9", "n".repeat(200), "number.int", "custom", "unicode"].map((n) => `x-aws-sqsd-attr-${n}`).sort(),
    );
    assert.equal(h["x-aws-sqsd-attr-number.int"], "-12.5e3");
    assert.equal(h["x-aws-sqsd-attr-custom"], '{"a":1}');
    assert.equal(Buffer.from(String(h["x-aws-sqsd-attr-unicode"]), "latin1").toString("utf8"), "héllo 中文 😀", "UTF-8 value arrives as its bytes");

    // The good task went to its own path with the task headers; no beanstalk.sqsd.* attribute leaked.
    const gt = one(goodTaskId);
    assert.equal(gt.path, "/tasks/good?x=1");
    assert.equal(gt.headers["x-aws-sqsd-taskname"], `task-${goodTaskId}`);
    assert.equal(gt.headers["x-aws-sqsd-scheduled-at"], "2026-11-29T12:00:00Z");
    assert.equal(gt.headers["x-aws-sqsd-path"], "/tasks/good?x=1");
    assert.deepEqual(Object.keys(gt.headers).filter((k) => k.startsWith("x-aws-sqsd-attr-")), []);
    assert.equal(one(afterId).path, "/work");
    assert.equal(d.daemon.snapshot().live, true, "daemon alive");
  });
});
