/**
 * Network: a new awsx VPC (tasks in private subnets) or the user's VPC, the tasks' security
 * group (no ingress: workers take no inbound traffic), and optional VPC endpoints.
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import type { Settings } from "./validation";

export interface Network {
  vpcId: pulumi.Output<string>;
  subnetIds: pulumi.Output<string[]>;
  securityGroup: aws.ec2.SecurityGroup;
}

/** Interface endpoints a private Fargate worker needs to run without NAT. */
export function interfaceEndpointServices(executeCommand: boolean): string[] {
  return ["sqs", "ecr.api", "ecr.dkr", "logs", "sts", ...(executeCommand ? ["ssmmessages"] : [])];
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

  if (args.vpcEndpoints === true) {
    createEndpoints(name, args, { vpcId, subnetIds, securityGroup }, region, vpc, parent);
  }
  return { vpcId, subnetIds, securityGroup };
}

function createEndpoints(
  name: string,
  args: WorkerEnvironmentArgs,
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
  for (const service of interfaceEndpointServices(args.enableExecuteCommand === true)) {
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
