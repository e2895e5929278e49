import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { build, minimal, ACCOUNT, REGION } from "./mocks";
import { decide } from "./simulate";

const S = "aws:scheduler/schedule:Schedule";

interface Target {
  arn: string;
  roleArn: string;
  input: string;
}

describe("periodic tasks", () => {
  it("turns each cron.yaml entry into a UTC schedule that sends Beanstalk's periodic message", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cron-"));
    const cronFile = path.join(dir, "cron.yaml");
    writeFileSync(cronFile, 'version: 1\ncron:\n  - name: "backup-job"\n    url: "/backup"\n    schedule: "0 */12 * * *"\n');
    const s = await build({ ...minimal(), cronFile, periodicTasks: [{ name: "weekday", url: "/report", schedule: "30 8 * * 1-5" }] });
    assert.equal(s.count(S), 2);
    const group = s.one("aws:scheduler/scheduleGroup:ScheduleGroup");
    const backup = s.one(S, "cron-backup-job").inputs;
    assert.equal(backup.name, "backup-job");
    assert.equal(backup.groupName, `${group.name}`);
    assert.equal(backup.scheduleExpression, "cron(0 0/12 * * ? *)");
    assert.equal(backup.scheduleExpressionTimezone, "UTC");
    assert.deepEqual(backup.flexibleTimeWindow, { mode: "OFF" });
    assert.equal(s.one(S, "cron-weekday").inputs.scheduleExpression, "cron(30 8 ? * 2-6 *)");

    const target = backup.target as Target;
    assert.equal(target.arn, "arn:aws:scheduler:::aws-sdk:sqs:sendMessage");
    assert.equal(target.roleArn, `arn:aws:iam::${ACCOUNT}:role/${s.prefix}-scheduler`);
    assert.deepEqual(JSON.parse(target.input), {
      QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${s.prefix}-queue`,
      MessageBody: "elasticbeanstalk scheduled job",
      MessageAttributes: {
        "beanstalk.sqsd.task_name": { DataType: "String", StringValue: "backup-job" },
        "beanstalk.sqsd.path": { DataType: "String", StringValue: "/backup" },
        "beanstalk.sqsd.scheduled_time": { DataType: "String", StringValue: "<aws.scheduler.scheduled-time>" },
      },
    });
  });

  it("gives Scheduler a role that can only send to this queue", async () => {
    const s = await build({ ...minimal(), periodicTasks: [{ name: "p", url: "/p", schedule: "@hourly" }] });
    const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:${s.prefix}-queue`;
    const policy = s.json<object>("aws:iam/rolePolicy:RolePolicy", "scheduler", "policy");
    assert.equal(await decide([policy], { action: "sqs:SendMessage", resource: queue }), "Allowed");
    assert.equal(await decide([policy], { action: "sqs:SendMessage", resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:other` }), "ImplicitlyDenied");
    assert.equal(await decide([policy], { action: "sqs:ReceiveMessage", resource: queue }), "ImplicitlyDenied");
    assert.equal(await decide([policy], { action: "sqs:DeleteQueue", resource: queue }), "ImplicitlyDenied");
    const trust = s.json<{ Statement: Array<{ Principal: unknown; Condition: unknown }> }>("aws:iam/role:Role", "scheduler", "assumeRolePolicy");
    assert.deepEqual(trust.Statement[0]?.Principal, { Service: "scheduler.amazonaws.com" });
    assert.deepEqual(trust.Statement[0]?.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
  });

  it("adds KMS data-key grants for a customer key", async () => {
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
    const s = await build({ ...minimal(), queue: { kmsKeyArn: key }, periodicTasks: [{ name: "p", url: "/p", schedule: "@hourly" }] });
    const policy = s.json<{ Statement: Array<{ Action: unknown; Resource: unknown }> }>("aws:iam/rolePolicy:RolePolicy", "scheduler", "policy");
    assert.deepEqual(policy.Statement[1], { Sid: "EncryptForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key });
  });

  it("creates nothing without periodic tasks", async () => {
    const one = await build({ ...minimal(), periodicTasks: [{ name: "p", url: "/p", schedule: "@hourly" }] });
    assert.equal(one.count(S), 1, "a schedule is seen with a periodic task");
    assert.equal(one.count("aws:scheduler/scheduleGroup:ScheduleGroup"), 1);
    const s = await build(minimal());
    assert.equal(s.count(S), 0);
    assert.equal(s.count("aws:scheduler/scheduleGroup:ScheduleGroup"), 0);
  });
});
