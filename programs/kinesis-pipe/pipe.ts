/**
 * Kinesis data stream → EventBridge Pipe → the worker's SQS queue, as in the blog's second
 * step. The pipe's role may read that one stream and send to that one queue and the pipe's
 * dead-letter queue, nothing else. A record the pipe cannot deliver is retried a bounded
 * number of times, then described in the dead-letter queue, so one poison record cannot hold
 * its shard back forever.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../../component/iam";
import { denyInsecureTransport } from "../../component/queue";

/** Where a new pipe starts reading the stream. */
export const STARTING_POSITIONS = ["TRIM_HORIZON", "LATEST"] as const;

/** Stack config keys of the pipe, in the program's namespace. */
export const PIPE_CONFIG_KEYS = [
  "shardCount",
  "retentionHours",
  "startingPosition",
  "batchSize",
  "batchWindowSeconds",
  "filterPattern",
  "maximumRetryAttempts",
  "maximumRecordAgeSeconds",
] as const;
export type PipeConfigKey = (typeof PIPE_CONFIG_KEYS)[number];

/** The stream's and the pipe's settings, parsed and defaulted. */
export interface PipeConfig {
  /** Provisioned shards (1 MB/s or 1000 records/s in each). */
  shardCount: number;
  /** How long the stream keeps records, 24-8760 hours. */
  retentionHours: number;
  /** "TRIM_HORIZON" (oldest record kept) or "LATEST" (only records put after the pipe starts). */
  startingPosition: string;
  /** Records per batch read from a shard, 1-10: an SQS target takes at most 10 per batch; each record becomes one message. */
  batchSize: number;
  /** Seconds the pipe may wait to fill a batch, 0-300. */
  batchWindowSeconds: number;
  /** EventBridge event pattern (JSON) applied to each record; unmatched records are dropped. */
  filterPattern?: string;
  /** Retries of a failed batch before it goes to the dead-letter queue, 0-10000 (Pipes' default -1 retries forever). */
  maximumRetryAttempts: number;
  /**
   * Seconds after which an undelivered record goes to the dead-letter queue, 60-604800 (Pipes'
   * default -1 never gives up). Below the stream's retention, so the record can still be read
   * again from the stream when the dead-letter message is handled.
   */
  maximumRecordAgeSeconds: number;
}

export const PIPE_DEFAULTS: PipeConfig = {
  shardCount: 1,
  retentionHours: 24,
  startingPosition: "TRIM_HORIZON",
  batchSize: 10,
  batchWindowSeconds: 0,
  maximumRetryAttempts: 10,
  maximumRecordAgeSeconds: 3600,
};

/** Raw stack config values. */
export type PipeConfigValues = Partial<Record<PipeConfigKey, string>>;

function intIn(key: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${key}: expected an integer ${min}-${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return n;
}

/** Parse and check the pipe's config (pure). Throws one error listing every problem. */
export function parsePipeConfig(values: PipeConfigValues): PipeConfig {
  const problems: string[] = [];
  const d = PIPE_DEFAULTS;
  const startingPosition = values.startingPosition?.trim() || d.startingPosition;
  if (!(STARTING_POSITIONS as readonly string[]).includes(startingPosition)) {
    problems.push(`startingPosition: one of ${STARTING_POSITIONS.join(", ")}, got ${JSON.stringify(startingPosition)}`);
  }
  const filterPattern = values.filterPattern?.trim() || undefined;
  if (filterPattern !== undefined) {
    try {
      const parsed: unknown = JSON.parse(filterPattern);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    } catch {
      problems.push(`filterPattern: expected a JSON object (an event pattern), e.g. {"data":{"type":["order"]}}`);
    }
  }
  const config: PipeConfig = {
    shardCount: intIn("shardCount", values.shardCount, d.shardCount, 1, 500, problems),
    retentionHours: intIn("retentionHours", values.retentionHours, d.retentionHours, 24, 8760, problems),
    startingPosition,
    batchSize: intIn("batchSize", values.batchSize, d.batchSize, 1, 10, problems),
    batchWindowSeconds: intIn("batchWindowSeconds", values.batchWindowSeconds, d.batchWindowSeconds, 0, 300, problems),
    ...(filterPattern !== undefined ? { filterPattern } : {}),
    maximumRetryAttempts: intIn("maximumRetryAttempts", values.maximumRetryAttempts, d.maximumRetryAttempts, 0, 10000, problems),
    maximumRecordAgeSeconds: intIn("maximumRecordAgeSeconds", values.maximumRecordAgeSeconds, d.maximumRecordAgeSeconds, 60, 604800, problems),
  };
  if (config.maximumRecordAgeSeconds >= config.retentionHours * 3600) {
    problems.push(
      `maximumRecordAgeSeconds: ${config.maximumRecordAgeSeconds} is not below the stream's retention (${config.retentionHours} h): lower it, or raise retentionHours, so a dead-lettered record can still be read from the stream`,
    );
  }
  if (problems.length > 0) throw new Error(`invalid pipe config:\n- ${problems.join("\n- ")}`);
  return config;
}

/** Read the pipe's config from the current stack. */
export function readPipeConfig(): PipeConfig {
  const own = new pulumi.Config();
  const values: PipeConfigValues = {};
  for (const key of PIPE_CONFIG_KEYS) values[key] = own.get(key);
  return parsePipeConfig(values);
}

/**
 * What the pipe calls to read one stream through shared-throughput (polling) consumers, on
 * that stream's ARN. Not `kinesis:SubscribeToShard`: that is for enhanced fan-out consumers,
 * which this pipe does not use. `kinesis:ListStreams` is granted apart (see pipePolicy).
 */
export const KINESIS_READ_ACTIONS = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:ListShards",
] as const;

