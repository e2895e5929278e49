/**
 * The daemon's own health endpoint, for the container HEALTHCHECK and for people:
 * GET /livez  → 200 while the daemon runs (503 once it is stopping)
 * GET /readyz → 200 while the app is healthy and messages are being received
 * Both answer a small JSON snapshot.
 */
import { createServer, type Server } from "node:http";

/** What both endpoints answer: liveness, readiness, and whatever else the snapshot carries. */
export interface StatusSnapshot {
  live: boolean;
  ready: boolean;
}

export async function startStatusServer(host: string, port: number, snapshot: () => StatusSnapshot): Promise<Server> {
  const server = createServer((req, res) => {
    const s = snapshot();
    const path = (req.url ?? "/").split("?")[0];
    const ok = path === "/livez" || path === "/healthz" ? s.live : path === "/readyz" ? s.ready : undefined;
    if (req.method !== "GET" || ok === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /livez or /readyz\n");
      return;
    }
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(s) + "\n");
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
