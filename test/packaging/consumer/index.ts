// A user's Pulumi stack in its own repository: `npm install sqsd-worker`, then this file.
import * as pulumi from "@pulumi/pulumi";
import { WorkerEnvironment, type AppContainer, type ScalingSettings, type WorkerEnvironmentArgs } from "sqsd-worker";

// The nested arg types by name, from the package's own declarations.
const app: AppContainer = { image: "registry.invalid/team/app:1.0.0", port: 8080 };
const scaling: ScalingSettings = { minCount: 0, maxCount: 4 };

const args: WorkerEnvironmentArgs = {
  app,
  vpcId: "vpc-0consumer",
  subnetIds: ["subnet-consumer-a", "subnet-consumer-b"],
  scaling,
  tags: { team: "consumer" },
};

export const worker = new WorkerEnvironment("consumer-worker", args);
export const queueUrl: pulumi.Output<string> = worker.queueUrl;
