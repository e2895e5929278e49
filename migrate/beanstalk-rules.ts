/**
 * What each Beanstalk option becomes: one rule per option of a worker environment (the list of
 * docs/migrating-from-beanstalk.md; a test holds the two together: the same options, the
 * arguments a rule may set named in the guide's row, nothing carried where the guide says "not
 * supported"). The sqsd namespace's rules come from the sidecar's own option table
 * (sidecar/options.ts) and the component's option → argument table (component/sidecar-env.ts).
 */
import { COMPONENT_SIDECAR_OPTIONS } from "../component/sidecar-env";
import { LOG_RETENTION_DAYS } from "../component/validation";
import { OPTIONS, type OptionSpec } from "../sidecar/options";
import { fargateSizeFor, instanceShape, isGraviton } from "./instance-types";
import { changed, mapped, notCarried, type Disposition } from "./report-rows";
import { containerSecret, looksSecret, secretConfig } from "./secrets";
import type { ArgsTree } from "./values";

/** The service's size, decided once from MinSize, MaxSize and EnvironmentType. */
export type ServiceSize = { readonly fixed: number } | { readonly min: number; readonly max: number };

/** What a rule sees besides its own value. */
export interface BeanstalkContext {
  readonly args: ArgsTree;
  /** The winning value of another option, as text. */
  option(namespace: string, option: string): string | undefined;
  readonly size: ServiceSize | undefined;
  /** WorkerQueueURL names a queue of the user's own, which the component then uses. */
  readonly existingQueue: boolean;
}

export interface BeanstalkRule {
  /** Arguments the rule may set (tests hold them to the guide's row). */
  readonly args: readonly string[];
  readonly apply: (value: string, ctx: BeanstalkContext, option: string) => Disposition;
}

const rule = (args: readonly string[], apply: BeanstalkRule["apply"]): BeanstalkRule => ({ args, apply });
const drop = (reason: string): BeanstalkRule => rule([], () => notCarried(reason));

/** A whole number from min to max, or undefined. */
function whole(value: string, min: number, max: number): number | undefined {
  const n = Number(value.trim());
  return /^\d+$/.test(value.trim()) && n >= min && n <= max ? n : undefined;
}

const isTrue = (v: string | undefined): boolean => v?.trim().toLowerCase() === "true";
const list = (v: string): string[] => v.split(",").map((s) => s.trim()).filter((s) => s !== "");

// --- aws:elasticbeanstalk:sqsd, from the sidecar's option table ---

/** The argument the component sets a sidecar option from: the first word of its COMPONENT_SIDECAR_OPTIONS entry. */
export function sidecarOptionArgument(option: string): string | undefined {
  const text = (COMPONENT_SIDECAR_OPTIONS as Record<string, string | undefined>)[option];
  return text?.split(" ")[0];
}

/** The queue URL's region and ARN: https://sqs.<region>.amazonaws.com/<account>/<name>. */
export function queueFromUrl(url: string): { region: string; arn: string; fifo: boolean } | undefined {
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([\w.-]+)$/.exec(url.trim());
  if (!m) return undefined;
  const [, region = "", account = "", name = ""] = m;
  return { region, arn: `arn:aws:sqs:${region}:${account}:${name}`, fifo: name.endsWith(".fifo") };
}

/** Beanstalk names the queues it creates for a worker environment awseb-e-…. */
export const isBeanstalkQueue = (url: string): boolean => /\/awseb-e-[^/]*$/i.test(url.trim());

function sqsdRule(spec: OptionSpec): BeanstalkRule {
  if (spec.name === "WorkerQueueURL") {
    return rule(["queue", "existingQueue.url", "existingQueue.arn", "existingQueue.fifo"], (v, ctx) => {
      const q = queueFromUrl(v);
      if (v.trim() === "" || isBeanstalkQueue(v) || q === undefined || !ctx.existingQueue) {
        return changed([], "a new queue and dead-letter queue created by the component (`queue`), with the sqsd options below; the queue Beanstalk created goes away with its environment, so producers move to the `queueUrl` output");
      }
      ctx.args.set("existingQueue.url", v.trim());
      ctx.args.set("existingQueue.arn", q.arn);
      if (q.fifo) ctx.args.set("existingQueue.fifo", true);
      return mapped(["existingQueue.url", "existingQueue.arn", ...(q.fifo ? ["existingQueue.fifo"] : [])], "your own queue, kept with its messages and its own redrive policy; the ARN is derived from the URL");
    });
  }
  const arg = sidecarOptionArgument(spec.name);
  if (arg === undefined) throw new Error(`sidecar option ${spec.name} has no argument in COMPONENT_SIDECAR_OPTIONS`);
  const queueAttribute = arg.startsWith("queue.");
  return rule([arg], (v, ctx) => {
    if (queueAttribute && ctx.existingQueue) return notCarried(`an attribute of your existing queue (existingQueue), which keeps its own: set it on that queue (aws sqs set-queue-attributes), or let the component create a queue with \`${arg}\``);
    if (spec.kind === "integer") {
      const n = whole(v, spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER);
      if (n === undefined) return notCarried(`"${v}" is not a whole number from ${spec.min} to ${spec.max}: set \`${arg}\` yourself`);
      ctx.args.set(arg, n);
      return mapped([arg], spec.name === "MaxRetries" ? "also the dead-letter queue's redrive maxReceiveCount" : "");
    }
    if (spec.kind === "path" && !v.startsWith("/")) return notCarried(`"${v}" is not a path: set \`${arg}\` to one starting with "/"`);
    ctx.args.set(arg, v);
    return mapped([arg]);
  });
}

