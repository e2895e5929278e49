/**
 * What each field of a Copilot Worker Service manifest becomes, by field pattern (`<name>` a key
 * the user chose, `[]` a list item). Every field of the manifest's field list has a rule, and a
 * test holds the rules to docs/migrating-from-copilot.md: the arguments a rule may set are named
 * in the guide's row for its field, and a field the guide calls "not supported" carries nothing.
 */
import { LOG_RETENTION_DAYS } from "../component/validation";
import { fargateSizeError } from "../component/fargate-sizes";
import type { CopilotContext, CopilotRule, Where } from "./copilot-context";
import { appTarget, containerRules, extraContainer, sidecarTarget } from "./copilot-containers";
import { isMap } from "./copilot-read";
import { durationSeconds, wholeSeconds } from "./durations";
import { changed, mapped, notCarried, type Disposition } from "./report-rows";
import { containerSecret, copilotSecretsManager, looksSecret, secretConfig } from "./secrets";
import { isSqsdContainer, isSqsdImage, sqsdVariable } from "./sqsd-variables";
import { RequiredConfig, setIn, type ArgMap, type ArgValue } from "./values";

type Apply = NonNullable<CopilotRule["apply"]>;
const rule = (field: string, args: readonly string[], apply: Apply, whole: CopilotRule["whole"] = false): CopilotRule => ({ field, args, apply, whole });
const drop = (field: string, reason: string): CopilotRule => ({ field, args: [], apply: () => notCarried(reason) });

const whole = (v: unknown, min: number, max: number): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
const percent = (v: unknown): number | undefined => (typeof v === "number" && v >= 1 && v <= 100 ? v : undefined);

/** Set a scalar argument of the main worker from a value `convert` accepts. */
function arg(field: string, path: string, convert: (v: unknown) => ArgValue | undefined, note = "", outcome: "mapped" | "changed" = "mapped"): CopilotRule {
  return rule(field, [path], (v, _w, ctx) => {
    const value = convert(v);
    if (value === undefined) return notCarried(`${JSON.stringify(v)} is not a value \`${path}\` takes: set it yourself`);
    ctx.args.set(path, value);
    return outcome === "mapped" ? mapped([path], note) : changed([path], note);
  });
}

/** A duration as whole seconds into `path` of the main worker (or a topic's worker). */
function seconds(field: string, path: string, min = 0, max = Number.MAX_SAFE_INTEGER, topic = false): CopilotRule {
  return rule(field, [path], (v, where, ctx) => {
    const s = wholeSeconds(v);
    const args = topic ? ctx.topic(where.indexes[0] ?? 0) : { args: ctx.args, label: "" };
    if (s === undefined || s.seconds < min || s.seconds > max) return notCarried(`${JSON.stringify(v)} is not a duration from ${min} to ${max} seconds: set \`${path}\` yourself`);
    args.args.set(path, s.seconds);
    return changed([`${args.label}${path}`], `${s.seconds} s${s.rounded ? " (rounded up to whole seconds)" : ""}`);
  });
}

// --- scaling ---

const scaleOut = (s: number): { value: number; note: string } => (s >= 360 ? { value: s, note: `${s} s` } : { value: 360, note: `${s} s → 360 s, the least here: the task count reaches the scaling metric late, and a shorter cooldown lets a scale-out multiply the fleet (docs/scaling.md)` });

function cooldown(field: string, direction: "in" | "out"): CopilotRule {
  const path = direction === "in" ? "scaling.scaleInCooldown" : "scaling.scaleOutCooldown";
  return rule(field, [path], (v, _w, ctx) => {
    const s = wholeSeconds(v);
    if (s === undefined) return notCarried(`${JSON.stringify(v)} is not a duration: set \`${path}\``);
    const out = direction === "out" ? scaleOut(s.seconds) : { value: s.seconds, note: `${s.seconds} s` };
    ctx.args.set(path, out.value);
    return changed([path], out.note);
  });
}

/** "1-10" → min 1, max 10. */
const range = (v: unknown): [number, number] | undefined => {
  const m = typeof v === "string" ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
  return m && Number(m[1]) <= Number(m[2]) ? [Number(m[1]), Number(m[2])] : undefined;
};

/** cpu or memory, when the pair (with Copilot's defaults 256 / 512 for the other) is one Fargate accepts. */
const taskSize = (field: "cpu" | "memory"): CopilotRule =>
  rule(field, [field], (v, _w, ctx) => {
    if (typeof v !== "number") return notCarried(`${JSON.stringify(v)}: set \`${field}\``);
    const problem = taskSizeProblem(ctx.manifest.cpu ?? 256, ctx.manifest.memory ?? 512);
    if (problem !== undefined) return notCarried(`${problem}: pick a valid Fargate pair for \`cpu\` and \`memory\``);
    ctx.args.set(field, v);
    return mapped([field]);
  });

// --- subscriptions ---

/** The stack config key of a subscribed topic's ARN. */
export const topicKey = (service: string, topic: string): string => `${service}-${topic}-topic-arn`.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());

