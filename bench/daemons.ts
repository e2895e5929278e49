/**
 * The daemons the benchmark compares, each started as its own process the way it is deployed,
 * and measured from outside (/proc): this project's bundle (`node <flags> sqsd.cjs`, as the
 * image starts it) and, when its binary is given, simple-sqsd (fterrag/simple-sqsd, the Go
 * daemon of the ECS worker blog post).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { SIDECAR_NODE_FLAGS } from "../sidecar/node-flags";
import { cpuSeconds, peakRssMiB, rssMiB } from "./proc-stats";

/** Where a daemon finds its queue and its app. */
export interface DaemonSetup {
  queueUrl: string;
  /** SQS endpoint (the emulator, or the latency proxy in front of it). */
  endpoint: string;
  region: string;
  appUrl: string;
  /** HttpConnections, SQSD_HTTP_MAX_CONNS: requests in flight at once. */
  connections: number;
}

export interface DaemonProcess {
  pid: number;
  cpuSeconds(): number;
  rssMiB(): number;
  peakRssMiB(): number;
  /** The last output (stderr, and stdout when kept), for a failure message. */
  outputTail(): string;
  /** True once the process has exited. */
  readonly exited: boolean;
  stop(): Promise<void>;
}

/** One side of a comparison: a name and how to start it. */
export interface Contender {
  name: string;
  start(setup: DaemonSetup): DaemonProcess;
}

const CREDENTIALS = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_EC2_METADATA_DISABLED: "true" };

function launch(command: string, args: string[], env: Record<string, string>): DaemonProcess {
  // stdout to /dev/null: as in a container, the daemon writes its log lines and nobody here
  // pays for reading them.
  const child: ChildProcess = spawn(command, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...CREDENTIALS, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let tail = "";
  child.stderr?.on("data", (c: Buffer) => (tail = (tail + c.toString("utf8")).slice(-4000)));
  let exited = false;
  const done = new Promise<void>((resolve) => child.on("exit", () => ((exited = true), resolve())));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${command} did not start`);
  return {
    pid,
    cpuSeconds: () => cpuSeconds(pid),
    rssMiB: () => rssMiB(pid),
    peakRssMiB: () => peakRssMiB(pid),
    outputTail: () => tail,
    get exited() {
      return exited;
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      // Ours lets a waiting long poll return (up to 20 s) unless a second signal hurries it.
      const again = setTimeout(() => child.kill("SIGTERM"), 300);
      const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await done;
      clearTimeout(again);
      clearTimeout(kill);
    },
  };
}

/**
 * This project's daemon from a bundle (dist/sqsd.cjs, or an older build for an A/B run),
 * with the image's Node flags and then `extraNodeFlags`, its default LogLevel (info: one
 * line per delivery, as deployed) unless `logLevel` says otherwise, and `options` (sidecar
 * options by name, e.g. ReceiveAhead) over the setup's.
 */
export function sqsdWorker(name: string, bundlePath: string, opts: { extraNodeFlags?: readonly string[]; logLevel?: string; options?: Readonly<Record<string, string>> } = {}): Contender {
  if (!existsSync(bundlePath)) throw new Error(`${bundlePath} does not exist: run npm run build`);
  return {
    name,
    start: (s) =>
      launch(process.execPath, [...SIDECAR_NODE_FLAGS, ...(opts.extraNodeFlags ?? []), bundlePath], {
        WorkerQueueURL: s.queueUrl,
        Endpoint: s.endpoint,
        Region: s.region,
        HttpUrl: s.appUrl,
        HttpConnections: String(s.connections),
        StatusPort: "0",
        ...(opts.logLevel ? { LogLevel: opts.logLevel } : {}),
        ...opts.options,
      }),
  };
}

/**
 * simple-sqsd with the settings of its README, matched to ours where they differ: a 20 s
 * long poll (its default is 10) and an SQS client timeout above it (its default, 15 s, is
 * shorter than the long poll), 10 messages a receive, SQSD_HTTP_MAX_CONNS workers.
 * It listens on nothing.
 */
export function simpleSqsd(binary: string): Contender {
  return {
    name: "simple-sqsd",
    start: (s) =>
      launch(binary, [], {
        SQSD_QUEUE_URL: s.queueUrl,
        SQSD_QUEUE_REGION: s.region,
        SQSD_AWS_ENDPOINT: s.endpoint,
        SQSD_HTTP_URL: s.appUrl,
        SQSD_HTTP_MAX_CONNS: String(s.connections),
        SQSD_HTTP_CONTENT_TYPE: "application/json",
        SQSD_QUEUE_MAX_MSGS: "10",
        SQSD_QUEUE_WAIT_TIME: "20",
        SQSD_SQS_HTTP_TIMEOUT: "30",
      }),
  };
}

/** Why the peer is not in this run, or undefined when it is. */
export function peerSkipReason(emulatorKind: string): string | undefined {
  const bin = process.env.SIMPLE_SQSD_BIN;
  if (!bin) return "SIMPLE_SQSD_BIN is not set (build fterrag/simple-sqsd's ./cmd/simplesqsd and point it at the binary)";
  if (!existsSync(bin)) return `SIMPLE_SQSD_BIN=${bin} does not exist`;
  if (emulatorKind !== "elasticmq") return `it speaks the SQS query protocol, which ${emulatorKind} does not serve (run with SQS_EMULATOR=elasticmq)`;
  return undefined;
}
