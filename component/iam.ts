/**
 * IAM: policy documents as plain builders (tested with iam-simulate) and the two ECS roles.
 * Every resource is scoped; only actions without resource-level permissions use "*".
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketArnOf, partitionOf, type ExecutionGrants } from "./secrets";
import type { EfsGrant } from "./storage";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: string | { [kind: string]: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: { [operator: string]: { [key: string]: string | string[] } };
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The sidecar's queue actions: receive, settle, and read attributes (the redrive check). */
export const QUEUE_CONSUMER_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueAttributes",
];

/** ECS Exec's channel actions; they have no resource type, so "*" is the only choice. */
export const EXEC_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/**
 * What the ADOT collector calls to ship traces and read sampling rules (Copilot grants the
 * same); none of them has a resource type, so "*".
 */
export const XRAY_ACTIONS = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
];

/** `arn:…:cluster/name` → `arn:…:task/name/*`: the tasks of that cluster only. */
export function taskArnPattern(clusterArn: string): string {
  if (!clusterArn.includes(":cluster/")) throw new Error(`not an ECS cluster ARN: ${clusterArn}`);
  return `${clusterArn.replace(":cluster/", ":task/")}/*`;
}

/** ECR repository ARN of an ECR image URI (`acct.dkr.ecr.region.amazonaws.com/repo[:tag|@digest]`), else undefined. */
export function ecrRepositoryArn(imageUri: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(imageUri);
  if (!match) return undefined;
  const [, account, region = "", repo] = match;
  return `arn:${partitionOf(region)}:ecr:${region}:${account}:repository/${repo}`;
}

/** Trust policy for an AWS service principal, limited to our own account (confused deputy). */
export function assumeRolePolicy(service: string, accountId: string): PolicyDocument {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/** Trust policies carry no Resource element. */
function trustJson(doc: PolicyDocument): string {
  return JSON.stringify({ ...doc, Statement: doc.Statement.map(({ Resource: _r, ...s }) => s) });
}

export interface TaskPolicyInputs {
  queueArn: string;
  kmsKeyArn?: string;
  clusterArn: string;
  executeCommand: boolean;
  /** EFS volumes' file systems. Default: none. */
  efs?: EfsGrant[];
  /** The X-Ray collector runs in the task. Default: false. */
  tracing?: boolean;
}

/** An EFS volume's statement: mount, write if a mount is writable, root if asked; through its access point when given. */
function efsStatement(g: EfsGrant, n: number): PolicyStatement {
  return {
    Sid: `MountEfs${n}`,
    Effect: "Allow",
    Action: [
      "elasticfilesystem:ClientMount",
      ...(g.write ? ["elasticfilesystem:ClientWrite"] : []),
      ...(g.root ? ["elasticfilesystem:ClientRootAccess"] : []),
    ],
    Resource: g.fileSystemArn,
    ...(g.accessPointArn !== undefined ? { Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": g.accessPointArn } } } : {}),
  };
}

/** The sidecar's permissions, the volumes' and the collector's (the app's own come from user documents). */
export function taskRolePolicy(i: TaskPolicyInputs): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: "ConsumeQueue", Effect: "Allow", Action: QUEUE_CONSUMER_ACTIONS, Resource: i.queueArn },
    {
      Sid: "TaskScaleInProtection",
      Effect: "Allow",
      Action: ["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"],
      Resource: taskArnPattern(i.clusterArn),
    },
  ];
  if (i.kmsKeyArn) statements.push({ Sid: "DecryptQueue", Effect: "Allow", Action: "kms:Decrypt", Resource: i.kmsKeyArn });
  if (i.executeCommand) statements.push({ Sid: "EcsExec", Effect: "Allow", Action: EXEC_ACTIONS, Resource: "*" });
  (i.efs ?? []).forEach((g, n) => statements.push(efsStatement(g, n)));
  if (i.tracing === true) statements.push({ Sid: "XRayTracing", Effect: "Allow", Action: XRAY_ACTIONS, Resource: "*" });
  return policyDocument(statements);
}

export interface ExecutionPolicyInputs {
  logGroupArns: string[];
  imageUris: string[];
  /** Secrets, registry credentials and environment files ECS reads at task start. Default: none. */
  grants?: ExecutionGrants;
}

