/**
 * A proxy in front of the SQS emulator (node:http, 127.0.0.1) that delays every call, as an
 * in-region SQS round trip would (e.g. 15 ± 5 ms), and counts calls by action, for both
 * protocols: the AWS JSON protocol names the action in X-Amz-Target (the JS SDK v3), the
 * query protocol in the form body (the Go SDK v1 of simple-sqsd).
 */
import { Agent, createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Latency {
  /** Mean delay added to each call, in ms. */
  meanMs: number;
  /** The delay is uniform in mean ± jitter. */
  jitterMs: number;
}

export interface SqsProxy {
  /** http://127.0.0.1:<port>: use it as the endpoint, and as the host of queue URLs. */
  endpoint: string;
  /** Calls seen per action (ReceiveMessage, DeleteMessageBatch, …). */
  readonly calls: ReadonlyMap<string, number>;
  /** performance.now() at the start of every ReceiveMessage call. */
  readonly receiveTimes: readonly number[];
  /** The most ReceiveMessage calls in progress at once (a daemon's pollers, when idle). */
  readonly maxConcurrentReceives: number;
  reset(): void;
  close(): Promise<void>;
}

function actionOf(headers: IncomingHttpHeaders, body: Buffer): string {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.slice(target.indexOf(".") + 1);
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString("latin1"))?.[1] ?? "unknown";
}

export async function startSqsProxy(target: string, latency: Latency = { meanMs: 0, jitterMs: 0 }): Promise<SqsProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const calls = new Map<string, number>();
  let receiveTimes: number[] = [];
  let receiving = 0;
  let maxConcurrentReceives = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(req.headers, body);
      calls.set(action, (calls.get(action) ?? 0) + 1);
      const isReceive = action === "ReceiveMessage";
      if (isReceive) {
        receiveTimes.push(performance.now());
        maxConcurrentReceives = Math.max(maxConcurrentReceives, ++receiving);
      }
      const forward = () => {
        const up = request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on("end", () => {
              if (isReceive) receiving--;
            });
          },
        );
        up.on("error", (err) => {
          if (isReceive) receiving--;
          res.destroy(err);
        });
        up.end(body);
      };
      const delay = latency.meanMs + (Math.random() * 2 - 1) * latency.jitterMs;
      if (delay > 0) setTimeout(forward, delay);
      else forward();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    get receiveTimes() {
      return receiveTimes;
    },
    get maxConcurrentReceives() {
      return maxConcurrentReceives;
    },
    reset() {
      calls.clear();
      receiveTimes = [];
      maxConcurrentReceives = receiving;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The same queue URL with the proxy's origin, for daemons that send requests to the queue URL. */
export function viaProxy(queueUrl: string, proxy: SqsProxy): string {
  const u = new URL(queueUrl);
  return proxy.endpoint + u.pathname;
}
