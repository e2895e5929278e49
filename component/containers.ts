/**
 * The task's containers beyond the app and the sqsd sidecar: the caller's extra containers and,
 * with `observability.tracing`, the AWS Distro for OpenTelemetry collector. Their checks (names,
 * images, the dependency graph ECS must be able to order, ports, CPU and memory against the
 * task's size, mount points), and their container definitions. Pure functions: no Pulumi.
 */
import { optionSpec } from "../sidecar/options";
import type { ContainerDependency, ExtraContainer, HealthCheck, WorkerEnvironmentArgs } from "./args";
import { plain, type Problems } from "./problems";
import { checkEnvironmentFiles, checkRegistryCredentials, checkSecrets } from "./secrets";
import { hasLivenessCheck } from "./sidecar-env";

export const APP_CONTAINER = "app";
export const SIDECAR_CONTAINER = "sqsd";
/** Copilot's name for the same collector container. */
export const COLLECTOR_CONTAINER = "aws-otel-collector";

/** The values `observability.tracing` takes (Copilot's). */
export const TRACING_VENDORS = ["awsxray"] as const;
/** ADOT collector release pinned by default (2025-05-16). */
export const DEFAULT_COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3";
/** The config the ADOT image ships for ECS: OTLP in, X-Ray out (what Copilot runs). */
export const COLLECTOR_COMMAND = ["--config=/etc/ecs/ecs-xray.yaml"];
/** Ports that config listens on: OTLP gRPC and HTTP, and the health_check extension. */
export const COLLECTOR_PORTS = [4317, 4318, 13133] as const;

export const DEPENDENCY_CONDITIONS = ["START", "COMPLETE", "SUCCESS", "HEALTHY"] as const;
export const PORT_PROTOCOLS = ["tcp", "udp"] as const;
/** ECS's container name rule. */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** What the sqsd sidecar reserves of the task (its container definition's cpu and memoryReservation). */
export const SIDECAR_CPU = 64;
export const SIDECAR_MEMORY_RESERVATION = 64;
/** Docker's smallest memory limit, which ECS enforces. */
const MIN_CONTAINER_MEMORY = 6;

/** ECS's ranges for a container health check (the ECS API reference's HealthCheck). */
export function checkHealthCheck(p: Problems, arg: string, hc: HealthCheck | undefined): void {
  if (hc === undefined) return;
  const [kind] = hc.command;
  if (hc.command.length < 2 || (kind !== "CMD" && kind !== "CMD-SHELL")) {
    p.add(`${arg}.command`, `${JSON.stringify(hc.command)} is not an ECS health check command`, 'start it with "CMD" (run the arguments) or "CMD-SHELL" (run a shell line), e.g. ["CMD-SHELL", "curl -f http://127.0.0.1/health || exit 1"]');
  }
  p.range(`${arg}.interval`, hc.interval, 5, 300);
  p.range(`${arg}.timeout`, hc.timeout, 2, 60);
  p.range(`${arg}.retries`, hc.retries, 1, 10);
  p.range(`${arg}.startPeriod`, hc.startPeriod, 0, 300);
}

/** One container of the task as the dependency and port checks see it. */
interface Node {
  name: string;
  essential: boolean;
  healthCheck: boolean;
  /** The argument listing its dependencies (for messages), if the caller sets them. */
  arg?: string;
  dependsOn: ContainerDependency[];
}

export const tracingOn = (args: WorkerEnvironmentArgs): boolean => args.observability?.tracing !== undefined;

/** The task's containers in order: app, sqsd, the collector (with tracing), the extra containers. */
function nodes(args: WorkerEnvironmentArgs): Node[] {
  const tracing = tracingOn(args);
  return [
    {
      name: APP_CONTAINER,
      essential: true,
      healthCheck: args.app.healthCheck !== undefined,
      arg: "app.dependsOn",
      dependsOn: [...(args.app.dependsOn ?? []), ...(tracing ? [{ containerName: COLLECTOR_CONTAINER, condition: "START" }] : [])],
    },
    { name: SIDECAR_CONTAINER, essential: true, healthCheck: hasLivenessCheck(args), dependsOn: [{ containerName: APP_CONTAINER }] },
    ...(tracing ? [{ name: COLLECTOR_CONTAINER, essential: false, healthCheck: false, dependsOn: [] }] : []),
    ...(args.extraContainers ?? []).map((c, i) => ({
      name: c.name,
      essential: c.essential ?? true,
      healthCheck: c.healthCheck !== undefined,
      arg: `extraContainers[${i}].dependsOn`,
      dependsOn: c.dependsOn ?? [],
    })),
  ];
}

/** Dependencies name containers that exist, with conditions ECS accepts for them, and no cycle. */
function checkDependencies(p: Problems, args: WorkerEnvironmentArgs): void {
  const all = nodes(args);
  const byName = new Map(all.map((n) => [n.name, n]));
  for (const n of all) {
    if (n.arg === undefined) continue;
    const own = n.name === APP_CONTAINER ? (args.app.dependsOn ?? []) : n.dependsOn;
    for (const [j, d] of own.entries()) {
      const arg = `${n.arg}[${j}]`;
      const target = byName.get(d.containerName);
      const condition = d.condition ?? "START";
      p.oneOf(`${arg}.condition`, d.condition, DEPENDENCY_CONDITIONS);
      if (target === undefined) {
        p.add(`${arg}.containerName`, `"${d.containerName}" is not a container of the task`, `name one of ${all.map((c) => `"${c.name}"`).join(", ")}`);
      } else if (target.name === n.name) {
        p.add(`${arg}.containerName`, `"${n.name}" cannot wait for itself`, "name another container");
      } else if (condition === "HEALTHY" && !target.healthCheck) {
        p.add(`${arg}.condition`, `HEALTHY, but "${target.name}" has no health check`, `give "${target.name}" a healthCheck, or wait for START`);
      } else if ((condition === "COMPLETE" || condition === "SUCCESS") && target.essential) {
        p.add(`${arg}.condition`, `${condition}, but "${target.name}" is essential: it exiting stops the task`, `make "${target.name}" essential: false, or wait for START`);
      }
    }
  }
  // A cycle: ECS refuses the task definition. Depth-first search, reporting each cycle once.
  const state = new Map<string, "visiting" | "done">();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const key = [...new Set(cycle)].sort().join(",");
      if (!reported.has(key)) {
        reported.add(key);
        const arg = cycle.map((c) => byName.get(c)?.arg).find((a) => a !== undefined) ?? "dependsOn";
        p.add(arg, `the containers wait for each other in a cycle (${cycle.join(" → ")}; the sqsd sidecar always waits for the app)`, "remove one of these dependencies");
      }
      return;
    }
    state.set(name, "visiting");
    for (const d of byName.get(name)?.dependsOn ?? []) if (byName.has(d.containerName) && d.containerName !== name) visit(d.containerName, [...path, name]);
    state.set(name, "done");
  };
  for (const n of all) visit(n.name, []);
}

