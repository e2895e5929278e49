/**
 * Argument checks and defaults, run at the top of the constructor so an impossible
 * combination fails at preview, before any resource is registered. Plain functions: no Pulumi.
 */
import { readFileSync } from "node:fs";
import { OPTIONS, optionSpec, type OptionName } from "../sidecar/options";
import { checkPeriodicTask } from "../sidecar/periodic-task";
import type { WorkerEnvironmentArgs } from "./args";
import { parseCronYaml } from "./cron-file";
import { checkContainers, checkHealthCheck, checkObservability, tracingOn } from "./containers";
import { fargateSizeError } from "./fargate-sizes";
import { dashboardName, dashboardNameProblems, nameProblems, type StackIdentity } from "./names";
import { Problems } from "./problems";
import { checkEnvironmentFiles, checkRegistryCredentials, checkSecrets } from "./secrets";
import { COMPONENT_SIDECAR_OPTIONS, sidecarEnvironmentProblems } from "./sidecar-env";
import { checkStorage } from "./storage";
import { MIN_SCALE_OUT_COOLDOWN, stopTimeoutFor, targetBacklogPerTask, type ScalingSettingsInput } from "./scaling-math";

export const NAT_STRATEGIES = ["None", "Single", "OnePerAz"] as const;
export const CPU_ARCHITECTURES = ["X86_64", "ARM64"] as const;
export const CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;
export const FILTER_POLICY_SCOPES = ["MessageAttributes", "MessageBody"] as const;
/** SQS's DeduplicationScope and FifoThroughputLimit values. */
export const DEDUPLICATION_SCOPES = ["queue", "messageGroup"] as const;
export const FIFO_THROUGHPUT_LIMITS = ["perQueue", "perMessageGroupId"] as const;
/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Thrown with every problem found, one per line, each naming the argument and the fix. */
export class WorkerEnvironmentArgsError extends Error {
  override name = "WorkerEnvironmentArgsError";
  constructor(
    readonly componentName: string,
    readonly problems: readonly string[],
  ) {
    super(`WorkerEnvironment "${componentName}" has invalid arguments:\n- ${problems.join("\n- ")}`);
  }
}

/** A periodic task with its Scheduler expression. */
export interface ResolvedPeriodicTask {
  readonly name: string;
  readonly url: string;
  readonly schedule: string;
  readonly expression: string;
}

/** The `scaling` arguments with defaults applied: what the scaling maths takes. */
export type ResolvedScaling = ScalingSettingsInput;

/** The plain (non-Input) settings with defaults applied. */
export interface Settings {
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: string;
  readonly logRetentionDays: number;
  readonly maxRetries: number;
  readonly fifo: boolean;
  /** Content-based deduplication of a queue the component creates (FIFO only). */
  readonly contentBasedDeduplication: boolean;
  readonly retentionSeconds: number;
  readonly visibilityTimeout: number;
  readonly appPort: number;
  readonly httpPath: string;
  readonly drainTimeout: number;
  readonly stopTimeout: number;
  readonly natStrategy: string;
  readonly containerInsights: boolean;
  readonly desiredCount: number;
  readonly scaling?: ResolvedScaling;
  readonly periodicTasks: readonly ResolvedPeriodicTask[];
  /** FIFO: SQS's DeduplicationScope and FifoThroughputLimit of a queue the component creates (unset: SQS's defaults). */
  readonly deduplicationScope?: string;
  readonly fifoThroughputLimit?: string;
  /** The X-Ray collector runs in the task. */
  readonly tracing: boolean;
  /** ECS deployment limits. */
  readonly minHealthyPercent: number;
  readonly maxPercent: number;
  /** Create the CloudWatch dashboard. */
  readonly dashboard: boolean;
}

/** EventBridge rule names allow these; the component prefixes them with its own name. */
const RULE_NAME = /^[0-9A-Za-z._-]{1,64}$/;