function topicField(ctx: CopilotContext, where: Where): { topic: Record<string, unknown>; index: number } {
  const index = where.indexes[0] ?? 0;
  const topics = isMap(ctx.manifest.subscribe) && Array.isArray(ctx.manifest.subscribe.topics) ? ctx.manifest.subscribe.topics : [];
  const topic = topics[index];
  return { topic: isMap(topic) ? topic : {}, index };
}

const topicArn = (ctx: CopilotContext, where: Where): string => {
  const { topic, index } = topicField(ctx, where);
  const name = typeof topic.name === "string" ? topic.name : `topic${index}`;
  const service = typeof topic.service === "string" ? topic.service : "service";
  const key = topicKey(service, name);
  ctx.topic(index).subscription.topicArn = new RequiredConfig(key, `the ARN of topic ${name} of service ${service}: arn:aws:sns:<region>:<account>:<app>-<env>-${service}-${name} as Copilot named it`, false, `arn:aws:sns:us-east-1:123456789012:${name}`);
  return key;
};

/** The queue options of `subscribe.queue` (main worker) or `subscribe.topics[].queue` (the topic's own worker). */
function queueRules(prefix: string, topic: boolean): [string, CopilotRule][] {
  const target = (ctx: CopilotContext, where: Where) => (topic ? ctx.topic(where.indexes[0] ?? 0) : { args: ctx.args, label: "" });
  const flag = (field: string, path: string, values?: readonly string[]): CopilotRule =>
    rule(`${prefix}.${field}`, [path], (v, where, ctx) => {
      const t = target(ctx, where);
      const ok = values === undefined ? typeof v === "boolean" : typeof v === "string" && values.includes(v);
      if (!ok) return notCarried(`${JSON.stringify(v)}: set \`${path}\` yourself`);
      t.args.set(path, v as ArgValue);
      t.args.set("queue.fifo", true);
      return mapped([`${t.label}${path}`]);
    });
  return [
    [`${prefix}.retention`, seconds(`${prefix}.retention`, "queue.retentionSeconds", 60, 1209600, topic)],
    [`${prefix}.delay`, seconds(`${prefix}.delay`, "queue.delaySeconds", 0, 900, topic)],
    [`${prefix}.timeout`, seconds(`${prefix}.timeout`, "queue.visibilityTimeoutSeconds", 0, 43200, topic)],
    [
      `${prefix}.dead_letter.tries`,
      rule(`${prefix}.dead_letter.tries`, ["maxRetries"], (v, where, ctx) => {
        const t = target(ctx, where);
        const n = whole(v, 1, 100);
        if (n === undefined) return notCarried(`${JSON.stringify(v)} is not 1-100 tries: set \`maxRetries\``);
        t.args.set("maxRetries", n);
        return mapped([`${t.label}maxRetries`], "the dead-letter queue's maxReceiveCount (a DLQ always exists here, 14-day retention)");
      }),
    ],
    [
      `${prefix}.fifo`,
      {
        ...rule(`${prefix}.fifo`, ["queue.fifo"], (v, where, ctx) => {
          const t = target(ctx, where);
          if (typeof v !== "boolean") return notCarried(`${JSON.stringify(v)}: set \`queue.fifo\` yourself`);
          t.args.set("queue.fifo", v);
          return mapped([`${t.label}queue.fifo`]);
        }),
        enter: (_v, where, ctx) => target(ctx, where).args.set("queue.fifo", true),
      },
    ],
    [`${prefix}.fifo.content_based_deduplication`, flag("fifo.content_based_deduplication", "queue.contentBasedDeduplication")],
    [`${prefix}.fifo.deduplication_scope`, flag("fifo.deduplication_scope", "queue.deduplicationScope", ["queue", "messageGroup"])],
    [`${prefix}.fifo.throughput_limit`, flag("fifo.throughput_limit", "queue.fifoThroughputLimit", ["perQueue", "perMessageGroupId"])],
    [`${prefix}.fifo.high_throughput`, flag("fifo.high_throughput", "queue.highThroughput")],
  ];
}

// --- storage ---

/** The EFS file system id of volume `name`, or why it has none the component can mount. */
function volumeFileSystem(ctx: CopilotContext, name: string): { id: string } | { problem: string } {
  const volumes = isMap(ctx.manifest.storage) && isMap(ctx.manifest.storage.volumes) ? ctx.manifest.storage.volumes : {};
  const volume = volumes[name];
  const efs = isMap(volume) ? volume.efs : undefined;
  if (efs === true) return { problem: "Copilot's managed file system (efs: true), which the component does not create" };
  const id = isMap(efs) ? efs.id : undefined;
  if (typeof id === "string") return { id };
  if (isMap(id)) return { problem: "its file system id comes from a CloudFormation export (from_cfn)" };
  return { problem: "it is not an EFS volume (Fargate bind mounts are not offered)" };
}

/** Whether volume `name` mounts through an access point. */
function accessPoint(ctx: CopilotContext, name: string): boolean {
  const volumes = isMap(ctx.manifest.storage) && isMap(ctx.manifest.storage.volumes) ? ctx.manifest.storage.volumes : {};
  const volume = volumes[name];
  const efs = isMap(volume) ? volume.efs : undefined;
  return isMap(efs) && isMap(efs.auth) && typeof efs.auth.access_point_id === "string";
}

