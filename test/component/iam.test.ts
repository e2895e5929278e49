import assert from "node:assert/strict";
import { ecrRepositoryArn, taskArnPattern } from "../../component/iam";
import { expectDecisions, rolePolicy as policy } from "./helpers";
import { build, minimal, ACCOUNT, REGION, type Stack } from "./mocks";

const RP = "aws:iam/rolePolicy:RolePolicy";
const trust = (s: Stack, name: string) =>
  s.json<{ Statement: Array<{ Principal: { Service: string }; Condition: unknown }> }>("aws:iam/role:Role", name, "assumeRolePolicy");

const arn = {
  queue: (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
  task: (cluster: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${cluster}/0123456789abcdef`,
};

describe("IAM", () => {
  it("pure helpers scope tasks and ECR repositories", () => {
    assert.equal(taskArnPattern("arn:aws:ecs:us-east-1:123456789012:cluster/c1"), "arn:aws:ecs:us-east-1:123456789012:task/c1/*");
    assert.throws(() => taskArnPattern("arn:aws:ecs:us-east-1:123456789012:service/c1"), /not an ECS cluster ARN/);
    assert.equal(ecrRepositoryArn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1"), "arn:aws:ecr:eu-west-1:123456789012:repository/team/app");
    assert.equal(ecrRepositoryArn("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc"), "arn:aws:ecr:eu-west-1:123456789012:repository/app");
    assert.equal(ecrRepositoryArn("public.ecr.aws/fake/app:1"), undefined);
    assert.equal(ecrRepositoryArn("nginx:latest"), undefined);
  });

  it("task role: consume exactly this queue and protect only this cluster's tasks", async () => {
    const s = await build(minimal());
    const queue = arn.queue(`${s.prefix}-queue`);
    const cluster = `${s.prefix}-cluster`;
    await expectDecisions(
      [policy(s, "task")],
      [
        ["sqs:ReceiveMessage", queue, "Allowed"],
        ["sqs:DeleteMessage", queue, "Allowed"],
        ["sqs:ChangeMessageVisibility", queue, "Allowed"],
        ["sqs:GetQueueAttributes", queue, "Allowed"],
        ["ecs:UpdateTaskProtection", arn.task(cluster), "Allowed"],
        ["ecs:GetTaskProtection", arn.task(cluster), "Allowed"],
        ["sqs:SendMessage", queue, "ImplicitlyDenied"],
        ["sqs:DeleteQueue", queue, "ImplicitlyDenied"],
        ["sqs:PurgeQueue", queue, "ImplicitlyDenied"],
        ["sqs:SetQueueAttributes", queue, "ImplicitlyDenied"],
        ["sqs:ReceiveMessage", arn.queue("other-queue"), "ImplicitlyDenied"],
        ["sqs:ReceiveMessage", arn.queue(`${s.prefix}-dlq`), "ImplicitlyDenied"],
        ["ecs:UpdateTaskProtection", arn.task("other-cluster"), "ImplicitlyDenied"],
        ["ecs:StopTask", arn.task(cluster), "ImplicitlyDenied"],
        ["ssmmessages:CreateControlChannel", "*", "ImplicitlyDenied"],
        ["kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`, "ImplicitlyDenied"],
      ],
    );
    const t = trust(s, "task").Statement[0];
    assert.deepEqual(t?.Principal, { Service: "ecs-tasks.amazonaws.com" });
    assert.deepEqual(t?.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
  });

  it("task role: kms:Decrypt on the customer key only, ECS Exec channels when enabled", async () => {
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    const s = await build({ ...minimal(), queue: { kmsKeyArn: key }, enableExecuteCommand: true });
    await expectDecisions(
      [policy(s, "task")],
      [
        ["kms:Decrypt", key, "Allowed"],
        ["kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-2222-3333-4444-555555555555`, "ImplicitlyDenied"],
        ["kms:Encrypt", key, "ImplicitlyDenied"],
        ["ssmmessages:CreateControlChannel", "*", "Allowed"],
        ["ssmmessages:OpenDataChannel", "*", "Allowed"],
      ],
    );
    assert.equal(s.one("aws:ecs/service:Service").inputs.enableExecuteCommand, true);
    assert.equal(s.one("aws:sqs/queue:Queue", "queue").inputs.kmsMasterKeyId, key);
  });

  it("task role: uses an existing queue's and cluster's ARNs", async () => {
    const queue = arn.queue("existing-q");
    const s = await build({ ...minimal(), existingQueue: { url: "https://sqs.example.invalid/existing-q", arn: queue }, clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shared` });
    await expectDecisions(
      [policy(s, "task")],
      [
        ["sqs:ReceiveMessage", queue, "Allowed"],
        ["ecs:UpdateTaskProtection", arn.task("shared"), "Allowed"],
        ["ecs:UpdateTaskProtection", arn.task(`${s.prefix}-cluster`), "ImplicitlyDenied"],
      ],
    );
  });

  it("task role: extra documents and managed policies for the app", async () => {
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::fake-bucket/*" }] });
    const s = await build({ ...minimal(), taskPolicyDocuments: [doc], taskPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] });
    assert.equal(s.one(RP, "task-extra-0").inputs.policy, doc);
    assert.equal(s.one(RP, "task-extra-0").inputs.role, `${s.prefix}-task`);
    const attachment = s.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "task-managed-0").inputs;
    assert.equal(attachment.policyArn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    await expectDecisions([policy(s, "task"), JSON.parse(doc) as object], [["s3:GetObject", "arn:aws:s3:::fake-bucket/k", "Allowed"]]);
  });

  it("execution role: write its own log groups, pull only its ECR repositories", async () => {
    const s = await build({ app: { build: { context: "./app" } } });
    const logs = (g: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g}:log-stream:ecs/x/1`;
    const repo = (r: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${r}`;
    await expectDecisions(
      [policy(s, "execution")],
      [
        ["logs:PutLogEvents", logs(`${s.prefix}-app`), "Allowed"],
        ["logs:CreateLogStream", logs(`${s.prefix}-sqsd`), "Allowed"],
        ["logs:PutLogEvents", logs("other-group"), "ImplicitlyDenied"],
        ["logs:DeleteLogGroup", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${s.prefix}-app`, "ImplicitlyDenied"],
        ["ecr:GetAuthorizationToken", "*", "Allowed"],
        ["ecr:BatchGetImage", repo(`${s.prefix}-app`), "Allowed"],
        ["ecr:GetDownloadUrlForLayer", repo(`${s.prefix}-sqsd`), "Allowed"],
        ["ecr:BatchGetImage", repo("other"), "ImplicitlyDenied"],
        ["ecr:PutImage", repo(`${s.prefix}-app`), "ImplicitlyDenied"],
        ["sqs:ReceiveMessage", arn.queue(`${s.prefix}-queue`), "ImplicitlyDenied"],
      ],
    );
  });

  it("execution role: no ECR grants when no image is in ECR", async () => {
    const s = await build({ app: { image: "public.ecr.aws/fake/app:1" }, sidecar: { image: "ghcr.io/fake/sqsd:1" } });
    await expectDecisions([policy(s, "execution")], [["ecr:GetAuthorizationToken", "*", "ImplicitlyDenied"]]);
  });
});