/**
 * Check an argument that becomes a sidecar option against the sidecar's own option table
 * (sidecar/options.ts): its range or values are the daemon's, so a value the component accepts
 * is one the daemon starts with. The queue's retention and visibility ranges are SQS's, which
 * the table's RetentionPeriod and VisibilityTimeout carry too.
 */
function checkSidecarOption(p: Problems, arg: string, option: OptionName, value: number | string | undefined): void {
  const spec = optionSpec(option);
  if (value === undefined) return;
  if (spec.values !== undefined) p.oneOf(arg, String(value), spec.values);
  else if (spec.min !== undefined && spec.max !== undefined && typeof value === "number") {
    p.range(arg, value, spec.min, spec.max, spec.kind === "integer");
  }
}

/** The option table's default of a numeric sidecar option: the component's default for its argument. */
function sidecarDefault(option: OptionName): number {
  const text = optionSpec(option).default;
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value)) throw new Error(`sidecar option ${option} has no numeric default`);
  return value;
}

function periodicTasks(p: Problems, args: WorkerEnvironmentArgs, fifo: boolean): ResolvedPeriodicTask[] {
  const entries = [...(args.periodicTasks ?? [])];
  if (args.cronFile !== undefined) {
    try {
      entries.push(...parseCronYaml(readFileSync(args.cronFile, "utf8"), args.cronFile));
    } catch (err) {
      p.add("cronFile", (err as Error).message, "give the path of a readable Beanstalk cron.yaml (version: 1, cron: [{name, url, schedule}])");
    }
  }
  if (entries.length > 0 && fifo) {
    p.add("periodicTasks/cronFile", "periodic tasks are not supported on FIFO queues (as in Beanstalk)", "use a standard queue or remove the periodic tasks");
    return [];
  }
  const seen = new Set<string>();
  const resolved: ResolvedPeriodicTask[] = [];
  for (const task of entries) {
    const arg = `periodic task "${task.name}"`;
    if (seen.has(task.name)) p.add(arg, "duplicate name", "give every periodic task a unique name");
    seen.add(task.name);
    // The one validator the daemon and local mode use too (sidecar/periodic-task.ts).
    const { problems, expression } = checkPeriodicTask(task);
    for (const problem of problems) p.list.push(`${arg}: ${problem}`);
    if (problems.length === 0 && expression !== undefined) resolved.push({ ...task, expression });
  }
  return resolved;
}

