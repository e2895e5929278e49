/**
 * A real HTTP app (node:http on 127.0.0.1, ephemeral port; node:https when given a key and
 * certificate) that records every request and answers as the test tells it: a status, a
 * delay, never, or a dropped connection.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Socket } from "node:net";
import { atTeardown } from "./global-fixtures";

/** One request as the app received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Header names in lowercase (node:http's view). */
  headers: IncomingHttpHeaders;
  /** Names and values as sent on the wire, alternating. */
  rawHeaders: string[];
  body: Buffer;
  /** Date.now() when the body was complete. */
  at: number;
  /** Serial number (1, 2, …) of the TCP connection it came on: equal ids = keep-alive reuse. */
  connectionId: number;
}

/** How the app answers one request. */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer; delayMs?: number }
  /** Never answer (until close()). */
  | { hang: true }
  /** Destroy the socket without answering. */
  | { destroy: true; delayMs?: number };

/** A fixed reply, or a function of the request (may be async) returning one. */
export type Behaviour = Reply | ((req: RecordedRequest) => Reply | Promise<Reply>);

/** The running app. */
export interface TestApp {
  /** `http://127.0.0.1:<port>/` (https:// with `tls`) */
  url: string;
  /** `http://127.0.0.1:<port>` (https:// with `tls`) */
  origin: string;
  port: number;
  /** Every completed request, in arrival order (the array is live). */
  requests: RecordedRequest[];
  /** Replace the behaviour for requests arriving from now on. */
  behave(b: Behaviour): void;
  /** Resolve with the first `n` requests once there are that many (reject after `timeoutMs`, default 10 s). */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Requests received but not yet answered (or destroyed). */
  inFlight(): number;
  /** The highest inFlight() seen. */
  maxInFlight(): number;
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections(): number;
  /** Stop listening and destroy every open socket, hanging requests included. */
  close(): Promise<void>;
}

const OK: Reply = { status: 200, body: "ok" };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Start the app; default behaviour: 200 "ok". With `tls`, it serves https. */
export async function startApp(behaviour: Behaviour = OK, opts: { tls?: { key: string; cert: string } } = {}): Promise<TestApp> {
  let current = behaviour;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const socketIds = new WeakMap<Socket, number>();
  const waiters = new Set<() => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  let connections = 0;
  let closed = false;

  const handle: RequestListener = (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on("close", finish);
    void (async () => {
      const body = await readBody(req);
      const rec: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
        at: Date.now(),
        connectionId: socketIds.get(req.socket) ?? 0,
      };
      requests.push(rec);
      for (const w of [...waiters]) w();
      const b = current;
      const reply = typeof b === "function" ? await b(rec) : b;
      if ("hang" in reply) return;
      if ("delayMs" in reply && reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if ("destroy" in reply) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
      res.end(reply.body ?? "");
    })().catch(() => {
      req.socket.destroy();
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, handle) : createServer(handle);
  // The socket a request arrives on: the TLS socket for https, the TCP one otherwise.
  server.on(opts.tls ? "secureConnection" : "connection", (s: Socket) => {
    connections++;
    socketIds.set(s, connections);
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("app: no port");
  const origin = `${opts.tls ? "https" : "http"}://127.0.0.1:${addr.port}`;

  const app: TestApp = {
    url: origin + "/",
    origin,
    port: addr.port,
    requests,
    behave(b) {
      current = b;
    },
    waitForRequests(n, timeoutMs = 10_000) {
      return new Promise<RecordedRequest[]>((resolve, reject) => {
        const check = () => {
          if (requests.length < n) return;
          cleanup();
          resolve(requests.slice(0, n));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`app got ${requests.length} of ${n} request(s) within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    connections: () => connections,
    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await stopped;
    },
  };
  atTeardown(() => app.close());
  return app;
}
