/**
 * Task: images (given or built into ECR), log groups, and the Fargate task definition with the
 * app container and the sqsd sidecar sharing one awsvpc network namespace.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { LIVENESS_PROBE_SCRIPT } from "../sidecar/liveness-probe";
import type { ContainerSecret, ImageBuild, RegistryCredentials, WorkerEnvironmentArgs } from "./args";
import {
  APP_CONTAINER,
  COLLECTOR_CONTAINER,
  DEFAULT_COLLECTOR_IMAGE,
  SIDECAR_CONTAINER,
  SIDECAR_CPU,
  SIDECAR_MEMORY_RESERVATION,
  awslogs,
  collectorDefinition,
  ecsHealthCheck,
  envList,
  extraContainerDefinition,
  resolvedParts,
  type EcsSecret,
  type ResolvedContainer,
} from "./containers";
import { executionGrants, secretValueFrom, type DeployTarget, type ExecutionGrants, type PlainSecret } from "./secrets";
import { hasLivenessCheck, sidecarEnvironment } from "./sidecar-env";
import { appMountPoints, efsGrant, taskVolumes, volumeWritable, type EfsGrant } from "./storage";
import { WorkerEnvironmentArgsError, type Settings } from "./validation";

export { APP_CONTAINER, SIDECAR_CONTAINER } from "./containers";

/** The package root holding sidecar/Dockerfile (the repository, or node_modules/sqsd-worker), found from this file (source or dist). */
export function defaultSidecarContext(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "sidecar", "Dockerfile"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..");
  }
}

/** The files sidecar/Dockerfile copies from its context: the daemon bundled by `npm run build`, and the SDK file it loads on demand. */
export const SIDECAR_IMAGE_FILES = [path.join("dist", "sqsd.cjs"), path.join("dist", "sqsd-sdk.cjs")];

/**
 * The default sidecar image build: the package root as context, absolute so the build does not
 * depend on the program's working directory. A missing bundle fails the preview here, not
 * the image build at `pulumi up`.
 */
export function defaultSidecarBuild(componentName: string, root: string = defaultSidecarContext()): ImageBuild {
  const missing = SIDECAR_IMAGE_FILES.map((f) => path.join(root, f)).find((f) => !existsSync(f));
  if (missing) {
    throw new WorkerEnvironmentArgsError(componentName, [
      `sidecar.image is not set, so the sidecar image is built from ${root}, but ${missing} is missing: run \`npm run build\` in ${root} (npm install does it), or set sidecar.image to a published sqsd image`,
    ]);
  }
  return { context: root, dockerfile: path.join(root, "sidecar", "Dockerfile") };
}

/** ECS ignores a Dockerfile HEALTHCHECK: the same probe of the daemon's /livez, for the built image. */
export const SIDECAR_HEALTH_CHECK = {
  command: [
    "CMD",
    "node",
    "-e",
    LIVENESS_PROBE_SCRIPT,
  ],
  interval: 10,
  timeout: 3,
  retries: 3,
  startPeriod: 10,
};

function platform(settings: Settings): string {
  return settings.cpuArchitecture === "ARM64" ? "linux/arm64" : "linux/amd64";
}

/** An image URI as given, or built from `build` and pushed to a new ECR repository. */
export function resolveImage(
  name: string,
  image: pulumi.Input<string> | undefined,
  build: ImageBuild | undefined,
  settings: Settings,
  tags: WorkerEnvironmentArgs["tags"],
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (image !== undefined) return pulumi.output(image);
  const repo = new awsx.ecr.Repository(name, { forceDelete: true, imageScanningConfiguration: { scanOnPush: true }, tags }, { parent });
  const built = new awsx.ecr.Image(
    name,
    {
      repositoryUrl: repo.url,
      context: build?.context,
      dockerfile: build?.dockerfile,
      platform: platform(settings),
      ...(build?.args !== undefined ? { args: build.args } : {}),
      ...(build?.target !== undefined ? { target: build.target } : {}),
      ...(build?.cacheFrom !== undefined ? { cacheFrom: build.cacheFrom } : {}),
    },
    { parent },
  );
  return built.imageUri;
}

export interface LogGroups {
  app: aws.cloudwatch.LogGroup;
  sidecar: aws.cloudwatch.LogGroup;
  /** One per extra container, by container name. */
  extra: Map<string, aws.cloudwatch.LogGroup>;
  /** The collector's, with tracing. */
  collector?: aws.cloudwatch.LogGroup;
}

