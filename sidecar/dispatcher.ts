/**
 * One message → one HTTP POST to the app, over a keep-alive connection pool.
 * Returns what happened; deciding what that means for the message is the settler's job.
 */
import type { Agent } from "node:http";
import { AbortFanout } from "./abort-fanout";
import type { Config } from "./config";
import { buildHeaders } from "./headers";
import { httpRequest, keepAliveAgent } from "./http-request";
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

export class Dispatcher {
  private readonly agent: Agent;
  /** Requests in flight, each aborted when `abortAll` aborts (one listener for all of them). */
  private readonly requests: AbortFanout;

  constructor(
    private readonly cfg: Config,
    private readonly log: Logger,
    /** Aborts every request in flight and any started later (drain timeout, second signal). */
    abortAll: AbortSignal = new AbortController().signal,
  ) {
    this.requests = new AbortFanout(abortAll);
    // At most HttpConnections sockets; an idle one is closed after 4 s (or sooner when the
    // app's Keep-Alive header says so), before a typical server closes it under a request.
    this.agent = keepAliveAgent(cfg.appOrigin, { maxSockets: cfg.httpConnections, timeout: 4000, scheduling: "lifo" });
  }

  /** The URL a message is posted to: its periodic-task path, else HttpPath. */
  targetUrl(msg: ReceivedMessage): string | undefined {
    if (!msg.task) return this.cfg.appOrigin + this.cfg.httpPath;
    // The validator the component and local mode apply to cron.yaml: what they accept, this posts.
    return taskPathProblem(msg.task.path) === undefined ? this.cfg.appOrigin + msg.task.path : undefined;
  }

  /** `signal` aborts this one request (the daemon aborts them all through `abortAll` instead). */
  async deliver(msg: ReceivedMessage, signal?: AbortSignal): Promise<Delivery> {
    const started = performance.now();
    const latencyMs = () => performance.now() - started;
    const url = this.targetUrl(msg);
    if (url === undefined) {
      return { kind: "invalid", error: `periodic task ${taskPathProblem(msg.task?.path ?? "")}`, latencyMs: 0 };
    }
    const body = Buffer.from(msg.body, "utf8");
    const { headers, dropped } = buildHeaders(this.cfg, msg, url, body);
    if (dropped.length > 0) this.log.warn({ msgId: msg.id, attributes: dropped }, "attributes not forwarded: their values cannot be header values");
    // One controller per request, its timer cleared on completion: AbortSignal.timeout() would
    // keep a 299 s timer (and the request) alive long after the answer.
    const abort = this.requests.child();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.cfg.inactivityTimeoutMs);
    const onAbort = () => abort.abort();
    if (signal?.aborted) abort.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await httpRequest(url, {
        method: "POST",
        headers,
        body,
        agent: this.agent,
        signal: abort.signal,
        connectTimeoutMs: this.cfg.connectTimeoutMs,
        // The app's answer is not used; one that runs past 1 MiB is cut off, not read.
        maxBodyBytes: 1024 * 1024,
      });
      const retryAfter = res.headers["retry-after"];
      return { kind: "response", status: res.status, retryAfter, latencyMs: latencyMs() };
    } catch (err) {
      if (timedOut) return { kind: "timeout", latencyMs: latencyMs() };
      if (abort.signal.aborted) return { kind: "aborted", latencyMs: latencyMs() };
      const e = err as NodeJS.ErrnoException;
      const refused = e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT";
      return { kind: "connection-error", error: `${e.code ?? e.name}: ${e.message}`, refused, latencyMs: latencyMs() };
    } finally {
      clearTimeout(timer);
      this.requests.release(abort);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Close the pooled connections. */
  close(): void {
    this.agent.destroy();
  }
}
