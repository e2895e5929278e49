/**
 * The one table of sidecar options: names, flags, aliases, defaults and ranges.
 *
 * The CLI help, the config parser, the README reference (checked by a test) and the
 * component's environment mapping are all derived from this table, so they cannot drift.
 * The environment variable of an option is its Beanstalk name (`HttpConnections=10`);
 * `aliases` are the community `simple-sqsd` names (and AWS's own where one exists), read
 * when the Beanstalk name is not set.
 */

/** "header": an HTTP header name the daemon adds to each POST. */
export type OptionKind = "string" | "url" | "path" | "header" | "integer" | "number" | "boolean" | "enum";

export interface OptionSpec {
  /** Beanstalk-style name; also the environment variable. */
  readonly name: string;
  /** Long CLI flag without the dashes. */
  readonly flag: string;
  readonly kind: OptionKind;
  /** Default as the user would write it; undefined = no default (required or optional). */
  readonly default?: string;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for kind "enum". */
  readonly values?: readonly string[];
  /** Other environment variables read when `name` is unset, first match wins. */
  readonly aliases?: readonly string[];
  /** Unit shown in help and errors. */
  readonly unit?: "seconds" | "minutes";
  /** True when the option comes from Beanstalk's aws:elasticbeanstalk:sqsd namespace. */
  readonly beanstalk?: boolean;
  readonly description: string;
}