/** The sidecar's status port (its /livez and /readyz), 0 when turned off. */
function sidecarStatusPort(args: WorkerEnvironmentArgs): number {
  const given = plain(args.sidecar?.environment?.StatusPort);
  return Number(given ?? optionSpec("StatusPort").default ?? 0);
}

/** Ports: valid, and unique in the task's one network namespace. */
function checkPorts(p: Problems, args: WorkerEnvironmentArgs): void {
  const taken = new Map<string, string>([[`${args.app.port ?? 80}/tcp`, "the app (app.port)"]]);
  const status = sidecarStatusPort(args);
  if (status > 0) taken.set(`${status}/tcp`, "the sqsd sidecar's StatusPort");
  if (tracingOn(args)) for (const port of COLLECTOR_PORTS) taken.set(`${port}/tcp`, `the ${COLLECTOR_CONTAINER} container`);
  for (const [i, c] of (args.extraContainers ?? []).entries()) {
    for (const [j, m] of (c.portMappings ?? []).entries()) {
      const arg = `extraContainers[${i}].portMappings[${j}]`;
      p.range(`${arg}.containerPort`, m.containerPort, 1, 65535);
      p.oneOf(`${arg}.protocol`, m.protocol, PORT_PROTOCOLS);
      const key = `${m.containerPort}/${m.protocol ?? "tcp"}`;
      const owner = taken.get(key);
      if (owner !== undefined) p.add(`${arg}.containerPort`, `${key} is taken by ${owner}; the task's containers share one network namespace`, "use another port");
      else taken.set(key, `extraContainers[${i}] ("${c.name}")`);
    }
  }
}