/** A log group per container, each named `<component>-<container>`. */
export function createLogGroups(name: string, args: WorkerEnvironmentArgs, settings: Settings, parent: pulumi.Resource): LogGroups {
  const group = (suffix: string): aws.cloudwatch.LogGroup =>
    new aws.cloudwatch.LogGroup(`${name}-${suffix}`, { retentionInDays: settings.logRetentionDays, tags: args.tags }, { parent });
  return {
    app: group(APP_CONTAINER),
    sidecar: group(SIDECAR_CONTAINER),
    extra: new Map((args.extraContainers ?? []).map((c) => [c.name, group(c.name)])),
    ...(settings.tracing ? { collector: group(COLLECTOR_CONTAINER) } : {}),
  };
}

/** Every log group's ARN, for the execution role. */
export function logGroupArns(g: LogGroups): pulumi.Output<string>[] {
  return [g.app, g.sidecar, ...g.extra.values(), ...(g.collector ? [g.collector] : [])].map((l) => l.arn);
}

/** What ECS reads at task start, resolved: per container, then the execution role's grants for all of it. */
export interface Startup {
  /** ECS `secrets` entries by container name, sorted by variable name. */
  secrets: Record<string, EcsSecret[]>;
  /** Environment file ARNs by container name. */
  environmentFiles: Record<string, string[]>;
  /** Registry credentials' secret ARN by container name. */
  credentials: Record<string, string | undefined>;
  grants: ExecutionGrants;
}

interface StartupSource {
  name: string;
  secrets?: { [name: string]: ContainerSecret };
  environmentFiles?: pulumi.Input<string>[];
  repositoryCredentials?: RegistryCredentials;
}

/** The secrets, environment files and registry credentials of every container, resolved with the deploy's account and region. */
export function resolveStartup(args: WorkerEnvironmentArgs, region: pulumi.Output<string>, accountId: pulumi.Output<string>): pulumi.Output<Startup> {
  const sources: StartupSource[] = [
    { name: APP_CONTAINER, secrets: args.app.secrets, environmentFiles: args.app.environmentFiles, repositoryCredentials: args.app.repositoryCredentials },
    { name: SIDECAR_CONTAINER, secrets: args.sidecar?.secrets },
    ...(args.extraContainers ?? []).map((c) => ({ name: c.name, secrets: c.secrets, environmentFiles: c.environmentFiles, repositoryCredentials: c.repositoryCredentials })),
  ];
  const resolved = pulumi.output(
    sources.map((c) => ({ name: c.name, secrets: c.secrets ?? {}, files: c.environmentFiles ?? [], credentials: c.repositoryCredentials ?? null })),
  );
  return pulumi.all([region, accountId, resolved]).apply(([r, a, list]) => {
    const target: DeployTarget = { region: r, accountId: a };
    const all: PlainSecret[] = [];
    const startup: Startup = { secrets: {}, environmentFiles: {}, credentials: {}, grants: executionGrants([], [], [], target) };
    for (const c of list) {
      const secrets = Object.entries(c.secrets as Record<string, PlainSecret>).sort(([x], [y]) => x.localeCompare(y));
      all.push(...secrets.map(([, s]) => s));
      startup.secrets[c.name] = secrets.map(([name, s]) => ({ name, valueFrom: secretValueFrom(s, target) }));
      startup.environmentFiles[c.name] = c.files;
      startup.credentials[c.name] = c.credentials?.secretArn;
    }
    const credentials = list.flatMap((c) => (c.credentials ? [{ secretArn: c.credentials.secretArn, kmsKeyArn: c.credentials.kmsKeyArn }] : []));
    startup.grants = executionGrants(all, credentials, list.flatMap((c) => c.files), target);
    return startup;
  });
}

/** An EFS volume with its ids resolved. */
export interface ResolvedVolume {
  name: string;
  fileSystemId: string;
  accessPointId?: string;
  rootDirectory?: string;
}