const SQSD_RULES: [string, BeanstalkRule][] = OPTIONS.filter((o) => "beanstalk" in o && o.beanstalk === true).map((o) => [`aws:elasticbeanstalk:sqsd ${o.name}`, sqsdRule(o)]);

// --- the size of the service ---

function sizeRule(which: "MinSize" | "MaxSize"): BeanstalkRule {
  const arg = which === "MinSize" ? "scaling.minCount" : "scaling.maxCount";
  return rule(which === "MinSize" ? [arg, "desiredCount"] : [arg], (v, ctx) => {
    const size = ctx.size;
    if (size === undefined) return notCarried(`"${v}" is not a count of instances: set \`${arg}\` yourself`);
    if ("fixed" in size) {
      if (ctx.option("aws:elasticbeanstalk:environment", "EnvironmentType") === "SingleInstance") return notCarried(`a SingleInstance environment runs one instance whatever ${which} says: one task (desiredCount 1); for autoscaling set \`${arg}\``);
      if (which === "MaxSize") return notCarried(`equal to MinSize, so the service runs a fixed desiredCount (see MinSize); for autoscaling set \`${arg}\` above it`);
      ctx.args.set("desiredCount", size.fixed);
      return changed(["desiredCount"], "MinSize = MaxSize: a fixed number of tasks");
    }
    ctx.args.set(arg, which === "MinSize" ? size.min : size.max);
    return changed([arg], "tasks instead of instances; the service scales on the queue's backlog per task (and on CPU when that is the trigger's measure)");
  });
}

/** Min/max from the options: SingleInstance is one; equal sizes are fixed; undefined when none is set or a value is not a count. */
export function serviceSize(option: (ns: string, o: string) => string | undefined): ServiceSize | undefined {
  if (option("aws:elasticbeanstalk:environment", "EnvironmentType") === "SingleInstance") return { fixed: 1 };
  const minText = option("aws:autoscaling:asg", "MinSize");
  const maxText = option("aws:autoscaling:asg", "MaxSize");
  if (minText === undefined && maxText === undefined) return undefined;
  // Beanstalk's defaults for the one not given.
  const min = whole(minText ?? "1", 0, 10000);
  const max = whole(maxText ?? "4", 1, 10000);
  if (min === undefined || max === undefined || min > max) return undefined;
  return min === max ? { fixed: min } : { min, max };
}

const scaling = (ctx: BeanstalkContext): boolean => ctx.size !== undefined && !("fixed" in ctx.size);

// --- instances → tasks ---

function instanceTypeRule(fromList: boolean): BeanstalkRule {
  return rule(["cpu", "memory"], (v, ctx) => {
    if (!fromList && ctx.option("aws:ec2:instances", "InstanceTypes") !== undefined) {
      return notCarried("aws:ec2:instances InstanceTypes is set too, and Beanstalk uses it instead: see that row (`cpu`, `memory`)");
    }
    const types = list(v);
    const first = types[0] ?? "";
    const shape = instanceShape(first);
    if (shape === undefined) return notCarried(`"${first}" is not an instance type the migrator can size: set \`cpu\` and \`memory\` (a valid Fargate pair)`);
    const size = fargateSizeFor(shape);
    ctx.args.set("cpu", size.cpu);
    ctx.args.set("memory", size.memory);
    const more = types.length > 1 ? ` (the first of ${types.join(", ")}: one task size)` : "";
    const arm = isGraviton(first) && ctx.option("aws:ec2:instances", "SupportedArchitectures") === undefined ? "; a Graviton type: set cpuArchitecture ARM64 if your image is built for Arm" : "";
    return changed(["cpu", "memory"], `${first}${more}: ${shape.vcpus} vCPU, ${shape.memoryGiB} GiB → cpu ${size.cpu}, memory ${size.memory} (vCPUs × 1024 and the memory, rounded up to a valid Fargate pair; right-size later from Container Insights)${arm}`);
  });
}