/** CPU units and memory: each container's in range, and all reservations within the task's size. */
function checkResources(p: Problems, args: WorkerEnvironmentArgs, cpu: number, memory: number): void {
  let cpuSum = SIDECAR_CPU;
  let memorySum = SIDECAR_MEMORY_RESERVATION;
  for (const [i, c] of (args.extraContainers ?? []).entries()) {
    const arg = `extraContainers[${i}]`;
    p.range(`${arg}.cpu`, c.cpu, 0, cpu);
    p.range(`${arg}.memory`, c.memory, MIN_CONTAINER_MEMORY, memory);
    p.range(`${arg}.memoryReservation`, c.memoryReservation, MIN_CONTAINER_MEMORY, memory);
    if (c.memory !== undefined && c.memoryReservation !== undefined && c.memoryReservation >= c.memory) {
      p.add(`${arg}.memoryReservation`, `${c.memoryReservation} MiB is not below memory ${c.memory} MiB`, "reserve less than the hard limit, or drop one of them");
    }
    cpuSum += c.cpu ?? 0;
    memorySum += c.memoryReservation ?? c.memory ?? 0;
  }
  if (cpuSum > cpu) {
    p.add("extraContainers[].cpu", `the containers reserve ${cpuSum} CPU units (the sqsd sidecar ${SIDECAR_CPU}), more than the task's cpu ${cpu}`, "reserve less, or raise cpu");
  }
  if (memorySum > memory) {
    p.add("extraContainers[].memoryReservation", `the containers reserve ${memorySum} MiB (the sqsd sidecar ${SIDECAR_MEMORY_RESERVATION}), more than the task's memory ${memory}`, "reserve less, or raise memory");
  }
}

/** Every check of `extraContainers` and of the dependencies and ports of the whole task. */
export function checkContainers(p: Problems, args: WorkerEnvironmentArgs, cpu: number, memory: number): void {
  const reserved = new Set<string>([APP_CONTAINER, SIDECAR_CONTAINER, COLLECTOR_CONTAINER]);
  const seen = new Set<string>();
  const volumes = new Set((args.storage?.efsVolumes ?? []).map((v) => v.name));
  for (const [i, c] of (args.extraContainers ?? []).entries()) {
    const arg = `extraContainers[${i}]`;
    if (!CONTAINER_NAME.test(c.name)) p.add(`${arg}.name`, `"${c.name}" is not a container name`, 'use 1-255 letters, digits, "-" and "_"');
    else if (reserved.has(c.name)) p.add(`${arg}.name`, `"${c.name}" is the name of a container the component creates`, "choose another name");
    else if (seen.has(c.name)) p.add(`${arg}.name`, `"${c.name}" is used twice`, "give every extra container a unique name");
    seen.add(c.name);
    if ((c.image === undefined) === (c.build === undefined)) p.add(arg, "needs exactly one of image and build", "pass an image URI, or build: { context } to build and push one");
    checkRegistryCredentials(p, `${arg}.repositoryCredentials`, c.repositoryCredentials);
    checkSecrets(p, `${arg}.secrets`, c.secrets, c.environment, `${arg}.environment`);
    checkEnvironmentFiles(p, `${arg}.environmentFiles`, c.environmentFiles);
    checkHealthCheck(p, `${arg}.healthCheck`, c.healthCheck);
    const paths = new Set<string>();
    for (const [j, m] of (c.mountPoints ?? []).entries()) {
      const marg = `${arg}.mountPoints[${j}]`;
      if (!volumes.has(m.sourceVolume)) {
        p.add(`${marg}.sourceVolume`, `"${m.sourceVolume}" is not a volume of storage.efsVolumes`, volumes.size > 0 ? `name one of ${[...volumes].map((v) => `"${v}"`).join(", ")}` : "add it to storage.efsVolumes");
      }
      if (!m.containerPath.startsWith("/")) p.add(`${marg}.containerPath`, `"${m.containerPath}" is not an absolute path`, 'start it with "/"');
      if (paths.has(m.containerPath)) p.add(`${marg}.containerPath`, `"${m.containerPath}" is mounted twice`, "give each mount its own path");
      paths.add(m.containerPath);
    }
  }
  checkDependencies(p, args);
  checkPorts(p, args);
  checkResources(p, args, cpu, memory);
}

