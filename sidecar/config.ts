/**
 * Environment variables and CLI flags → one validated, typed Config.
 *
 * Precedence: CLI flag, then the Beanstalk-named variable, then its aliases (simple-sqsd's
 * names), then the default. Aliases are resolved here and nowhere else.
 */
import { ConfigError } from "./errors";
import { headerNameProblem } from "./header-names";
import { headerValue } from "./headers";
import { OPTIONS, describeRange, type OptionName, type OptionSpec } from "./options";
import { peerVariablesSet } from "./peer-variables";
import { VERSION } from "./version";

export { ConfigError, VERSION };

export interface Config {
  queueUrl: string;
  queueName: string;
  fifo: boolean;
  region: string;
  endpoint?: string;
  /** Origin of the app, e.g. http://127.0.0.1:8080 */
  appOrigin: string;
  /** Path (with query) of the POST for ordinary messages. */
  httpPath: string;
  mimeType: string;
  httpConnections: number;
  connectTimeoutMs: number;
  inactivityTimeoutMs: number;
  visibilityTimeout: number;
  errorVisibilityTimeout: number;
  retentionPeriodMs: number;
  maxRetries: number;
  successStatus: "200" | "2xx";
  maxMessages: number;
  /** Receives' worth of messages held beyond httpConnections (1: the contract's bound). */
  receiveAhead: number;
  waitTimeSeconds: number;
  healthCheckPath?: string;
  healthCheckIntervalMs: number;
  healthCheckSuccessCount: number;
  statusPort: number;
  statusHost: string;
  drainTimeoutMs: number;
  taskProtection: boolean;
  /** Agent endpoint base (ECS_AGENT_URI) when task protection is on. */
  ecsAgentUri?: string;
  taskProtectionMinutes: number;
  metrics: boolean;
  metricsNamespace: string;
  metricsIntervalMs: number;
  hmacSecret?: string;
  hmacHeader: string;
  /** A fixed header for every POST (AuthorizationHeader, in AuthorizationHeaderName). */
  authorization?: { name: string; value: string };
  /** Verify the app's TLS certificate (https:// only). */
  tlsVerify: boolean;
  userAgent: string;
  logLevel: string;
}

type RawValues = Partial<Record<OptionName, string>>;

interface Source {
  value: string;
  /** What the user set, for error messages: "--http-connections", "SQSD_HTTP_MAX_CONNS". */
  from: string;
}

/** Find where an option's value comes from, by precedence. */
function lookup(spec: OptionSpec, flags: RawValues, env: NodeJS.ProcessEnv): Source | undefined {
  const flag = flags[spec.name as OptionName];
  if (flag !== undefined) return { value: flag, from: `--${spec.flag}` };
  for (const name of [spec.name, ...(spec.aliases ?? [])]) {
    const value = env[name];
    if (value !== undefined && value !== "") return { value, from: name };
  }
  return undefined;
}

function parseValue(spec: OptionSpec, src: Source, problems: string[]): string | number | boolean | undefined {
  const raw = src.value.trim();
  const bad = (why: string): undefined => {
    problems.push(`${src.from}=${JSON.stringify(src.value)}: ${why}`);
    return undefined;
  };
  switch (spec.kind) {
    case "integer":
    case "number": {
      const n = Number(raw);
      const whole = spec.kind === "integer";
      if (raw === "" || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < (spec.min ?? -Infinity) || n > (spec.max ?? Infinity)) {
        return bad(`must be ${describeRange(spec)}`);
      }
      return n;
    }
    case "boolean": {
      const v = raw.toLowerCase();
      if (["true", "1", "yes", "on"].includes(v)) return true;
      if (["false", "0", "no", "off"].includes(v)) return false;
      return bad("must be true or false");
    }
    case "enum": {
      const match = (spec.values ?? []).find((v) => v.toLowerCase() === raw.toLowerCase());
      return match ?? bad(`must be ${describeRange(spec)}`);
    }
    case "url": {
      try {
        const url = new URL(raw);
        if (url.protocol !== "http:" && url.protocol !== "https:") return bad("must be an http:// or https:// URL");
        return raw;
      } catch {
        return bad("must be an absolute URL, e.g. http://127.0.0.1:8080/");
      }
    }
    case "header": {
      const problem = headerNameProblem(raw);
      return problem === undefined ? raw : bad(problem);
    }
    case "path":
      if (!raw.startsWith("/") || /[\s#]/.test(raw)) return bad("must be a URL path starting with /, without spaces or #");
      return raw;
    case "string":
      return src.value;
  }
}

/** Parse all options; collects every problem before failing. */
function parseAll(flags: RawValues, env: NodeJS.ProcessEnv): { values: Map<OptionName, string | number | boolean>; problems: string[] } {
  const problems: string[] = [];
  const values = new Map<OptionName, string | number | boolean>();
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    const name = spec.name as OptionName;
    const src = lookup(spec, flags, env) ?? (spec.default !== undefined ? { value: spec.default, from: `${spec.name} (default)` } : undefined);
    if (!src) {
      if (spec.required) {
        const names = [spec.name, ...(spec.aliases ?? [])].join(" or ");
        problems.push(`${spec.name} is required: set ${names}, or pass --${spec.flag}. ${spec.description}`);
      }
      continue;
    }
    const value = parseValue(spec, src, problems);
    if (value !== undefined) values.set(name, value);
  }
  return { values, problems };
}

/** Region of an AWS SQS URL: https://sqs.<region>.amazonaws.com/<account>/<name>. */
export function regionFromQueueUrl(queueUrl: string): string | undefined {
  const host = new URL(queueUrl).hostname;
  const m = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host) ?? /^([a-z]{2}(-[a-z]+)+-\d)\.queue\.amazonaws\.com$/.exec(host);
  return m?.[1];
}

