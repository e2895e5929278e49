/**
 * A keep-alive HTTP/1.1 client for the daemon's two busy destinations, the app and SQS: one
 * request at a time per connection, each request written with one write, the answer parsed
 * here. node:http builds a ClientRequest, an IncomingMessage, header objects and agent
 * bookkeeping around every request: ~80 µs of CPU per request on the bench machine, against
 * ~20 µs for a request written and parsed by hand (docs/performance.md), on a path taken once
 * per message.
 *
 * Kept from http-request.ts (node:http, still used for health checks and the ECS agent): a
 * connect timeout, abort by handle, answers read up to a bound, one retry on a fresh
 * connection when a reused one turns out closed by the server, TLS for https://, idle
 * connections closed after a while (or as the server's Keep-Alive header asks), header values
 * checked as node:http checks them.
 */
import { connect as netConnect, isIP, type OnReadOpts, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { HttpRequestError } from "./http-request";

export interface PoolOptions {
  /** Connections at most; requests beyond wait for one. */
  maxSockets: number;
  /** An idle connection is closed after this long (sooner when the server's Keep-Alive says so). */
  idleTimeoutMs: number;
  /** Fail with code ETIMEDOUT when a new connection is not up within this time. */
  connectTimeoutMs?: number;
  /** https:// only: false accepts a certificate that does not verify (default true). */
  tlsVerify?: boolean;
}

export interface PoolRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** Lowercase names. Host, Content-Length and Connection are added unless present. */
  headers: Record<string, string>;
  body: Buffer | string;
  handle?: RequestHandle;
  /** Answer bytes kept (default none; the rest is read and dropped so the connection stays usable). */
  keepBodyBytes?: number;
  /** An answer longer than this is cut off: answered at once, its connection closed. */
  maxBodyBytes?: number;
}

export interface PoolAnswer {
  status: number;
  /** Lowercase names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

interface Pending {
  bytes: Buffer;
  method: string;
  handle?: RequestHandle;
  keep: number;
  max: number;
  retried: boolean;
  conn?: Connection;
  resolve(answer: PoolAnswer): void;
  reject(err: Error): void;
}

/** Characters node:http refuses in a header value, and what a header name (a token) may hold. */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_PATH = /[^\u0021-\u00ff]/;
const MAX_HEAD_BYTES = 64 * 1024;
const NO_BYTES = Buffer.alloc(0);

function abortError(): Error {
  return Object.assign(new Error("The operation was aborted"), { name: "AbortError", code: "ABORT_ERR" });
}

/**
 * Aborts one request, as an AbortSignal would, for a fraction of the cost: a plain object,
 * no listener registered on anything (the dispatcher makes one per message).
 */
export class RequestHandle {
  aborted = false;
  /** Set while the request is queued or on the wire. */
  cancel?: (err: Error) => void;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.cancel?.(abortError());
  }
}

type Phase = "head" | "fixed" | "until-close" | "chunk-size" | "chunk-data" | "chunk-end" | "trailers";

/** One connection and the parse state of the answer it is reading. */
class Connection {
  pending?: Pending;
  /** Served a request before the current one (a server may have closed it meanwhile). */
  reused = false;
  private gotBytes = false;
  private error?: Error;
  private connectTimer?: NodeJS.Timeout;
  private idleMs: number;
  private phase: Phase = "head";
  private rest?: Buffer;
  private remaining = 0;
  private status = 0;
  private headers: Record<string, string> = {};
  private keepAlive = true;
  private kept: Buffer[] = [];
  /** The kept bytes, when the answer's length is known up front (one copy, no concatenation). */
  private keptBuf?: Buffer;
  private keptBytes = 0;
  private seen = 0;

  readonly socket: Socket;

  constructor(
    private readonly pool: Http1Pool,
    /** Opens the socket, reading into the pool's buffer: bytes are handed over, never kept by Node. */
    open: (onRead: (bytes: number) => void) => Socket,
    idleMs: number,
    connectTimeoutMs: number | undefined,
  ) {
    const socket = (this.socket = open((bytes) => this.onData(pool.readBuffer.subarray(0, bytes))));
    this.idleMs = idleMs;
    socket.setNoDelay(true);
    // An inactivity timer the socket re-arms on every read and write: it fires only after
    // idleMs of silence, and closes the connection when no request is using it.
    socket.setTimeout(idleMs);
    socket.on("timeout", () => {
      if (!this.pending) socket.destroy();
    });
    socket.on("error", (err: Error) => (this.error ??= err));
    socket.on("close", () => this.onClose());
    if (connectTimeoutMs !== undefined) {
      this.connectTimer = setTimeout(() => {
        socket.destroy(new HttpRequestError(`connect to ${pool.authority} timed out after ${connectTimeoutMs} ms`, "ETIMEDOUT"));
      }, connectTimeoutMs);
      socket.once(pool.secure ? "secureConnect" : "connect", () => clearTimeout(this.connectTimer));
    }
  }

