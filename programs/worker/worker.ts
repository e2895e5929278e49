/**
 * The blog's worker as a reusable building function: a Flask app (./app) behind the sqsd
 * sidecar, scaling on queue backlog from zero. `index.ts` (the root `pulumi up`), the
 * Kinesis pipe program and the Automation API script all call {@link createWorker}, so the
 * worker is defined once.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { WorkerEnvironment, type WorkerEnvironmentArgs } from "../../component";

/** The app's build context, absolute so `pulumi up` works from any working directory. */
export const APP_DIR = path.join(__dirname, "app");

/** The port gunicorn listens on (see app/Dockerfile). */
export const APP_PORT = 8080;

/** Stack config keys of the worker, in the program's own namespace (`<project>:<key>`). */
export const WORKER_CONFIG_KEYS = ["minCount", "maxCount", "acceptableLatency", "messageProcessingTime"] as const;
export type WorkerConfigKey = (typeof WORKER_CONFIG_KEYS)[number];

/** The worker's settings, parsed and defaulted. */
export interface WorkerConfig {
  /** AWS region (`aws:region`); the AWS provider reads it too. */
  region: string;
  /** Fewest tasks; 0 lets the service sleep while the queue is empty. */
  minCount: number;
  /** Most tasks. */
  maxCount: number;
  /** Longest acceptable wait of a message, seconds. */
  acceptableLatency: number;
  /** Average seconds one task spends per message. */
  messageProcessingTime: number;
}

/** Defaults: scale from 0 to 3 tasks, one minute of acceptable latency. */
export const WORKER_DEFAULTS: Omit<WorkerConfig, "region"> = {
  minCount: 0,
  maxCount: 3,
  acceptableLatency: 60,
  messageProcessingTime: 1,
};

/** Raw stack config values (strings, as `pulumi config set` stores them). */
export type WorkerConfigValues = Partial<Record<WorkerConfigKey | "region", string>>;

function toNumber(key: string, raw: string | undefined, fallback: number, problems: string[], integer: boolean): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    problems.push(`${key}: expected a non-negative ${integer ? "integer" : "number"}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return n;
}

/**
 * Parse and check the worker's stack config. Pure, so the Pulumi program and the Automation
 * API script share one set of rules. Throws one error listing every problem.
 */
export function parseWorkerConfig(values: WorkerConfigValues): WorkerConfig {
  const problems: string[] = [];
  const region = values.region?.trim() ?? "";
  if (region === "") problems.push("aws:region: required, e.g. `pulumi config set aws:region us-east-1`");
  const d = WORKER_DEFAULTS;
  const config: WorkerConfig = {
    region,
    minCount: toNumber("minCount", values.minCount, d.minCount, problems, true),
    maxCount: toNumber("maxCount", values.maxCount, d.maxCount, problems, true),
    acceptableLatency: toNumber("acceptableLatency", values.acceptableLatency, d.acceptableLatency, problems, false),
    messageProcessingTime: toNumber("messageProcessingTime", values.messageProcessingTime, d.messageProcessingTime, problems, false),
  };
  if (config.maxCount < 1) problems.push("maxCount: must be at least 1");
  if (config.minCount > config.maxCount) problems.push(`minCount (${config.minCount}) must not exceed maxCount (${config.maxCount})`);
  if (config.acceptableLatency <= 0) problems.push("acceptableLatency: must be positive");
  if (config.messageProcessingTime <= 0) problems.push("messageProcessingTime: must be positive");
  if (problems.length > 0) throw new Error(`invalid worker config:\n- ${problems.join("\n- ")}`);
  return config;
}

/** Read the worker's config from the current stack (`aws:region` and the program's namespace). */
export function readWorkerConfig(): WorkerConfig {
  const own = new pulumi.Config();
  const values: WorkerConfigValues = { region: new pulumi.Config("aws").get("region") };
  for (const key of WORKER_CONFIG_KEYS) values[key] = own.get(key);
  return parseWorkerConfig(values);
}

/**
 * The health probe of the app container. The slim Python image has no curl or wget, so
 * Python itself fetches /health; the sidecar then waits for HEALTHY before its first receive.
 */
export const APP_HEALTH_CHECK = [
  "CMD",
  "python",
  "-c",
  `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${APP_PORT}/health', timeout=3)`,
];

/** The WorkerEnvironment arguments of the blog's worker. Pure: no resources are created. */
export function workerArgs(config: WorkerConfig): WorkerEnvironmentArgs {
  return {
    app: {
      build: { context: APP_DIR },
      port: APP_PORT,
      httpPath: "/",
      healthCheck: { command: APP_HEALTH_CHECK, interval: 10, timeout: 5, retries: 3, startPeriod: 10 },
      healthCheckPath: "/health",
    },
    scaling: {
      minCount: config.minCount,
      maxCount: config.maxCount,
      acceptableLatency: config.acceptableLatency,
      messageProcessingTime: config.messageProcessingTime,
    },
    tags: { project: "sqsd-worker", program: "worker" },
  };
}

/**
 * The component name for this stack. It is also the task definition family, which must be
 * unique per account and region, so two stacks of one project get two families.
 */
export function workerName(stack: string = pulumi.getStack()): string {
  return `worker-${stack}`;
}

/** Build the blog's worker. The one place the worker is defined; every program calls it. */
export function createWorker(name: string, config: WorkerConfig, opts?: pulumi.ComponentResourceOptions): WorkerEnvironment {
  return new WorkerEnvironment(name, workerArgs(config), opts);
}

/** The stack outputs a worker program exports. */
export interface WorkerOutputs {
  region: string;
  queueUrl: pulumi.Output<string>;
  queueArn: pulumi.Output<string>;
  dlqUrl: pulumi.Output<string | undefined>;
  clusterName: pulumi.Output<string>;
  serviceName: pulumi.Output<string>;
  appLogGroupName: pulumi.Output<string>;
  sidecarLogGroupName: pulumi.Output<string>;
  /** The CloudWatch dashboard: queue, tasks, scaling metric and the sidecar's outcomes. */
  dashboardUrl: pulumi.Output<string | undefined>;
}

/** What to print after `pulumi up`: where to send messages and where to read the logs. */
export function workerOutputs(worker: WorkerEnvironment, config: WorkerConfig): WorkerOutputs {
  return {
    region: config.region,
    queueUrl: worker.queueUrl,
    queueArn: worker.queueArn,
    dlqUrl: worker.dlqUrl,
    clusterName: worker.clusterName,
    serviceName: worker.serviceName,
    appLogGroupName: worker.appLogGroupName,
    sidecarLogGroupName: worker.sidecarLogGroupName,
    dashboardUrl: worker.dashboardUrl,
  };
}
