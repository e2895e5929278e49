/**
 * The sidecar's environment: what the component sets from its arguments, and the check of
 * `sidecar.environment` against the daemon's own option parser (sidecar/config.ts), so a value
 * the daemon would refuse (it exits 2 on every task start) fails the preview instead.
 */
import { ConfigError, loadConfig } from "../sidecar/config";
import { OPTIONS, optionSpec, type OptionName } from "../sidecar/options";
import type { WorkerEnvironmentArgs } from "./args";
import type { Settings } from "./validation";

/**
 * Options the component sets itself, each with the argument that sets it: a copy in
 * `sidecar.environment` would override it and drift from the queue, the app or the task.
 */
export const COMPONENT_SIDECAR_OPTIONS: Readonly<Partial<Record<OptionName, string>>> = {
  WorkerQueueURL: "queue (a new queue) or existingQueue.url",
  Region: "the AWS provider's region (the region the component deploys to)",
  HttpUrl: "app.port (the sidecar posts to http://127.0.0.1:<app.port>)",
  HttpPath: "app.httpPath",
  MimeType: "sidecar.mimeType",
  HttpConnections: "sidecar.httpConnections",
  ConnectTimeout: "sidecar.connectTimeout",
  InactivityTimeout: "sidecar.inactivityTimeout",
  VisibilityTimeout: "queue.visibilityTimeoutSeconds (the sidecar follows the queue's)",
  ErrorVisibilityTimeout: "sidecar.errorVisibilityTimeout",
  RetentionPeriod: "queue.retentionSeconds (the sidecar follows the queue's)",
  MaxRetries: "maxRetries (also the queue's redrive maxReceiveCount)",
  DrainTimeout: "sidecar.drainTimeout (it also sets the containers' stopTimeout)",
  TaskProtection: "sidecar.taskProtection",
  SuccessStatus: "sidecar.successStatus",
  LogLevel: "sidecar.logLevel",
  HealthCheckPath: "app.healthCheckPath",
};

/** Stand-ins for what only the deploy knows, shaped as the daemon expects them. */
const PLACEHOLDER_QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/placeholder";
const PLACEHOLDER_REGION = "us-east-1";
/** ECS sets it in every task; TaskProtection=on requires it. */
const PLACEHOLDER_AGENT_URI = "http://169.254.170.2/api/placeholder";

function optionDefault(name: OptionName): string {
  return optionSpec(name).default ?? "";
}

/** True when the sidecar container gets the ECS health check on the daemon's /livez. */
export function hasLivenessCheck(args: WorkerEnvironmentArgs): boolean {
  // Our own image has Node and the daemon's /livez; another image may have neither.
  return args.sidecar?.livenessCheck ?? args.sidecar?.image === undefined;
}

/**
 * The sidecar's environment: Beanstalk option names (its env var names) → values. Plain
 * strings only; the queue URL and region are filled in by the caller.
 */
export function sidecarEnvironment(args: WorkerEnvironmentArgs, settings: Settings, queueUrl: string, region: string): Record<string, string> {
  const s = args.sidecar ?? {};
  const pick = (value: string | number | undefined, option: OptionName): string => (value === undefined ? optionDefault(option) : String(value));
  const env: Record<string, string> = {
    WorkerQueueURL: queueUrl,
    Region: region,
    // Same network namespace (awsvpc). 127.0.0.1 rather than "localhost": an app bound to
    // 0.0.0.0 only would refuse the ::1 that localhost may resolve to first.
    HttpUrl: `http://127.0.0.1:${settings.appPort}/`,
    HttpPath: settings.httpPath,
    MimeType: pick(s.mimeType, "MimeType"),
    HttpConnections: pick(s.httpConnections, "HttpConnections"),
    ConnectTimeout: pick(s.connectTimeout, "ConnectTimeout"),
    InactivityTimeout: pick(s.inactivityTimeout, "InactivityTimeout"),
    VisibilityTimeout: String(settings.visibilityTimeout),
    ErrorVisibilityTimeout: pick(s.errorVisibilityTimeout, "ErrorVisibilityTimeout"),
    RetentionPeriod: String(settings.retentionSeconds),
    MaxRetries: String(settings.maxRetries),
    DrainTimeout: String(settings.drainTimeout),
    // On, not auto: scale-in must never stop a task holding messages.
    TaskProtection: s.taskProtection ?? "on",
    SuccessStatus: pick(s.successStatus, "SuccessStatus"),
    LogLevel: pick(s.logLevel, "LogLevel"),
  };
  if (args.app.healthCheckPath !== undefined) env.HealthCheckPath = args.app.healthCheckPath;
  return env;
}

/**
 * Problems of `sidecar.environment`: unknown names, options the component sets itself, and
 * plain-string values the daemon's parser refuses, found by parsing the whole environment the
 * daemon will get. Values only known at deploy time (outputs, secrets) are not checked.
 */
export function sidecarEnvironmentProblems(args: WorkerEnvironmentArgs, settings: Settings): string[] {
  const problems: string[] = [];
  const known = new Set<string>(OPTIONS.map((o) => o.name));
  const plain: Record<string, string> = {};
  for (const [key, value] of Object.entries(args.sidecar?.environment ?? {})) {
    const arg = `sidecar.environment.${key}`;
    if (!known.has(key)) {
      problems.push(`${arg}: is not a sidecar option; use one of ${[...known].join(", ")}`);
      continue;
    }
    const owner = COMPONENT_SIDECAR_OPTIONS[key as OptionName];
    if (owner !== undefined) {
      problems.push(`${arg}: the component sets ${key} itself; set ${owner} instead`);
      continue;
    }
    if (typeof value === "string") plain[key] = value;
  }
  const env = { ...sidecarEnvironment(args, settings, PLACEHOLDER_QUEUE_URL, PLACEHOLDER_REGION), ECS_AGENT_URI: PLACEHOLDER_AGENT_URI, ...plain };
  try {
    loadConfig({}, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Problems read `Name="value": why`; those of the component's own values are reported by their arguments.
    for (const problem of err.problems) {
      const key = Object.keys(plain).find((k) => problem.startsWith(`${k}=`));
      if (key !== undefined) {
        problems.push(`sidecar.environment.${key}: the sidecar refuses ${problem.slice(key.length + 1)}, and would exit on every task start; give a valid value`);
      }
    }
  }
  if (plain.StatusPort?.trim() === "0" && hasLivenessCheck(args)) {
    problems.push(
      'sidecar.environment.StatusPort: "0" turns off the /livez endpoint the sidecar\'s ECS health check probes, so every task would be marked unhealthy; drop it, or set sidecar.livenessCheck: false',
    );
  }
  return problems;
}
