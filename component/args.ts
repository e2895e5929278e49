/**
 * The public arguments of WorkerEnvironment. Published to other languages by Pulumi's schema
 * inference, so: interfaces only, no unions (choices are strings checked at runtime), TSDoc
 * on every property (it becomes the schema description).
 *
 * Names: an interface's name is its schema type name, and Pulumi's Python, Go and .NET SDK
 * generators append `Args` to input types, so the nested interfaces never end in `Args`
 * (`AppContainer` becomes `AppContainerArgs` there, not `AppContainerArgsArgs`). Option groups
 * of something the component creates are `<Thing>Settings` (VpcSettings, QueueSettings,
 * SidecarSettings, ScalingSettings, AlarmSettings); a thing the caller describes is its plain
 * name (AppContainer, ExistingQueue, ImageBuild, HealthCheck, CapacityProviderStrategyItem,
 * PeriodicTask, SnsSubscription, EventRule). Only the constructor's WorkerEnvironmentArgs, not a
 * schema type, keeps the suffix.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A new VPC, created with awsx.ec2.Vpc. */
export interface VpcSettings {
  /** IPv4 CIDR of the VPC. Default: awsx's default, 10.0.0.0/16. */
  cidrBlock?: string;
  /** Availability zones to spread subnets over. Default: 2. */
  numberOfAvailabilityZones?: number;
  /**
   * NAT gateways for the private subnets' outbound traffic: "None", "Single" or "OnePerAz".
   * Default: "Single". Each NAT gateway costs about 0.045 USD an hour plus 0.045 USD per GB
   * (us-east-1), i.e. roughly 33 USD a month each before traffic. "None" needs `vpcEndpoints`
   * (and an image registry reachable through them: ECR), since tasks have no public IP.
   */
  natStrategy?: string;
}

/** Options of a queue the component creates. */
export interface QueueSettings {
  /** Create a FIFO queue (and a FIFO dead-letter queue). Periodic tasks are not allowed on FIFO queues. Default: false. */
  fifo?: boolean;
  /**
   * FIFO only: deduplicate by a SHA-256 of the body. Default: true with `eventRules` (EventBridge
   * rules send no deduplication id, so a FIFO queue refuses their messages without it), else false.
   */
  contentBasedDeduplication?: boolean;
  /**
   * FIFO only: "queue" (a deduplication id is unique across the queue) or "messageGroup" (unique
   * within its message group; high throughput needs it). SQS's DeduplicationScope. Default: "queue".
   */
  deduplicationScope?: string;
  /**
   * FIFO only: "perQueue" or "perMessageGroupId" (high throughput: the quota applies per message
   * group; SQS accepts it only with `deduplicationScope: "messageGroup"`). SQS's FifoThroughputLimit.
   * Default: "perQueue".
   */
  fifoThroughputLimit?: string;
  /**
   * FIFO only: high-throughput FIFO, shorthand for `deduplicationScope: "messageGroup"` and
   * `fifoThroughputLimit: "perMessageGroupId"` (Copilot's `high_throughput`); not with either.
   * Default: false.
   */
  highThroughput?: boolean;
  /** Message retention in seconds, 60-1209600. Default: 345600 (4 days), Beanstalk's RetentionPeriod. */
  retentionSeconds?: number;
  /** Default visibility timeout in seconds, 0-43200; also the sidecar's VisibilityTimeout. Default: 300. */
  visibilityTimeoutSeconds?: number;
  /** Delivery delay in seconds, 0-900. Default: 0. */
  delaySeconds?: number;
  /** Retention of the dead-letter queue in seconds, 60-1209600. Default: 1209600 (14 days). */
  dlqRetentionSeconds?: number;
  /**
   * ARN of a customer-managed KMS key for server-side encryption of both queues. Default:
   * SQS-managed SSE. With a customer key, its key policy must let SNS/EventBridge/Scheduler use it.
   */
  kmsKeyArn?: pulumi.Input<string>;
}