export const OPTIONS = [
  {
    name: "WorkerQueueURL",
    flag: "queue-url",
    kind: "url",
    required: true,
    aliases: ["SQSD_QUEUE_URL"],
    beanstalk: true,
    description: "URL of the SQS queue to poll (standard or FIFO).",
  },
  {
    name: "Region",
    flag: "region",
    kind: "string",
    aliases: ["SQSD_QUEUE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"],
    description: "AWS region of the queue. Default: taken from the queue URL's host (sqs.<region>.amazonaws.com).",
  },
  {
    name: "Endpoint",
    flag: "endpoint",
    kind: "url",
    aliases: ["SQSD_AWS_ENDPOINT", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"],
    description: "SQS endpoint override, for local servers (ElasticMQ, fauxqs). Default: the AWS endpoint of the region.",
  },
  {
    name: "HttpUrl",
    flag: "http-url",
    kind: "url",
    default: "http://127.0.0.1:80/",
    aliases: ["SQSD_HTTP_URL"],
    description: "URL of the app. Its path is the POST path unless HttpPath is set.",
  },
  {
    name: "HttpPath",
    flag: "http-path",
    kind: "path",
    beanstalk: true,
    description: "Path of the POST, replacing HttpUrl's path. Default: HttpUrl's path, which defaults to /.",
  },
  {
    name: "MimeType",
    flag: "mime-type",
    kind: "string",
    default: "application/json",
    aliases: ["SQSD_HTTP_CONTENT_TYPE"],
    beanstalk: true,
    description: "Content-Type of the POST.",
  },
  {
    name: "HttpConnections",
    flag: "http-connections",
    kind: "integer",
    default: "50",
    min: 1,
    max: 100,
    aliases: ["SQSD_HTTP_MAX_CONNS"],
    beanstalk: true,
    description: "Most requests in flight to the app at once.",
  },
  {
    name: "ConnectTimeout",
    flag: "connect-timeout",
    kind: "integer",
    default: "5",
    min: 1,
    max: 60,
    unit: "seconds",
    beanstalk: true,
    description: "TCP connect timeout to the app.",
  },
  {
    name: "InactivityTimeout",
    flag: "inactivity-timeout",
    kind: "integer",
    default: "299",
    min: 1,
    max: 36000,
    unit: "seconds",
    aliases: ["SQSD_HTTP_TIMEOUT"],
    beanstalk: true,
    description: "Longest wait for the app's response; then the request is aborted and the message left to reappear.",
  },
  {
    name: "VisibilityTimeout",
    flag: "visibility-timeout",
    kind: "integer",
    default: "300",
    min: 0,
    max: 43200,
    unit: "seconds",
    beanstalk: true,
    description: "Visibility timeout set on each receive; extended while a request is still running.",
  },
  {
    name: "ErrorVisibilityTimeout",
    flag: "error-visibility-timeout",
    kind: "integer",
    default: "2",
    min: 0,
    max: 43200,
    unit: "seconds",
    beanstalk: true,
    description: "Visibility set after a failed delivery (non-success status or connection error).",
  },
  {
    name: "RetentionPeriod",
    flag: "retention-period",
    kind: "integer",
    default: "345600",
    min: 60,
    max: 1209600,
    unit: "seconds",
    beanstalk: true,
    description: "A message first received longer ago than this is deleted unposted, and logged.",
  },
  {
    name: "MaxRetries",
    flag: "max-retries",
    kind: "integer",
    default: "10",
    min: 1,
    max: 100,
    beanstalk: true,
    description:
      "Receives before the queue's redrive policy moves a message to the dead-letter queue: the maxReceiveCount the component and local mode give the queue. The daemon counts dead letters by the queue's own policy (read at start and every 5 minutes) and warns when the two differ.",
  },
  {
    name: "SuccessStatus",
    flag: "success-status",
    kind: "enum",
    default: "200",
    values: ["200", "2xx"],
    description: "Statuses that delete the message: exactly 200 (Beanstalk) or any 2xx (simple-sqsd).",
  },
  {
    name: "MaxMessages",
    flag: "max-messages",
    kind: "integer",
    default: "10",
    min: 1,
    max: 10,
    aliases: ["SQSD_QUEUE_MAX_MSGS"],
    description: "Most messages asked for in one receive.",
  },
  {
    name: "ReceiveAhead",
    flag: "receive-ahead",
    kind: "integer",
    default: "1",
    min: 1,
    max: 5,
    description:
      "Receives' worth of messages (MaxMessages each) the daemon may hold beyond HttpConnections. 1 is Beanstalk's bound; more keeps receives on their way while every connection is busy, which pays when SQS is tens of milliseconds away and the app is fast, at the cost of more messages invisible to other tasks while this one works (docs/performance.md).",
  },
  {
    name: "WaitTime",
    flag: "wait-time",
    kind: "integer",
    default: "20",
    min: 1,
    max: 20,
    unit: "seconds",
    aliases: ["SQSD_QUEUE_WAIT_TIME"],
    description: "Long-poll wait of each receive (0 would mean short polling, which spins: not allowed).",
  },
  {
    name: "HealthCheckPath",
    flag: "health-path",
    kind: "path",
    aliases: ["SQSD_HTTP_HEALTH_PATH"],
    description:
      "App path answered with 2xx when healthy. Default: no path; the app counts as healthy when its port accepts connections.",
  },
  {
    name: "HealthCheckInterval",
    flag: "health-interval",
    kind: "number",
    default: "5",
    min: 0.05,
    max: 300,
    unit: "seconds",
    aliases: ["SQSD_HTTP_HEALTH_INTERVAL"],
    description: "Time between health checks while waiting for the app, and while it is unhealthy.",
  },
  {
    name: "HealthCheckSuccessCount",
    flag: "health-success-count",
    kind: "integer",
    default: "1",
    min: 1,
    max: 100,
    aliases: ["SQSD_HTTP_HEALTH_SUCCESS_COUNT"],
    description: "Successful health checks in a row needed before receiving (again).",
  },
  {
    name: "StatusPort",
    flag: "status-port",
    kind: "integer",
    default: "9321",
    min: 0,
    max: 65535,
    description: "Port of the daemon's own /livez and /readyz endpoint on StatusHost; 0 turns it off.",
  },
  {
    name: "StatusHost",
    flag: "status-host",
    kind: "string",
    default: "127.0.0.1",
    description: "Address the status endpoint binds to.",
  },
  {
    name: "DrainTimeout",
    flag: "drain-timeout",
    kind: "number",
    default: "25",
    min: 0,
    max: 115,
    unit: "seconds",
    description:
      "On SIGTERM/SIGINT, how long requests in flight (and a waiting long poll) may run before they are aborted and released; a second signal aborts at once. Keep it below the task's stopTimeout.",
  },
  {
    name: "TaskProtection",
    flag: "task-protection",
    kind: "enum",
    default: "auto",
    values: ["auto", "on", "off"],
    description:
      "ECS task scale-in protection while messages are held: auto = on when ECS_AGENT_URI is set.",
  },
  {
    name: "TaskProtectionMinutes",
    flag: "task-protection-minutes",
    kind: "integer",
    default: "15",
    min: 1,
    max: 2880,
    unit: "minutes",
    description: "ExpiresInMinutes of each protection; renewed while busy, so a crashed daemon frees its task.",
  },
  {
    name: "Metrics",
    flag: "metrics",
    kind: "boolean",
    default: "true",
    description: "Write CloudWatch Embedded Metric Format lines (counts and latency) to stdout.",
  },
  {
    name: "MetricsNamespace",
    flag: "metrics-namespace",
    kind: "string",
    default: "SqsdWorker",
    description: "CloudWatch namespace of the EMF metrics.",
  },
  {
    name: "MetricsInterval",
    flag: "metrics-interval",
    kind: "number",
    default: "60",
    min: 1,
    max: 3600,
    unit: "seconds",
    description: "How often one EMF line is written with the counts of the interval.",
  },
  {
    name: "HmacSecret",
    flag: "hmac-secret",
    kind: "string",
    aliases: ["SQSD_HMAC_SECRET_KEY"],
    description: 'Secret for the HMAC-SHA256 signature header: hex(HMAC(secret, "POST " + url + "\\n" + body)). Off when unset.',
  },
  {
    name: "HmacHeader",
    flag: "hmac-header",
    kind: "header",
    default: "X-Aws-Sqsd-Hmac",
    aliases: ["SQSD_HTTP_HMAC_HEADER"],
    description: "Header that carries the HMAC signature.",
  },
  {
    name: "AuthorizationHeader",
    flag: "authorization-header",
    kind: "string",
    aliases: ["SQSD_HTTP_AUTHORIZATION_HEADER"],
    description:
      "Value of a header sent with every request to the app (POSTs and health checks), in AuthorizationHeaderName: e.g. \"Bearer <token>\" for an app that requires one. Off when unset; give it from a secret.",
  },
  {
    name: "AuthorizationHeaderName",
    flag: "authorization-header-name",
    kind: "header",
    default: "Authorization",
    aliases: ["SQSD_HTTP_AUTHORIZATION_HEADER_NAME"],
    description: "Header that carries AuthorizationHeader.",
  },
  {
    name: "TlsVerify",
    flag: "tls-verify",
    kind: "boolean",
    default: "true",
    aliases: ["SQSD_HTTP_SSL_VERIFY"],
    description: "Verify the app's TLS certificate when HttpUrl is https://; false accepts any certificate (e.g. a self-signed one on localhost).",
  },
  {
    name: "UserAgent",
    flag: "user-agent",
    kind: "string",
    aliases: ["SQSD_HTTP_USER_AGENT"],
    description: "Text added to the User-Agent, which always starts with aws-sqsd.",
  },
  {
    name: "LogLevel",
    flag: "log-level",
    kind: "enum",
    default: "info",
    values: ["trace", "debug", "info", "warn", "error", "fatal", "silent"],
    description: "Least severe log level written. Delivery outcomes are logged at info.",
  },
] as const satisfies readonly OptionSpec[];

export type OptionName = (typeof OPTIONS)[number]["name"];

/** Look up one option's spec by name. */
export function optionSpec(name: OptionName): OptionSpec {
  const spec = OPTIONS.find((o) => o.name === name);
  if (!spec) throw new Error(`unknown option ${name}`);
  return spec;
}

/** The range of a numeric option as text, e.g. "1–100 seconds". */
export function describeRange(spec: OptionSpec): string {
  if (spec.kind === "enum") return `one of ${(spec.values ?? []).join(", ")}`;
  if (spec.kind === "boolean") return "true or false";
  if (spec.min === undefined || spec.max === undefined) return "";
  const kind = spec.kind === "integer" ? "a whole number" : "a number";
  return `${kind} from ${spec.min} to ${spec.max}${spec.unit ? ` ${spec.unit}` : ""}`;
}