/** Read the secrets, credentials and environment files ECS injects, on exactly their ARNs. */
function startupReads(g: ExecutionGrants): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (g.secretArns.length > 0) statements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: g.secretArns });
  if (g.parameterArns.length > 0) statements.push({ Sid: "ReadParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: g.parameterArns });
  g.kmsKeys.forEach((k, n) =>
    statements.push({
      Sid: `DecryptSecrets${n}`,
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: k.keyArn,
      // Only as Secrets Manager or SSM decrypting for ECS: not a general decrypt of that key.
      Condition: { StringEquals: { "kms:ViaService": k.viaServices } },
    }),
  );
  if (g.environmentFileArns.length > 0) {
    statements.push({ Sid: "ReadEnvironmentFiles", Effect: "Allow", Action: "s3:GetObject", Resource: g.environmentFileArns });
    // ECS's documented requirement for environment files, on their buckets only.
    statements.push({ Sid: "LocateEnvironmentFiles", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: [...new Set(g.environmentFileArns.map(bucketArnOf))].sort() });
  }
  return statements;
}

/** Pull images (ECR only where the image is in ECR), write the log groups, read what ECS injects. */
export function executionRolePolicy(i: ExecutionPolicyInputs): PolicyDocument {
  const repos = [...new Set(i.imageUris.map(ecrRepositoryArn).filter((a): a is string => a !== undefined))];
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: i.logGroupArns.map((arn) => `${arn}:log-stream:*`),
    },
  ];
  if (repos.length > 0) {
    // GetAuthorizationToken has no resource type: "*" is required.
    statements.push({ Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
    statements.push({
      Sid: "PullImages",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      Resource: repos,
    });
  }
  if (i.grants !== undefined) statements.push(...startupReads(i.grants));
  return policyDocument(statements);
}

/** EventBridge Scheduler: send to the queue, nothing else. */
export function schedulerRolePolicy(queueArn: string, kmsKeyArn?: string): PolicyDocument {
  const statements: PolicyStatement[] = [{ Sid: "SendToQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn }];
  if (kmsKeyArn) {
    statements.push({ Sid: "EncryptForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: kmsKeyArn });
  }
  return policyDocument(statements);
}

/** A role and its one inline policy: what uses the role should depend on the policy too. */
export interface ServiceRole {
  role: aws.iam.Role;
  policy: aws.iam.RolePolicy;
}

/** A role trusted by `service` with one inline policy. */
export function serviceRole(
  name: string,
  service: string,
  accountId: pulumi.Input<string>,
  policy: pulumi.Input<PolicyDocument>,
  tags: pulumi.Input<{ [key: string]: pulumi.Input<string> }> | undefined,
  parent: pulumi.Resource,
): ServiceRole {
  const role = new aws.iam.Role(
    name,
    { assumeRolePolicy: pulumi.output(accountId).apply((a) => trustJson(assumeRolePolicy(service, a))), tags },
    { parent },
  );
  const inline = new aws.iam.RolePolicy(name, { role: role.name, policy: pulumi.output(policy).apply((p) => JSON.stringify(p)) }, { parent });
  return { role, policy: inline };
}

export interface RolesInputs {
  accountId: pulumi.Input<string>;
  queueArn: pulumi.Input<string>;
  kmsKeyArn?: pulumi.Input<string>;
  clusterArn: pulumi.Input<string>;
  executeCommand: boolean;
  logGroupArns: pulumi.Input<string>[];
  imageUris: pulumi.Input<string>[];
  extraPolicyDocuments: pulumi.Input<string>[];
  extraPolicyArns: pulumi.Input<string>[];
  /** The execution role's reads at task start. */
  executionGrants: pulumi.Input<ExecutionGrants>;
  /** The task role's EFS grants. */
  efs: pulumi.Input<EfsGrant[]>;
  tracing: boolean;
  tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

export interface Roles {
  taskRole: aws.iam.Role;
  executionRole: aws.iam.Role;
  /**
   * Every policy on the two roles. The service depends on them: a role exists before its
   * policies, and a task started in between fails to pull its image or read its queue.
   */
  policies: pulumi.Resource[];
}

/** The task role (sidecar + app) and the execution role (ECS agent). */
export function createRoles(name: string, i: RolesInputs, parent: pulumi.Resource): Roles {
  const taskPolicy = pulumi
    .all([i.queueArn, i.kmsKeyArn, i.clusterArn, pulumi.output(i.efs)])
    .apply(([queueArn, kmsKeyArn, clusterArn, efs]) => taskRolePolicy({ queueArn, kmsKeyArn, clusterArn, executeCommand: i.executeCommand, efs, tracing: i.tracing }));
  const task = serviceRole(`${name}-task`, "ecs-tasks.amazonaws.com", i.accountId, taskPolicy, i.tags, parent);
  const policies: pulumi.Resource[] = [task.policy];
  i.extraPolicyDocuments.forEach((policy, n) => policies.push(new aws.iam.RolePolicy(`${name}-task-extra-${n}`, { role: task.role.name, policy }, { parent })));
  i.extraPolicyArns.forEach((policyArn, n) =>
    policies.push(new aws.iam.RolePolicyAttachment(`${name}-task-managed-${n}`, { role: task.role.name, policyArn }, { parent })),
  );

  const executionPolicy = pulumi
    .all([pulumi.all(i.logGroupArns), pulumi.all(i.imageUris), pulumi.output(i.executionGrants)])
    .apply(([logGroupArns, imageUris, grants]) => executionRolePolicy({ logGroupArns, imageUris, grants: grants as ExecutionGrants }));
  const execution = serviceRole(`${name}-execution`, "ecs-tasks.amazonaws.com", i.accountId, executionPolicy, i.tags, parent);
  policies.push(execution.policy);
  return { taskRole: task.role, executionRole: execution.role, policies };
}