/** A queue that already exists; the component then creates no queue. */
export interface ExistingQueue {
  /** Queue URL. */
  url: pulumi.Input<string>;
  /** Queue ARN. */
  arn: pulumi.Input<string>;
  /** ARN of its dead-letter queue, for the DLQ alarm. Default: no DLQ alarm. */
  dlqArn?: pulumi.Input<string>;
  /** URL of its dead-letter queue, passed through to the `dlqUrl` output. */
  dlqUrl?: pulumi.Input<string>;
  /** ARN of the customer KMS key that encrypts it, for kms:Decrypt grants. Default: none. */
  kmsKeyArn?: pulumi.Input<string>;
  /** True for a FIFO queue. Default: false. */
  fifo?: boolean;
  /**
   * True when the FIFO queue has content-based deduplication on. Required with `eventRules` on a
   * FIFO queue: EventBridge rules send no deduplication id, and the component cannot see or set
   * the attribute of a queue it does not own. Default: false.
   */
  contentBasedDeduplication?: boolean;
}

/** Build an image from a local directory and push it to a new ECR repository. */
export interface ImageBuild {
  /** Docker build context directory. */
  context: string;
  /** Dockerfile path. Default: `Dockerfile` in the context. */
  dockerfile?: string;
  /** Build arguments (`--build-arg NAME=value`). Default: none. */
  args?: { [name: string]: string };
  /** Stage of a multi-stage Dockerfile to build (`--target`). Default: the last stage. */
  target?: string;
  /** Images whose layers the build may reuse (`--cache-from`). Default: none. */
  cacheFrom?: string[];
}

/** Container health check (ECS format). */
export interface HealthCheck {
  /** Command starting with "CMD" or "CMD-SHELL", e.g. ["CMD-SHELL", "curl -f http://localhost/health || exit 1"]. */
  command: string[];
  /** Seconds between checks, 5-300. Default: 10. */
  interval?: number;
  /** Seconds before a check fails, 2-60. Default: 5. */
  timeout?: number;
  /** Failures before unhealthy, 1-10. Default: 3. */
  retries?: number;
  /** Grace period in seconds, 0-300. Default: 15. */
  startPeriod?: number;
}

/**
 * A secret ECS reads when the task starts and gives the container as an environment variable
 * (`secrets` in the container definition), read with the execution role. Exactly one of
 * `secretsManagerArn` and `ssmParameter`.
 */
export interface ContainerSecret {
  /**
   * A Secrets Manager secret: its full ARN,
   * `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>` (the execution role
   * is granted secretsmanager:GetSecretValue on exactly this ARN, and IAM matches the full ARN).
   */
  secretsManagerArn?: pulumi.Input<string>;
  /** With `secretsManagerArn`: the key of a JSON secret whose value the variable gets. Default: the whole secret string. */
  jsonKey?: string;
  /** With `secretsManagerArn`: the version stage to read, e.g. "AWSPREVIOUS". Not with `versionId`. Default: AWSCURRENT. */
  versionStage?: string;
  /** With `secretsManagerArn`: the version id (a UUID) to read. Not with `versionStage`. Default: the AWSCURRENT version. */
  versionId?: string;
  /**
   * An SSM Parameter Store parameter (String or SecureString): its ARN, or its name in the
   * deploy's account and region ("/app/db-url" or "db-url"). The execution role is granted
   * ssm:GetParameters on exactly that parameter.
   */
  ssmParameter?: pulumi.Input<string>;
  /**
   * ARN of the customer managed KMS key that encrypts the secret or SecureString parameter: the
   * execution role gets kms:Decrypt on it, through Secrets Manager or SSM only. Default: none (the
   * AWS managed key needs no grant).
   */
  kmsKeyArn?: pulumi.Input<string>;
}

/** Credentials of a private image registry, for ECS to pull the image (`repositoryCredentials`). */
export interface RegistryCredentials {
  /**
   * Full ARN of the Secrets Manager secret holding `{"username": …, "password": …}`; the
   * execution role is granted secretsmanager:GetSecretValue on it.
   */
  secretArn: pulumi.Input<string>;
  /** ARN of the customer managed KMS key that encrypts the secret, granted kms:Decrypt through Secrets Manager. Default: none. */
  kmsKeyArn?: pulumi.Input<string>;
}

