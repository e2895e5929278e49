/** Cluster: a new ECS cluster (Container Insights on) or an existing one by ARN. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import type { Settings } from "./validation";

export interface ClusterInfo {
  arn: pulumi.Output<string>;
  name: pulumi.Output<string>;
}

/** `arn:aws:ecs:region:account:cluster/name` → `name`. */
export function clusterNameFromArn(arn: string): string {
  const name = arn.split(":cluster/")[1];
  if (name === undefined || name === "") throw new Error(`clusterArn "${arn}" is not an ECS cluster ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)`);
  return name;
}

export function createCluster(name: string, args: WorkerEnvironmentArgs, settings: Settings, parent: pulumi.Resource): ClusterInfo {
  if (args.clusterArn !== undefined) {
    const arn = pulumi.output(args.clusterArn);
    return { arn, name: arn.apply(clusterNameFromArn) };
  }
  const cluster = new aws.ecs.Cluster(
    `${name}-cluster`,
    {
      // The scaling metric math reads ECS/ContainerInsights DesiredTaskCount.
      settings: [{ name: "containerInsights", value: settings.containerInsights ? "enabled" : "disabled" }],
      tags: args.tags,
    },
    { parent },
  );
  // Both Fargate providers, so a capacity provider strategy (e.g. mostly Spot) can be used.
  const providers = new aws.ecs.ClusterCapacityProviders(
    `${name}-cluster`,
    { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"] },
    { parent },
  );
  // The service must wait for the providers when it uses a strategy.
  return { arn: pulumi.all([cluster.arn, providers.id]).apply(([arn]) => arn), name: cluster.name };
}