/** The EFS volumes resolved, and the task role's grants on their file systems. */
export function resolveVolumes(
  args: WorkerEnvironmentArgs,
  region: pulumi.Output<string>,
  accountId: pulumi.Output<string>,
): pulumi.Output<{ volumes: ResolvedVolume[]; grants: EfsGrant[] }> {
  const given = args.storage?.efsVolumes ?? [];
  const ids = pulumi.output(given.map((v) => ({ fileSystemId: v.fileSystemId, accessPointId: v.accessPointId ?? null })));
  return pulumi.all([region, accountId, ids]).apply(([r, a, list]) => {
    const volumes = given.map((v, k) => {
      const id = list[k];
      return {
        name: v.name,
        fileSystemId: id?.fileSystemId ?? "",
        ...(id?.accessPointId ? { accessPointId: id.accessPointId } : {}),
        ...(v.rootDirectory !== undefined ? { rootDirectory: v.rootDirectory } : {}),
      };
    });
    const grants = volumes.map((v, k) => efsGrant(v, volumeWritable(args, given[k] ?? v), given[k]?.rootAccess === true, r, a));
    return { volumes, grants };
  });
}

export interface ContainerInputs {
  appImage: string;
  sidecarImage: string;
  appLogGroup: string;
  sidecarLogGroup: string;
  region: string;
  appEnvironment: Record<string, string>;
  sidecarEnvironment: Record<string, string>;
  /** Secrets, environment files and credentials of every container. Default: none. */
  startup?: Startup;
  /** Extra containers' images, log groups and environments, by container name. */
  extra?: Record<string, { image: string; logGroup: string; environment: Record<string, string> }>;
  /** The collector's image and log group, with tracing. */
  collector?: { image: string; logGroup: string };
}

/** The resolved parts of one container from the startup reads. */
function resolvedOf(i: ContainerInputs, container: string, image: string, logGroup: string, environment: Record<string, string>): ResolvedContainer {
  return {
    image,
    logGroup,
    environment,
    secrets: i.startup?.secrets[container] ?? [],
    environmentFiles: i.startup?.environmentFiles[container] ?? [],
    credentialsArn: i.startup?.credentials[container],
  };
}

/** The container definitions (ECS JSON shape): app, sqsd, the collector with tracing, the extra containers. */
export function containerDefinitions(args: WorkerEnvironmentArgs, settings: Settings, i: ContainerInputs): object[] {
  const hc = args.app.healthCheck;
  // ECS Exec runs the SSM agent inside the container; AWS recommends an init process so its
  // children are reaped. The sidecar keeps its read-only root file system, where the agent
  // cannot run: exec reaches the app container only (docs/component.md).
  const exec = args.enableExecuteCommand === true ? { linuxParameters: { initProcessEnabled: true } } : {};
  const appDependsOn = [
    ...(args.app.dependsOn ?? []).map((d) => ({ containerName: d.containerName, condition: d.condition ?? "START" })),
    ...(i.collector ? [{ containerName: COLLECTOR_CONTAINER, condition: "START" }] : []),
  ];
  const mounts = appMountPoints(args);
  const app = {
    name: APP_CONTAINER,
    image: i.appImage,
    essential: true,
    ...(args.app.entryPoint ? { entryPoint: args.app.entryPoint } : {}),
    portMappings: [{ containerPort: settings.appPort, protocol: "tcp" }],
    environment: envList(i.appEnvironment),
    ...resolvedParts(resolvedOf(i, APP_CONTAINER, i.appImage, i.appLogGroup, i.appEnvironment)),
    ...(args.app.command ? { command: args.app.command } : {}),
    ...(hc ? { healthCheck: ecsHealthCheck(hc) } : {}),
    ...(appDependsOn.length > 0 ? { dependsOn: appDependsOn } : {}),
    ...(mounts.length > 0 ? { mountPoints: mounts } : {}),
    ...(args.app.readonlyRootFilesystem === true ? { readonlyRootFilesystem: true } : {}),
    ...(args.app.dockerLabels ? { dockerLabels: args.app.dockerLabels } : {}),
    stopTimeout: settings.stopTimeout,
    ...exec,
    logConfiguration: awslogs(i.appLogGroup, i.region, APP_CONTAINER),
  };
  const sidecar = {
    name: SIDECAR_CONTAINER,
    image: i.sidecarImage,
    essential: true,
    cpu: SIDECAR_CPU,
    memoryReservation: SIDECAR_MEMORY_RESERVATION,
    user: "1000:1000",
    readonlyRootFilesystem: true,
    environment: envList(i.sidecarEnvironment),
    ...resolvedParts(resolvedOf(i, SIDECAR_CONTAINER, i.sidecarImage, i.sidecarLogGroup, i.sidecarEnvironment)),
    // Wait for the app: HEALTHY needs a container health check, else only START is knowable.
    dependsOn: [{ containerName: APP_CONTAINER, condition: hc ? "HEALTHY" : "START" }],
    // Our own image has Node and the daemon's /livez; another image may have neither.
    ...(hasLivenessCheck(args) ? { healthCheck: SIDECAR_HEALTH_CHECK } : {}),
    stopTimeout: settings.stopTimeout,
    ...exec,
    logConfiguration: awslogs(i.sidecarLogGroup, i.region, SIDECAR_CONTAINER),
  };
  const collector = i.collector ? [collectorDefinition(i.collector.image, i.collector.logGroup, i.region, settings.stopTimeout)] : [];
  const extra = (args.extraContainers ?? []).map((c) => {
    const e = i.extra?.[c.name] ?? { image: "", logGroup: "", environment: {} };
    return extraContainerDefinition(c, resolvedOf(i, c.name, e.image, e.logGroup, e.environment), i.region, settings.stopTimeout);
  });
  return [app, sidecar, ...collector, ...extra];
}