/** An IAM policy document (the subset used here). */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: string | string[];
    Principal?: { Service: string };
    Condition?: Record<string, Record<string, string>>;
  }>;
}

/** Trust policy: only EventBridge Pipes, and only on behalf of this account (confused deputy). */
export function pipeTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pipes.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

/** Permissions: read exactly this stream, send to exactly this queue and the pipe's dead-letter queue. */
export function pipePolicy(streamArn: string, queueArn: string, dlqArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadStream", Effect: "Allow", Action: [...KINESIS_READ_ACTIONS], Resource: streamArn },
      // Listed in Pipes' documented Kinesis source permissions. It has no resource type, so
      // "*" is the only choice; it reveals stream names, not their records.
      { Sid: "ListStreams", Effect: "Allow", Action: "kinesis:ListStreams", Resource: "*" },
      { Sid: "SendToQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
      // Pipes writes a failed batch's record to the dead-letter queue with the pipe's role.
      { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: dlqArn },
    ],
  };
}

/**
 * The source's failure handling. Bisecting is for stream sources whatever the target: when a
 * batch fails as a whole (say one record too large for SQS fails the SendMessageBatch), the
 * pipe halves it until the failing record is alone, so the rest of the batch is delivered.
 * (A partial failure of an SQS batch is retried for the failed entries by Pipes itself.)
 */
export function failureParameters(config: PipeConfig, dlqArn: pulumi.Input<string>): aws.types.input.pipes.PipeSourceParametersKinesisStreamParameters {
  return {
    startingPosition: config.startingPosition,
    maximumRetryAttempts: config.maximumRetryAttempts,
    maximumRecordAgeInSeconds: config.maximumRecordAgeSeconds,
    onPartialBatchItemFailure: "AUTOMATIC_BISECT",
    deadLetterConfig: { arn: dlqArn },
  };
}

/**
 * Target parameters for the queue. A standard queue needs none. A FIFO queue needs a message
 * group: the record's partition key keeps Kinesis's per-key order, and the event id (unique
 * per record) makes a retried batch deduplicate instead of delivering twice.
 */
export function queueTargetParameters(fifo: boolean): aws.types.input.pipes.PipeTargetParameters | undefined {
  if (!fifo) return undefined;
  return { sqsQueueParameters: { messageGroupId: "$.partitionKey", messageDeduplicationId: "$.eventID" } };
}

/** Where the pipe delivers. */
export interface PipeTarget {
  /** ARN of the worker's queue. */
  queueArn: pulumi.Input<string>;
  /** True when that queue is FIFO. Default: false. */
  fifo?: boolean;
}

/** What {@link createKinesisPipe} created. */
export interface KinesisPipe {
  stream: aws.kinesis.Stream;
  role: aws.iam.Role;
  pipe: aws.pipes.Pipe;
  /** Where the pipe describes the records it gave up on. */
  deadLetterQueue: aws.sqs.Queue;
}

/** Create the stream, the pipe's role and the pipe into `target`'s queue. */
export function createKinesisPipe(name: string, target: PipeTarget, config: PipeConfig, opts?: pulumi.CustomResourceOptions): KinesisPipe {
  const accountId = aws.getCallerIdentityOutput({}, { parent: opts?.parent, provider: opts?.provider }).accountId;
  const stream = new aws.kinesis.Stream(
    `${name}-stream`,
    {
      shardCount: config.shardCount,
      retentionPeriod: config.retentionHours,
      streamModeDetails: { streamMode: "PROVISIONED" },
      // Encrypted at rest with the AWS-managed key: readers and writers need no KMS grant.
      encryptionType: "KMS",
      kmsKeyId: "alias/aws/kinesis",
    },
    opts,
  );
  // Standard even for a FIFO target: it holds descriptions of failed batches, not an ordered stream.
  const deadLetterQueue = new aws.sqs.Queue(`${name}-pipe-dlq`, { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true }, opts);
  // Same account: the role's grant is what lets the pipe write; the queue policy only refuses plain HTTP.
  new aws.sqs.QueuePolicy(
    `${name}-pipe-dlq`,
    { queueUrl: deadLetterQueue.url, policy: deadLetterQueue.arn.apply((arn) => JSON.stringify(policyDocument([denyInsecureTransport(arn)]))) },
    opts,
  );
  const role = new aws.iam.Role(`${name}-pipe`, { assumeRolePolicy: accountId.apply((id) => JSON.stringify(pipeTrustPolicy(id))) }, opts);
  const policy = new aws.iam.RolePolicy(
    `${name}-pipe`,
    {
      role: role.id,
      policy: pulumi.all([stream.arn, target.queueArn, deadLetterQueue.arn]).apply(([s, q, d]) => JSON.stringify(pipePolicy(s, q, d))),
    },
    opts,
  );
  const filter = config.filterPattern;
  const pipe = new aws.pipes.Pipe(
    `${name}-pipe`,
    {
      roleArn: role.arn,
      source: stream.arn,
      target: target.queueArn,
      sourceParameters: {
        kinesisStreamParameters: {
          ...failureParameters(config, deadLetterQueue.arn),
          batchSize: config.batchSize,
          maximumBatchingWindowInSeconds: config.batchWindowSeconds,
        },
        ...(filter !== undefined ? { filterCriteria: { filters: [{ pattern: filter }] } } : {}),
      },
      targetParameters: queueTargetParameters(target.fifo === true),
    },
    // The pipe checks its role's permissions when it starts: create the policy first.
    { ...opts, dependsOn: [policy] },
  );
  return { stream, role, pipe, deadLetterQueue };
}