/** A container this one waits for (ECS `dependsOn`); ECS stops them in the reverse order. */
export interface ContainerDependency {
  /** The container waited for: "app", "sqsd", an extra container's name, or "aws-otel-collector" with tracing. */
  containerName: string;
  /**
   * "START", "COMPLETE", "SUCCESS" or "HEALTHY". HEALTHY needs a health check on that container;
   * COMPLETE and SUCCESS (it exited, with 0) only a container that is not essential. Default: "START".
   */
  condition?: string;
}

/** A port a container listens on (tasks share one awsvpc network namespace, so ports are unique in the task). */
export interface PortMapping {
  /** The port, 1-65535. */
  containerPort: number;
  /** "tcp" or "udp". Default: "tcp". */
  protocol?: string;
}

/** A volume of `storage.efsVolumes` mounted into an extra container. */
export interface MountPoint {
  /** Name of the volume (an `storage.efsVolumes` entry). */
  sourceVolume: string;
  /** Absolute path in the container. */
  containerPath: string;
  /** Mount read-only. Default: true. */
  readOnly?: boolean;
}

/** The user's application container. */
export interface AppContainer {
  /** Image URI. Exactly one of `image` and `build`. */
  image?: pulumi.Input<string>;
  /** Build the image from a local context and push it to a new ECR repository. */
  build?: ImageBuild;
  /** Port the app listens on for the sidecar's POSTs. Default: 80. */
  port?: number;
  /** Path the sidecar POSTs messages to (Beanstalk HttpPath). Default: "/". */
  httpPath?: string;
  /** Plain environment variables. */
  environment?: { [name: string]: pulumi.Input<string> };
  /**
   * Secrets given as environment variables, by variable name; read by ECS at task start with the
   * execution role. A name may not also be in `environment`. Default: none.
   */
  secrets?: { [name: string]: ContainerSecret };
  /**
   * S3 object ARNs (`arn:aws:s3:::<bucket>/<key>.env`, at most 10) of files of `NAME=value` lines
   * that ECS loads into the environment at task start; `environment` and `secrets` win over them.
   * The execution role gets s3:GetObject on exactly these objects and s3:GetBucketLocation on
   * their buckets. Default: none.
   */
  environmentFiles?: pulumi.Input<string>[];
  /** Entrypoint override (the image's ENTRYPOINT). Default: the image's. */
  entryPoint?: string[];
  /** Command override. */
  command?: string[];
  /** Credentials for an image in a private registry (not ECR). Default: none. */
  repositoryCredentials?: RegistryCredentials;
  /** Docker labels of the container. Default: none. */
  dockerLabels?: { [key: string]: string };
  /** Make the app's root file system read-only (not with `enableExecuteCommand`). Default: false. */
  readonlyRootFilesystem?: boolean;
  /**
   * Extra containers the app waits for (e.g. a proxy it calls). With tracing the app also waits
   * for the collector's START. The sqsd sidecar always waits for the app. Default: none.
   */
  dependsOn?: ContainerDependency[];
  /** Health check; when set, the sidecar waits for HEALTHY (else only for START). */
  healthCheck?: HealthCheck;
  /** App path answering 2xx when healthy, polled by the sidecar (its HealthCheckPath). Default: none. */
  healthCheckPath?: string;
}

