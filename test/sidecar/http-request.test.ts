/**
 * The sidecar's HTTP client (node:http underneath): connection reuse, bounded reads, abort,
 * a connection cut mid-answer, refused and hanging connects, against real sockets.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, Agent, type RequestListener, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { loadConfig } from "../../sidecar/config";
import { Dispatcher } from "../../sidecar/dispatcher";
import type { ReceivedMessage } from "../../sidecar/message";
import { httpRequest, type HttpRequestOptions } from "../../sidecar/http-request";
import { createLogger } from "../../sidecar/telemetry";
import { freePort } from "../support/emulator-process";
import { daemonEnv } from "../support/daemon";
import { fullBacklog } from "../support/full-backlog";
import { startSidecarProcess } from "../support/sidecar-process";
import { sidecarTest } from "../support/sidecar-test";
import { eventually } from "../support/wait";
import { endlessReply } from "../support/endless-reply";

describe("sidecar: HTTP client", function () {
  let server: Server | undefined;
  const agents: Agent[] = [];
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    server = undefined;
    for (const a of agents.splice(0)) a.destroy();
  });

  async function serve(handler: RequestListener): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  function pool(): Agent {
    const a = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(a);
    return a;
  }

  it("sends the body with its length, keeps the first bytes of the answer, and reuses the connection", async () => {
    const seen: Array<{ port: number; length?: string; body: string }> = [];
    const url = await serve((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (c: string) => (body += c));
      req.on("end", () => {
        seen.push({ port: req.socket.remotePort ?? 0, length: req.headers["content-length"], body });
        res.setHeader("retry-after", "7");
        res.end("0123456789");
      });
    });
    const opts: HttpRequestOptions = { method: "POST", body: "héllo", agent: pool(), keepBodyBytes: 4 };
    const a = await httpRequest(url, opts);
    const b = await httpRequest(url, opts);
    assert.equal(a.status, 200);
    assert.equal(a.body.toString(), "0123", "only keepBodyBytes kept");
    assert.equal(a.headers["retry-after"], "7");
    assert.deepEqual(seen[0], { port: seen[0]!.port, length: "6", body: "héllo" }, "UTF-8 byte length sent");
    assert.equal(seen[1]!.port, seen[0]!.port, "the second request used the pooled connection");
    assert.equal(b.status, 200);
  });

  it("answers an endless reply once it passes maxBodyBytes, without reading it all", async () => {
    const url = await serve(endlessReply);
    const t0 = Date.now();
    const a = await httpRequest(url, { method: "POST", body: "x", maxBodyBytes: 256 * 1024 });
    assert.equal(a.status, 200);
    assert.ok(Date.now() - t0 < 3000);
  });

  it("fails with ECONNRESET when the connection closes before the answer is complete", async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => req.socket.destroy(), 20);
    });
    await assert.rejects(httpRequest(url, { method: "POST", body: "x" }), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET");
  });

  /** A raw HTTP/1.1 server that resets the connection on request number `resetAt` of each connection. */
  async function resettingServer(resetAt: number): Promise<{ url: string; connections: () => number; requests: () => number; close: () => void }> {
    let connections = 0;
    let requests = 0;
    const raw = createNetServer((socket) => {
      connections++;
      let onThis = 0;
      socket.on("data", (chunk: Buffer) => {
        for (const _ of chunk.toString("latin1").matchAll(/^POST /gm)) {
          requests++;
          if (++onThis === resetAt) return void socket.resetAndDestroy();
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
      });
    });
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", () => r()));
    return {
      url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`,
      connections: () => connections,
      requests: () => requests,
      close: () => raw.close(),
    };
  }

  it("sends again, once, on a fresh connection when the server resets a reused keep-alive connection before answering", async () => {
    const srv = await resettingServer(2);
    try {
      const agent = pool();
      assert.equal((await httpRequest(srv.url, { method: "POST", body: "1", agent })).status, 200);
      assert.equal((await httpRequest(srv.url, { method: "POST", body: "2", agent })).status, 200, "the second request survived the reset");
      assert.equal(srv.connections(), 2);
      assert.equal(srv.requests(), 3, "sent twice: on the stale connection, then on a new one");
    } finally {
      srv.close();
    }
  });

  it("does not send again when a fresh connection is reset (the app itself failed)", async () => {
    const srv = await resettingServer(1);
    try {
      await assert.rejects(httpRequest(srv.url, { method: "POST", body: "x", agent: pool() }), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET");
      assert.equal(srv.requests(), 1);
    } finally {
      srv.close();
    }
  });

  it("aborts by signal", async () => {
    const url = await serve((req) => req.resume()); // never answers
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(httpRequest(url, { method: "POST", body: "x", signal: ac.signal }), (err: Error) => err.name === "AbortError");
  });

  it("fails with ECONNREFUSED when nothing listens, and ETIMEDOUT when the connect hangs past connectTimeoutMs", async () => {
    const closed = await freePort();
    await assert.rejects(httpRequest(`http://127.0.0.1:${closed}/`, { method: "GET" }), (err: NodeJS.ErrnoException) => err.code === "ECONNREFUSED");
    const stuck = await fullBacklog();
    const t0 = Date.now();
    await assert.rejects(httpRequest(`http://127.0.0.1:${stuck.port}/`, { method: "GET", connectTimeoutMs: 300 }), (err: NodeJS.ErrnoException) => err.code === "ETIMEDOUT");
    const took = Date.now() - t0;
    assert.ok(took >= 280 && took < 2000, `gave up after the connect timeout (${took} ms)`);
  });

  it("the dispatcher reports a hanging connect after ConnectTimeout as a refused connection (the app is not there)", async () => {
    const stuck = await fullBacklog();
    const cfg = loadConfig({}, { WorkerQueueURL: "http://127.0.0.1:1/000000000000/q", Region: "us-east-1", HttpUrl: `http://127.0.0.1:${stuck.port}/`, ConnectTimeout: "1" });
    const dispatcher = new Dispatcher(cfg, createLogger("silent"), new AbortController().signal);
    const msg: ReceivedMessage = { id: "m1", body: "{}", receiptHandle: "rh", receiveCount: 1, attributes: {}, receivedAt: Date.now() };
    const d = await dispatcher.deliver(msg);
    dispatcher.close();
    assert.equal(d.kind, "connection-error");
    assert.ok(d.kind === "connection-error" && d.refused && /timed out/.test(d.error), JSON.stringify(d));
    assert.ok(d.latencyMs >= 950 && d.latencyMs < 3000, `after ConnectTimeout=1 s (${d.latencyMs} ms)`);
  });
});

