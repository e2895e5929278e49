/**
 * The order in which a program lists the arguments: WorkerEnvironmentArgs's and AppContainer's
 * own (component/args.ts; a test holds these lists to its order), so a generated program reads
 * like the component's documentation, whatever order the input set them in. An argument missing
 * here goes last.
 */
import { isArgMap, type ArgMap } from "./values";

export const ARGS_ORDER = [
  "app", "sidecar", "vpc", "vpcId", "subnetIds", "routeTableIds", "securityGroupIds", "vpcEndpoints", "clusterArn", "containerInsights", "queue", "existingQueue", "maxRetries",
  "cpu", "memory", "cpuArchitecture", "logRetentionDays", "enableExecuteCommand", "extraContainers", "storage", "observability", "deployment", "capacityProviders", "desiredCount",
  "scaling", "taskPolicyDocuments", "taskPolicyArns", "cronFile", "periodicTasks", "snsSubscriptions", "eventRules", "alarms", "dashboard", "tags",
];

export const APP_ORDER = [
  "image", "build", "port", "httpPath", "environment", "secrets", "environmentFiles", "entryPoint", "command", "repositoryCredentials", "dockerLabels", "readonlyRootFilesystem", "dependsOn", "healthCheck", "healthCheckPath",
];

function sorted(map: ArgMap, order: readonly string[]): ArgMap {
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => rank(a) - rank(b)));
}

/** The arguments with their keys (and the app's) in the component's order. */
export function inArgsOrder(args: ArgMap): ArgMap {
  const out = sorted(args, ARGS_ORDER);
  if (isArgMap(out.app)) out.app = sorted(out.app, APP_ORDER);
  return out;
}