/**
 * Build the Config from CLI flag values (already keyed by option name) and the environment.
 * Throws ConfigError naming every bad variable, its value and the allowed range.
 */
export function loadConfig(flags: RawValues, env: NodeJS.ProcessEnv): Config {
  const { values, problems } = parseAll(flags, env);
  const str = (n: OptionName) => values.get(n) as string | undefined;
  const num = (n: OptionName) => values.get(n) as number;

  const queueUrl = str("WorkerQueueURL");
  const region = str("Region") ?? (queueUrl ? regionFromQueueUrl(queueUrl) : undefined);
  if (queueUrl && !region) {
    problems.push("Region is required: the queue URL does not name one. Set Region, SQSD_QUEUE_REGION or AWS_REGION, or pass --region.");
  }
  const authValue = str("AuthorizationHeader");
  if (authValue !== undefined && headerValue(authValue) === undefined) problems.push("AuthorizationHeader: holds a line break or another control character, which a header value cannot carry");
  const authName = str("AuthorizationHeaderName");
  if (authValue !== undefined && authName !== undefined && str("HmacSecret") !== undefined && authName.toLowerCase() === str("HmacHeader")?.toLowerCase()) {
    problems.push(`AuthorizationHeaderName and HmacHeader are both "${authName}": give one of them another name`);
  }
  for (const p of peerVariablesSet(env)) if (p.action === "refuse") problems.push(`${p.variable}=${JSON.stringify(env[p.variable])}: ${p.reason}`);
  const inactivity = num("InactivityTimeout");
  const drain = num("DrainTimeout");
  if (problems.length > 0) throw new ConfigError(problems);

  const queueName = new URL(queueUrl!).pathname.split("/").filter(Boolean).pop() ?? "";
  const appUrl = new URL(str("HttpUrl")!);
  const httpPath = str("HttpPath") ?? `${appUrl.pathname}${appUrl.search}`;
  const protection = str("TaskProtection")!;
  const agent = env.ECS_AGENT_URI;
  if (protection === "on" && !agent) {
    throw new ConfigError(["TaskProtection=on needs ECS_AGENT_URI, which ECS sets in every task: set TaskProtection=auto or off outside ECS."]);
  }
  const extraAgent = str("UserAgent");

  return {
    queueUrl: queueUrl!,
    queueName,
    fifo: queueName.endsWith(".fifo"),
    region: region!,
    endpoint: str("Endpoint"),
    appOrigin: appUrl.origin,
    httpPath,
    mimeType: str("MimeType")!,
    httpConnections: num("HttpConnections"),
    connectTimeoutMs: num("ConnectTimeout") * 1000,
    inactivityTimeoutMs: inactivity * 1000,
    visibilityTimeout: num("VisibilityTimeout"),
    errorVisibilityTimeout: num("ErrorVisibilityTimeout"),
    retentionPeriodMs: num("RetentionPeriod") * 1000,
    maxRetries: num("MaxRetries"),
    successStatus: str("SuccessStatus") as "200" | "2xx",
    maxMessages: num("MaxMessages"),
    receiveAhead: num("ReceiveAhead"),
    waitTimeSeconds: num("WaitTime"),
    healthCheckPath: str("HealthCheckPath"),
    healthCheckIntervalMs: Math.round(num("HealthCheckInterval") * 1000),
    healthCheckSuccessCount: num("HealthCheckSuccessCount"),
    statusPort: num("StatusPort"),
    statusHost: str("StatusHost")!,
    drainTimeoutMs: Math.round(drain * 1000),
    taskProtection: protection === "on" || (protection === "auto" && Boolean(agent)),
    ecsAgentUri: agent,
    taskProtectionMinutes: num("TaskProtectionMinutes"),
    metrics: values.get("Metrics") as boolean,
    metricsNamespace: str("MetricsNamespace")!,
    metricsIntervalMs: Math.round(num("MetricsInterval") * 1000),
    hmacSecret: str("HmacSecret"),
    hmacHeader: str("HmacHeader")!,
    authorization: authValue !== undefined ? { name: authName!, value: headerValue(authValue)! } : undefined,
    tlsVerify: values.get("TlsVerify") as boolean,
    userAgent: `aws-sqsd/2.4 (sqsd-worker ${VERSION})${extraAgent ? ` ${extraAgent}` : ""}`,
    logLevel: str("LogLevel")!,
  };
}
