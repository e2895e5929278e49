/**
 * A TCP listener on 127.0.0.1 whose accept queue is full, so a new connect hangs in the SYN
 * stage: the one way to provoke a connect timeout on loopback. Node's servers always accept,
 * so a Python process holds the socket (listen(0), never accept) and one connection fills it.
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { atTeardown } from "./global-fixtures";

export interface FullBacklog {
  port: number;
  close(): void;
}

const LISTENER = [
  "import socket, sys",
  "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
  "print(s.getsockname()[1], flush=True)",
  "sys.stdin.read()", // until the test closes stdin
].join("\n");

export async function fullBacklog(): Promise<FullBacklog> {
  const proc = spawn("python3", ["-c", LISTENER], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once("error", reject);
    proc.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  // Fill the queue: the first connect completes (and waits to be accepted); later ones hang.
  const filler: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const close = () => {
    filler.destroy();
    proc.stdin.end();
    proc.kill();
  };
  atTeardown(async () => close());
  return { port, close };
}