/** Problems of `observability`. */
export function checkObservability(p: Problems, args: WorkerEnvironmentArgs): void {
  const o = args.observability;
  if (o === undefined) return;
  p.oneOf("observability.tracing", o.tracing, TRACING_VENDORS);
  if (o.collectorImage !== undefined && o.tracing === undefined) {
    p.add("observability.collectorImage", "given without tracing", 'set observability.tracing: "awsxray", or drop collectorImage');
  }
  // The default image is on ECR Public, which VPC endpoints do not serve.
  if (o.tracing !== undefined && args.vpc?.natStrategy === "None" && !/\.dkr\.ecr\./.test(plain(o.collectorImage) ?? DEFAULT_COLLECTOR_IMAGE)) {
    p.add(
      "observability.collectorImage",
      'vpc.natStrategy "None" leaves the tasks no way to a registry outside ECR, and the collector image is on ECR Public',
      "copy the image into a private ECR repository (or an ECR pull-through cache) and set collectorImage to it, or use a NAT strategy",
    );
  }
}

/** A container definition's `environment` list, sorted by name. */
export const envList = (env: Record<string, string>): Array<{ name: string; value: string }> =>
  Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name] ?? "" }));

/** The awslogs log configuration of a container. */
export const awslogs = (group: string, region: string, prefix: string) => ({
  logDriver: "awslogs",
  options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": prefix },
});

/** ECS's health check with the component's defaults filled in. */
export function ecsHealthCheck(hc: HealthCheck): object {
  return { command: hc.command, interval: hc.interval ?? 10, timeout: hc.timeout ?? 5, retries: hc.retries ?? 3, startPeriod: hc.startPeriod ?? 15 };
}

/** ECS `secrets` entries. */
export type EcsSecret = { name: string; valueFrom: string };

/** What only the deploy knows of one container: image, log group, resolved environment, secrets, files, credentials. */
export interface ResolvedContainer {
  image: string;
  logGroup: string;
  environment: Record<string, string>;
  secrets: EcsSecret[];
  environmentFiles: string[];
  credentialsArn?: string;
}

/** The parts every container built here shares, from a resolved container. */
export function resolvedParts(r: ResolvedContainer): object {
  return {
    ...(r.secrets.length > 0 ? { secrets: r.secrets } : {}),
    ...(r.environmentFiles.length > 0 ? { environmentFiles: r.environmentFiles.map((value) => ({ value, type: "s3" })) } : {}),
    ...(r.credentialsArn !== undefined ? { repositoryCredentials: { credentialsParameter: r.credentialsArn } } : {}),
  };
}

/** The container definition of one extra container. */
export function extraContainerDefinition(c: ExtraContainer, r: ResolvedContainer, region: string, stopTimeout: number): object {
  return {
    name: c.name,
    image: r.image,
    essential: c.essential ?? true,
    ...(c.entryPoint ? { entryPoint: c.entryPoint } : {}),
    ...(c.command ? { command: c.command } : {}),
    environment: envList(r.environment),
    ...resolvedParts(r),
    ...(c.portMappings ? { portMappings: c.portMappings.map((m) => ({ containerPort: m.containerPort, protocol: m.protocol ?? "tcp" })) } : {}),
    ...(c.cpu !== undefined ? { cpu: c.cpu } : {}),
    ...(c.memory !== undefined ? { memory: c.memory } : {}),
    ...(c.memoryReservation !== undefined ? { memoryReservation: c.memoryReservation } : {}),
    ...(c.dependsOn ? { dependsOn: c.dependsOn.map((d) => ({ containerName: d.containerName, condition: d.condition ?? "START" })) } : {}),
    ...(c.healthCheck ? { healthCheck: ecsHealthCheck(c.healthCheck) } : {}),
    ...(c.mountPoints ? { mountPoints: c.mountPoints.map((m) => ({ sourceVolume: m.sourceVolume, containerPath: m.containerPath, readOnly: m.readOnly ?? true })) } : {}),
    ...(c.readonlyRootFilesystem !== undefined ? { readonlyRootFilesystem: c.readonlyRootFilesystem } : {}),
    ...(c.user !== undefined ? { user: c.user } : {}),
    ...(c.dockerLabels ? { dockerLabels: c.dockerLabels } : {}),
    stopTimeout,
    logConfiguration: awslogs(r.logGroup, region, c.name),
  };
}

/**
 * The collector (Copilot's choice for `tracing: awsxray`): not essential, so a collector that
 * dies loses traces but not the worker. The app waits for its START, so it is up before the app
 * sends spans and, stopped in reverse order, outlives the app's last ones.
 */
export function collectorDefinition(image: string, logGroup: string, region: string, stopTimeout: number): object {
  return {
    name: COLLECTOR_CONTAINER,
    image,
    essential: false,
    command: COLLECTOR_COMMAND,
    stopTimeout,
    logConfiguration: awslogs(logGroup, region, COLLECTOR_CONTAINER),
  };
}