  start(p: Pending): void {
    this.pending = p;
    p.conn = this;
    this.gotBytes = false;
    this.socket.ref();
    this.socket.write(p.bytes);
  }

  /** Abort the request on this connection: the connection goes with it. */
  fail(err: Error): void {
    const p = this.pending;
    this.pending = undefined;
    this.socket.destroy();
    if (p) this.pool.settle(p, err);
  }

  /** Bytes read into the pool's shared buffer: valid during this call only, so whatever is kept is copied. */
  private onData(chunk: Buffer): void {
    if (!this.pending) {
      // Bytes nobody asked for: the server is confused; do not reuse this connection.
      this.socket.destroy();
      return;
    }
    this.gotBytes = true;
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = undefined;
    while (this.pending) {
      switch (this.phase) {
        case "head": {
          const end = buf.indexOf("\r\n\r\n");
          if (end < 0) {
            if (buf.length > MAX_HEAD_BYTES) this.fail(new HttpRequestError("the answer's header is too large", "HPE_HEADER_OVERFLOW"));
            else this.rest = Buffer.from(buf);
            return;
          }
          const head = buf.toString("latin1", 0, end);
          buf = buf.subarray(end + 4);
          if (!this.readHead(head)) return;
          break;
        }
        case "fixed":
        case "chunk-data": {
          const n = Math.min(this.remaining, buf.length);
          if (!this.bodyBytes(buf.subarray(0, n))) return;
          this.remaining -= n;
          buf = buf.subarray(n);
          if (this.remaining > 0) return;
          if (this.phase === "fixed") return this.complete(buf);
          this.phase = "chunk-end";
          break;
        }
        case "until-close":
          this.bodyBytes(buf);
          return;
        case "chunk-size":
        case "chunk-end":
        case "trailers": {
          const eol = buf.indexOf("\r\n");
          if (eol < 0) {
            if (buf.length > MAX_HEAD_BYTES) this.fail(new HttpRequestError("a chunk header is too large", "HPE_INVALID_CHUNK_SIZE"));
            else this.rest = Buffer.from(buf);
            return;
          }
          const line = buf.toString("latin1", 0, eol);
          buf = buf.subarray(eol + 2);
          if (this.phase === "chunk-end") {
            if (line !== "") return this.fail(new HttpRequestError("a chunk does not end with CRLF", "HPE_INVALID_CHUNK_SIZE"));
            this.phase = "chunk-size";
          } else if (this.phase === "trailers") {
            if (line === "") return this.complete(buf);
          } else {
            const size = /^[0-9a-fA-F]+/.exec(line);
            if (!size) return this.fail(new HttpRequestError(`invalid chunk size "${line.slice(0, 20)}"`, "HPE_INVALID_CHUNK_SIZE"));
            this.remaining = parseInt(size[0], 16);
            this.phase = this.remaining === 0 ? "trailers" : "chunk-data";
          }
          break;
        }
      }
      if (buf.length === 0) return;
    }
  }

