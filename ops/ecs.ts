/** The worker's ECS service: running, desired and pending tasks (DescribeServices). */
import { DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { EXIT, OpsError } from "./errors";

export interface ServiceStatus {
  cluster: string;
  service: string;
  running: number;
  desired: number;
  pending: number;
  /** The primary deployment's rollout state (COMPLETED, IN_PROGRESS, FAILED), when ECS gives one. */
  rollout?: string;
  /** Deployments in progress or finishing (more than one: a rollout is under way). */
  deployments: number;
}

export async function describeService(ecs: ECSClient, cluster: string, service: string): Promise<ServiceStatus> {
  const r = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const s = r.services?.[0];
  if (!s) {
    const reason = r.failures?.[0]?.reason ?? "MISSING";
    throw new OpsError(EXIT.notFound, `ECS service ${JSON.stringify(service)} in cluster ${JSON.stringify(cluster)}: not found (${reason}); check --cluster/--service (or the stack's outputs) and the region`);
  }
  const primary = s.deployments?.find((d) => d.status === "PRIMARY");
  return {
    cluster,
    service,
    running: s.runningCount ?? 0,
    desired: s.desiredCount ?? 0,
    pending: s.pendingCount ?? 0,
    rollout: primary?.rolloutState,
    deployments: s.deployments?.length ?? 0,
  };
}
