/**
 * The daemon's own SQS client for its hot calls (sqs-wire.ts): signatures equal to the SDK's,
 * the calls against the emulator, and what the SDK did that it must still do (MD5 of bodies,
 * service errors by name, the request timeout, a skewed clock corrected).
 */
import { strict as assert } from "node:assert";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";
import { SigV4 } from "../../sidecar/sigv4";
import { SqsWire, sqsWireFor } from "../../sidecar/sqs-wire";
import { sqsServer, type SqsServer } from "../support/sqs-server";

/** SHA-256 for the SDK's signer, from node:crypto (what the SDK itself uses on Node). */
class Sha256 {
  private hash: Hash | Hmac;
  private readonly secret?: string | Uint8Array;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined || typeof secret === "string" ? secret : ArrayBuffer.isView(secret) ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength) : new Uint8Array(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const CREDS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

function stubWire(url: string, requestTimeoutMs = 5000): SqsWire {
  return new SqsWire({
    queueUrl: `${url}/000000000000/q`,
    endpoint: () => Promise.resolve(url),
    region: () => Promise.resolve("us-east-1"),
    credentials: () => Promise.resolve(CREDS),
    requestTimeoutMs,
    maxSockets: 4,
  });
}

describe("sidecar: the SQS wire client", function () {
  let stub: Server | undefined;
  afterEach(() => {
    stub?.closeAllConnections();
    stub?.close();
    stub = undefined;
  });

  async function serve(handler: RequestListener): Promise<string> {
    stub = createServer(handler);
    await new Promise<void>((r) => stub!.listen(0, "127.0.0.1", () => r()));
    return `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  }

  it("signs exactly as the SDK's SignatureV4 does (with and without a session token, at a path)", async () => {
    const now = Date.UTC(2026, 10, 29, 12, 34, 56);
    for (const [creds, path] of [
      [CREDS, "/"],
      [{ ...CREDS, sessionToken: "token/with+chars=" }, "/"],
      [CREDS, "/behind/a%20proxy"],
    ] as const) {
      const body = JSON.stringify({ QueueUrl: "https://sqs.eu-west-1.amazonaws.com/1/q", MaxNumberOfMessages: 10 });
      const headers: Record<string, string> = { host: "sqs.eu-west-1.amazonaws.com", "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ReceiveMessage" };
      new SigV4("eu-west-1", "sqs").sign(headers, path, body, creds, now);
      // applyChecksum off: SQS needs no x-amz-content-sha256 header, and ours sends none.
      const sdk = new SignatureV4({ credentials: creds, region: "eu-west-1", service: "sqs", sha256: Sha256, applyChecksum: false });
      const signed = await sdk.sign(
        { method: "POST", protocol: "https:", hostname: "sqs.eu-west-1.amazonaws.com", path, query: {}, body, headers: { host: "sqs.eu-west-1.amazonaws.com", "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ReceiveMessage" } },
        { signingDate: new Date(now) },
      );
      assert.equal(headers.authorization, signed.headers.authorization);
      assert.equal(headers["x-amz-date"], signed.headers["x-amz-date"]);
    }
  });

  describe("against the emulator", function () {
    let server: SqsServer;
    before(async () => {
      server = await sqsServer();
    });

    it("receives with every attribute (Binary values as bytes), deletes and changes visibility in batches", async () => {
      const q = await server.createQueue();
      const wire = sqsWireFor(server.client, { queueUrl: q.url, waitTimeSeconds: 1 });
      try {
        await q.send("héllo", { s: { DataType: "String", StringValue: "v" }, b: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 250]) } });
        await q.send("second");
        const got = await wire.receive({ MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] });
        assert.equal(got.length, 2);
        const first = got.find((m) => m.Body === "héllo");
        assert.ok(first, "the UTF-8 body arrives intact");
        assert.equal(first.MessageAttributes?.s?.StringValue, "v");
        assert.deepEqual([...(first.MessageAttributes?.b?.BinaryValue ?? [])], [1, 2, 250]);
        assert.equal(first.Attributes?.ApproximateReceiveCount, "1");
        const [a, b] = got;
        assert.deepEqual(await wire.changeVisibilityBatch([{ Id: "v", ReceiptHandle: b!.ReceiptHandle, VisibilityTimeout: 0 }]), []);
        const failed = await wire.deleteBatch([
          { Id: "ok", ReceiptHandle: a!.ReceiptHandle },
          { Id: "bad", ReceiptHandle: "not-a-receipt-handle" },
        ]);
        if (server.kind === "elasticmq") assert.deepEqual(failed.map((f) => f.Id), ["bad"], "a failed entry is reported, the others deleted");
        const left = await q.receiveAll();
        assert.deepEqual(left.map((m) => m.Body), ["second"]);
      } finally {
        wire.destroy();
        await q.delete();
      }
    });

    it("fails with the service's error name for a queue that does not exist", async () => {
      const wire = sqsWireFor(server.client, { queueUrl: `${server.endpoint}/000000000000/no-such-queue-${Date.now()}`, waitTimeSeconds: 1 });
      try {
        await assert.rejects(wire.deleteBatch([{ Id: "x", ReceiptHandle: "y" }]), (err: Error & { $fault?: string }) => {
          assert.match(err.name, /QueueDoesNotExist|NonExistentQueue/);
          assert.equal(err.$fault, "client");
          return true;
        });
      } finally {
        wire.destroy();
      }
    });
  });

  it("fails a receive whose body does not match its MD5, as the SDK does", async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.end(JSON.stringify({ Messages: [{ MessageId: "m1", ReceiptHandle: "r", Body: "changed", MD5OfBody: createHash("md5").update("original").digest("hex") }] }));
    });
    const wire = stubWire(url);
    try {
      await assert.rejects(wire.receive({ MaxNumberOfMessages: 1, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageAttributeNames: [], MessageSystemAttributeNames: [] }), /Invalid MD5 checksum on messages: m1/);
    } finally {
      wire.destroy();
    }
  });

  it("gives up on a call after the request timeout, and on an aborted one at once", async () => {
    const url = await serve(() => undefined); // never answers
    const wire = stubWire(url, 300);
    try {
      const t0 = performance.now();
      await assert.rejects(wire.deleteBatch([{ Id: "x", ReceiptHandle: "y" }]), { name: "TimeoutError" });
      assert.ok(performance.now() - t0 < 3000);
      const ac = new AbortController();
      const receiving = wire.receive({ MaxNumberOfMessages: 1, WaitTimeSeconds: 20, VisibilityTimeout: 30, MessageAttributeNames: [], MessageSystemAttributeNames: [] }, ac.signal);
      ac.abort();
      await assert.rejects(receiving, { name: "AbortError" });
    } finally {
      wire.destroy();
    }
  });

  it("corrects its clock by the server's Date after a clock-skew error", async () => {
    const dates: string[] = [];
    const skewMs = 20 * 60_000;
    const url = await serve((req, res) => {
      req.resume();
      dates.push((req.headers as IncomingHttpHeaders & { "x-amz-date": string })["x-amz-date"]);
      if (dates.length === 1) {
        res.writeHead(400, { date: new Date(Date.now() + skewMs).toUTCString() });
        res.end(JSON.stringify({ __type: "com.amazonaws.sqs#RequestTimeTooSkewed", message: "too skewed" }));
      } else res.end("{}");
    });
    const wire = stubWire(url);
    try {
      await assert.rejects(wire.deleteBatch([{ Id: "x", ReceiptHandle: "y" }]), (err: Error & { $metadata?: { httpStatusCode: number } }) => err.name === "RequestTimeTooSkewed" && err.$metadata?.httpStatusCode === 400);
      assert.deepEqual(await wire.deleteBatch([{ Id: "x", ReceiptHandle: "y" }]), []);
      const parse = (d: string) => Date.parse(d.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
      const shift = parse(dates[1]!) - parse(dates[0]!);
      assert.ok(Math.abs(shift - skewMs) < 5000, `the second request is signed ${shift} ms later`);
    } finally {
      wire.destroy();
    }
  });
});
