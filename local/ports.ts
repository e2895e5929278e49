/** Port checks done before anything starts, so a clash is a clear error and not a hang. */
import { createServer } from "node:net";
import { ConfigError } from "./errors";

/** Resolves when `host:port` can be bound (and releases it); ConfigError naming `what` otherwise. */
export function assertPortFree(host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "is already in use" : `cannot be bound (${err.message})`;
      reject(new ConfigError([`${what}: ${host}:${port} ${why}. Stop what listens there, pick another port, or use --url to deliver to an app that is already running.`]));
    });
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

/** A free port on 127.0.0.1 chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
