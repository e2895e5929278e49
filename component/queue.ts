/**
 * Queue: the work queue and its dead-letter queue (SSE on, TLS only), or an existing queue,
 * plus the one queue policy into which event sources merge their statements.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "./args";
import { policyDocument, type PolicyStatement } from "./iam";
import type { Settings } from "./validation";

export interface QueueInfo {
  url: pulumi.Output<string>;
  arn: pulumi.Output<string>;
  name: pulumi.Output<string>;
  dlqUrl?: pulumi.Output<string>;
  dlqArn?: pulumi.Output<string>;
  kmsKeyArn?: pulumi.Output<string>;
  /** True when the component created the queue (and so owns its policy). */
  created: boolean;
}

/** Last segment of a queue ARN (`arn:aws:sqs:region:account:name`). */
export function queueNameFromArn(arn: string): string {
  return arn.split(":").pop() ?? arn;
}

/** Denies every SQS call on `queueArn` that does not use TLS. */
export function denyInsecureTransport(queueArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: queueArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

function encryption(kmsKeyArn: pulumi.Input<string> | undefined): Partial<aws.sqs.QueueArgs> {
  return kmsKeyArn === undefined ? { sqsManagedSseEnabled: true } : { kmsMasterKeyId: kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
}

export function createQueue(name: string, args: WorkerEnvironmentArgs, settings: Settings, parent: pulumi.Resource): QueueInfo {
  const existing = args.existingQueue;
  if (existing !== undefined) {
    const arn = pulumi.output(existing.arn);
    return {
      url: pulumi.output(existing.url),
      arn,
      name: arn.apply(queueNameFromArn),
      dlqArn: existing.dlqArn === undefined ? undefined : pulumi.output(existing.dlqArn),
      dlqUrl: existing.dlqUrl === undefined ? undefined : pulumi.output(existing.dlqUrl),
      kmsKeyArn: existing.kmsKeyArn === undefined ? undefined : pulumi.output(existing.kmsKeyArn),
      created: false,
    };
  }
  const q = args.queue ?? {};
  const fifo = settings.fifo ? { fifoQueue: true } : {};
  const dlq = new aws.sqs.Queue(
    `${name}-dlq`,
    { ...fifo, messageRetentionSeconds: q.dlqRetentionSeconds ?? 1209600, ...encryption(q.kmsKeyArn), tags: args.tags },
    { parent },
  );
  const queue = new aws.sqs.Queue(
    `${name}-queue`,
    {
      ...fifo,
      contentBasedDeduplication: settings.fifo ? settings.contentBasedDeduplication : undefined,
      // High-throughput FIFO (validation.ts checks the pair as SQS does); unset means SQS's defaults.
      ...(settings.deduplicationScope !== undefined ? { deduplicationScope: settings.deduplicationScope } : {}),
      ...(settings.fifoThroughputLimit !== undefined ? { fifoThroughputLimit: settings.fifoThroughputLimit } : {}),
      messageRetentionSeconds: settings.retentionSeconds,
      visibilityTimeoutSeconds: settings.visibilityTimeout,
      delaySeconds: q.delaySeconds ?? 0,
      receiveWaitTimeSeconds: 20,
      redrivePolicy: dlq.arn.apply((deadLetterTargetArn) => JSON.stringify({ deadLetterTargetArn, maxReceiveCount: settings.maxRetries })),
      ...encryption(q.kmsKeyArn),
      tags: args.tags,
    },
    { parent },
  );
  new aws.sqs.QueuePolicy(
    `${name}-dlq`,
    { queueUrl: dlq.url, policy: dlq.arn.apply((arn) => JSON.stringify(policyDocument([denyInsecureTransport(arn)]))) },
    { parent },
  );
  // Only this worker's queue may dead-letter into its DLQ, so no other queue's failures land
  // among this worker's (and a DLQ redrive goes back to the right queue).
  new aws.sqs.RedriveAllowPolicy(
    `${name}-dlq`,
    {
      queueUrl: dlq.url,
      redriveAllowPolicy: queue.arn.apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })),
    },
    { parent },
  );
  return {
    url: queue.url,
    arn: queue.arn,
    name: queue.name,
    dlqUrl: dlq.url,
    dlqArn: dlq.arn,
    kmsKeyArn: q.kmsKeyArn === undefined ? undefined : pulumi.output(q.kmsKeyArn),
    created: true,
  };
}

/**
 * The queue's one policy: TLS-only plus the sources' SendMessage grants. On an existing queue it
 * is written only when sources need it, since a queue policy replaces the queue's whole policy.
 */
export function createQueuePolicy(
  name: string,
  queue: QueueInfo,
  sourceStatements: pulumi.Output<PolicyStatement>[],
  parent: pulumi.Resource,
): aws.sqs.QueuePolicy | undefined {
  if (!queue.created && sourceStatements.length === 0) return undefined;
  const policy = pulumi
    .all([queue.arn, pulumi.all(sourceStatements)])
    .apply(([arn, statements]) => JSON.stringify(policyDocument([denyInsecureTransport(arn), ...statements])));
  return new aws.sqs.QueuePolicy(`${name}-queue`, { queueUrl: queue.url, policy }, { parent });
}