  /** The status line and headers; false when the request was settled (failed). */
  private readHead(head: string): boolean {
    const lines = head.split("\r\n");
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? "");
    if (!m) {
      this.fail(new HttpRequestError(`not an HTTP/1.x answer: ${JSON.stringify((lines[0] ?? "").slice(0, 40))}`, "HPE_INVALID_CONSTANT"));
      return false;
    }
    const status = Number(m[2]);
    // 1xx (100 Continue, 103 Early Hints) come before the real answer.
    if (status < 200 && status !== 101) return true;
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    this.status = status;
    this.headers = headers;
    const connection = (headers.connection ?? "").toLowerCase();
    this.keepAlive = m[1] === "1" ? !connection.includes("close") : connection.includes("keep-alive");
    const hint = /timeout=(\d+)/.exec(headers["keep-alive"] ?? "");
    if (hint) {
      // As node:http's agent: let the connection go a second before the server would.
      const ms = Number(hint[1]) * 1000 - 1000;
      if (ms <= 0) this.keepAlive = false;
      else if (ms < this.idleMs) this.socket.setTimeout((this.idleMs = ms));
    }
    const length = headers["content-length"];
    if (status === 101) {
      this.fail(new HttpRequestError("the server switched protocols", "HPE_UNEXPECTED_UPGRADE"));
      return false;
    }
    if (this.pending?.method === "HEAD" || status === 204 || status === 304) {
      this.complete(NO_BYTES);
      return false;
    }
    if (/chunked/i.test(headers["transfer-encoding"] ?? "")) this.phase = "chunk-size";
    else if (length !== undefined) {
      const n = Number(length);
      if (!Number.isSafeInteger(n) || n < 0) {
        this.fail(new HttpRequestError(`invalid Content-Length ${JSON.stringify(length)}`, "HPE_INVALID_CONTENT_LENGTH"));
        return false;
      }
      if (n === 0) {
        this.complete(NO_BYTES);
        return false;
      }
      this.remaining = n;
      this.phase = "fixed";
      const keep = this.pending?.keep ?? 0;
      if (keep > 0) this.keptBuf = Buffer.allocUnsafe(Math.min(n, keep));
    } else {
      this.phase = "until-close";
      this.keepAlive = false;
    }
    return true;
  }

  /** Count and keep body bytes; false when the answer passed maxBodyBytes (it is answered now). */
  private bodyBytes(part: Buffer): boolean {
    const p = this.pending!;
    this.seen += part.length;
    if (this.keptBytes < p.keep && part.length > 0) {
      const n = Math.min(part.length, p.keep - this.keptBytes);
      if (this.keptBuf) part.copy(this.keptBuf, this.keptBytes, 0, n);
      else this.kept.push(Buffer.from(part.subarray(0, n)));
      this.keptBytes += n;
    }
    if (this.seen <= p.max) return true;
    // Not worth reading to the end: answer with what came, and let the connection go.
    this.keepAlive = false;
    this.complete(NO_BYTES);
    return false;
  }

  private complete(leftover: Buffer): void {
    const p = this.pending!;
    const body = this.keptBuf ? this.keptBuf.subarray(0, this.keptBytes) : this.kept.length === 0 ? NO_BYTES : this.kept.length === 1 ? this.kept[0]! : Buffer.concat(this.kept);
    const answer: PoolAnswer = { status: this.status, headers: this.headers, body };
    const reusable = this.keepAlive && leftover.length === 0;
    this.pending = undefined;
    this.reset();
    this.reused = true;
    if (reusable) this.pool.release(this);
    else this.socket.destroy();
    this.pool.settle(p, undefined, answer);
  }

  private reset(): void {
    this.phase = "head";
    this.rest = undefined;
    this.remaining = 0;
    this.status = 0;
    this.headers = {};
    this.keepAlive = true;
    this.kept = [];
    this.keptBuf = undefined;
    this.keptBytes = 0;
    this.seen = 0;
  }

  private onClose(): void {
    clearTimeout(this.connectTimer);
    this.pool.forget(this);
    const p = this.pending;
    if (!p) return;
    if (this.phase === "until-close" && this.status !== 0) return this.complete(NO_BYTES);
    this.pending = undefined;
    const code = (this.error as NodeJS.ErrnoException | undefined)?.code;
    // A server that closed a kept-alive connection as our request went out: nothing was
    // processed, so the request goes again, once, on a fresh connection.
    if (this.reused && !this.gotBytes && !p.retried && !p.handle?.aborted && (code === undefined || code === "ECONNRESET" || code === "EPIPE")) {
      p.retried = true;
      this.pool.resend(p);
      return;
    }
    this.pool.settle(p, this.error ?? new HttpRequestError("the connection closed before the answer was complete", "ECONNRESET"));
  }
}

export class Http1Pool {
  readonly secure: boolean;
  /** host[:port], as in the Host header. */
  readonly authority: string;
  private readonly host: string;
  private readonly port: number;
  /** Idle connections, the most recently used last (LIFO: few stay busy, the rest time out). */
  private readonly idle: Connection[] = [];
  private readonly waiting: Pending[] = [];
  /** Every connection open or opening (busy ones too, for destroy()). */
  private readonly all = new Set<Connection>();
  private closed = false;
  /**
   * Every connection reads into this one buffer (net's `onread`): reads are handled one at a
   * time, to completion, so they can share it, and no buffer is allocated per read.
   */
  readonly readBuffer = Buffer.allocUnsafe(64 * 1024);

  constructor(
    origin: string,
    private readonly opts: PoolOptions,
  ) {
    const url = new URL(origin);
    this.secure = url.protocol === "https:";
    this.authority = url.host;
    this.host = url.hostname.replace(/^\[|\]$/g, "");
    this.port = Number(url.port || (this.secure ? 443 : 80));
  }

  /** Send a request; resolves with the answer, rejects on a connection error or an abort. */
  request(r: PoolRequest): Promise<PoolAnswer> {
    return new Promise<PoolAnswer>((resolve, reject) => {
      let bytes: Buffer;
      try {
        bytes = this.render(r);
      } catch (err) {
        reject(err as Error);
        return;
      }
      const p: Pending = { bytes, method: r.method, handle: r.handle, keep: r.keepBodyBytes ?? 0, max: r.maxBodyBytes ?? Number.POSITIVE_INFINITY, retried: false, resolve, reject };
      if (r.handle) {
        if (r.handle.aborted) return reject(abortError());
        r.handle.cancel = (err) => this.cancel(p, err);
      }
      this.dispatch(p);
    });
  }

