/**
 * `pulumi up` from the repository root (see /Pulumi.yaml): the blog's worker, a Flask app
 * behind the sqsd sidecar on ECS Fargate, scaling from 0 to `maxCount` tasks on queue backlog.
 *
 *   pulumi config set aws:region us-east-1
 *   pulumi config set maxCount 3          # optional: minCount, acceptableLatency, messageProcessingTime
 *   pulumi up
 */
import { createWorker, readWorkerConfig, workerName, workerOutputs } from "./worker";

const config = readWorkerConfig();
const outputs = workerOutputs(createWorker(workerName(), config), config);

export const region = outputs.region;
export const queueUrl = outputs.queueUrl;
export const queueArn = outputs.queueArn;
export const dlqUrl = outputs.dlqUrl;
export const clusterName = outputs.clusterName;
export const serviceName = outputs.serviceName;
export const appLogGroupName = outputs.appLogGroupName;
export const sidecarLogGroupName = outputs.sidecarLogGroupName;
export const dashboardUrl = outputs.dashboardUrl;