/** The sqsd sidecar. Option names in comments are the sidecar's environment variables. */
export interface SidecarSettings {
  /**
   * Image URI. Default: built from the installed package (its sidecar/Dockerfile copies the
   * prebuilt dist/sqsd.cjs) and pushed to a new ECR repository. To skip the build, pin the
   * published image, "ghcr.io/<owner>/sqsd:<version>" (amd64 and arm64), or your registry's
   * copy of it; an image outside ECR needs internet egress (NAT), not only VPC endpoints.
   */
  image?: pulumi.Input<string>;
  /**
   * ECS health check on the daemon's /livez, run with the image's Node (sidecar/liveness-probe.ts).
   * Default: true for the built image, false for an image you give (it may lack Node); set
   * true for the published sqsd image.
   */
  livenessCheck?: boolean;
  /** Content-Type of the POST (MimeType). Default: "application/json". */
  mimeType?: string;
  /** Most requests in flight to the app, 1-100 (HttpConnections). Default: 50. */
  httpConnections?: number;
  /** TCP connect timeout in seconds, 1-60 (ConnectTimeout). Default: 5. */
  connectTimeout?: number;
  /** Longest wait for the app's response in seconds, 1-36000 (InactivityTimeout). Default: 299. */
  inactivityTimeout?: number;
  /** Visibility after a failed delivery in seconds, 0-43200 (ErrorVisibilityTimeout). Default: 2. */
  errorVisibilityTimeout?: number;
  /**
   * Seconds requests in flight (and a waiting 20 s long poll) may finish after SIGTERM, 0-115
   * (DrainTimeout). Default: 25. Below 21 a stop may have to abort a long poll, and SQS then
   * hides what that poll takes for the visibility timeout.
   */
  drainTimeout?: number;
  /** Task scale-in protection while busy: "auto", "on" or "off" (TaskProtection). Default: "on". */
  taskProtection?: string;
  /** Statuses that delete the message: "200" or "2xx" (SuccessStatus). Default: "200". */
  successStatus?: string;
  /** Log level: trace, debug, info, warn, error, fatal, silent (LogLevel). Default: "info". */
  logLevel?: string;
  /**
   * Other sidecar options by name (e.g. HmacSecret, MaxMessages). Not the options the component
   * sets from its own arguments (WorkerQueueURL, Region, HttpUrl, HttpPath and those above):
   * set those arguments instead. Plain-string values are checked with the sidecar's own parser.
   */
  environment?: { [name: string]: pulumi.Input<string> };
  /**
   * Sidecar options read from a secret at task start, by option name: e.g. `{ HmacSecret: {
   * secretsManagerArn } }` keeps the HMAC key out of the task definition (so does
   * `AuthorizationHeader`, a header the app requires). The same names as `environment` take,
   * and not also there. Default: none.
   */
  secrets?: { [name: string]: ContainerSecret };
}

/** A container of your own in the task, beside the app and the sqsd sidecar (e.g. a proxy or a log shipper). */
export interface ExtraContainer {
  /** Container name: letters, digits, "-" and "_", unique; not "app", "sqsd" or "aws-otel-collector". */
  name: string;
  /** Image URI. Exactly one of `image` and `build`. */
  image?: pulumi.Input<string>;
  /** Build the image from a local context and push it to a new ECR repository. */
  build?: ImageBuild;
  /** Credentials for an image in a private registry (not ECR). Default: none. */
  repositoryCredentials?: RegistryCredentials;
  /** Entrypoint override. Default: the image's. */
  entryPoint?: string[];
  /** Command override. Default: the image's. */
  command?: string[];
  /** Plain environment variables. Default: none. */
  environment?: { [name: string]: pulumi.Input<string> };
  /** S3 object ARNs of environment files (as `app.environmentFiles`). Default: none. */
  environmentFiles?: pulumi.Input<string>[];
  /** Secrets given as environment variables, by variable name (as `app.secrets`). Default: none. */
  secrets?: { [name: string]: ContainerSecret };
  /** When false, the task keeps running if this container stops. Default: true (ECS's). */
  essential?: boolean;
  /** Containers this one waits for, in order to start (and outlives when stopping). Default: none. */
  dependsOn?: ContainerDependency[];
  /** Ports it listens on; unique in the task (the app's port, the sidecar's StatusPort and the collector's are taken). Default: none. */
  portMappings?: PortMapping[];
  /** CPU units reserved for it; all containers' together at most the task's `cpu`. Default: none (shares what is free). */
  cpu?: number;
  /** Hard memory limit in MiB, at least 6; the container is killed above it. Default: none. */
  memory?: number;
  /** Memory reserved in MiB, at least 6 and below `memory`; all containers' together at most the task's `memory`. Default: none. */
  memoryReservation?: number;
  /** Container health check (ECS format); needed for a dependency on it with condition HEALTHY. Default: none. */
  healthCheck?: HealthCheck;
  /** Volumes of `storage.efsVolumes` to mount. Default: none. */
  mountPoints?: MountPoint[];
  /** Make its root file system read-only. Default: false. */
  readonlyRootFilesystem?: boolean;
  /** User (and group) to run as, e.g. "1000:1000". Default: the image's. */
  user?: string;
  /** Docker labels. Default: none. */
  dockerLabels?: { [key: string]: string };
}

