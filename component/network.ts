/**
 * Network: a new awsx VPC (tasks in private subnets) or the user's VPC, the tasks' security
 * group (no ingress: workers take no inbound traffic), and optional VPC endpoints.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerSecret, WorkerEnvironmentArgs } from "./args";
import { NFS_PORT } from "./storage";
import type { Settings } from "./validation";

export interface Network {
  vpcId: pulumi.Output<string>;
  subnetIds: pulumi.Output<string[]>;
  securityGroup: aws.ec2.SecurityGroup;
  /** EFS mount targets the component created (in its own VPC): the service waits for them. */
  mountTargets: aws.efs.MountTarget[];
  /** Security group of those mount targets (NFS from the tasks). */
  efsSecurityGroup?: aws.ec2.SecurityGroup;
}

/** Which AWS services the task's start and its collector call, beyond the worker's own. */
export interface EndpointNeeds {
  /** ECS Exec's channels. */
  executeCommand: boolean;
  /** Secrets Manager: secrets or registry credentials. */
  secretsManager?: boolean;
  /** SSM Parameter Store: parameters as secrets. */
  ssm?: boolean;
  /** X-Ray: the collector's exports. */
  xray?: boolean;
}

/** Interface endpoints a private Fargate worker needs to run without NAT. */
export function interfaceEndpointServices(needs: EndpointNeeds): string[] {
  return [
    "sqs",
    "ecr.api",
    "ecr.dkr",
    "logs",
    "sts",
    ...(needs.executeCommand ? ["ssmmessages"] : []),
    ...(needs.secretsManager === true ? ["secretsmanager"] : []),
    ...(needs.ssm === true ? ["ssm"] : []),
    ...(needs.xray === true ? ["xray"] : []),
  ];
}

/** What the args make the tasks call. */
export function endpointNeeds(args: WorkerEnvironmentArgs, settings: Settings): EndpointNeeds {
  const containers = [args.app, args.sidecar ?? {}, ...(args.extraContainers ?? [])];
  const secrets: ContainerSecret[] = containers.flatMap((c) => Object.values(c.secrets ?? {}));
  const credentials = [args.app.repositoryCredentials, ...(args.extraContainers ?? []).map((c) => c.repositoryCredentials)].some((c) => c !== undefined);
  return {
    executeCommand: args.enableExecuteCommand === true,
    secretsManager: credentials || secrets.some((s) => s.secretsManagerArn !== undefined),
    ssm: secrets.some((s) => s.ssmParameter !== undefined),
    xray: settings.tracing,
  };
}

type Tags = WorkerEnvironmentArgs["tags"];

export function createNetwork(
  name: string,
  args: WorkerEnvironmentArgs,
  settings: Settings,
  region: pulumi.Output<string>,
  parent: pulumi.Resource,
): Network {
  let vpc: awsx.ec2.Vpc | undefined;
  let vpcId: pulumi.Output<string>;
  let subnetIds: pulumi.Output<string[]>;
  if (args.vpcId !== undefined) {
    vpcId = pulumi.output(args.vpcId);
    subnetIds = pulumi.output(args.subnetIds ?? []);
  } else {
    vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpc?.cidrBlock,
        numberOfAvailabilityZones: args.vpc?.numberOfAvailabilityZones ?? 2,
        natGateways: { strategy: settings.natStrategy as awsx.types.enums.ec2.NatGatewayStrategy },
        // Pinned: awsx's default ("Legacy" today) is to become "Auto" in its next major version,
        // which lays subnets out differently, so an upgrade would replace every subnet and what
        // runs in them. "Legacy" is the layout existing stacks were created with.
        subnetStrategy: "Legacy",
        enableDnsHostnames: true, // interface endpoints' private DNS needs both
        enableDnsSupport: true,
        tags: args.tags,
      },
      { parent },
    );
    vpcId = vpc.vpcId;
    subnetIds = vpc.privateSubnetIds;
  }

  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-tasks`,
    {
      vpcId,
      description: "sqsd-worker tasks: no inbound, outbound to AWS APIs",
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs and the app's own calls" }],
      tags: args.tags,
    },
    { parent },
  );

  const network: Network = { vpcId, subnetIds, securityGroup, mountTargets: [] };
  if (args.vpcEndpoints === true) createEndpoints(name, args, settings, network, region, vpc, parent);
  if (vpc !== undefined) createMountTargets(name, args, network, args.vpc?.numberOfAvailabilityZones ?? 2, parent);
  return network;
}

/**
 * In a VPC the component creates, the EFS file systems can only be reached through mount targets
 * in it: one per private subnet (one per AZ, as awsx lays them out) for each file system, behind
 * a security group admitting NFS from the tasks. (In a given VPC the file system's mount
 * targets exist already; their security group must admit the tasks' group, docs/component.md.)
 */
function createMountTargets(name: string, args: WorkerEnvironmentArgs, network: Network, zones: number, parent: pulumi.Resource): void {
  const volumes = args.storage?.efsVolumes ?? [];
  if (volumes.length === 0) return;
  const sg = new aws.ec2.SecurityGroup(
    `${name}-efs`,
    {
      vpcId: network.vpcId,
      description: "sqsd-worker EFS mount targets: NFS from the tasks",
      ingress: [{ protocol: "tcp", fromPort: NFS_PORT, toPort: NFS_PORT, securityGroups: [network.securityGroup.id], description: "tasks" }],
      tags: args.tags,
    },
    { parent },
  );
  network.efsSecurityGroup = sg;
  // One set per file system: volumes (access points) of the same file system share its mount targets.
  const seen = new Set<pulumi.Input<string>>();
  for (const v of volumes) {
    if (seen.has(v.fileSystemId)) continue;
    seen.add(v.fileSystemId);
    for (let k = 0; k < zones; k++) {
      network.mountTargets.push(
        new aws.efs.MountTarget(
          `${name}-efs-${v.name}-${k}`,
          { fileSystemId: v.fileSystemId, subnetId: network.subnetIds.apply((ids) => ids[k] ?? ""), securityGroups: [sg.id] },
          { parent },
        ),
      );
    }
  }
}

function createEndpoints(
  name: string,
  args: WorkerEnvironmentArgs,
  settings: Settings,
  network: Network,
  region: pulumi.Output<string>,
  vpc: awsx.ec2.Vpc | undefined,
  parent: pulumi.Resource,
): void {
  const tags: Tags = args.tags;
  const endpointSg = new aws.ec2.SecurityGroup(
    `${name}-endpoints`,
    {
      vpcId: network.vpcId,
      description: "sqsd-worker VPC endpoints: HTTPS from the tasks",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [network.securityGroup.id], description: "tasks" }],
      tags,
    },
    { parent },
  );
  for (const service of interfaceEndpointServices(endpointNeeds(args, settings))) {
    new aws.ec2.VpcEndpoint(
      `${name}-${service.replace(".", "-")}`,
      {
        vpcId: network.vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: network.subnetIds,
        securityGroupIds: [endpointSg.id],
        tags,
      },
      { parent },
    );
  }
  // ECR layers are served from S3: a (free) gateway endpoint on the VPC's route tables.
  const routeTableIds =
    args.routeTableIds !== undefined
      ? pulumi.output(args.routeTableIds)
      : aws.ec2.getRouteTablesOutput({ vpcId: network.vpcId }, { parent, dependsOn: vpc ? [vpc] : [] }).ids;
  new aws.ec2.VpcEndpoint(
    `${name}-s3`,
    { vpcId: network.vpcId, serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway", routeTableIds, tags },
    { parent },
  );
}
