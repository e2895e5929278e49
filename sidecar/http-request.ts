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

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first `keepBodyBytes` bytes of the answer. */
  body: Buffer;
}

export interface HttpRequestOptions {
  method: string;
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string;
  /** A keep-alive pool; the global agent otherwise. */
  agent?: Agent;
  signal?: AbortSignal;
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

/** A keep-alive pool for `origin`: TLS for https:// (certificates checked as Node does unless `tlsVerify` is false). */
export function keepAliveAgent(origin: string, opts: Omit<AgentOptions, "keepAlive">, tlsVerify = true): Agent {
  return origin.startsWith("https:") ? new TlsAgent({ ...opts, keepAlive: true, rejectUnauthorized: tlsVerify }) : new Agent({ ...opts, keepAlive: true });
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
export async function httpRequest(url: string, opts: HttpRequestOptions): Promise<HttpAnswer> {
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? Buffer.from(opts.body, "utf8") : opts.body;
  const headers: OutgoingHttpHeaders = { ...opts.headers };
  if (body !== undefined) headers["content-length"] = body.length;
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
}

function attempt(url: string, opts: HttpRequestOptions, headers: OutgoingHttpHeaders, body: Buffer | undefined): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith("https:") ? tlsRequest : plainRequest;
    const req = request(url, { method: opts.method, headers, agent: opts.agent, signal: opts.signal });
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
        req.destroy(new HttpRequestError(`connect to ${new URL(url).host} timed out after ${opts.connectTimeoutMs} ms`, "ETIMEDOUT"));
      }, opts.connectTimeoutMs);
      socket.once("connect", clearConnectTimer);
    });
    req.once("error", (err: NodeJS.ErrnoException) => {
      clearConnectTimer();
      const stale = req.reusedSocket && !answered && err.code === "ECONNRESET" && !opts.signal?.aborted;
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
      const answer = () => ({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
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
