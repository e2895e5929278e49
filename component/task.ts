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
import type { ImageBuild, WorkerEnvironmentArgs } from "./args";
import { hasLivenessCheck, sidecarEnvironment } from "./sidecar-env";
import { WorkerEnvironmentArgsError, type Settings } from "./validation";

export const APP_CONTAINER = "app";
export const SIDECAR_CONTAINER = "sqsd";

/** The package root holding sidecar/Dockerfile (the repository, or node_modules/sqsd-worker), found from this file (source or dist). */
export function defaultSidecarContext(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "sidecar", "Dockerfile"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..");
  }
}

/** The file sidecar/Dockerfile copies from its context: the daemon bundled by `npm run build`. */
export const SIDECAR_BUNDLE = path.join("dist", "sqsd.cjs");

/**
 * The default sidecar image build: the package root as context, absolute so the build does not
 * depend on the program's working directory. A missing bundle fails the preview here, not
 * the image build at `pulumi up`.
 */
export function defaultSidecarBuild(componentName: string, root: string = defaultSidecarContext()): ImageBuild {
  const bundle = path.join(root, SIDECAR_BUNDLE);
  if (!existsSync(bundle)) {
    throw new WorkerEnvironmentArgsError(componentName, [
      `sidecar.image is not set, so the sidecar image is built from ${root}, but ${bundle} is missing: run \`npm run build\` in ${root} (npm install does it), or set sidecar.image to a published sqsd image`,
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
    { repositoryUrl: repo.url, context: build?.context, dockerfile: build?.dockerfile, platform: platform(settings) },
    { parent },
  );
  return built.imageUri;
}

export interface LogGroups {
  app: aws.cloudwatch.LogGroup;
  sidecar: aws.cloudwatch.LogGroup;
}

export function createLogGroups(name: string, args: WorkerEnvironmentArgs, settings: Settings, parent: pulumi.Resource): LogGroups {
  const group = (suffix: string): aws.cloudwatch.LogGroup =>
    new aws.cloudwatch.LogGroup(`${name}-${suffix}`, { retentionInDays: settings.logRetentionDays, tags: args.tags }, { parent });
  return { app: group(APP_CONTAINER), sidecar: group(SIDECAR_CONTAINER) };
}

export interface ContainerInputs {
  appImage: string;
  sidecarImage: string;
  appLogGroup: string;
  sidecarLogGroup: string;
  region: string;
  appEnvironment: Record<string, string>;
  sidecarEnvironment: Record<string, string>;
}

const envList = (env: Record<string, string>): Array<{ name: string; value: string }> =>
  Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name] ?? "" }));

const awslogs = (group: string, region: string, prefix: string) => ({
  logDriver: "awslogs",
  options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": prefix },
});

/** The two container definitions (ECS JSON shape). */
export function containerDefinitions(args: WorkerEnvironmentArgs, settings: Settings, i: ContainerInputs): object[] {
  const hc = args.app.healthCheck;
  // ECS Exec runs the SSM agent inside the container; AWS recommends an init process so its
  // children are reaped. The sidecar keeps its read-only root file system, where the agent
  // cannot run: exec reaches the app container only (docs/component.md).
  const exec = args.enableExecuteCommand === true ? { linuxParameters: { initProcessEnabled: true } } : {};
  const app = {
    name: APP_CONTAINER,
    image: i.appImage,
    essential: true,
    portMappings: [{ containerPort: settings.appPort, protocol: "tcp" }],
    environment: envList(i.appEnvironment),
    ...(args.app.command ? { command: args.app.command } : {}),
    ...(hc
      ? {
          healthCheck: {
            command: hc.command,
            interval: hc.interval ?? 10,
            timeout: hc.timeout ?? 5,
            retries: hc.retries ?? 3,
            startPeriod: hc.startPeriod ?? 15,
          },
        }
      : {}),
    stopTimeout: settings.stopTimeout,
    ...exec,
    logConfiguration: awslogs(i.appLogGroup, i.region, APP_CONTAINER),
  };
  const sidecar = {
    name: SIDECAR_CONTAINER,
    image: i.sidecarImage,
    essential: true,
    cpu: 64,
    memoryReservation: 64,
    user: "1000:1000",
    readonlyRootFilesystem: true,
    environment: envList(i.sidecarEnvironment),
    // Wait for the app: HEALTHY needs a container health check, else only START is knowable.
    dependsOn: [{ containerName: APP_CONTAINER, condition: hc ? "HEALTHY" : "START" }],
    // Our own image has Node and the daemon's /livez; another image may have neither.
    ...(hasLivenessCheck(args) ? { healthCheck: SIDECAR_HEALTH_CHECK } : {}),
    stopTimeout: settings.stopTimeout,
    ...exec,
    logConfiguration: awslogs(i.sidecarLogGroup, i.region, SIDECAR_CONTAINER),
  };
  return [app, sidecar];
}

export interface TaskInputs {
  appImage: pulumi.Output<string>;
  sidecarImage: pulumi.Output<string>;
  logGroups: LogGroups;
  queueUrl: pulumi.Output<string>;
  region: pulumi.Output<string>;
  taskRoleArn: pulumi.Output<string>;
  executionRoleArn: pulumi.Output<string>;
}

export function createTaskDefinition(
  name: string,
  args: WorkerEnvironmentArgs,
  settings: Settings,
  i: TaskInputs,
  parent: pulumi.Resource,
): aws.ecs.TaskDefinition {
  const definitions = pulumi
    .all([
      i.appImage,
      i.sidecarImage,
      i.logGroups.app.name,
      i.logGroups.sidecar.name,
      i.region,
      i.queueUrl,
      pulumi.output(args.app.environment ?? {}),
      pulumi.output(args.sidecar?.environment ?? {}),
    ])
    .apply(([appImage, sidecarImage, appLogGroup, sidecarLogGroup, region, queueUrl, appEnvironment, sidecarExtra]) =>
      JSON.stringify(
        containerDefinitions(args, settings, {
          appImage,
          sidecarImage,
          appLogGroup,
          sidecarLogGroup,
          region,
          appEnvironment,
          sidecarEnvironment: { ...sidecarEnvironment(args, settings, queueUrl, region), ...sidecarExtra },
        }),
      ),
    );
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
      tags: args.tags,
    },
    { parent },
  );
}