/** Capacity providers from EnableSpot, SpotFleetOnDemandBase and SpotFleetOnDemandAboveBasePercentage. */
function spotStrategy(ctx: BeanstalkContext): { base: number; onDemandPercent: number } | undefined {
  if (!isTrue(ctx.option("aws:ec2:instances", "EnableSpot"))) return undefined;
  const base = whole(ctx.option("aws:ec2:instances", "SpotFleetOnDemandBase") ?? "0", 0, 100000) ?? 0;
  const onDemandPercent = whole(ctx.option("aws:ec2:instances", "SpotFleetOnDemandAboveBasePercentage") ?? "0", 0, 100) ?? 0;
  return { base, onDemandPercent };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function setCapacityProviders(ctx: BeanstalkContext, s: { base: number; onDemandPercent: number }): void {
  const divisor = gcd(s.onDemandPercent, 100 - s.onDemandPercent) || 1;
  const providers = [];
  if (s.base > 0 || s.onDemandPercent > 0) providers.push({ capacityProvider: "FARGATE", base: s.base, weight: s.onDemandPercent / divisor });
  providers.push({ capacityProvider: "FARGATE_SPOT", weight: (100 - s.onDemandPercent) / divisor });
  ctx.args.set("capacityProviders", providers);
}

const spotOption = (arg: string, what: string): BeanstalkRule =>
  rule([arg], (_v, ctx) => {
    const s = spotStrategy(ctx);
    if (s === undefined) return notCarried(`EnableSpot is not true, so Beanstalk does not use it; for Fargate Spot set \`capacityProviders\``);
    setCapacityProviders(ctx, s);
    return changed([arg], what);
  });

// --- deployments ---

const DEPLOYMENT_POLICIES: Record<string, [number, number] | undefined> = { AllAtOnce: [0, 100], Rolling: [50, 100], RollingWithAdditionalBatch: [100, 200] };

function batchSize(v: string, ctx: BeanstalkContext): Disposition {
  const policy = ctx.option("aws:elasticbeanstalk:command", "DeploymentPolicy") ?? "AllAtOnce";
  const type = ctx.option("aws:elasticbeanstalk:command", "BatchSizeType") ?? "Percentage";
  const n = whole(v, 1, 100);
  if (policy !== "RollingWithAdditionalBatch" || type !== "Percentage" || n === undefined) {
    return notCarried(`with DeploymentPolicy ${policy} and BatchSizeType ${type} it has no ECS equivalent: ECS deploys a percentage of the desired count, \`deployment.maxPercent\``);
  }
  ctx.args.set("deployment.maxPercent", 100 + n);
  return changed(["deployment.maxPercent"], `an additional batch of ${n} % of the tasks: maxPercent ${100 + n}`);
}

// --- the table ---

const WORKER_OPTIONS: [string, BeanstalkRule][] = [
  ...SQSD_RULES,
  [
    "aws:elasticbeanstalk:application:environment <name>",
    rule(["app.environment"], (v, ctx, name) => {
      if (looksSecret(name)) {
        ctx.args.set(["app", "environment", name], secretConfig(name));
        return { ...changed([`app.environment.${name}`], `its name says it is a secret: read from secret stack config, not written into the program (pulumi config set --secret ${name} <value>); better: a Secrets Manager secret in app.secrets`), secret: true };
      }
      ctx.args.set(["app", "environment", name], v);
      return mapped([`app.environment.${name}`], name === "PORT" ? "the port the app listens on: also where the sidecar posts (app.port, see \"Decided for you\")" : "");
    }),
  ],
  [
    "aws:elasticbeanstalk:application:environmentsecrets <name>",
    rule(["app.secrets"], (v, ctx, name) => {
      const { secret, rule: how } = containerSecret(v.trim());
      ctx.args.set(["app", "secrets", name], secret);
      return changed([`app.secrets.${name}`], `${how}; ECS reads it at task start with the execution role, granted exactly this secret`);
    }),
  ],
  [
    "aws:elasticbeanstalk:application Application Healthcheck URL",
    rule(["app.healthCheckPath"], (v, ctx) => {
      // "/health", or "HTTP:80/health" / "HTTPS:443/health".
      const path = /^(?:HTTPS?:\d+)?(\/\S*)$/i.exec(v.trim())?.[1];
      if (path === undefined) return notCarried(`"${v}" has no path: set \`app.healthCheckPath\``);
      ctx.args.set("app.healthCheckPath", path);
      return path === v.trim() ? mapped(["app.healthCheckPath"], "the sidecar polls it and pauses while it fails") : changed(["app.healthCheckPath"], "its path; the sidecar polls it on the app's port and pauses while it fails");
    }),
  ],
  [
    "aws:autoscaling:asg Availability Zones",
    rule(["vpc.numberOfAvailabilityZones"], (v, ctx) => {
      const n = /^Any( (\d))?$/i.exec(v.trim());
      if (ctx.option("aws:ec2:vpc", "VPCId") !== undefined) return notCarried("your VPC's subnets decide the zones (subnetIds)");
      if (!n || n[2] === undefined) return notCarried(`"${v}": the component's new VPC spans 2 zones (\`vpc.numberOfAvailabilityZones\`)`);
      ctx.args.set("vpc.numberOfAvailabilityZones", Number(n[2]));
      return changed(["vpc.numberOfAvailabilityZones"], "the zones of the new VPC the tasks spread over");
    }),
  ],
  [
    "aws:autoscaling:asg Cooldown",
    rule(["scaling.scaleInCooldown", "scaling.scaleOutCooldown"], (v, ctx) => {
      const n = whole(v, 0, 86400);
      if (!scaling(ctx)) return notCarried("the service has a fixed size (no scaling), so there is no cooldown; with `scaling`, set scaling.scaleInCooldown and scaleOutCooldown");
      if (n === undefined) return notCarried(`"${v}" is not seconds: set \`scaling.scaleInCooldown\``);
      ctx.args.set("scaling.scaleInCooldown", n);
      ctx.args.set("scaling.scaleOutCooldown", Math.max(360, n));
      return changed(["scaling.scaleInCooldown", "scaling.scaleOutCooldown"], n >= 360 ? "both cooldowns" : `scale-in ${n} s; scale-out at least 360 s (the task count reaches the scaling metric late, docs/scaling.md)`);
    }),
  ],
  ["aws:autoscaling:asg Custom Availability Zones", drop("give the private subnets of those zones as `subnetIds` (with `vpcId`)")],
  ["aws:autoscaling:asg EnableCapacityRebalancing", drop("Fargate Spot sends no rebalance recommendation: ECS replaces an interrupted task, which drains on SIGTERM")],
  ["aws:autoscaling:asg MinSize", sizeRule("MinSize")],
  ["aws:autoscaling:asg MaxSize", sizeRule("MaxSize")],
  ["aws:autoscaling:launchconfiguration DisableIMDSv1", drop("Fargate tasks have no instance metadata service: credentials come from the task role")],
  [
    "aws:autoscaling:launchconfiguration EC2KeyName",
    rule(["enableExecuteCommand"], (_v, ctx) => {
      ctx.args.set("enableExecuteCommand", true);
      return changed(["enableExecuteCommand"], "no SSH into tasks: ECS Exec instead (aws ecs execute-command --container app)");
    }),
  ],
  [
    "aws:autoscaling:launchconfiguration IamInstanceProfile",
    rule([], (v) =>
      notCarried(
        v.trim() === "aws-elasticbeanstalk-ec2-role"
          ? "Beanstalk's default instance profile: its worker grants (SQS, CloudWatch) are what the component grants the sidecar itself; give your app's own AWS permissions with `taskPolicyArns` or `taskPolicyDocuments`"
          : "an instance profile cannot be attached to a task: attach its role's policies to the task role with `taskPolicyArns` (managed policies) or `taskPolicyDocuments` (inline JSON)",
      ),
    ),
  ],
  ["aws:autoscaling:launchconfiguration ImageId", drop("a custom AMI: put what it adds into the app's container image (`app.build`)")],
  ["aws:autoscaling:launchconfiguration InstanceType", instanceTypeRule(false)],
  ["aws:autoscaling:launchconfiguration MonitoringInterval", rule([], () => changed([], "Container Insights (`containerInsights`, on by default) gives per-minute task and service metrics"))],
  [
    "aws:autoscaling:launchconfiguration SecurityGroups",
    rule(["securityGroupIds"], (v, ctx) => {
      const ids = list(v).filter((g) => /^sg-[0-9a-f]{8,17}$/.test(g));
      const names = list(v).filter((g) => !ids.includes(g));
      if (ids.length === 0) return notCarried(`${names.join(", ")}: group names, not ids; give the ids of groups the tasks need (e.g. one a database admits) as \`securityGroupIds\``);
      ctx.args.set("securityGroupIds", ids);
      return mapped(["securityGroupIds"], `beside the component's own group${names.length > 0 ? `; not carried: ${names.join(", ")} (names, not ids)` : ""}`);
    }),
  ],
  ["aws:autoscaling:launchconfiguration SSHSourceRestriction", drop("tasks take no inbound traffic at all (ECS Exec goes through SSM, not a port)")],
  ["aws:autoscaling:launchconfiguration BlockDeviceMappings", drop("Fargate has no block devices: data that must outlive a task goes on EFS (`storage.efsVolumes`)")],
  ["aws:autoscaling:launchconfiguration RootVolumeType", drop("Fargate's ephemeral storage has one type, chosen by AWS")],
  [
    "aws:autoscaling:launchconfiguration RootVolumeSize",
    rule(["storage.ephemeralStorageGiB"], (v, ctx) => {
      const n = whole(v, 1, 16384);
      if (n === undefined) return notCarried(`"${v}" is not GiB: set \`storage.ephemeralStorageGiB\``);
      if (n <= 20) return notCarried(`${n} GiB fits in Fargate's default 20 GiB of ephemeral storage (\`storage.ephemeralStorageGiB\` for more)`);
      ctx.args.set("storage.ephemeralStorageGiB", Math.min(n, 200));
      return n > 200 ? changed(["storage.ephemeralStorageGiB"], `${n} GiB → 200 GiB, Fargate's most`) : mapped(["storage.ephemeralStorageGiB"], "Fargate ephemeral storage (the whole task's, not only the root volume)");
    }),
  ],
  ["aws:autoscaling:launchconfiguration RootVolumeIOPS", drop("Fargate's ephemeral storage takes no IOPS setting")],
  ["aws:autoscaling:launchconfiguration RootVolumeThroughput", drop("Fargate's ephemeral storage takes no throughput setting")],
  ...["StartTime", "EndTime", "MaxSize", "MinSize", "DesiredCapacity", "Recurrence", "Suspend"].map((o): [string, BeanstalkRule] => [
    `aws:autoscaling:scheduledaction ${o}`,
    drop("the component creates no scheduled scaling actions: add an aws.appautoscaling.ScheduledAction on the service (ecs:service:DesiredCount) in the program"),
  ]),
  [
    "aws:autoscaling:trigger MeasureName",
    rule(["scaling.targetCpuPercent"], (v, ctx) => {
      if (!scaling(ctx)) return notCarried("the service has a fixed size, so nothing scales on it; with `scaling`, add scaling.targetCpuPercent for CPU");
      if (v.trim() !== "CPUUtilization") return notCarried(`${v} is not offered: the service scales on queue backlog per task (scaling.acceptableLatency / scaling.messageProcessingTime), the worker's own measure; CPU: \`scaling.targetCpuPercent\``);
      const upper = Number(ctx.option("aws:autoscaling:trigger", "UpperThreshold"));
      if (!(upper >= 1 && upper <= 100)) return notCarried("CPU, but no UpperThreshold in percent to target: set `scaling.targetCpuPercent`");
      ctx.args.set("scaling.targetCpuPercent", upper);
      return changed(["scaling.targetCpuPercent"], `CPU target tracking at UpperThreshold (${upper} %), beside the backlog policy: out when either asks, in only when both allow`);
    }),
  ],
  [
    "aws:autoscaling:trigger UpperThreshold",
    rule(["scaling.targetCpuPercent"], (v, ctx) => {
      const n = Number(v);
      if (!scaling(ctx) || ctx.option("aws:autoscaling:trigger", "MeasureName")?.trim() !== "CPUUtilization" || !(n >= 1 && n <= 100)) {
        return notCarried("a threshold of a measure that is not carried over (see MeasureName): the service scales on queue backlog; for CPU, `scaling.targetCpuPercent`");
      }
      return changed(["scaling.targetCpuPercent"], "one target instead of two thresholds: the policy adds tasks above it and removes them below it");
    }),
  ],
  ["aws:autoscaling:trigger LowerThreshold", drop("target tracking has one target (`scaling.targetCpuPercent`, from UpperThreshold when the measure is CPU): it removes tasks below it")],
  ...["BreachDuration", "Period", "EvaluationPeriods", "Statistic", "Unit"].map((o): [string, BeanstalkRule] => [`aws:autoscaling:trigger ${o}`, drop("target tracking creates and evaluates its own alarms (one-minute periods)")]),
  ...["UpperBreachScaleIncrement", "LowerBreachScaleIncrement"].map((o): [string, BeanstalkRule] => [`aws:autoscaling:trigger ${o}`, drop("target tracking sizes each step itself, in proportion to the distance from the target")]),
  ["aws:autoscaling:updatepolicy:rollingupdate MaxBatchSize", drop("ECS has one kind of deployment, for configuration and code alike: its batch is `deployment.maxPercent` (see DeploymentPolicy)")],
  ["aws:autoscaling:updatepolicy:rollingupdate MinInstancesInService", drop("ECS has one kind of deployment: how many tasks stay is `deployment.minHealthyPercent` (see DeploymentPolicy)")],
  ["aws:autoscaling:updatepolicy:rollingupdate RollingUpdateEnabled", drop("every change is an ECS rolling deployment (`deployment`), with circuit-breaker rollback")],
  ["aws:autoscaling:updatepolicy:rollingupdate RollingUpdateType", drop("ECS deployments are always health-based; there is no time-based or immutable mode")],
  ["aws:autoscaling:updatepolicy:rollingupdate PauseTime", drop("ECS starts the next tasks as soon as the previous ones are healthy")],
  ["aws:autoscaling:updatepolicy:rollingupdate Timeout", drop("the deployment circuit breaker (always on) rolls back a deployment whose tasks keep failing, instead of a timeout")],
  [
    "aws:ec2:instances EnableSpot",
    rule(["capacityProviders"], (v, ctx) => {
      const s = spotStrategy(ctx);
      if (s === undefined) return changed([], `${v}: on-demand Fargate (the default)`);
      setCapacityProviders(ctx, s);
      return changed(["capacityProviders"], `Fargate Spot: ${s.base} task(s) on-demand first, then ${s.onDemandPercent} % on-demand`);
    }),
  ],
  ["aws:ec2:instances InstanceTypes", instanceTypeRule(true)],
  ["aws:ec2:instances SpotFleetOnDemandBase", spotOption("capacityProviders[].base", "the FARGATE provider's base")],
  ["aws:ec2:instances SpotFleetOnDemandAboveBasePercentage", spotOption("capacityProviders[].weight", "weights: FARGATE the on-demand percent, FARGATE_SPOT the rest (reduced, 30 % → 3 / 7)")],
  ["aws:ec2:instances SpotMaxPrice", drop("Fargate Spot has no bid price")],
  [
    "aws:ec2:instances SupportedArchitectures",
    rule(["cpuArchitecture"], (v, ctx) => {
      const first = list(v)[0]?.toLowerCase();
      const arch = first === "arm64" ? "ARM64" : first === "x86_64" ? "X86_64" : undefined;
      if (arch === undefined) return notCarried(`"${v}": set \`cpuArchitecture\` (X86_64 or ARM64)`);
      ctx.args.set("cpuArchitecture", arch);
      return list(v).length > 1 ? changed(["cpuArchitecture"], `the first of ${v}: a task has one architecture`) : mapped(["cpuArchitecture"]);
    }),
  ],
  [
    "aws:ec2:vpc VPCId",
    rule(["vpcId"], (v, ctx) => {
      if (ctx.option("aws:ec2:vpc", "Subnets") === undefined) return notCarried("no Subnets given: the component needs the private subnets with `vpcId` (subnetIds); without both it creates a VPC");
      ctx.args.set("vpcId", v.trim());
      return mapped(["vpcId"]);
    }),
  ],
  [
    "aws:ec2:vpc Subnets",
    rule(["subnetIds"], (v, ctx) => {
      if (ctx.option("aws:ec2:vpc", "VPCId") === undefined) return notCarried("no VPCId given: set `vpcId` with `subnetIds`, or leave both out for a new VPC");
      ctx.args.set("subnetIds", list(v));
      const pub = isTrue(ctx.option("aws:ec2:vpc", "AssociatePublicIpAddress"));
      return mapped(["subnetIds"], pub ? "the instances had public IPs (AssociatePublicIpAddress): tasks get none, so these must be private subnets with a NAT route (or vpcEndpoints)" : "private subnets: tasks get no public IP");
    }),
  ],
  ...["ELBSubnets", "ELBScheme"].map((o): [string, BeanstalkRule] => [`aws:ec2:vpc ${o}`, drop("a worker environment has no load balancer")]),
  ["aws:ec2:vpc DBSubnets", drop("the component creates no database")],
  ["aws:ec2:vpc AssociatePublicIpAddress", drop("tasks never get a public IP: they reach AWS through NAT (vpc.natStrategy) or vpcEndpoints")],
  ["aws:elasticbeanstalk:cloudwatch:logs StreamLogs", rule([], () => changed([], "always on: every container logs to its own CloudWatch Logs group (output `appLogGroupName`)"))],
  [
    "aws:elasticbeanstalk:cloudwatch:logs DeleteOnTerminate",
    rule([], (v) => (isTrue(v) ? changed([], "the log groups belong to the stack: pulumi destroy deletes them") : notCarried("pulumi destroy deletes the log groups; keep them with Pulumi's retainOnDelete option through `transforms`; `logRetentionDays` bounds them"))),
  ],
  [
    "aws:elasticbeanstalk:cloudwatch:logs RetentionInDays",
    rule(["logRetentionDays"], (v, ctx) => {
      const n = Number(v);
      if (!(LOG_RETENTION_DAYS as readonly number[]).includes(n)) return notCarried(`${v} is not a CloudWatch Logs retention: set \`logRetentionDays\``);
      ctx.args.set("logRetentionDays", n);
      return mapped(["logRetentionDays"], "every container's log group");
    }),
  ],
  ...["HealthStreamingEnabled", "DeleteOnTerminate", "RetentionInDays"].map((o): [string, BeanstalkRule] => [
    `aws:elasticbeanstalk:cloudwatch:logs:health ${o}`,
    drop("there is no Beanstalk health agent to stream: ECS service events, the sidecar's logs and metrics, and the queue alarms take its place"),
  ]),
  [
    "aws:elasticbeanstalk:command DeploymentPolicy",
    rule(["deployment.minHealthyPercent", "deployment.maxPercent"], (v, ctx) => {
      const limits = DEPLOYMENT_POLICIES[v.trim()];
      if (limits === undefined) return notCarried(`${v} has no ECS equivalent; ECS's default rolling deployment (deployment.minHealthyPercent 100, deployment.maxPercent 200) starts new tasks before stopping old ones, the closest`);
      const [min, max] = limits;
      if (min === 100 && max === 200) return changed([], "the default ECS rolling deployment: 100 % stay, up to 200 % run");
      ctx.args.set("deployment.minHealthyPercent", min);
      ctx.args.set("deployment.maxPercent", max);
      return changed(["deployment.minHealthyPercent", "deployment.maxPercent"], `${min} % of the tasks stay up, at most ${max} % run during a deployment`);
    }),
  ],
  ["aws:elasticbeanstalk:command Timeout", drop("the deployment circuit breaker decides a failed deployment, not a timeout")],
  [
    "aws:elasticbeanstalk:command BatchSizeType",
    rule([], (v, ctx) =>
      ctx.option("aws:elasticbeanstalk:command", "DeploymentPolicy") === "RollingWithAdditionalBatch" && v.trim() === "Percentage" && ctx.option("aws:elasticbeanstalk:command", "BatchSize") !== undefined
        ? changed([], "read with BatchSize: a percentage of the tasks")
        : notCarried("read with BatchSize, which has no ECS equivalent here (see its row): ECS deploys a percentage of the desired count, `deployment.maxPercent`"),
    ),
  ],
  ["aws:elasticbeanstalk:command BatchSize", rule(["deployment.maxPercent"], batchSize)],
  ["aws:elasticbeanstalk:command IgnoreHealthCheck", drop("tasks that do not become healthy roll the deployment back (circuit breaker)")],
  [
    "aws:elasticbeanstalk:environment EnvironmentType",
    rule(["desiredCount"], (v, ctx) => {
      if (v.trim() !== "SingleInstance") return changed([], "the size comes from MinSize and MaxSize");
      ctx.args.set("desiredCount", 1);
      ctx.args.delete("scaling");
      return changed(["desiredCount"], "one task");
    }),
  ],
  ["aws:elasticbeanstalk:environment ServiceRole", drop("ECS and Application Auto Scaling act with their service-linked roles; the component creates the task and execution roles")],
  ...["LoadBalancerType", "LoadBalancerIsShared"].map((o): [string, BeanstalkRule] => [`aws:elasticbeanstalk:environment ${o}`, drop("a worker environment has no load balancer")]),
  [
    "aws:elasticbeanstalk:environment:proxy ProxyServer",
    rule(["app.port"], (v) => changed([], `no ${v} proxy: the sidecar posts straight to http://127.0.0.1:<app.port><app.httpPath> (see "Decided for you" for app.port)`)),
  ],
  ["aws:elasticbeanstalk:healthreporting:system SystemType", rule([], (v) => changed([], `${v} health → the queue alarms (\`alarms\`, on by default) and Container Insights`))],
  ...["ConfigDocument", "EnhancedHealthAuthEnabled", "HealthCheckSuccessThreshold"].map((o): [string, BeanstalkRule] => [`aws:elasticbeanstalk:healthreporting:system ${o}`, drop("there is no enhanced health reporting to configure")]),
  ["aws:elasticbeanstalk:hostmanager LogPublicationControl", drop("logs go to CloudWatch Logs, not to instance log files rotated into S3: export a log group with a CloudWatch Logs export task")],
  ...["ManagedActionsEnabled", "PreferredStartTime", "ServiceRoleForManagedUpdates"].map((o): [string, BeanstalkRule] => [`aws:elasticbeanstalk:managedactions ${o}`, drop("there is no platform to update: AWS patches Fargate; rebuild your image to patch your own layers")]),
  ...["UpdateLevel", "InstanceRefreshEnabled"].map((o): [string, BeanstalkRule] => [`aws:elasticbeanstalk:managedactions:platformupdate ${o}`, drop("there is no Beanstalk platform version to move between")]),
  ["aws:elasticbeanstalk:monitoring Automatically Terminate Unhealthy Instances", rule([], () => changed([], "always: ECS replaces a task whose essential container stops or turns unhealthy (with `app.healthCheck`)"))],
  [
    "aws:elasticbeanstalk:sns:topics Notification Topic ARN",
    rule(["alarms.snsTopicArn"], (v, ctx) => {
      ctx.args.set("alarms.snsTopicArn", v.trim());
      return changed(["alarms.snsTopicArn"], "notified on the queue alarms' ALARM and OK, instead of Beanstalk's environment events");
    }),
  ],
  ["aws:elasticbeanstalk:sns:topics Notification Topic Name", rule([], (_v, ctx) => notCarried(ctx.option("aws:elasticbeanstalk:sns:topics", "Notification Topic ARN") !== undefined ? "the topic's ARN is carried (alarms.snsTopicArn)" : "create the topic (aws.sns.Topic) in the program and pass its ARN as `alarms.snsTopicArn`"))],
  ...["Notification Endpoint", "Notification Protocol"].map((o): [string, BeanstalkRule] => [`aws:elasticbeanstalk:sns:topics ${o}`, drop("the component creates no topic to subscribe it to: add an aws.sns.TopicSubscription to your topic")]),
  [
    "aws:elasticbeanstalk:xray XRayEnabled",
    rule(["observability.tracing"], (v, ctx) => {
      if (!isTrue(v)) return notCarried("tracing off, the default: `observability.tracing` stays unset");
      ctx.args.set("observability.tracing", "awsxray");
      return changed(["observability.tracing"], "the ADOT collector (OTLP on 127.0.0.1:4317/4318) instead of the X-Ray daemon's UDP port 2000: an app on the X-Ray SDK needs the daemon as an extra container (docs/migrating-from-beanstalk.md)");
    }),
  ],
  ...["DBAllocatedStorage", "DBDeletionPolicy", "DBEngine", "DBEngineVersion", "DBInstanceClass", "DBPassword", "DBSnapshotIdentifier", "DBUser", "HasCoupledDatabase", "MultiAZDatabase"].map((o): [string, BeanstalkRule] => [
    `aws:rds:dbinstance ${o}`,
    drop("the component creates no database: keep the database you have (pass its address in app.environment, its password in app.secrets) or create aws.rds.Instance in the program"),
  ]),
];

/** Rules by "<namespace> <option>" (`<name>` for environment properties and secrets). */
export const BEANSTALK_RULES: ReadonlyMap<string, BeanstalkRule> = new Map(WORKER_OPTIONS);

/** Namespaces whose option names are the user's own. */
export const NAMED_NAMESPACES = ["aws:elasticbeanstalk:application:environment", "aws:elasticbeanstalk:application:environmentsecrets"];

/** Namespaces outside a worker's list that still show up (describe-configuration-settings lists them all), with why they are not carried. */
export const OTHER_NAMESPACES: readonly { readonly test: RegExp; readonly reason: string }[] = [
  { test: /^aws:(elb|elbv2)(:|$)|^aws:elasticbeanstalk:environment:process:|^aws:elasticbeanstalk:environment:proxy:staticfiles$|^aws:elasticbeanstalk:trafficsplitting$/, reason: "a load balancer's option: a worker environment has none" },
  { test: /^aws:elasticbeanstalk:container:/, reason: "a platform's own option (e.g. WSGIPath, the Node command): your container image's CMD/ENTRYPOINT starts the app now" },
  { test: /^aws:cloudformation:template:parameter$/, reason: "Beanstalk's internal template parameter, derived from the options above" },
  { test: /^aws:elasticbeanstalk:control$/, reason: "controls Beanstalk's own deployment commands (rollback, timeouts): ECS deployments have the circuit breaker" },
  { test: /^aws:elasticbeanstalk:cloudwatch:logs:/, reason: "log streaming of Beanstalk's own agents: every container logs to CloudWatch Logs" },
];

/** The rule for one option: its own, or the namespace's `<name>` rule. */
export function ruleFor(namespace: string, option: string): { key: string; rule: BeanstalkRule } | undefined {
  const key = NAMED_NAMESPACES.includes(namespace) ? `${namespace} <name>` : `${namespace} ${option}`;
  const found = BEANSTALK_RULES.get(key);
  return found === undefined ? undefined : { key, rule: found };
}