function scaling(p: Problems, args: WorkerEnvironmentArgs): ResolvedScaling | undefined {
  const s = args.scaling;
  if (s === undefined) return undefined;
  if (args.desiredCount !== undefined) {
    p.add("desiredCount", "cannot be combined with scaling", "remove desiredCount (scaling.minCount sets the floor) or remove scaling");
  }
  if (args.containerInsights === false && args.clusterArn === undefined) {
    p.add("containerInsights", "scaling reads the ECS/ContainerInsights DesiredTaskCount metric", "leave containerInsights on, or remove scaling");
  }
  // A cluster we do not create may lack Container Insights, and then the scaling metric has no
  // data and the service never scales: nothing at preview can see that, so it is stated.
  if (args.clusterArn !== undefined && args.containerInsights !== true) {
    p.add(
      "containerInsights",
      "scaling reads the ECS/ContainerInsights DesiredTaskCount metric, and whether the given clusterArn has Container Insights on cannot be checked at preview",
      "turn it on for that cluster (aws ecs update-cluster-settings --cluster <cluster-name> --settings name=containerInsights,value=enabled) and set containerInsights: true to state it",
    );
  }
  const resolved = {
    minCount: s.minCount ?? 1,
    maxCount: s.maxCount ?? 10,
    scaleInCooldown: s.scaleInCooldown ?? 300,
    scaleOutCooldown: s.scaleOutCooldown ?? MIN_SCALE_OUT_COOLDOWN,
  };
  p.range("scaling.minCount", resolved.minCount, 0, 5000);
  p.range("scaling.maxCount", resolved.maxCount, 1, 5000);
  if (resolved.minCount > resolved.maxCount) {
    p.add("scaling.minCount", `${resolved.minCount} is above maxCount ${resolved.maxCount}`, "make minCount <= maxCount");
  }
  p.range("scaling.scaleInCooldown", resolved.scaleInCooldown, 0, 86400);
  if (resolved.scaleOutCooldown < MIN_SCALE_OUT_COOLDOWN) {
    p.add(
      "scaling.scaleOutCooldown",
      `${resolved.scaleOutCooldown} is below ${MIN_SCALE_OUT_COOLDOWN}: the task count reaches the scaling metric up to 6 minutes late, and a shorter cooldown lets the next scale-out multiply the fleet (docs/scaling.md)`,
      `use ${MIN_SCALE_OUT_COOLDOWN} or more, or leave it unset`,
    );
  }
  p.range("scaling.scaleOutCooldown", resolved.scaleOutCooldown, MIN_SCALE_OUT_COOLDOWN, 86400);
  p.range("scaling.targetCpuPercent", s.targetCpuPercent, 1, 100, false);
  p.range("scaling.targetMemoryPercent", s.targetMemoryPercent, 1, 100, false);
  let backlog = 1;
  try {
    backlog = targetBacklogPerTask(s.acceptableLatency ?? 300, s.messageProcessingTime ?? 1);
  } catch (err) {
    p.add("scaling.acceptableLatency/messageProcessingTime", (err as Error).message, "give both as positive seconds");
  }
  return {
    ...resolved,
    targetBacklogPerTask: backlog,
    ...(s.targetCpuPercent !== undefined ? { targetCpuPercent: s.targetCpuPercent } : {}),
    ...(s.targetMemoryPercent !== undefined ? { targetMemoryPercent: s.targetMemoryPercent } : {}),
  };
}

function network(p: Problems, args: WorkerEnvironmentArgs): void {
  if (args.vpc !== undefined && args.vpcId !== undefined) {
    p.add("vpc", "cannot be combined with vpcId", "pass vpc to create a VPC, or vpcId + subnetIds to use yours");
  }
  if (args.vpcId !== undefined && (args.subnetIds === undefined || args.subnetIds.length === 0)) {
    p.add("subnetIds", "required with vpcId", "pass the private subnet IDs of that VPC");
  }
  if (args.vpcId === undefined && args.subnetIds !== undefined) {
    p.add("subnetIds", "given without vpcId", "pass vpcId too, or drop subnetIds to create a VPC");
  }
  if (args.vpcId === undefined && args.routeTableIds !== undefined) {
    p.add("routeTableIds", "given without vpcId", "pass vpcId too, or drop routeTableIds");
  }
  for (const [i, id] of (args.securityGroupIds ?? []).entries()) {
    if (typeof id === "string" && !/^sg-[0-9a-f]{8,17}$/.test(id)) p.add(`securityGroupIds[${i}]`, `"${id}" is not a security group id`, 'give the id, "sg-" and hex digits');
  }
  p.oneOf("vpc.natStrategy", args.vpc?.natStrategy, NAT_STRATEGIES);
  p.range("vpc.numberOfAvailabilityZones", args.vpc?.numberOfAvailabilityZones, 1, 6);
  if (args.vpc?.natStrategy === "None" && args.vpcEndpoints !== true) {
    p.add("vpc.natStrategy", '"None" leaves private tasks without a way to SQS and ECR', "set vpcEndpoints: true, or use a NAT strategy");
  }
}

