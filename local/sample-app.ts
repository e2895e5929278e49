/**
 * The sample worker app, in the spirit of the Flask app of the ECS worker blog post: prints
 * the JSON it receives and answers 200, so the sidecar deletes the message. A message whose
 * JSON has `"fail": true` gets a 500 (retried, then dead-lettered); POST /tasks/<name>
 * answers periodic tasks. Run it alone with `PORT=8080 npx tsx local/sample-app.ts`.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** What the app decides for one request: status and the line it prints. */
export function handle(method: string, path: string, headers: Record<string, string | string[] | undefined>, body: string): { status: number; log: string } {
  if (method === "GET" && path === "/health") return { status: 200, log: "" };
  if (method !== "POST") return { status: 405, log: `${method} ${path}: only POST` };
  const task = headers["x-aws-sqsd-taskname"];
  if (typeof task === "string") {
    return { status: 200, log: `periodic task ${task} at ${path} (scheduled ${String(headers["x-aws-sqsd-scheduled-at"])})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { status: 400, log: `not JSON: ${body.slice(0, 80)}` };
  }
  const tryNo = String(headers["x-aws-sqsd-receive-count"] ?? "?");
  if (typeof json === "object" && json !== null && (json as { fail?: unknown }).fail === true) {
    return { status: 500, log: `rejecting ${JSON.stringify(json)} (try ${tryNo})` };
  }
  return { status: 200, log: `received ${JSON.stringify(json)}` };
}

/** Start the app on 127.0.0.1:`port`. */
export function startSampleApp(port: number, print: (line: string) => void = (l) => console.log(l)): Promise<Server> {
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const { status, log } = handle(req.method ?? "GET", path, req.headers, body);
        if (log) print(log);
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok\n" : `${status}\n`);
      })
      .catch(() => res.writeHead(500).end());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? "8080");
  startSampleApp(port).then(
    () => console.log(`sample app listening on 127.0.0.1:${port}`),
    (err: unknown) => {
      console.error(`sample app: cannot listen on 127.0.0.1:${port}: ${(err as Error).message}`);
      process.exit(1);
    },
  );
  const stop = () => process.exit(0);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