  /** Close every connection; requests in flight fail. */
  destroy(): void {
    this.closed = true;
    for (const c of this.all) c.fail(new HttpRequestError("the connection pool was closed", "ECONNRESET"));
    for (const p of this.waiting.splice(0)) this.settle(p, new HttpRequestError("the connection pool was closed", "ECONNRESET"));
  }

  /** The request as bytes: head and body in one buffer, so it goes out in one write. */
  private render(r: PoolRequest): Buffer {
    if (INVALID_PATH.test(r.path)) throw new HttpRequestError(`request path ${JSON.stringify(r.path)} contains unescaped characters`, "ERR_UNESCAPED_CHARACTERS");
    const bodyLength = typeof r.body === "string" ? Buffer.byteLength(r.body) : r.body.length;
    let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
    if (r.headers.host === undefined) head += `host: ${this.authority}\r\n`;
    for (const name in r.headers) {
      const value = r.headers[name]!;
      if (!TOKEN.test(name)) throw new HttpRequestError(`header name ${JSON.stringify(name)} is not a token`, "ERR_INVALID_HTTP_TOKEN");
      if (INVALID_VALUE.test(value)) throw new HttpRequestError(`invalid character in header ${name}`, "ERR_INVALID_CHAR");
      head += `${name}: ${value}\r\n`;
    }
    if (r.headers["content-length"] === undefined) head += `content-length: ${bodyLength}\r\n`;
    if (r.headers.connection === undefined) head += "connection: keep-alive\r\n";
    head += "\r\n";
    // Header text goes out as latin1, as node:http sends it (headers.ts encodes UTF-8 that way).
    const bytes = Buffer.allocUnsafe(head.length + bodyLength);
    bytes.write(head, 0, "latin1");
    if (typeof r.body === "string") bytes.write(r.body, head.length, "utf8");
    else r.body.copy(bytes, head.length);
    return bytes;
  }

  private dispatch(p: Pending): void {
    if (this.closed) return this.settle(p, new HttpRequestError("the connection pool was closed", "ECONNRESET"));
    const conn = this.idle.pop();
    if (conn) return conn.start(p);
    if (this.all.size < this.opts.maxSockets) return this.connect().start(p);
    this.waiting.push(p);
  }

  /** Send again on a new connection (the reused one was closed by the server). */
  resend(p: Pending): void {
    if (this.closed) return this.settle(p, new HttpRequestError("the connection pool was closed", "ECONNRESET"));
    if (this.all.size < this.opts.maxSockets) this.connect().start(p);
    else this.waiting.unshift(p);
  }

  private connect(): Connection {
    const open = (onRead: (bytes: number) => void): Socket => {
      const onread: OnReadOpts = {
        buffer: this.readBuffer,
        callback: (bytes) => {
          onRead(bytes);
          return true;
        },
      };
      // tls.connect takes onread too (Node passes it to the socket), though its types omit it.
      const tlsOptions: ConnectionOptions & { onread: OnReadOpts } = { host: this.host, port: this.port, servername: isIP(this.host) ? undefined : this.host, rejectUnauthorized: this.opts.tlsVerify !== false, onread };
      return this.secure ? tlsConnect(tlsOptions) : netConnect({ host: this.host, port: this.port, onread });
    };
    const conn = new Connection(this, open, this.opts.idleTimeoutMs, this.opts.connectTimeoutMs);
    this.all.add(conn);
    return conn;
  }

  /** A connection finished its request and may serve another. */
  release(conn: Connection): void {
    if (this.closed) return void conn.socket.destroy();
    const next = this.waiting.shift();
    if (next) return conn.start(next);
    conn.socket.unref();
    this.idle.push(conn);
  }

  /** A connection closed. */
  forget(conn: Connection): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    const next = this.waiting.length > 0 && !this.closed && this.all.size < this.opts.maxSockets ? this.waiting.shift() : undefined;
    if (next) this.connect().start(next);
  }

  private cancel(p: Pending, err: Error): void {
    if (p.conn?.pending === p) return p.conn.fail(err);
    const i = this.waiting.indexOf(p);
    if (i >= 0) this.waiting.splice(i, 1);
    this.settle(p, err);
  }

  /** Resolve or reject a request once; its handle no longer reaches it. */
  settle(p: Pending, err: Error | undefined, answer?: PoolAnswer): void {
    if (p.handle) p.handle.cancel = undefined;
    if (err) p.reject(err);
    else p.resolve(answer!);
  }
}