/** An Amazon EFS file system mounted as a task volume (transit encryption and IAM authorization always on). */
export interface EfsVolume {
  /** Volume name, unique: letters, digits, "-" and "_". */
  name: string;
  /** File system id, "fs-…". */
  fileSystemId: pulumi.Input<string>;
  /** Access point id, "fsap-…"; the task role's grants are then limited to it. Default: none. */
  accessPointId?: pulumi.Input<string>;
  /** Directory of the file system mounted as the volume's root; with `accessPointId` only "/" (the access point sets it). Default: "/". */
  rootDirectory?: string;
  /** Absolute path at which the app container sees the volume. Default: not mounted in the app (only in extra containers naming it). */
  containerPath?: string;
  /** Mount it read-only in the app; writable mounts grant elasticfilesystem:ClientWrite. Default: true (Copilot's). */
  readOnly?: boolean;
  /** Let the task act as root on the file system (elasticfilesystem:ClientRootAccess). Default: false. */
  rootAccess?: boolean;
}

/** Task storage. */
export interface StorageSettings {
  /** Fargate ephemeral storage of the task in GiB, 21-200. Default: Fargate's 20 GiB. */
  ephemeralStorageGiB?: number;
  /**
   * EFS volumes. With a VPC the component creates, it also creates a mount target per private
   * subnet and the security group letting the tasks reach them (NFS, TCP 2049); with `vpcId` the
   * file system's mount targets must admit the `securityGroupId` output on TCP 2049. Default: none.
   */
  efsVolumes?: EfsVolume[];
}

/** Tracing and the collector that ships the app's traces. */
export interface ObservabilitySettings {
  /**
   * "awsxray" adds the AWS Distro for OpenTelemetry collector (container "aws-otel-collector",
   * config /etc/ecs/ecs-xray.yaml: OTLP on 127.0.0.1:4317 gRPC and :4318 HTTP, exported to X-Ray)
   * and grants the task role the X-Ray write actions, as Copilot's `observability.tracing`.
   * Default: none.
   */
  tracing?: string;
  /** The collector's image. Default: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3" (needs NAT egress). */
  collectorImage?: pulumi.Input<string>;
}

/** How ECS replaces tasks in a deployment. */
export interface DeploymentSettings {
  /** Fewest tasks kept running during a deployment, percent of the desired count, 0-100 (ECS minimumHealthyPercent). Default: 100. */
  minHealthyPercent?: number;
  /**
   * Most tasks running or starting during a deployment, percent of the desired count: a whole
   * number of at least 100, above `minHealthyPercent` (ECS maximumPercent). Default: 200.
   */
  maxPercent?: number;
  /**
   * Names of CloudWatch alarms ECS watches during a deployment: one going to ALARM fails the
   * deployment and rolls it back (ECS deployment alarms), beside the circuit breaker, which
   * stays on. Default: none.
   */
  rollbackAlarmNames?: pulumi.Input<string>[];
  /**
   * Create a rollback alarm on the service's average CPU utilization, at or above this percent
   * (1-100) in 2 of 3 minutes (Copilot's `rollback_alarms.cpu_utilization`). Default: none.
   */
  rollbackOnCpuPercent?: number;
  /** As `rollbackOnCpuPercent`, on average memory utilization (Copilot's `rollback_alarms.memory_utilization`). Default: none. */
  rollbackOnMemoryPercent?: number;
  /**
   * Create a rollback alarm on the queue's delayed messages, at or above this count in 2 of 3
   * minutes (Copilot's `rollback_alarms.messages_delayed`). Default: none.
   */
  rollbackOnMessagesDelayed?: number;
}

/** One capacity provider of the service's strategy. */
export interface CapacityProviderStrategyItem {
  /** "FARGATE" or "FARGATE_SPOT". */
  capacityProvider: string;
  /** Relative share of tasks. Default: 1. */
  weight?: number;
  /** Tasks always placed on this provider first. Default: 0. */
  base?: number;
}

