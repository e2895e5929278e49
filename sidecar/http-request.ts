/**
 * One HTTP request on Node's own http client, as a promise.
 *
 * Why not undici: loading it (its WebAssembly HTTP parser and the fetch machinery that comes
 * with it) costs the process 30-40 MiB of RSS, half a sidecar's budget; node:http parses in
 * C++ and is already in the binary. What undici gave for free is added here: a connect
 * timeout, abort by signal, and a bounded read of the answer.
 */
import { Agent, request as plainRequest, type AgentOptions, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import { urlToHttpOptions } from "node:url";

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first `keepBodyBytes` bytes of the answer. */
  body: Buffer;
}

export interface HttpRequestOptions {
  method: string;
  /** Used as given when it already holds content-length (no copy); else copied and completed. */
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string;
  /** A keep-alive pool; the global agent otherwise. */
  agent?: Agent;
  signal?: AbortSignal;
  /** Aborts like `signal`, for callers that make many requests (no controller or listener per request). */
  handle?: RequestHandle;
  /** Fail with code ETIMEDOUT when the TCP connection is not up within this time. */
  connectTimeoutMs?: number;
  /** Answer bytes kept (the rest is read and discarded so the connection can be reused). */
  keepBodyBytes?: number;
  /** Answers longer than this are cut off and their connection closed, not drained. */
  maxBodyBytes?: number;
}

export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "HttpRequestError";
  }
}

/** A URL taken apart once, for a caller that sends many requests to it (Node parses a URL string on every request). */
export interface HttpTarget {
  protocol: string;
  hostname: string;
  port?: number;
  /** Path and query. */
  path: string;
  /** user:password, when the URL has them. */
  auth?: string;
  /** host[:port], as in the Host header. */
  authority: string;
}

export function httpTarget(url: string): HttpTarget {
  const u = new URL(url);
  const o = urlToHttpOptions(u);
  return { protocol: u.protocol, hostname: o.hostname ?? u.hostname, port: o.port === undefined ? undefined : Number(o.port), path: o.path ?? "/", auth: o.auth ?? undefined, authority: u.host };
}

/**
 * Aborts one request, as an AbortSignal would, for a fraction of the cost: a plain object,
 * no listener registered on anything (the dispatcher makes one per message).
 */
export class RequestHandle {
  aborted = false;
  /** Set while the request is on the wire. */
  cancel?: (err: Error) => void;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.cancel?.(abortError());
  }
}

function abortError(): Error {
  return Object.assign(new Error("The operation was aborted"), { name: "AbortError", code: "ABORT_ERR" });
}

const NO_BYTES = Buffer.alloc(0);

/** A keep-alive pool for `origin`: TLS for https:// (certificates checked as Node does). */
export function keepAliveAgent(origin: string, opts: Omit<AgentOptions, "keepAlive">): Agent {
  return origin.startsWith("https:") ? new TlsAgent({ ...opts, keepAlive: true }) : new Agent({ ...opts, keepAlive: true });
}

/** The server closed a pooled keep-alive connection just as this request went out on it. */
class StaleConnection extends Error {
  constructor(readonly original: Error) {
    super(original.message);
  }
}

/**
 * Send a request. When the server closed a kept-alive connection just as the request went out
 * on it (a reset before any answer, on a reused socket), it is sent once more on another
 * connection, as Node's documentation advises: otherwise an idle-timeout race would count as
 * the app failing the message.
 */
export async function httpRequest(url: string | HttpTarget, opts: HttpRequestOptions): Promise<HttpAnswer> {
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? Buffer.from(opts.body, "utf8") : opts.body;
  let headers = opts.headers ?? {};
  if (body !== undefined && headers["content-length"] === undefined) headers = { ...headers, "content-length": body.length };
  try {
    try {
      return await attempt(url, opts, headers, body);
    } catch (err) {
      if (!(err instanceof StaleConnection)) throw err;
    }
    try {
      return await attempt(url, opts, headers, body);
    } catch (err) {
      throw err instanceof StaleConnection ? err.original : err;
    }
  } finally {
    // Never destroy a socket that went back to the pool and now serves another request.
    if (opts.handle) opts.handle.cancel = undefined;
  }
}

function attempt(url: string | HttpTarget, opts: HttpRequestOptions, headers: OutgoingHttpHeaders, body: Buffer | undefined): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const handle = opts.handle;
    if (handle?.aborted) {
      reject(abortError());
      return;
    }
    const target = typeof url === "string" ? httpTarget(url) : url;
    const request = target.protocol === "https:" ? tlsRequest : plainRequest;
    const req = request({ protocol: target.protocol, hostname: target.hostname, port: target.port, path: target.path, auth: target.auth, method: opts.method, headers, agent: opts.agent, signal: opts.signal });
    if (handle) handle.cancel = (err) => req.destroy(err);
    let answered = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const clearConnectTimer = () => {
      if (connectTimer) clearTimeout(connectTimer);
      connectTimer = undefined;
    };
    req.once("socket", (socket) => {
      // A pooled socket is already connected; only a new one can hang in connect.
      if (opts.connectTimeoutMs === undefined || !socket.connecting) return;
      connectTimer = setTimeout(() => {
        req.destroy(new HttpRequestError(`connect to ${target.authority} timed out after ${opts.connectTimeoutMs} ms`, "ETIMEDOUT"));
      }, opts.connectTimeoutMs);
      socket.once("connect", clearConnectTimer);
    });
    req.once("error", (err: NodeJS.ErrnoException) => {
      clearConnectTimer();
      const stale = req.reusedSocket && !answered && err.code === "ECONNRESET" && !opts.signal?.aborted && !handle?.aborted;
      reject(stale ? new StaleConnection(err) : err);
    });
    req.once("response", (res) => {
      answered = true;
      clearConnectTimer();
      const keep = opts.keepBodyBytes ?? 0;
      const max = opts.maxBodyBytes ?? Number.POSITIVE_INFINITY;
      const chunks: Buffer[] = [];
      let kept = 0;
      let seen = 0;
      const answer = () => ({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 0 ? NO_BYTES : Buffer.concat(chunks) });
      res.on("data", (chunk: Buffer) => {
        seen += chunk.length;
        if (kept < keep) {
          const part = chunk.subarray(0, keep - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (seen > max) {
          // Not worth reading to the end: answer now and let the connection go.
          res.destroy();
          resolve(answer());
        }
      });
      res.once("end", () => resolve(answer()));
      res.once("error", reject);
      res.once("close", () => {
        if (!res.complete) reject(new HttpRequestError("the connection closed before the answer was complete", "ECONNRESET"));
      });
    });
    req.end(body);
  });
}