export interface TaskInputs {
  appImage: pulumi.Output<string>;
  sidecarImage: pulumi.Output<string>;
  /** Extra containers' images, by container name. */
  extraImages: Map<string, pulumi.Output<string>>;
  logGroups: LogGroups;
  queueUrl: pulumi.Output<string>;
  region: pulumi.Output<string>;
  taskRoleArn: pulumi.Output<string>;
  executionRoleArn: pulumi.Output<string>;
  startup: pulumi.Output<Startup>;
  volumes: pulumi.Output<ResolvedVolume[]>;
}

export function createTaskDefinition(
  name: string,
  args: WorkerEnvironmentArgs,
  settings: Settings,
  i: TaskInputs,
  parent: pulumi.Resource,
): aws.ecs.TaskDefinition {
  const extra = pulumi.all(
    (args.extraContainers ?? []).map((c) =>
      pulumi.all([i.extraImages.get(c.name) ?? pulumi.output(""), i.logGroups.extra.get(c.name)?.name ?? pulumi.output(""), pulumi.output(c.environment ?? {})]).apply(
        ([image, logGroup, environment]) => [c.name, { image, logGroup, environment }] as const,
      ),
    ),
  );
  const collector = i.logGroups.collector
    ? pulumi.all([pulumi.output(args.observability?.collectorImage ?? DEFAULT_COLLECTOR_IMAGE), i.logGroups.collector.name]).apply(([image, logGroup]) => ({ image, logGroup }))
    : pulumi.output(undefined);
  const images = pulumi.all([i.appImage, i.sidecarImage, i.logGroups.app.name, i.logGroups.sidecar.name]);
  const environments = pulumi.all([pulumi.output(args.app.environment ?? {}), pulumi.output(args.sidecar?.environment ?? {})]);
  const parts = pulumi.all([i.startup, extra, collector]);
  const definitions = pulumi
    .all([images, environments, parts, i.region, i.queueUrl])
    .apply(([[appImage, sidecarImage, appLogGroup, sidecarLogGroup], [appEnvironment, sidecarExtra], [startup, extraList, collectorParts], region, queueUrl]) =>
      JSON.stringify(
        containerDefinitions(args, settings, {
          appImage,
          sidecarImage,
          appLogGroup,
          sidecarLogGroup,
          region,
          appEnvironment,
          sidecarEnvironment: { ...sidecarEnvironment(args, settings, queueUrl, region), ...sidecarExtra },
          startup,
          extra: Object.fromEntries(extraList),
          collector: collectorParts,
        }),
      ),
    );
  const ephemeral = args.storage?.ephemeralStorageGiB;
  return new aws.ecs.TaskDefinition(
    `${name}-task`,
    {
      family: name,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: String(settings.cpu),
      memory: String(settings.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: settings.cpuArchitecture },
      taskRoleArn: i.taskRoleArn,
      executionRoleArn: i.executionRoleArn,
      containerDefinitions: definitions,
      ...(ephemeral !== undefined ? { ephemeralStorage: { sizeInGib: ephemeral } } : {}),
      ...((args.storage?.efsVolumes ?? []).length > 0 ? { volumes: i.volumes.apply(taskVolumes) } : {}),
      tags: args.tags,
    },
    { parent },
  );
}
