/**
 * The blog's second step as its own program: the worker (built by programs/worker's
 * createWorker, not copied) plus a Kinesis data stream feeding its queue through an
 * EventBridge Pipe. Deploy with `pulumi up -C programs/kinesis-pipe`.
 */
import { createWorker, readWorkerConfig, workerName, workerOutputs } from "../worker/worker";
import { createKinesisPipe, readPipeConfig } from "./pipe";

const workerConfig = readWorkerConfig();
const worker = createWorker(workerName(), workerConfig);
const outputs = workerOutputs(worker, workerConfig);
// The component creates a standard queue here; with `queue: { fifo: true }` pass fifo: true.
const { stream, pipe, deadLetterQueue } = createKinesisPipe("events", { queueArn: worker.queueArn, fifo: false }, readPipeConfig());

export const region = outputs.region;
export const queueUrl = outputs.queueUrl;
export const dlqUrl = outputs.dlqUrl;
export const clusterName = outputs.clusterName;
export const serviceName = outputs.serviceName;
export const appLogGroupName = outputs.appLogGroupName;
export const sidecarLogGroupName = outputs.sidecarLogGroupName;
export const dashboardUrl = outputs.dashboardUrl;
export const streamName = stream.name;
export const streamArn = stream.arn;
export const pipeArn = pipe.arn;
export const pipeDlqUrl = deadLetterQueue.url;
