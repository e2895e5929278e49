/**
 * The request the app sees: path, body byte for byte, Content-Type and every sqsd header.
 * Real daemon, real SQS emulator, real HTTP app.
 */
import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";
import { startApp } from "../support/app-server";
import { daemonEnv, startDaemon } from "../support/daemon";
import { eventually } from "../support/wait";
import { sidecarTest } from "../support/sidecar-test";
import { keepsTraceHeader, sendTraced, TRACE_HEADER } from "../support/trace-header-gap";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A header as the bytes that were sent, decoded as UTF-8 (node:http reads them as latin1). */
function utf8Header(value: string | string[] | undefined): string {
  return Buffer.from(String(value), "latin1").toString("utf8");
}

describe("sidecar: the request", function () {
  const t = sidecarTest();

  async function run(extra: Record<string, string> = {}, appPath = "/") {
    t.queue = await t.server.createQueue({ maxReceiveCount: 5 });
    t.app = await startApp();
    t.d = await startDaemon(daemonEnv(t.server, t.queue, t.app.origin + appPath, extra));
  }

  it("POSTs the body byte for byte with Content-Type = MimeType and every sqsd header", async () => {
    await run({ MimeType: "text/plain; charset=utf-8", HttpPath: "/work?x=1" });
    const sentBefore = Date.now();
    const body = 'line1\r\nline2\t"quoted" é ü ß 日本語 🙂 \u00a0 {"not": json';
    const id = await t.queue.send(body);
    const [req] = await t.app.waitForRequests(1);
    assert.ok(req);
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/work?x=1");
    assert.deepEqual(req.body, Buffer.from(body, "utf8"));
    assert.equal(req.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(req.headers["content-length"], String(Buffer.byteLength(body)));
    assert.match(String(req.headers["user-agent"]), /^aws-sqsd/);
    assert.equal(req.headers["x-aws-sqsd-msgid"], id);
    assert.equal(req.headers["x-aws-sqsd-queue"], t.queue.name);
    assert.equal(req.headers["x-aws-sqsd-receive-count"], "1");
    assert.ok(req.headers["x-aws-sqsd-sender-id"], "sender id present");
    for (const h of ["x-aws-sqsd-first-received-at", "x-aws-sqsd-sent-at"]) {
      const v = String(req.headers[h]);
      assert.match(v, ISO_UTC, `${h} is ISO 8601 UTC`);
      const t = Date.parse(v);
      assert.ok(Math.abs(t - sentBefore) < 60_000, `${h}=${v} is close to now`);
    }
    assert.equal(req.headers["x-aws-sqsd-taskname"], undefined);
    await eventually(async () => assert.deepEqual(await t.queue.counts(), { visible: 0, inFlight: 0, delayed: 0 }));
  });

  it("keeps a 1 MiB body intact", async function () {
    await run();
    // The largest body SQS accepts is 1 MiB (older limits: 256 KiB); use what this server takes.
    let size = 1024 * 1024;
    let body: string;
    for (;;) {
      body = Array.from({ length: size }, (_, i) => String.fromCharCode(0x20 + ((i * 7919) % 95))).join("");
      try {
        await t.queue.send(body);
        break;
      } catch (err) {
        if (size <= 256 * 1024) throw err;
        size = 256 * 1024;
      }
    }
    if (size < 1024 * 1024) this.test!.title += ` (server accepts ${size / 1024} KiB)`;
    const [req] = await t.app.waitForRequests(1);
    assert.equal(req!.body.length, size);
    assert.ok(req!.body.equals(Buffer.from(body, "utf8")));
  });

  it("forwards String and Number attributes as X-Aws-Sqsd-Attr-*, drops Binary and beanstalk.sqsd.*", async () => {
    await run();
    await t.queue.send("{}", {
      plain: { DataType: "String", StringValue: "hello world" },
      count: { DataType: "Number", StringValue: "42.5" },
      "custom.type": { DataType: "String.json", StringValue: '{"a":1}' },
      accented: { DataType: "String", StringValue: "café ü 🙂" },
      blob: { DataType: "Binary", BinaryValue: Buffer.from([0, 1, 2, 255]) },
      "Odd_Name-1.x": { DataType: "Number.int", StringValue: "7" },
      "beanstalk.sqsd.other": { DataType: "String", StringValue: "hidden" },
      multiline: { DataType: "String", StringValue: "line1\nline2" },
    });
    const [req] = await t.app.waitForRequests(1);
    const h = req!.headers;
    assert.equal(h["x-aws-sqsd-attr-plain"], "hello world");
    assert.equal(h["x-aws-sqsd-attr-count"], "42.5");
    assert.equal(h["x-aws-sqsd-attr-custom.type"], '{"a":1}');
    assert.equal(utf8Header(h["x-aws-sqsd-attr-accented"]), "café ü 🙂");
    assert.equal(h["x-aws-sqsd-attr-odd_name-1.x"], "7");
    assert.equal(h["x-aws-sqsd-attr-blob"], undefined, "Binary attributes are dropped");
    assert.equal(h["x-aws-sqsd-attr-multiline"], undefined, "a value with a newline cannot be a header");
    const warned = await t.d.waitForLog((l) => l.msg === "attributes not forwarded: their values cannot be header values");
    assert.deepEqual(warned.attributes, ["multiline"]);
    const forwarded = Object.keys(h).filter((k) => k.startsWith("x-aws-sqsd-attr-"));
    assert.deepEqual(forwarded.sort(), ["x-aws-sqsd-attr-accented", "x-aws-sqsd-attr-count", "x-aws-sqsd-attr-custom.type", "x-aws-sqsd-attr-odd_name-1.x", "x-aws-sqsd-attr-plain"]);
  });

  it("signs the request with HMAC-SHA256 when a secret is set", async () => {
    await run({ SQSD_HMAC_SECRET_KEY: "s3cret", SQSD_HTTP_HMAC_HEADER: "X-Signature" }, "/hook");
    const body = '{"n":1}';
    await t.queue.send(body);
    const [req] = await t.app.waitForRequests(1);
    const expected = createHmac("sha256", "s3cret").update(`POST ${t.app.origin}/hook\n${body}`).digest("hex");
    assert.equal(req!.headers["x-signature"], expected);
  });

  it("passes AWSTraceHeader on as X-Amzn-Trace-Id", async () => {
    if (!(await keepsTraceHeader(t.server))) return;
    await run();
    await sendTraced(t.server, t.queue);
    const [req] = await t.app.waitForRequests(1);
    assert.equal(req!.headers["x-amzn-trace-id"], TRACE_HEADER);
  });

  it("reuses connections to the app (keep-alive)", async () => {
    await run({ HttpConnections: "1" });
    await t.queue.sendMany(Array.from({ length: 5 }, (_, i) => `m${i}`));
    const reqs = await t.app.waitForRequests(5);
    for (const r of reqs) assert.notEqual(String(r.headers.connection).toLowerCase(), "close");
    assert.equal(new Set(reqs.map((r) => r.connectionId)).size, 1, "one TCP connection served all five POSTs");
  });
});