function volumeRule(field: string, args: readonly string[], apply: (v: unknown, volume: ArgMap, name: string, ctx: CopilotContext) => Disposition): CopilotRule {
  return rule(field, args, (v, where, ctx) => {
    const name = where.names[0] ?? "";
    const fs = volumeFileSystem(ctx, name);
    if ("problem" in fs) return notCarried(`volume ${name}: ${fs.problem}: create aws.efs.FileSystem (and an aws.efs.AccessPoint) in the program and pass its id as \`storage.efsVolumes[].fileSystemId\``);
    const volume = ctx.args.item("storage.efsVolumes", "name", name);
    volume.fileSystemId = fs.id;
    return apply(v, volume, name, ctx);
  });
}

// --- variables and secrets ---

function variableRule(field: string, target: "app" | "sidecar"): CopilotRule {
  return rule(field, [target === "app" ? "app.environment" : "extraContainers[].environment"], (v, where, ctx) => {
    const name = where.names[target === "app" ? 0 : 1] ?? "";
    if (target === "sidecar" && sqsdSidecar(ctx, where)) return sqsdVariable(name, String(v), undefined, ctx.args);
    const arg = target === "app" ? `app.environment.${name}` : "extraContainers[].environment";
    const value: ArgValue = looksSecret(name) ? secretConfig(name) : String(v);
    if (target === "app") ctx.args.set(["app", "environment", name], value);
    else setIn(ctx.args.item("extraContainers", "name", where.names[0] ?? ""), ["environment", name], value);
    if (looksSecret(name)) return { ...changed([arg], `its name says it is a secret: read from secret stack config, not written into the program (pulumi config set --secret ${name} <value>); better: a secret in ${target === "app" ? "app.secrets" : "extraContainers[].secrets"}`), secret: true };
    return mapped([arg], typeof v === "string" ? "" : "as a string");
  });
}

function secretRule(field: string, target: "app" | "sidecar", form: "ssm" | "secretsmanager"): CopilotRule {
  const base = target === "app" ? "app.secrets" : "extraContainers[].secrets";
  const declared = target === "app" && form === "secretsmanager" ? "app.secrets.<name>.secretsManagerArn" : base;
  return rule(field, [declared], (v, where, ctx) => {
    const name = where.names[target === "app" ? 0 : 1] ?? "";
    if (typeof v !== "string") return notCarried(`not a parameter name or ARN: set \`${base}.<name>\``);
    const { secret, rule: how } = form === "ssm" ? containerSecret(v) : copilotSecretsManager(v);
    if (target === "sidecar" && sqsdSidecar(ctx, where)) return sqsdVariable(name, undefined, secret, ctx.args);
    if (target === "app") ctx.args.set(["app", "secrets", name], secret);
    else setIn(ctx.args.item("extraContainers", "name", where.names[0] ?? ""), ["secrets", name], secret);
    const arg = target === "app" ? `app.secrets.${name}${form === "secretsmanager" ? ".secretsManagerArn" : ""}` : base;
    return changed([arg], `${how}; the execution role is granted exactly it`);
  });
}

// --- sidecars: a simple-sqsd sidecar is replaced by the built-in one ---

function sqsdSidecar(ctx: CopilotContext, where: Where): boolean {
  const sidecars = isMap(ctx.manifest.sidecars) ? ctx.manifest.sidecars : {};
  const s = sidecars[where.names[0] ?? ""];
  if (!isMap(s)) return false;
  return isSqsdImage(s.image) || (isMap(s.image) && isSqsdImage(s.image.location));
}

const BUILT_IN = "the sqsd sidecar is built into WorkerEnvironment: this container running an sqsd image is not needed (its SQSD_* variables are carried to the built-in one)";

/** Sidecar rules that step aside for a simple-sqsd sidecar. */
const forSidecar = ([pattern, r]: [string, CopilotRule]): [string, CopilotRule] => [
  pattern,
  { ...r, apply: r.apply === undefined ? undefined : (v, where, ctx) => (sqsdSidecar(ctx, where) ? notCarried(BUILT_IN) : (r.apply as Apply)(v, where, ctx)) },
];

// --- the table ---

/** A field that only groups others (its scalar form, if written, is refused with what it takes). */
const group = (field: string, takes: string): CopilotRule => ({ field, args: [], apply: () => notCarried(`${field} takes a mapping (${takes})`) });

