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
  /** Command override. */
  command?: string[];
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
  /** Tags for every taggable resource. */
  tags?: { [key: string]: pulumi.Input<string> };
}