function queue(p: Problems, args: WorkerEnvironmentArgs): void {
  const q = args.queue;
  if (q !== undefined && args.existingQueue !== undefined) {
    p.add("queue", "cannot be combined with existingQueue", "pass queue options to create a queue, or existingQueue to use one");
  }
  checkSidecarOption(p, "queue.retentionSeconds", "RetentionPeriod", q?.retentionSeconds);
  checkSidecarOption(p, "queue.visibilityTimeoutSeconds", "VisibilityTimeout", q?.visibilityTimeoutSeconds);
  p.range("queue.delaySeconds", q?.delaySeconds, 0, 900);
  p.range("queue.dlqRetentionSeconds", q?.dlqRetentionSeconds, 60, 1209600);
  if (q?.contentBasedDeduplication === true && q.fifo !== true) {
    p.add("queue.contentBasedDeduplication", "only applies to FIFO queues", "set queue.fifo: true or drop it");
  }
  fifoThroughput(p, args);
  // EventBridge rules cannot send a deduplication id (SqsParameters has only MessageGroupId): a
  // FIFO target without content-based deduplication refuses every event.
  if ((args.eventRules ?? []).length > 0) {
    if (q?.fifo === true && q.contentBasedDeduplication === false) {
      p.add("queue.contentBasedDeduplication", "false, but eventRules deliver into this FIFO queue without a deduplication id, so SQS would refuse every event", "drop it (it defaults to true with eventRules) or set it to true");
    }
    const e = args.existingQueue;
    if (e?.fifo === true && e.contentBasedDeduplication !== true) {
      p.add(
        "existingQueue.contentBasedDeduplication",
        "eventRules deliver into this FIFO queue without a deduplication id, so SQS refuses every event unless the queue has content-based deduplication",
        "turn it on (aws sqs set-queue-attributes --queue-url <url> --attributes ContentBasedDeduplication=true) and set existingQueue.contentBasedDeduplication: true",
      );
    }
  }
  checkSidecarOption(p, "maxRetries", "MaxRetries", args.maxRetries);
}

/**
 * High-throughput FIFO, as SQS takes it: both attributes on FIFO queues only, and
 * perMessageGroupId only with messageGroup deduplication (SetQueueAttributes refuses it otherwise).
 */
function fifoThroughput(p: Problems, args: WorkerEnvironmentArgs): void {
  const q = args.queue;
  if (q === undefined) return;
  p.oneOf("queue.deduplicationScope", q.deduplicationScope, DEDUPLICATION_SCOPES);
  p.oneOf("queue.fifoThroughputLimit", q.fifoThroughputLimit, FIFO_THROUGHPUT_LIMITS);
  for (const [arg, set] of [["deduplicationScope", q.deduplicationScope !== undefined], ["fifoThroughputLimit", q.fifoThroughputLimit !== undefined], ["highThroughput", q.highThroughput === true]] as const) {
    if (set && q.fifo !== true) p.add(`queue.${arg}`, "only applies to FIFO queues", "set queue.fifo: true or drop it");
  }
  if (q.highThroughput === true && (q.deduplicationScope !== undefined || q.fifoThroughputLimit !== undefined)) {
    p.add("queue.highThroughput", "sets deduplicationScope and fifoThroughputLimit itself", "drop highThroughput, or drop the two attributes");
  }
  if (q.fifoThroughputLimit === "perMessageGroupId" && q.deduplicationScope !== "messageGroup") {
    p.add(
      "queue.fifoThroughputLimit",
      `"perMessageGroupId" needs deduplicationScope "messageGroup" (SQS refuses it with ${q.deduplicationScope === undefined ? "the default " : ""}"${q.deduplicationScope ?? "queue"}")`,
      'set deduplicationScope: "messageGroup" too (or highThroughput: true instead of both)',
    );
  }
}