/** Queue-backlog autoscaling (Application Auto Scaling, no Lambda). */
export interface ScalingSettings {
  /** Fewest tasks; 0 lets the service sleep when the queue is empty. Default: 1. */
  minCount?: number;
  /** Most tasks. Default: 10. */
  maxCount?: number;
  /** Longest acceptable wait of a message, seconds. Default: 300. */
  acceptableLatency?: number;
  /** Average seconds one task spends per message. Default: 1. */
  messageProcessingTime?: number;
  /** Seconds after a scale-in before the next one. Default: 300. */
  scaleInCooldown?: number;
  /** Seconds after a scale-out before the next one, at least 360 (the task count reaches the metric late). Default: 360. */
  scaleOutCooldown?: number;
  /**
   * Average CPU utilization of the service to hold, percent, 1-100: a second target-tracking
   * policy (ECSServiceAverageCPUUtilization) beside the backlog one, with the same cooldowns
   * (Copilot's `count.cpu_percentage`). Default: none.
   */
  targetCpuPercent?: number;
  /** Average memory utilization of the service to hold, percent, 1-100, as `targetCpuPercent` (Copilot's `count.memory_percentage`). Default: none. */
  targetMemoryPercent?: number;
}

/** A periodic task, as one entry of Beanstalk's cron.yaml. */
export interface PeriodicTask {
  /** Unique name: letters, digits, ".", "-", "_", at most 64. */
  name: string;
  /** Path the sidecar POSTs to, e.g. "/backup". */
  url: string;
  /** Standard 5-field cron expression in UTC, e.g. "0 *\/12 * * *". */
  schedule: string;
}

/** An SNS topic delivering into the queue. */
export interface SnsSubscription {
  /** Topic ARN. A FIFO queue takes only FIFO topics (names ending in .fifo). */
  topicArn: pulumi.Input<string>;
  /** JSON filter policy. Default: none (every message). */
  filterPolicy?: pulumi.Input<string>;
  /** "MessageAttributes" or "MessageBody". Default: "MessageAttributes". */
  filterPolicyScope?: string;
}

/** An EventBridge rule delivering matching events into the queue. */
export interface EventRule {
  /** Logical name, unique among the rules of this environment. */
  name: string;
  /** JSON event pattern. */
  eventPattern: pulumi.Input<string>;
  /** Event bus name. Default: "default". */
  eventBusName?: pulumi.Input<string>;
  /** FIFO queues only: message group id of the events. Default: the rule name. */
  messageGroupId?: string;
}

/** CloudWatch alarms on the queues. */
export interface AlarmSettings {
  /** Create the alarms. Default: true. */
  enabled?: boolean;
  /** Alarm when the oldest message is older than this, seconds. Default: 900. */
  oldestMessageAgeThreshold?: number;
  /** SNS topic ARN notified on ALARM and OK. Default: none. */
  snsTopicArn?: pulumi.Input<string>;
}

/**
 * The environment's CloudWatch dashboard: queue depth, age of the oldest message, dead letters,
 * tasks, the scaling metric against its target, and the sidecar's outcomes and latency.
 */
export interface DashboardSettings {
  /** Create the dashboard. Default: true. */
  enabled?: boolean;
  /**
   * Dashboard name: 1-255 letters, digits, "-" and "_". Dashboards are global to the account (not
   * per region) and one of the same name is overwritten, so it must be unique in the account.
   * Default: "<project>-<stack>-<component name>", other characters (".") replaced by "_".
   */
  name?: string;
}

/** Arguments of WorkerEnvironment. */
export interface WorkerEnvironmentArgs {
  /** The app container. */
  app: AppContainer;
  /** The sqsd sidecar. Default: built from this repository, with Beanstalk's defaults. */
  sidecar?: SidecarSettings;

  /** Options of a new VPC. Default: a new VPC with private subnets and one NAT gateway. Not with `vpcId`. */
  vpc?: VpcSettings;
  /** Existing VPC ID; then `subnetIds` is required and no VPC is created. */
  vpcId?: pulumi.Input<string>;
  /** Private subnets of `vpcId` for the tasks (no public IPs are assigned). */
  subnetIds?: pulumi.Input<string>[];
  /** Existing route table IDs for the S3 gateway endpoint when `vpcId` and `vpcEndpoints`. Default: all of the VPC's. */
  routeTableIds?: pulumi.Input<string>[];
  /**
   * More security groups for the tasks, e.g. one a database admits (Copilot's
   * `network.vpc.security_groups`). The component's own group (output `securityGroupId`) is
   * always attached too. Default: none.
   */
  securityGroupIds?: pulumi.Input<string>[];
  /** Create interface endpoints (SQS, ECR api/dkr, CloudWatch Logs, STS; SSM messages with ECS Exec) and an S3 gateway endpoint. Default: false. */
  vpcEndpoints?: boolean;

