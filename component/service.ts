/**
 * Service: the Fargate service in private subnets, rolled back by the circuit breaker and, when
 * named, by CloudWatch alarms (ECS deployment alarms).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rollbackAlarmName, rollbackAlarms } from "./alarms";
import type { WorkerEnvironmentArgs } from "./args";
import type { Settings } from "./validation";

export interface ServiceInputs {
  clusterArn: pulumi.Output<string>;
  taskDefinitionArn: pulumi.Output<string>;
  subnetIds: pulumi.Output<string[]>;
  securityGroupId: pulumi.Output<string>;
  /**
   * What must exist before the first task starts: the roles' policies (an IAM race otherwise)
   * and the EFS mount targets the component creates (else the first tasks cannot mount).
   */
  dependsOn: pulumi.Resource[];
}

export function createService(
  name: string,
  args: WorkerEnvironmentArgs,
  settings: Settings,
  i: ServiceInputs,
  parent: pulumi.Resource,
): aws.ecs.Service {
  const alarms = [...(args.deployment?.rollbackAlarmNames ?? []), ...rollbackAlarms(args).map((r) => rollbackAlarmName(name, r.kind))];
  const strategy = args.capacityProviders?.map((cp) => ({ capacityProvider: cp.capacityProvider, weight: cp.weight ?? 1, base: cp.base ?? 0 }));
  return new aws.ecs.Service(
    `${name}-service`,
    {
      cluster: i.clusterArn,
      taskDefinition: i.taskDefinitionArn,
      desiredCount: settings.desiredCount,
      // A strategy and a launch type are mutually exclusive in ECS.
      ...(strategy ? { capacityProviderStrategies: strategy } : { launchType: "FARGATE" }),
      platformVersion: "LATEST",
      networkConfiguration: { subnets: i.subnetIds, securityGroups: [i.securityGroupId, ...(args.securityGroupIds ?? [])], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: settings.minHealthyPercent,
      deploymentMaximumPercent: settings.maxPercent,
      ...(alarms.length > 0 ? { alarms: { alarmNames: alarms, enable: true, rollback: true } } : {}),
      enableExecuteCommand: args.enableExecuteCommand === true,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      tags: args.tags,
    },
    // Autoscaling owns desiredCount once the service exists; an update must not reset it.
    { parent, dependsOn: i.dependsOn, ignoreChanges: settings.scaling ? ["desiredCount"] : [] },
  );
}