const RULES: [string, CopilotRule][] = [
  ["name", rule("name", [], (v) => changed([], `the component's name: new WorkerEnvironment(${JSON.stringify(v)}, args)`))],
  ["image", group("image", "location or build, and the container's options")],
  ["image.healthcheck", group("image.healthcheck", "command, interval, retries, timeout, start_period")],
  ["sidecars.<name>.healthcheck", group("sidecars.<name>.healthcheck", "command, interval, retries, timeout, start_period")],
  ["environments.<env>", rule("environments.<env>", [], () => changed([], "a stack of its own"))],
  ["type", rule("type", [], () => changed([], "the WorkerEnvironment component itself: the app gets each message as an HTTP POST from the sqsd sidecar instead of polling COPILOT_QUEUE_URI"))],
  ...containerRules(appTarget, { build: "image.build", location: "image.location", credentials: "image.credentials", labels: "image.labels", dependsOn: "image.depends_on", healthcheck: "image.healthcheck", entrypoint: "entrypoint", command: "command" }),
  ["cpu", taskSize("cpu")],
  ["memory", taskSize("memory")],
  [
    "platform",
    rule("platform", ["cpuArchitecture"], (v, _w, ctx) => {
      const m = typeof v === "string" ? /^(linux)\/(x86_64|amd64|arm64|arm)$/i.exec(v.trim()) : null;
      if (!m) return notCarried(`${JSON.stringify(v)}: tasks run Linux (the sqsd sidecar image is a Linux image); set \`cpuArchitecture\` X86_64 or ARM64`);
      const arch = /arm/i.test(m[2] as string) ? "ARM64" : "X86_64";
      ctx.args.set("cpuArchitecture", arch);
      return changed(["cpuArchitecture"], `${v} → ${arch}`);
    }),
  ],
  ["platform.osfamily", drop("platform.osfamily", "tasks are always LINUX: the sqsd sidecar image is a Linux image")],
  [
    "platform.architecture",
    rule("platform.architecture", ["cpuArchitecture"], (v, _w, ctx) => {
      const arch = typeof v === "string" ? ({ x86_64: "X86_64", amd64: "X86_64", arm64: "ARM64", arm: "ARM64" } as Record<string, string>)[v.toLowerCase()] : undefined;
      if (arch === undefined) return notCarried(`${JSON.stringify(v)}: set \`cpuArchitecture\` X86_64 or ARM64`);
      ctx.args.set("cpuArchitecture", arch);
      return mapped(["cpuArchitecture"], `${v} → ${arch}`);
    }),
  ],
  ["count", arg("count", "desiredCount", (v) => whole(v, 0, 5000), "a fixed number of tasks")],
  [
    "count.spot",
    rule("count.spot", ["desiredCount", "capacityProviders"], (v, _w, ctx) => {
      const n = whole(v, 0, 5000);
      if (n === undefined) return notCarried(`${JSON.stringify(v)}: set \`desiredCount\``);
      ctx.args.set("desiredCount", n);
      ctx.args.set("capacityProviders", [{ capacityProvider: "FARGATE_SPOT" }]);
      return changed(["desiredCount", "capacityProviders"], `${n} tasks on Fargate Spot`);
    }),
  ],
  [
    "count.range",
    rule("count.range", ["scaling.minCount", "scaling.maxCount"], (v, _w, ctx) => {
      const r = range(v);
      if (r === undefined) return notCarried(`${JSON.stringify(v)} is not "<min>-<max>": set \`scaling.minCount\` and \`scaling.maxCount\``);
      ctx.args.set("scaling.minCount", r[0]);
      ctx.args.set("scaling.maxCount", r[1]);
      return changed(["scaling.minCount", "scaling.maxCount"], `from ${r[0]} to ${r[1]} tasks${r[0] === 0 ? "; min 0 wakes on the first message here (a wake-from-zero alarm)" : ""}`);
    }),
  ],
  ["count.range.min", arg("count.range.min", "scaling.minCount", (v) => whole(v, 0, 5000))],
  ["count.range.max", arg("count.range.max", "scaling.maxCount", (v) => whole(v, 1, 5000))],
  [
    "count.range.spot_from",
    rule("count.range.spot_from", ["capacityProviders"], (v, _w, ctx) => {
      const n = whole(v, 1, 100000);
      if (n === undefined) return notCarried(`${JSON.stringify(v)}: set \`capacityProviders\``);
      ctx.args.set("capacityProviders", [{ capacityProvider: "FARGATE", base: n - 1, weight: 0 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }]);
      return changed(["capacityProviders"], `the first ${n - 1} task(s) on Fargate (base), the rest on Fargate Spot`);
    }),
  ],
  ["count.cooldown.in", cooldown("count.cooldown.in", "in")],
  ["count.cooldown.out", cooldown("count.cooldown.out", "out")],
  ["count.cpu_percentage", arg("count.cpu_percentage", "scaling.targetCpuPercent", percent, "a CPU target-tracking policy beside the backlog one: out when either asks, in only when both allow")],
  ["count.cpu_percentage.value", arg("count.cpu_percentage.value", "scaling.targetCpuPercent", percent, "a CPU target-tracking policy beside the backlog one")],
  ...["in", "out"].map((d): [string, CopilotRule] => [`count.cpu_percentage.cooldown.${d}`, drop(`count.cpu_percentage.cooldown.${d}`, "one cooldown pair serves every policy (scaling.scaleInCooldown / scaleOutCooldown): a shorter scale-out on one policy would multiply the fleet")]),
  ["count.memory_percentage", arg("count.memory_percentage", "scaling.targetMemoryPercent", percent, "a memory target-tracking policy beside the backlog one")],
  ["count.memory_percentage.value", arg("count.memory_percentage.value", "scaling.targetMemoryPercent", percent, "a memory target-tracking policy beside the backlog one")],
  ...["in", "out"].map((d): [string, CopilotRule] => [`count.memory_percentage.cooldown.${d}`, drop(`count.memory_percentage.cooldown.${d}`, "one cooldown pair serves every policy (scaling.scaleInCooldown / scaleOutCooldown)")]),
  [
    "count.queue_delay.acceptable_latency",
    rule("count.queue_delay.acceptable_latency", ["scaling.acceptableLatency"], (v, _w, ctx) => {
      const s = durationSeconds(v);
      if (s === undefined || s <= 0) return notCarried(`${JSON.stringify(v)}: set \`scaling.acceptableLatency\` (seconds)`);
      ctx.args.set("scaling.acceptableLatency", s);
      return changed(["scaling.acceptableLatency"], `${s} s; target backlog per task = floor(latency / processing time), on visible + in-flight messages, by metric math (Copilot: ceil, visible only, by a Lambda)`);
    }),
  ],
  [
    "count.queue_delay.msg_processing_time",
    rule("count.queue_delay.msg_processing_time", ["scaling.messageProcessingTime"], (v, _w, ctx) => {
      const s = durationSeconds(v);
      if (s === undefined || s <= 0) return notCarried(`${JSON.stringify(v)}: set \`scaling.messageProcessingTime\` (seconds)`);
      ctx.args.set("scaling.messageProcessingTime", s);
      return changed(["scaling.messageProcessingTime"], `${s} s`);
    }),
  ],
  ["count.queue_delay.cooldown.in", cooldown("count.queue_delay.cooldown.in", "in")],
  ["count.queue_delay.cooldown.out", cooldown("count.queue_delay.cooldown.out", "out")],
  ["exec", arg("exec", "enableExecuteCommand", (v) => (typeof v === "boolean" ? v : undefined), "ECS Exec into the app container")],
  ["exec.enable", arg("exec.enable", "enableExecuteCommand", (v) => (typeof v === "boolean" ? v : undefined), "ECS Exec into the app container")],
  [
    "deployment.rolling",
    rule("deployment.rolling", ["deployment.minHealthyPercent", "deployment.maxPercent"], (v, _w, ctx) => {
      if (v === "default") return changed([], "100 % stay up, up to 200 % run: the defaults here; the circuit breaker with rollback is always on");
      if (v !== "recreate") return notCarried(`${JSON.stringify(v)}: set \`deployment.minHealthyPercent\` / \`deployment.maxPercent\``);
      ctx.args.set("deployment.minHealthyPercent", 0);
      ctx.args.set("deployment.maxPercent", 100);
      return changed(["deployment.minHealthyPercent", "deployment.maxPercent"], "stop the old tasks, then start the new: 0 % / 100 %");
    }),
  ],
  ["deployment.rollback_alarms", arg("deployment.rollback_alarms", "deployment.rollbackAlarmNames", (v) => (Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === "string") ? (v as string[]) : undefined), "existing alarms ECS watches during a deployment (rollback on)")],
  ["deployment.rollback_alarms.cpu_utilization", arg("deployment.rollback_alarms.cpu_utilization", "deployment.rollbackOnCpuPercent", percent, "an alarm on the service's average CPU, as Copilot's")],
  ["deployment.rollback_alarms.memory_utilization", arg("deployment.rollback_alarms.memory_utilization", "deployment.rollbackOnMemoryPercent", percent, "an alarm on the service's average memory, as Copilot's")],
  ["deployment.rollback_alarms.messages_delayed", arg("deployment.rollback_alarms.messages_delayed", "deployment.rollbackOnMessagesDelayed", (v) => whole(v, 1, Number.MAX_SAFE_INTEGER), "an alarm on the queue's delayed messages")],
  ["network.connect", drop("network.connect", "the component joins no Service Connect namespace (there is no Copilot environment): call other services at their load balancer or Cloud Map address")],
  ["network.connect.alias", drop("network.connect.alias", "a worker exposes no port")],
  [
    "network.vpc.placement",
    rule("network.vpc.placement", [], (v) =>
      v === "private" ? changed([], "private subnets, no public IP: the default here (a new VPC's private subnets, or `vpcId` + `subnetIds`)") : notCarried(`${JSON.stringify(v)}: public placement is not offered: tasks take no inbound traffic and reach AWS through NAT or \`vpcEndpoints\``),
    ),
  ],
  [
    "network.vpc.placement.subnets",
    rule("network.vpc.placement.subnets", ["subnetIds", "vpcId"], (v, _w, ctx) => {
      if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) return notCarried("not a list of subnet ids: set `subnetIds` (with `vpcId`)");
      ctx.args.set("subnetIds", v as string[]);
      ctx.args.set("vpcId", new RequiredConfig("vpcId", "the id of the VPC the subnets are in", false, "vpc-0123456789abcdef0"));
      return changed(["subnetIds", "vpcId"], "the subnets, and their VPC's id from stack config (vpcId: the manifest does not name it)");
    }),
  ],
  ["network.vpc.placement.subnets.from_tags", rule("network.vpc.placement.subnets.from_tags", [], () => notCarried("a tag lookup: pass `subnetIds` from aws.ec2.getSubnetsOutput({ filters: [{ name: \"tag:<key>\", values }] }).ids in the program, with `vpcId`"), true)],
  ...["network.vpc.security_groups[]", "network.vpc.security_groups.groups[]"].map((pattern): [string, CopilotRule] => [
    pattern,
    rule(pattern.replace("[]", ""), ["securityGroupIds"], (v, _w, ctx) => {
      if (typeof v !== "string") return notCarried("not a security group id: add it to `securityGroupIds`");
      ctx.args.push("securityGroupIds", v);
      return mapped(["securityGroupIds"], "attached beside the component's own group");
    }),
  ]),
  ...["network.vpc.security_groups[].from_cfn", "network.vpc.security_groups.groups[].from_cfn"].map((pattern): [string, CopilotRule] => [
    pattern,
    drop("network.vpc.security_groups.groups[].from_cfn", "a CloudFormation export: add it to `securityGroupIds` with aws.cloudformation.getExportOutput({ name }).value (or a pulumi.StackReference output)"),
  ]),
  ["network.vpc.security_groups.deny_default", drop("network.vpc.security_groups.deny_default", "the component's own group (no ingress) is always attached: it is the group the VPC endpoints and EFS mount targets admit")],
  ["variables.<name>", variableRule("variables", "app")],
  ["variables.<name>.from_cfn", drop("variables.<name>.from_cfn", "a CloudFormation export: set `app.environment` from aws.cloudformation.getExportOutput({ name }).value (or a pulumi.StackReference output)")],
  ["env_file", drop("env_file", "a local file Copilot uploads: upload it (aws.s3.BucketObjectv2) and pass its S3 ARN in `app.environmentFiles`")],
  ["secrets.<name>", secretRule("secrets", "app", "ssm")],
  ["secrets.<name>.secretsmanager", secretRule("secrets.<name>.secretsmanager", "app", "secretsmanager")],
  ["secrets.<name>.from_cfn", drop("secrets.<name>.from_cfn", "a CloudFormation export: pass `app.secrets.<name>.secretsManagerArn` (or ssmParameter) from aws.cloudformation.getExportOutput")],
  [
    "storage.ephemeral",
    rule("storage.ephemeral", ["storage.ephemeralStorageGiB"], (v, _w, ctx) => {
      const n = whole(v, 20, 200);
      if (n === undefined) return notCarried(`${JSON.stringify(v)}: set \`storage.ephemeralStorageGiB\` (21-200)`);
      if (n === 20) return notCarried("20 GiB is Fargate's default (`storage.ephemeralStorageGiB` for more)");
      ctx.args.set("storage.ephemeralStorageGiB", n);
      return mapped(["storage.ephemeralStorageGiB"]);
    }),
  ],
  [
    "storage.readonly_fs",
    rule("storage.readonly_fs", ["app.readonlyRootFilesystem"], (v, _w, ctx) => {
      if (typeof v !== "boolean") return notCarried("not true or false: set `app.readonlyRootFilesystem`");
      const exec = ctx.manifest.exec === true || (isMap(ctx.manifest.exec) && ctx.manifest.exec.enable === true);
      if (v && exec) return notCarried("with exec on: ECS Exec needs a writable root file system in the container it reaches; drop one (`app.readonlyRootFilesystem` or enableExecuteCommand)");
      ctx.args.set("app.readonlyRootFilesystem", v);
      return mapped(["app.readonlyRootFilesystem"]);
    }),
  ],
  [
    "storage.volumes.<volume>.path",
    volumeRule("storage.volumes.<volume>.path", ["storage.efsVolumes[].containerPath"], (v, volume) => {
      if (typeof v !== "string" || !v.startsWith("/")) return notCarried("not an absolute path: set `storage.efsVolumes[].containerPath`");
      volume.containerPath = v;
      return mapped(["storage.efsVolumes[].containerPath"], "mounted in the app container");
    }),
  ],
  [
    "storage.volumes.<volume>.read_only",
    volumeRule("storage.volumes.<volume>.read_only", ["storage.efsVolumes[].readOnly"], (v, volume) => {
      if (typeof v !== "boolean") return notCarried("not true or false: set `storage.efsVolumes[].readOnly`");
      volume.readOnly = v;
      return mapped(["storage.efsVolumes[].readOnly"], v ? "" : "writable: the task role gets elasticfilesystem:ClientWrite");
    }),
  ],
  ["storage.volumes.<volume>.efs", rule("storage.volumes.<volume>.efs", [], (v, where) => notCarried(v === true ? `volume ${where.names[0]}: Copilot's managed file system: create aws.efs.FileSystem in the program and pass its id as \`storage.efsVolumes[].fileSystemId\`` : "no EFS: Fargate bind mounts (scratch space shared by containers) are not offered; the task's ephemeral storage is `storage.ephemeralStorageGiB`"))],
  ["storage.volumes.<volume>.efs.id", volumeRule("storage.volumes.<volume>.efs.id", ["storage.efsVolumes[].fileSystemId"], () => mapped(["storage.efsVolumes[].fileSystemId"], "in a VPC the component creates, it also creates the mount targets"))],
  ["storage.volumes.<volume>.efs.id.from_cfn", drop("storage.volumes.<volume>.efs.id.from_cfn", "a CloudFormation export: pass `storage.efsVolumes[].fileSystemId` from aws.cloudformation.getExportOutput (or a pulumi.StackReference output)")],
  [
    "storage.volumes.<volume>.efs.root_dir",
    volumeRule("storage.volumes.<volume>.efs.root_dir", ["storage.efsVolumes[].rootDirectory"], (v, volume, name, ctx) => {
      if (typeof v !== "string") return notCarried("not a path: set `storage.efsVolumes[].rootDirectory`");
      if (v !== "/" && accessPoint(ctx, name)) return notCarried("with an access point the access point's own root directory is mounted (Copilot refuses both too): set it on the access point, or drop `storage.efsVolumes[].accessPointId`");
      volume.rootDirectory = v;
      return mapped(["storage.efsVolumes[].rootDirectory"]);
    }),
  ],
  ...["uid", "gid"].map((k): [string, CopilotRule] => [`storage.volumes.<volume>.efs.${k}`, drop(`storage.volumes.<volume>.efs.${k}`, "configures the access point of Copilot's managed file system: create aws.efs.AccessPoint with posixUser and pass accessPointId")]),
  ["storage.volumes.<volume>.efs.auth.iam", volumeRule("storage.volumes.<volume>.efs.auth.iam", [], (v) => (v === true ? changed([], "IAM authorization is always on (`storage.efsVolumes[]`)") : notCarried("iam: false has no equivalent: IAM authorization is always on, the task role's grants admit the task (`storage.efsVolumes[]`)")))],
  [
    "storage.volumes.<volume>.efs.auth.access_point_id",
    volumeRule("storage.volumes.<volume>.efs.auth.access_point_id", ["storage.efsVolumes[].accessPointId"], (v, volume) => {
      if (typeof v !== "string") return notCarried("not an access point id: set `storage.efsVolumes[].accessPointId`");
      volume.accessPointId = v;
      return mapped(["storage.efsVolumes[].accessPointId"], "the task role's grants then hold only through it");
    }),
  ],
  [
    "logging.retention",
    rule("logging.retention", ["logRetentionDays"], (v, _w, ctx) => {
      const days = LOG_RETENTION_DAYS.find((d) => typeof v === "number" && d >= v);
      if (days === undefined) return notCarried(`${JSON.stringify(v)}: set \`logRetentionDays\``);
      ctx.args.set("logRetentionDays", days);
      return days === v ? mapped(["logRetentionDays"], "every container's log group") : changed(["logRetentionDays"], `${v} → ${days}, the next retention CloudWatch Logs offers`);
    }),
  ],
  ...["image", "destination", "enableMetadata", "secretOptions", "configFilePath", "variables", "secrets", "env_file"].map((k): [string, CopilotRule] => [
    `logging.${k}`,
    { ...drop(`logging.${k}`, "every container logs to its own CloudWatch Logs group with the awslogs driver (no FireLens router): ship logs elsewhere with a subscription filter on `appLogGroupName`"), whole: true },
  ]),
  ["observability.tracing", arg("observability.tracing", "observability.tracing", (v) => (v === "awsxray" ? v : undefined), "the ADOT collector as Copilot adds it, and the X-Ray grants")],
  [
    "taskdef_overrides[].path",
    rule("taskdef_overrides[].path", [], (v, where, ctx) => {
      const overrides = Array.isArray(ctx.manifest.taskdef_overrides) ? ctx.manifest.taskdef_overrides : [];
      const item: unknown = overrides[where.indexes[0] ?? 0];
      if (isMap(item) && isSqsdContainer(item.value)) return notCarried(BUILT_IN);
      return notCarried(`edit the task definition with Pulumi's \`transforms\` option on the component (its aws:ecs/taskDefinition:TaskDefinition child); ${JSON.stringify(v)} was Copilot's CloudFormation path`);
    }),
  ],
  ["taskdef_overrides[].value", rule("taskdef_overrides[].value", [], () => notCarried("see the path: set it with Pulumi's `transforms` option on the component"), (v) => !isSqsdContainer(v))],
  ["taskdef_overrides[].value.Environment[]", rule("taskdef_overrides[].value", [], (v, _w, ctx) => {
    const item = isMap(v) ? v : {};
    return sqsdVariable(String(item.Name ?? item.name ?? ""), item.Value === undefined && item.value === undefined ? "" : String(item.Value ?? item.value), undefined, ctx.args);
  }, true)],
  ["taskdef_overrides[].value.<key>", rule("taskdef_overrides[].value", [], () => notCarried(BUILT_IN), true)],
  ...["name", "fifo", "fifo.content_based_deduplication"].map((k): [string, CopilotRule] => [`publish.topics[].${k}`, drop(`publish.topics[].${k}`, "the component creates no topics: create aws.sns.Topic in the program and grant sns:Publish with taskPolicyDocuments")]),
  [
    "subscribe.topics[].name",
    rule("subscribe.topics[].name", ["snsSubscriptions[].topicArn"], (_v, where, ctx) => {
      const key = topicArn(ctx, where);
      return changed([`${ctx.topic(where.indexes[0] ?? 0).label}snsSubscriptions[].topicArn`], `the topic's ARN, from stack config \`${key}\` (raw message delivery into the queue)`);
    }),
  ],
  ["subscribe.topics[].service", rule("subscribe.topics[].service", ["snsSubscriptions[].topicArn"], (_v, where, ctx) => changed([`${ctx.topic(where.indexes[0] ?? 0).label}snsSubscriptions[].topicArn`], `part of the topic's ARN (stack config \`${topicArn(ctx, where)}\`)`))],
  [
    "subscribe.topics[].filter_policy",
    rule(
      "subscribe.topics[].filter_policy",
      ["snsSubscriptions[].filterPolicy"],
      (v, where, ctx) => {
        const t = ctx.topic(where.indexes[0] ?? 0);
        t.subscription.filterPolicy = JSON.stringify(v);
        return changed([`${t.label}snsSubscriptions[].filterPolicy`], "as JSON");
      },
      true,
    ),
  ],
  ["subscribe.topics[].queue", { ...rule("subscribe.topics[].queue", ["snsSubscriptions"], (v, where, ctx) => (v === true ? changed([`${ctx.topic(where.indexes[0] ?? 0).label}snsSubscriptions`], "a queue of its own: one sqsd sidecar polls one queue, so the topic gets a WorkerEnvironment of its own, running the same app") : notCarried("false: the topic delivers into the service's queue (`snsSubscriptions`)"))), enter: (_v, where, ctx) => void ctx.topic(where.indexes[0] ?? 0) }],
  ...queueRules("subscribe.topics[].queue", true),
  ...queueRules("subscribe.queue", false),
  ...containerRules(sidecarTarget, {
    build: "sidecars.<name>.image.build",
    location: "sidecars.<name>.image.location",
    credentials: "sidecars.<name>.credentialsParameter",
    labels: "sidecars.<name>.labels",
    dependsOn: "sidecars.<name>.depends_on",
    healthcheck: "sidecars.<name>.healthcheck",
    entrypoint: "sidecars.<name>.entrypoint",
    command: "sidecars.<name>.command",
  }).map(forSidecar),
  ...(
    [
      ["sidecars.<name>.image", rule("sidecars.<name>.image", ["extraContainers[].image"], (v, where, ctx) => {
        if (typeof v !== "string") return notCarried("not an image URI: set `extraContainers[].image`");
        extraContainer(ctx, where.names[0] ?? "").set("image", v);
        return mapped(["extraContainers[].image"], `the extra container ${where.names[0]}`);
      })],
      [
        "sidecars.<name>.port",
        rule("sidecars.<name>.port", ["extraContainers[].portMappings"], (v, where, ctx) => {
          const m = /^(\d+)(?:\/(tcp|udp))?$/i.exec(String(v).trim());
          if (!m) return notCarried(`${JSON.stringify(v)}: set \`extraContainers[].portMappings\``);
          extraContainer(ctx, where.names[0] ?? "").set("portMappings", [{ containerPort: Number(m[1]), ...(m[2] ? { protocol: (m[2] as string).toLowerCase() } : {}) }]);
          return changed(["extraContainers[].portMappings"], "a port mapping (unique in the task)");
        }),
      ],
      ["sidecars.<name>.essential", rule("sidecars.<name>.essential", ["extraContainers[].essential"], (v, where, ctx) => {
        if (typeof v !== "boolean") return notCarried("not true or false: set `extraContainers[].essential`");
        extraContainer(ctx, where.names[0] ?? "").set("essential", v);
        return mapped(["extraContainers[].essential"]);
      })],
      ["sidecars.<name>.env_file", drop("sidecars.<name>.env_file", "a local file Copilot uploads: upload it (aws.s3.BucketObjectv2) and pass its S3 ARN in `extraContainers[].environmentFiles`")],
      ...(["source_volume:sourceVolume", "path:containerPath", "read_only:readOnly"] as const).map((pair): [string, CopilotRule] => {
        const [k, a] = pair.split(":") as [string, string];
        return [
          `sidecars.<name>.mount_points[].${k}`,
          rule(`sidecars.<name>.mount_points[].${k}`, [`extraContainers[].mountPoints[].${a}`], (v, where, ctx) => {
            const mounts = ctx.args.item("extraContainers", "name", where.names[0] ?? "");
            const list = (Array.isArray(mounts.mountPoints) ? mounts.mountPoints : (mounts.mountPoints = [])) as ArgMap[];
            const index = where.indexes[0] ?? 0;
            list[index] ??= {};
            (list[index] as ArgMap)[a] = v as ArgValue;
            return mapped([`extraContainers[].mountPoints[].${a}`]);
          }),
        ];
      }),
    ] as [string, CopilotRule][]
  ).map(forSidecar),
  ["sidecars.<name>.variables.<name>", variableRule("sidecars.<name>.variables", "sidecar")],
  ["sidecars.<name>.secrets.<name>", secretRule("sidecars.<name>.secrets", "sidecar", "ssm")],
  ["sidecars.<name>.secrets.<name>.secretsmanager", secretRule("sidecars.<name>.secrets", "sidecar", "secretsmanager")],
];

/** Rules by field pattern. */
export const COPILOT_RULES: ReadonlyMap<string, CopilotRule> = new Map(RULES);

/** The cpu/memory pair, checked as Fargate does (the rules set each; this says when the pair is not valid). */
export function taskSizeProblem(cpu: unknown, memory: unknown): string | undefined {
  if (cpu === undefined && memory === undefined) return undefined;
  return fargateSizeError(typeof cpu === "number" ? cpu : 256, typeof memory === "number" ? memory : 512);
}
