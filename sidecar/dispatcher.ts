/**
 * One message → one HTTP POST to the app, over a keep-alive connection pool.
 * Returns what happened; deciding what that means for the message is the settler's job.
 */
import type { Config } from "./config";
import { Deadlines } from "./deadlines";
import { buildHeaders } from "./headers";
import { Http1Pool, RequestHandle } from "./http1";
import type { Logger } from "./telemetry";
import type { ReceivedMessage } from "./message";
import { taskPathProblem } from "./periodic-task";

export type Delivery =
  | { kind: "response"; status: number; retryAfter?: string; latencyMs: number }
  /** The app could not be reached or broke the connection. */
  | { kind: "connection-error"; error: string; refused: boolean; latencyMs: number }
  /** No answer within InactivityTimeout. */
  | { kind: "timeout"; latencyMs: number }
  /** Aborted by shutdown after the drain timeout. */
  | { kind: "aborted"; latencyMs: number }
  /** The message cannot be posted at all (e.g. a periodic task with a bad path). */
  | { kind: "invalid"; error: string; latencyMs: number };

interface InFlight {
  handle: RequestHandle;
  /** Set when InactivityTimeout aborted it. */
  timedOut: boolean;
}

export class Dispatcher {
  private readonly pool: Http1Pool;
  /** Requests in flight, with InactivityTimeout enforced by one timer for all of them. */
  private readonly inFlight: Deadlines<InFlight>;
  private abortingAll = false;

  constructor(
    private readonly cfg: Config,
    private readonly log: Logger,
    /** Aborts every request in flight and any started later (drain timeout, second signal). */
    abortAll?: AbortSignal,
  ) {
    this.inFlight = new Deadlines<InFlight>(cfg.inactivityTimeoutMs, (req) => {
      req.timedOut = true;
      req.handle.abort();
    });
    abortAll?.addEventListener("abort", () => this.abortAll(), { once: true });
    if (abortAll?.aborted) this.abortingAll = true;
    // At most HttpConnections sockets; an idle one is closed after 4 s (or sooner when the
    // app's Keep-Alive header says so), before a typical server closes it under a request.
    this.pool = new Http1Pool(cfg.appOrigin, { maxSockets: cfg.httpConnections, idleTimeoutMs: 4000, connectTimeoutMs: cfg.connectTimeoutMs, tlsVerify: cfg.tlsVerify });
  }

  /** The URL a message is posted to: its periodic-task path, else HttpPath. */
  targetUrl(msg: ReceivedMessage): string | undefined {
    const path = this.targetPath(msg);
    return path === undefined ? undefined : this.cfg.appOrigin + path;
  }

  private targetPath(msg: ReceivedMessage): string | undefined {
    if (!msg.task) return this.cfg.httpPath;
    // The validator the component and local mode apply to cron.yaml: what they accept, this posts.
    return taskPathProblem(msg.task.path) === undefined ? msg.task.path : undefined;
  }

  /** `signal` aborts this one request (the daemon aborts them all through `abortAll` instead). */
  async deliver(msg: ReceivedMessage, signal?: AbortSignal): Promise<Delivery> {
    const started = performance.now();
    const path = this.targetPath(msg);
    if (path === undefined) {
      return { kind: "invalid", error: `periodic task ${taskPathProblem(msg.task?.path ?? "")}`, latencyMs: 0 };
    }
    const body = Buffer.from(msg.body, "utf8");
    const { headers, dropped } = buildHeaders(this.cfg, msg, this.cfg.appOrigin + path, body);
    if (dropped.length > 0) this.log.warn({ msgId: msg.id, attributes: dropped }, "attributes not forwarded: their values cannot be header values");
    headers["content-length"] = String(body.length);
    const req: InFlight = { handle: new RequestHandle(), timedOut: false };
    if (this.abortingAll) req.handle.abort();
    this.inFlight.add(req);
    const onAbort = () => req.handle.abort();
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await this.pool.request({
        method: "POST",
        path,
        headers,
        body,
        handle: req.handle,
        // The app's answer is not used; one that runs past 1 MiB is cut off, not read.
        maxBodyBytes: 1024 * 1024,
      });
      const retryAfter = res.headers["retry-after"];
      return { kind: "response", status: res.status, retryAfter, latencyMs: performance.now() - started };
    } catch (err) {
      const latencyMs = performance.now() - started;
      if (req.timedOut) return { kind: "timeout", latencyMs };
      if (req.handle.aborted) return { kind: "aborted", latencyMs };
      const e = err as NodeJS.ErrnoException;
      const refused = e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT";
      return { kind: "connection-error", error: `${e.code ?? e.name}: ${e.message}`, refused, latencyMs };
    } finally {
      this.inFlight.delete(req);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private abortAll(): void {
    this.abortingAll = true;
    for (const req of this.inFlight.values()) req.handle.abort();
  }

  /** Close the pooled connections. */
  close(): void {
    this.inFlight.close();
    this.pool.destroy();
  }
}
