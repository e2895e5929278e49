/**
 * ElasticMQ (the JVM SQS emulator): fetch its jars once into a machine cache, and run it
 * as a child process bound to 127.0.0.1.
 *
 * Run this file directly (`npx tsx test/support/elasticmq.ts`) to prefetch the jars (CI).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, spawnManaged, waitForSqs, type ManagedChild } from "./emulator-process";

/** The ElasticMQ release the harness runs. */
export const ELASTICMQ_VERSION = "1.7.1";

/** `${SQSD_WORKER_CACHE:-$HOME/.cache/sqsd-worker}`: machine cache shared with `.ci/run`. */
export function cacheRoot(): string {
  return process.env.SQSD_WORKER_CACHE || join(homedir(), ".cache", "sqsd-worker");
}

/** Whether a `java` runtime answers on PATH. */
export function javaAvailable(): boolean {
  const r = spawnSync("java", ["-version"], { stdio: "ignore" });
  return r.status === 0;
}

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.sqsd-worker</groupId><artifactId>elasticmq-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.elasticmq</groupId><artifactId>elasticmq-server_2.13</artifactId><version>${ELASTICMQ_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;

/**
 * The directory holding ElasticMQ's jars, fetched with Maven (≈25 s, into
 * `<cache>/elasticmq-<version>/lib`) when absent. The download goes to a temporary folder
 * that is renamed into place, so an interrupted fetch never leaves a half-filled `lib`.
 */
export function ensureElasticMqJars(): string {
  const dir = join(cacheRoot(), `elasticmq-${ELASTICMQ_VERSION}`);
  const lib = join(dir, "lib");
  const hasServer = () =>
    existsSync(lib) && readdirSync(lib).some((f) => f.startsWith(`elasticmq-server_2.13-${ELASTICMQ_VERSION}`));
  if (hasServer()) return lib;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pom.xml"), POM);
  const staging = mkdtempSync(join(dir, "lib-"));
  const r = spawnSync("mvn", ["-q", "-B", "dependency:copy-dependencies", `-DoutputDirectory=${staging}`], {
    cwd: dir,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const why = r.error ? r.error.message : `exit ${r.status}\n${(r.stdout + r.stderr).slice(-3000)}`;
    throw new Error(`fetching ElasticMQ ${ELASTICMQ_VERSION} with mvn in ${dir} failed: ${why}`);
  }
  try {
    renameSync(staging, lib);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!hasServer()) throw err; // else another process won the race
  }
  return lib;
}

/** A running ElasticMQ process. */
export interface ElasticMqProcess {
  port: number;
  endpoint: string;
  proc: ManagedChild;
  /** Stop the JVM (SIGTERM, SIGKILL after 5 s); remove its files, except a given dataDir when `keepData`. */
  stop(opts?: { keepData?: boolean; signal?: NodeJS.Signals }): Promise<void>;
}

/** Options for {@link startElasticMq}. */
export interface ElasticMqOptions {
  /** Port to bind (default: a free one). */
  port?: number;
  region?: string;
  /**
   * Keep queues and messages in an H2 database in this directory, so a process started
   * again with the same `dataDir` finds them (used by restart()). Default: in memory.
   */
  dataDir?: string;
}

/** Start ElasticMQ on 127.0.0.1 and wait until it answers ListQueues (60 s at most). */
export async function startElasticMq(opts: ElasticMqOptions = {}): Promise<ElasticMqProcess> {
  const lib = ensureElasticMqJars();
  const port = opts.port ?? (await freePort());
  const region = opts.region ?? "us-east-1";
  const work = opts.dataDir ?? mkdtempSync(join(tmpdir(), "sqsd-elasticmq-"));
  // sqs-limits = strict still accepts 1 MiB bodies (and rejects 1 MiB + 1) in 1.7.1.
  const conf = [
    `include classpath("application.conf")`,
    `node-address { protocol = http, host = "127.0.0.1", port = ${port}, context-path = "" }`,
    `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }`,
    `rest-stats { enabled = false }`,
    `aws { region = "${region}", accountId = "000000000000" }`,
    opts.dataDir ? `messages-storage { enabled = true, uri = "jdbc:h2:${join(work, "elasticmq-h2")}" }` : "",
  ].join("\n");
  const confPath = join(work, "elasticmq.conf");
  writeFileSync(confPath, conf + "\n");
  const proc = spawnManaged(
    "java",
    [`-Dconfig.file=${confPath}`, "-cp", join(lib, "*"), "org.elasticmq.server.Main"],
    { cwd: work },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForSqs(endpoint, proc, `ElasticMQ ${ELASTICMQ_VERSION}`);
  return {
    port,
    endpoint,
    proc,
    async stop({ keepData = false, signal = "SIGTERM" } = {}) {
      await proc.stop(signal);
      // A temporary folder of our own always goes; a caller's dataDir only when asked.
      if (!opts.dataDir || !keepData) rmSync(work, { recursive: true, force: true });
    },
  };
}

if (require.main === module) {
  console.log(ensureElasticMqJars());
}
