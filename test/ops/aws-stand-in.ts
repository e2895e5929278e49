/**
 * A local stand-in for the AWS APIs no emulator here provides: ECS (DescribeServices) and
 * CloudWatch (GetMetricData), both AWS JSON protocols, plus SQS errors on demand (access
 * denied, throttling, rejected credentials), which ElasticMQ cannot produce. It listens on
 * 127.0.0.1 only and records every call, so tests assert what the CLI asked for.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded call: the X-Amz-Target operation and its JSON body. */
export interface Call {
  target: string;
  body: Record<string, unknown>;
}

/** An AWS error answer: HTTP status, the JSON `__type` and (for SQS) the query-compatible code. */
export interface ErrorAnswer {
  status: number;
  type: string;
  message: string;
  queryCode?: string;
}

export interface StandIn {
  endpoint: string;
  calls: Call[];
  /** Operations answered so far, e.g. "DescribeServices". */
  ops(): string[];
  /** ECS services by "cluster/service". */
  services: Map<string, { runningCount: number; desiredCount: number; pendingCount: number; rolloutState?: string }>;
  /** GetMetricData: values per (metric name, queue name); default none. */
  metric: (name: string, queue: string, stat: string) => number | undefined;
  /** Answer every call of this operation with an error (e.g. "ReceiveMessage"). */
  fail: Map<string, ErrorAnswer>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = "";
    req.on("data", (c: Buffer) => (s += c.toString("utf8")));
    req.on("end", () => resolve(s));
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...headers });
  res.end(JSON.stringify(body));
}

interface MetricQuery {
  Id: string;
  MetricStat: { Metric: { MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }; Stat: string };
}

export async function startStandIn(): Promise<StandIn> {
  const calls: Call[] = [];
  const standIn: StandIn = {
    endpoint: "",
    close: () => Promise.resolve(),
    calls,
    ops: () => calls.map((c) => c.target.split(".").pop() ?? ""),
    services: new Map(),
    metric: () => undefined,
    fail: new Map(),
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      calls.push({ target, body });
      const op = target.split(".").pop() ?? "";
      const failure = standIn.fail.get(op);
      if (failure) {
        const headers: Record<string, string> = failure.queryCode ? { "x-amzn-query-error": `${failure.queryCode};Sender` } : {};
        return send(res, failure.status, { __type: failure.type, message: failure.message }, headers);
      }
      if (op === "DescribeServices") {
        const cluster = String(body.cluster);
        const names = (body.services as string[]) ?? [];
        const found = names.flatMap((n) => {
          const s = standIn.services.get(`${cluster}/${n}`);
          return s ? [{ serviceName: n, runningCount: s.runningCount, desiredCount: s.desiredCount, pendingCount: s.pendingCount, deployments: [{ status: "PRIMARY", rolloutState: s.rolloutState ?? "COMPLETED" }] }] : [];
        });
        const failures = names.filter((n) => !standIn.services.has(`${cluster}/${n}`)).map((n) => ({ arn: `arn:aws:ecs:us-east-1:000000000000:service/${cluster}/${n}`, reason: "MISSING" }));
        return send(res, 200, { services: found, failures });
      }
      if (op === "GetMetricData") {
        const end = Number(body.EndTime);
        const results = (body.MetricDataQueries as MetricQuery[]).map((q) => {
          const queue = q.MetricStat.Metric.Dimensions.find((d) => d.Name === "QueueName")?.Value ?? "";
          const v = standIn.metric(q.MetricStat.Metric.MetricName, queue, q.MetricStat.Stat);
          return { Id: q.Id, Label: q.MetricStat.Metric.MetricName, StatusCode: "Complete", Timestamps: v === undefined ? [] : [end - 60], Values: v === undefined ? [] : [v] };
        });
        return send(res, 200, { MetricDataResults: results, Messages: [] });
      }
      return send(res, 400, { __type: "UnknownOperationException", message: `the stand-in does not answer ${target}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  standIn.endpoint = `http://127.0.0.1:${port}`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}