describe("sidecar: an https:// app", function () {
  const t = sidecarTest();
  let dir: string;
  let app: Server | undefined;
  after(() => {
    app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("posts over TLS to an app whose certificate Node trusts (here through NODE_EXTRA_CA_CERTS)", async () => {
    dir = mkdtempSync(join(tmpdir(), "sqsd-tls-"));
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
    assert.equal(made.status, 0, made.stderr?.toString());
    const bodies: string[] = [];
    app = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (c: string) => (body += c));
      req.on("end", () => {
        bodies.push(body);
        res.end("ok");
      });
    });
    await new Promise<void>((r) => app!.listen(0, "127.0.0.1", () => r()));
    const url = `https://127.0.0.1:${(app.address() as AddressInfo).port}/`;
    t.queue = await t.server.createQueue({ maxReceiveCount: 3 });
    const proc = startSidecarProcess({ env: { ...daemonEnv(t.server, t.queue, url), NODE_EXTRA_CA_CERTS: cert } });
    await t.queue.send("over tls");
    await eventually(() => assert.deepEqual(bodies, ["over tls"]), { timeoutMs: 20_000 });
    await eventually(async () => assert.equal((await t.queue.counts()).inFlight + (await t.queue.counts()).visible, 0), { timeoutMs: 10_000 });
    assert.equal((await proc.stop()).code, 0);
  });
});