function task(p: Problems, args: WorkerEnvironmentArgs): void {
  const { app, sidecar } = args;
  if ((app.image === undefined) === (app.build === undefined)) {
    p.add("app", "needs exactly one of image and build", "pass an image URI, or build: { context } to build and push one");
  }
  p.range("app.port", app.port, 1, 65535);
  if (app.httpPath !== undefined && !app.httpPath.startsWith("/")) p.add("app.httpPath", `"${app.httpPath}" is not a path`, 'start it with "/"');
  if (app.healthCheckPath !== undefined && !app.healthCheckPath.startsWith("/")) {
    p.add("app.healthCheckPath", `"${app.healthCheckPath}" is not a path`, 'start it with "/"');
  }
  const sizeError = fargateSizeError(args.cpu ?? 256, args.memory ?? 512);
  if (sizeError !== undefined) p.add("cpu/memory", sizeError, "pick a valid Fargate pair");
  p.oneOf("cpuArchitecture", args.cpuArchitecture, CPU_ARCHITECTURES);
  for (const [arg, b] of [["app.build", app.build], ...(args.extraContainers ?? []).map((c, i) => [`extraContainers[${i}].build`, c.build] as const)] as const) {
    if (b?.target === "") p.add(`${arg}.target`, "is empty", "name a stage of the Dockerfile, or drop target");
  }
  if (args.logRetentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
    p.add("logRetentionDays", `${args.logRetentionDays} is not a CloudWatch Logs retention`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  checkSidecarOption(p, "sidecar.httpConnections", "HttpConnections", sidecar?.httpConnections);
  checkSidecarOption(p, "sidecar.connectTimeout", "ConnectTimeout", sidecar?.connectTimeout);
  checkSidecarOption(p, "sidecar.inactivityTimeout", "InactivityTimeout", sidecar?.inactivityTimeout);
  checkSidecarOption(p, "sidecar.errorVisibilityTimeout", "ErrorVisibilityTimeout", sidecar?.errorVisibilityTimeout);
  checkSidecarOption(p, "sidecar.drainTimeout", "DrainTimeout", sidecar?.drainTimeout);
  checkSidecarOption(p, "sidecar.taskProtection", "TaskProtection", sidecar?.taskProtection);
  checkSidecarOption(p, "sidecar.successStatus", "SuccessStatus", sidecar?.successStatus);
  checkSidecarOption(p, "sidecar.logLevel", "LogLevel", sidecar?.logLevel);
  checkHealthCheck(p, "app.healthCheck", app.healthCheck);
  checkSecrets(p, "app.secrets", app.secrets, app.environment, "app.environment");
  checkEnvironmentFiles(p, "app.environmentFiles", app.environmentFiles);
  checkRegistryCredentials(p, "app.repositoryCredentials", app.repositoryCredentials);
  if (app.readonlyRootFilesystem === true && args.enableExecuteCommand === true) {
    p.add("app.readonlyRootFilesystem", "ECS Exec needs a writable root file system in the container it reaches (its agent writes there)", "drop one of readonlyRootFilesystem and enableExecuteCommand");
  }
  sidecarSecrets(p, args);
}

/** `sidecar.secrets`: sidecar options (as `sidecar.environment` takes them) given from a secret. */
function sidecarSecrets(p: Problems, args: WorkerEnvironmentArgs): void {
  const secrets = args.sidecar?.secrets ?? {};
  const known = new Set<string>(OPTIONS.map((o) => o.name));
  for (const key of Object.keys(secrets)) {
    const owner = COMPONENT_SIDECAR_OPTIONS[key as OptionName];
    if (!known.has(key)) p.add(`sidecar.secrets.${key}`, "is not a sidecar option", "use an option name, e.g. HmacSecret");
    else if (owner !== undefined) p.add(`sidecar.secrets.${key}`, `the component sets ${key} itself`, `set ${owner} instead`);
  }
  checkSecrets(p, "sidecar.secrets", secrets, args.sidecar?.environment, "sidecar.environment");
}

/** ECS's deployment limits and alarms. */
function deployment(p: Problems, args: WorkerEnvironmentArgs): { minHealthyPercent: number; maxPercent: number } {
  const d = args.deployment ?? {};
  const minHealthyPercent = d.minHealthyPercent ?? 100;
  const maxPercent = d.maxPercent ?? 200;
  p.range("deployment.minHealthyPercent", d.minHealthyPercent, 0, 100);
  if (d.maxPercent !== undefined && !(Number.isInteger(d.maxPercent) && d.maxPercent >= 100)) {
    p.add("deployment.maxPercent", `${d.maxPercent} is below 100 or not whole`, "give a whole number of at least 100 (200 lets a full set of new tasks start before old ones stop)");
  }
  if (maxPercent <= minHealthyPercent) {
    p.add(
      "deployment.maxPercent",
      `${maxPercent} is not above minHealthyPercent ${minHealthyPercent}: ECS could neither start a new task nor stop an old one`,
      "raise maxPercent or lower minHealthyPercent",
    );
  }
  p.range("deployment.rollbackOnCpuPercent", d.rollbackOnCpuPercent, 1, 100, false);
  p.range("deployment.rollbackOnMemoryPercent", d.rollbackOnMemoryPercent, 1, 100, false);
  const delayed = d.rollbackOnMessagesDelayed;
  if (delayed !== undefined && !(Number.isInteger(delayed) && delayed >= 1)) {
    p.add("deployment.rollbackOnMessagesDelayed", `${delayed} is not a count of messages`, "give a whole number of at least 1");
  }
  if (d.rollbackAlarmNames?.length === 0) p.add("deployment.rollbackAlarmNames", "is empty", "omit it, or name at least one alarm");
  for (const [i, alarm] of (d.rollbackAlarmNames ?? []).entries()) {
    if (typeof alarm === "string" && (alarm.length === 0 || alarm.length > 255 || alarm.startsWith("arn:"))) {
      p.add(`deployment.rollbackAlarmNames[${i}]`, `"${alarm}" is not a CloudWatch alarm name`, "give the alarm's name (1-255 characters), not its ARN");
    }
  }
  return { minHealthyPercent, maxPercent };
}

function service(p: Problems, args: WorkerEnvironmentArgs): void {
  p.range("desiredCount", args.desiredCount, 0, 5000);
  for (const [i, cp] of (args.capacityProviders ?? []).entries()) {
    p.oneOf(`capacityProviders[${i}].capacityProvider`, cp.capacityProvider, CAPACITY_PROVIDERS);
    p.range(`capacityProviders[${i}].weight`, cp.weight, 0, 1000);
    p.range(`capacityProviders[${i}].base`, cp.base, 0, 100000);
  }
  if (args.capacityProviders?.length === 0) p.add("capacityProviders", "is empty", "omit it for launch type FARGATE, or list at least one");
}

function sources(p: Problems, args: WorkerEnvironmentArgs, fifo: boolean): void {
  for (const [i, s] of (args.snsSubscriptions ?? []).entries()) {
    p.oneOf(`snsSubscriptions[${i}].filterPolicyScope`, s.filterPolicyScope, FILTER_POLICY_SCOPES);
    // SNS delivers to a FIFO queue only from a FIFO topic (whose name ends in .fifo). An ARN
    // known only at deploy time is left to SNS, which refuses the subscription then.
    if (fifo && typeof s.topicArn === "string" && !s.topicArn.endsWith(".fifo")) {
      p.add(`snsSubscriptions[${i}].topicArn`, `"${s.topicArn}" is a standard topic, and SNS delivers to a FIFO queue only from a FIFO topic`, "subscribe a FIFO topic (its name ends in .fifo), or use a standard queue");
    }
  }
  const names = new Set<string>();
  for (const rule of args.eventRules ?? []) {
    if (!RULE_NAME.test(rule.name)) p.add(`eventRules "${rule.name}"`, "bad name", "use 1-64 letters, digits, '.', '-' or '_'");
    if (names.has(rule.name)) p.add(`eventRules "${rule.name}"`, "duplicate name", "give every rule a unique name");
    names.add(rule.name);
  }
  const threshold = args.alarms?.oldestMessageAgeThreshold;
  if (threshold !== undefined && !(threshold > 0)) p.add("alarms.oldestMessageAgeThreshold", `${threshold} is not positive`, "give seconds > 0");
}

/**
 * Whether to create the dashboard, and the check of its name: `dashboard.name` as given, else the
 * default one of `stack` (when the caller knows the stack; the component always passes it).
 */
function dashboard(p: Problems, name: string, args: WorkerEnvironmentArgs, stack: StackIdentity | undefined): boolean {
  if (args.dashboard?.enabled === false) return false;
  if (args.dashboard?.name !== undefined) p.list.push(...dashboardNameProblems(args.dashboard.name, true));
  else if (stack !== undefined) p.list.push(...dashboardNameProblems(dashboardName(args, name, stack), false));
  return true;
}

/**
 * Check every argument; throw WorkerEnvironmentArgsError listing all problems, else return the
 * settings. `stack` (the Pulumi project and stack) lets the default dashboard name be checked.
 */
export function validateArgs(name: string, args: WorkerEnvironmentArgs, stack?: StackIdentity): Settings {
  const p = new Problems();
  const fifo = args.existingQueue?.fifo ?? args.queue?.fifo ?? false;
  network(p, args);
  queue(p, args);
  task(p, args);
  service(p, args);
  sources(p, args, fifo);
  checkContainers(p, args, args.cpu ?? 256, args.memory ?? 512);
  checkStorage(p, args);
  checkObservability(p, args);
  const limits = deployment(p, args);
  const resolvedScaling = scaling(p, args);
  const tasks = periodicTasks(p, args, fifo);
  const withDashboard = dashboard(p, name, args, stack);
  p.list.push(...nameProblems(name, args, fifo, tasks.length > 0 || (args.periodicTasks ?? []).length > 0 || args.cronFile !== undefined));
  const drainTimeout = args.sidecar?.drainTimeout ?? sidecarDefault("DrainTimeout");
  const settings: Settings = {
    cpu: args.cpu ?? 256,
    memory: args.memory ?? 512,
    cpuArchitecture: args.cpuArchitecture ?? "X86_64",
    logRetentionDays: args.logRetentionDays ?? 30,
    maxRetries: args.maxRetries ?? sidecarDefault("MaxRetries"),
    fifo,
    contentBasedDeduplication: fifo && (args.queue?.contentBasedDeduplication ?? (args.eventRules ?? []).length > 0),
    retentionSeconds: args.queue?.retentionSeconds ?? sidecarDefault("RetentionPeriod"),
    visibilityTimeout: args.queue?.visibilityTimeoutSeconds ?? sidecarDefault("VisibilityTimeout"),
    appPort: args.app.port ?? 80,
    httpPath: args.app.httpPath ?? "/",
    drainTimeout,
    stopTimeout: stopTimeoutFor(drainTimeout),
    natStrategy: args.vpc?.natStrategy ?? "Single",
    containerInsights: args.containerInsights ?? true,
    desiredCount: resolvedScaling?.minCount ?? args.desiredCount ?? 1,
    scaling: resolvedScaling,
    periodicTasks: tasks,
    ...(fifo && args.queue?.highThroughput === true ? { deduplicationScope: "messageGroup", fifoThroughputLimit: "perMessageGroupId" } : {}),
    ...(fifo && args.queue?.deduplicationScope !== undefined ? { deduplicationScope: args.queue.deduplicationScope } : {}),
    ...(fifo && args.queue?.fifoThroughputLimit !== undefined ? { fifoThroughputLimit: args.queue.fifoThroughputLimit } : {}),
    tracing: tracingOn(args),
    ...limits,
    dashboard: withDashboard,
  };
  // Last: it parses the whole environment the daemon will get, built from the settings.
  p.list.push(...sidecarEnvironmentProblems(args, settings));
  if (p.list.length > 0) throw new WorkerEnvironmentArgsError(name, p.list);
  return settings;
}
