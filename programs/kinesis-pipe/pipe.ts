/**
 * Kinesis data stream → EventBridge Pipe → the worker's SQS queue, as in the blog's second
 * step. The pipe's role may read that one stream and send to that one queue, nothing else.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where a new pipe starts reading the stream. */
export const STARTING_POSITIONS = ["TRIM_HORIZON", "LATEST"] as const;

/** Stack config keys of the pipe, in the program's namespace. */
export const PIPE_CONFIG_KEYS = ["shardCount", "retentionHours", "startingPosition", "batchSize", "batchWindowSeconds", "filterPattern"] as const;
export type PipeConfigKey = (typeof PIPE_CONFIG_KEYS)[number];

/** The stream's and the pipe's settings, parsed and defaulted. */
export interface PipeConfig {
  /** Provisioned shards (1 MB/s or 1000 records/s in each). */
  shardCount: number;
  /** How long the stream keeps records, 24-8760 hours. */
  retentionHours: number;
  /** "TRIM_HORIZON" (oldest record kept) or "LATEST" (only records put after the pipe starts). */
  startingPosition: string;
  /** Records per batch read from a shard, 1-10000; each record still becomes one SQS message. */
  batchSize: number;
  /** Seconds the pipe may wait to fill a batch, 0-300. */
  batchWindowSeconds: number;
  /** EventBridge event pattern (JSON) applied to each record; unmatched records are dropped. */
  filterPattern?: string;
}

export const PIPE_DEFAULTS: PipeConfig = {
  shardCount: 1,
  retentionHours: 24,
  startingPosition: "TRIM_HORIZON",
  batchSize: 10,
  batchWindowSeconds: 0,
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
    batchSize: intIn("batchSize", values.batchSize, d.batchSize, 1, 10000, problems),
    batchWindowSeconds: intIn("batchWindowSeconds", values.batchWindowSeconds, d.batchWindowSeconds, 0, 300, problems),
    ...(filterPattern !== undefined ? { filterPattern } : {}),
  };
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
 * What the pipe calls to read one stream through shared-throughput (polling) consumers.
 * Not `kinesis:ListStreams`: it has no resource type, so it could only be granted on "*"
 * (every stream name in the account), and a pipe given the stream ARN does not need it.
 * Not `kinesis:SubscribeToShard`: that is for enhanced fan-out consumers, which this pipe
 * does not use.
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

/** Permissions: read exactly this stream, send to exactly this queue. */
export function pipePolicy(streamArn: string, queueArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadStream", Effect: "Allow", Action: [...KINESIS_READ_ACTIONS], Resource: streamArn },
      { Sid: "SendToQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
    ],
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
  const role = new aws.iam.Role(`${name}-pipe`, { assumeRolePolicy: accountId.apply((id) => JSON.stringify(pipeTrustPolicy(id))) }, opts);
  const policy = new aws.iam.RolePolicy(
    `${name}-pipe`,
    { role: role.id, policy: pulumi.all([stream.arn, target.queueArn]).apply(([s, q]) => JSON.stringify(pipePolicy(s, q))) },
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
          startingPosition: config.startingPosition,
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
  return { stream, role, pipe };
}
