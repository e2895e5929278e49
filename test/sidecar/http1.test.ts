/**
 * The daemon's own HTTP/1.1 client (http1.ts), against real sockets: node:http servers for the
 * ordinary cases, raw TCP servers for the answers node:http would never write (HTTP/1.0 until
 * close, 1xx before the answer, chunk extensions and trailers, resets at chosen moments).
 */
import { strict as assert } from "node:assert";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { Http1Pool, RequestHandle, type PoolRequest } from "../../sidecar/http1";
import { freePort } from "../support/emulator-process";
import { fullBacklog } from "../support/full-backlog";
import { endlessReply } from "../support/endless-reply";

const post = (body: string | Buffer = "x", extra: Partial<PoolRequest> = {}): PoolRequest => ({ method: "POST", path: "/", headers: {}, body, ...extra });

describe("sidecar: the HTTP/1.1 client", function () {
  const closers: Array<() => void> = [];
  const pools: Http1Pool[] = [];
  afterEach(() => {
    for (const p of pools.splice(0)) p.destroy();
    for (const c of closers.splice(0)) c();
  });

  function pool(origin: string, maxSockets = 4, extra: { idleTimeoutMs?: number; connectTimeoutMs?: number } = {}): Http1Pool {
    const p = new Http1Pool(origin, { maxSockets, idleTimeoutMs: extra.idleTimeoutMs ?? 4000, connectTimeoutMs: extra.connectTimeoutMs });
    pools.push(p);
    return p;
  }

  async function serve(handler: RequestListener): Promise<{ origin: string; server: Server }> {
    const server = createServer(handler);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    closers.push(() => {
      server.closeAllConnections();
      server.close();
    });
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }

  /** A raw TCP server: `onRequest(socket, n)` is called for each request head seen on a connection (n from 1). */
  async function raw(onRequest: (socket: Socket, n: number) => void): Promise<{ origin: string; connections: () => number }> {
    let connections = 0;
    const server = createNetServer((socket) => {
      connections++;
      let n = 0;
      let text = "";
      socket.on("data", (c: Buffer) => {
        text += c.toString("latin1");
        for (let end = text.indexOf("\r\n\r\n"); end >= 0; end = text.indexOf("\r\n\r\n")) {
          const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
          if (text.length < end + 4 + length) return;
          text = text.slice(end + 4 + length);
          onRequest(socket, ++n);
        }
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    closers.push(() => server.close());
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
  }

  it("sends method, path, headers and the body with its byte length; keeps the first bytes of the answer; reuses the connection", async () => {
    const seen: Array<{ port: number; method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];
    const { origin } = await serve((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (c: string) => (body += c));
      req.on("end", () => {
        seen.push({ port: req.socket.remotePort ?? 0, method: req.method, url: req.url, headers: req.headers, body });
        res.setHeader("retry-after", "7");
        res.end("0123456789");
      });
    });
    const p = pool(origin);
    const a = await p.request(post("héllo", { path: "/jobs?x=1", headers: { "x-aws-sqsd-msgid": "m1", "user-agent": "aws-sqsd/2.4" }, keepBodyBytes: 4 }));
    const b = await p.request(post(Buffer.from("second")));
    assert.equal(a.status, 200);
    assert.equal(a.body.toString(), "0123", "only keepBodyBytes kept");
    assert.equal(a.headers["retry-after"], "7");
    assert.equal(b.body.length, 0, "nothing kept by default");
    assert.equal(seen[0]!.method, "POST");
    assert.equal(seen[0]!.url, "/jobs?x=1");
    assert.equal(seen[0]!.body, "héllo");
    assert.equal(seen[0]!.headers["content-length"], "6", "UTF-8 byte length");
    assert.equal(seen[0]!.headers["x-aws-sqsd-msgid"], "m1");
    assert.equal(seen[0]!.headers.host, new URL(origin).host);
    assert.equal(seen[1]!.body, "second");
    assert.equal(seen[1]!.port, seen[0]!.port, "the second request used the pooled connection");
  });

  it("queues requests beyond maxSockets and runs them as connections free up", async () => {
    let inFlight = 0;
    let most = 0;
    const ports = new Set<number>();
    const { origin } = await serve((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      ports.add(req.socket.remotePort ?? 0);
      req.resume();
      setTimeout(() => {
        inFlight--;
        res.end("ok");
      }, 20);
    });
    const p = pool(origin, 3);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => p.request(post(String(i)))));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(most, 3);
    assert.equal(ports.size, 3, "three connections, each reused");
  });

  it("reads chunked answers (extensions, trailers), skips 1xx answers, and reuses the connection after each", async () => {
    const srv = await raw((socket, n) => {
      if (n === 1) socket.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n");
      setTimeout(() => {
        if (n === 1) socket.write("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n");
        setTimeout(() => socket.write(n === 1 ? "3\r\nefg\r\n0\r\nX-Trailer: t\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 10);
      }, 10);
    });
    const p = pool(srv.origin);
    const a = await p.request(post("x", { keepBodyBytes: 100 }));
    assert.equal(a.status, 202);
    assert.equal(a.body.toString(), "abcdefg");
    const b = await p.request(post("y", { keepBodyBytes: 100 }));
    assert.equal(b.body.toString(), "ok");
    assert.equal(srv.connections(), 1);
  });

  it("reads an HTTP/1.0 answer to the connection's close, and does not reuse a connection the server said it closes", async () => {
    const srv = await raw((socket, n) => {
      if (n > 1) throw new Error("a closed connection was reused");
      if (socket.localPort && srv.connections() === 1) socket.end("HTTP/1.0 200 OK\r\n\r\nuntil the end");
      else socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
    });
    const p = pool(srv.origin);
    assert.equal((await p.request(post("x", { keepBodyBytes: 100 }))).body.toString(), "until the end");
    assert.equal((await p.request(post("x", { keepBodyBytes: 100 }))).body.toString(), "ok");
    assert.equal((await p.request(post("x", { keepBodyBytes: 100 }))).body.toString(), "ok");
    assert.equal(srv.connections(), 3);
  });

  it("answers an endless reply once it passes maxBodyBytes, without reading it all", async () => {
    const { origin } = await serve(endlessReply);
    const t0 = Date.now();
    const a = await pool(origin).request(post("x", { maxBodyBytes: 256 * 1024 }));
    assert.equal(a.status, 200);
    assert.ok(Date.now() - t0 < 3000);
  });

  it("fails with ECONNRESET when the connection closes before the answer is complete", async () => {
    const { origin } = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => req.socket.destroy(), 20);
    });
    await assert.rejects(pool(origin).request(post()), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET");
  });

  it("sends again, once, on a fresh connection when the server closed a reused connection before answering; never on a fresh one", async () => {
    const resetSecond = await raw((socket, n) => (n === 2 ? socket.resetAndDestroy() : socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
    const p = pool(resetSecond.origin);
    assert.equal((await p.request(post("1"))).status, 200);
    assert.equal((await p.request(post("2"))).status, 200, "the second request survived the reset");
    assert.equal(resetSecond.connections(), 2);
    const closedQuietly = await raw((socket, n) => (n === 2 ? socket.destroy() : socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")));
    const q = pool(closedQuietly.origin);
    await q.request(post("1"));
    assert.equal((await q.request(post("2"))).status, 200, "a close without a reset counts too");
    const resetFirst = await raw((socket) => socket.resetAndDestroy());
    await assert.rejects(pool(resetFirst.origin).request(post()), (err: NodeJS.ErrnoException) => err.code === "ECONNRESET");
    assert.equal(resetFirst.connections(), 1, "not sent again");
  });

  it("closes idle connections after the idle timeout, sooner when the server's Keep-Alive says so", async () => {
    const srv = await raw((socket) => socket.write("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=2\r\nContent-Length: 2\r\n\r\nok"));
    const p = pool(srv.origin, 4, { idleTimeoutMs: 60_000 });
    await p.request(post());
    await new Promise((r) => setTimeout(r, 1300)); // the hint minus a second
    await p.request(post());
    assert.equal(srv.connections(), 2, "the connection was let go before the server's 2 s");
  });

  it("aborts a request on the wire and one waiting for a connection", async () => {
    const { origin } = await serve((req) => req.resume()); // never answers
    const p = pool(origin, 1);
    const first = new RequestHandle();
    const second = new RequestHandle();
    const a = p.request(post("a", { handle: first }));
    const b = p.request(post("b", { handle: second }));
    second.abort();
    await assert.rejects(b, { name: "AbortError" });
    setTimeout(() => first.abort(), 50);
    await assert.rejects(a, { name: "AbortError" });
    const aborted = new RequestHandle();
    aborted.abort();
    await assert.rejects(p.request(post("c", { handle: aborted })), { name: "AbortError" }, "an aborted handle fails at once");
  });

  it("fails with ECONNREFUSED when nothing listens, and ETIMEDOUT when the connect hangs past connectTimeoutMs", async () => {
    const closed = await freePort();
    await assert.rejects(pool(`http://127.0.0.1:${closed}`).request(post()), (err: NodeJS.ErrnoException) => err.code === "ECONNREFUSED");
    const stuck = await fullBacklog();
    const t0 = Date.now();
    await assert.rejects(pool(`http://127.0.0.1:${stuck.port}`, 1, { connectTimeoutMs: 300 }).request(post()), (err: NodeJS.ErrnoException) => err.code === "ETIMEDOUT");
    const took = Date.now() - t0;
    assert.ok(took >= 280 && took < 2000, `gave up after the connect timeout (${took} ms)`);
  });

  it("refuses header values node:http refuses (CR, LF, controls) and paths with spaces, sending nothing", async () => {
    const srv = await raw((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    const p = pool(srv.origin);
    await assert.rejects(p.request(post("x", { headers: { "x-evil": "a\r\nx-injected: 1" } })), (err: NodeJS.ErrnoException) => err.code === "ERR_INVALID_CHAR");
    await assert.rejects(p.request(post("x", { headers: { "bad name": "v" } })), (err: NodeJS.ErrnoException) => err.code === "ERR_INVALID_HTTP_TOKEN");
    await assert.rejects(p.request(post("x", { path: "/a b" })), (err: NodeJS.ErrnoException) => err.code === "ERR_UNESCAPED_CHARACTERS");
    assert.equal(srv.connections(), 0);
    assert.equal((await p.request(post("x", { headers: { "x-latin1": "caf\u00c3\u00a9" } }))).status, 200, "latin1 bytes (UTF-8 sent raw) are fine");
  });
});