  /**
   * Existing ECS cluster ARN. Default: a new cluster. With `scaling` it needs Container Insights,
   * and `containerInsights: true` stating so.
   */
  clusterArn?: pulumi.Input<string>;
  /**
   * Container Insights on a new cluster. Default: true (autoscaling reads its DesiredTaskCount).
   * With `clusterArn`: a statement that the given cluster has it on, required with `scaling`
   * because the component cannot see it.
   */
  containerInsights?: boolean;

  /** Options of the queue the component creates. Not with `existingQueue`. */
  queue?: QueueSettings;
  /** Use this queue instead of creating one. */
  existingQueue?: ExistingQueue;
  /** Deliveries before a message moves to the DLQ (redrive maxReceiveCount, sidecar MaxRetries), 1-100. Default: 10. */
  maxRetries?: number;

  /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. Default: 256. */
  cpu?: number;
  /** Task memory in MiB, valid for `cpu` on Fargate. Default: 512. */
  memory?: number;
  /** "X86_64" or "ARM64". Default: "X86_64". */
  cpuArchitecture?: string;
  /** Days to keep container logs (a CloudWatch Logs retention value). Default: 30. */
  logRetentionDays?: number;
  /**
   * Allow ECS Exec into the app container (`aws ecs execute-command --container app`). Both
   * containers then get an init process, as AWS recommends with Exec. The sidecar keeps its
   * read-only root file system, on which ECS Exec cannot run, so it cannot be exec'd into.
   * Default: false.
   */
  enableExecuteCommand?: boolean;

  /** Containers of your own beside the app and the sidecar, each with its own log group. Default: none. */
  extraContainers?: ExtraContainer[];
  /** Ephemeral storage and EFS volumes. Default: Fargate's 20 GiB, no volumes. */
  storage?: StorageSettings;
  /** Tracing. Default: none. */
  observability?: ObservabilitySettings;
  /** Deployment limits and rollback alarms. Default: 100 % / 200 %, circuit breaker with rollback, no alarms. */
  deployment?: DeploymentSettings;

  /** Capacity provider strategy, e.g. FARGATE_SPOT weight 3 + FARGATE weight 1. Default: launch type FARGATE. */
  capacityProviders?: CapacityProviderStrategyItem[];
  /** Fixed number of tasks when `scaling` is not set. Default: 1. Not with `scaling`. */
  desiredCount?: number;
  /** Autoscale on queue backlog. Default: off (fixed `desiredCount`). */
  scaling?: ScalingSettings;

  /** IAM policy documents (JSON) added to the task role, for the app's own AWS calls. */
  taskPolicyDocuments?: pulumi.Input<string>[];
  /** Managed policy ARNs attached to the task role. */
  taskPolicyArns?: pulumi.Input<string>[];

  /** Path of a Beanstalk cron.yaml; each entry becomes an EventBridge Scheduler schedule. */
  cronFile?: string;
  /** Periodic tasks given inline (merged with `cronFile`; names must be unique). */
  periodicTasks?: PeriodicTask[];

  /** SNS topics subscribed to the queue (raw message delivery). */
  snsSubscriptions?: SnsSubscription[];
  /**
   * EventBridge rules targeting the queue. Their targets retry for up to an hour, then put the
   * event into a dead-letter queue of their own (a standard queue; output `eventRulesDlqUrl`).
   */
  eventRules?: EventRule[];

  /** Queue alarms. Default: enabled, no notification topic. */
  alarms?: AlarmSettings;
  /** The CloudWatch dashboard (output `dashboardUrl`). Default: created, named "<project>-<stack>-<component name>". */
  dashboard?: DashboardSettings;
  /** Tags for every taggable resource (not the dashboard: the AWS provider's Dashboard resource takes no tags). */
  tags?: { [key: string]: pulumi.Input<string> };
}
