/** Deployment: ECS's limits, the circuit breaker (always) and rollback on CloudWatch alarms (when named). */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { build, minimal } from "./mocks";

const SVC = "aws:ecs/service:Service";

describe("deployment", () => {
  it("defaults: 100 % / 200 %, circuit breaker with rollback, no alarms", async () => {
    const svc = (await build(minimal())).one(SVC).inputs;
    assert.deepEqual([svc.deploymentMinimumHealthyPercent, svc.deploymentMaximumPercent], [100, 200]);
    assert.deepEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.equal(svc.alarms, undefined);
  });

  it("takes the limits and rolls back on the named alarms, beside the circuit breaker", async () => {
    const s = await build({ ...minimal(), deployment: { minHealthyPercent: 50, maxPercent: 150, rollbackAlarmNames: ["worker-5xx", pulumi.output("worker-errors")] } });
    const svc = s.one(SVC).inputs;
    assert.deepEqual([svc.deploymentMinimumHealthyPercent, svc.deploymentMaximumPercent], [50, 150]);
    assert.deepEqual(svc.alarms, { alarmNames: ["worker-5xx", "worker-errors"], enable: true, rollback: true });
    assert.deepEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
  });

  it("creates Copilot's rollback alarms after the service, under the fixed names the service watches", async () => {
    const s = await build({ ...minimal(), deployment: { rollbackAlarmNames: ["own"], rollbackOnCpuPercent: 70, rollbackOnMemoryPercent: 80, rollbackOnMessagesDelayed: 5 } });
    const names = ["cpu", "memory", "messages-delayed"].map((k) => `sqsd-worker-test-${s.prefix}-rollback-${k}`);
    assert.deepEqual((s.one(SVC).inputs.alarms as { alarmNames: string[] }).alarmNames, ["own", ...names]);
    const alarm = (kind: string) => s.one("aws:cloudwatch/metricAlarm:MetricAlarm", `rollback-${kind}`).inputs;
    const common = { statistic: "Average", period: 60, evaluationPeriods: 3, datapointsToAlarm: 2, comparisonOperator: "GreaterThanOrEqualToThreshold" };
    const service = { ClusterName: `${s.prefix}-cluster`, ServiceName: `${s.prefix}-service` };
    for (const [kind, name, namespace, metricName, unit, threshold, dimensions] of [
      ["cpu", names[0], "AWS/ECS", "CPUUtilization", "Percent", 70, service],
      ["memory", names[1], "AWS/ECS", "MemoryUtilization", "Percent", 80, service],
      ["messages-delayed", names[2], "AWS/SQS", "ApproximateNumberOfMessagesDelayed", "Count", 5, { QueueName: `${s.prefix}-queue` }],
    ] as const) {
      const a = alarm(kind);
      assert.deepEqual([a.name, a.namespace, a.metricName, a.unit, a.threshold, a.dimensions], [name, namespace, metricName, unit, threshold, dimensions], kind);
      for (const [key, value] of Object.entries(common)) assert.equal(a[key], value, `${kind} ${key}`);
    }
    assert.equal((await build(minimal())).ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.includes("-rollback-")).length, 0);
  });

  it("attaches more security groups beside the component's own", async () => {
    const s = await build({ ...minimal(), vpcId: "vpc-byo", subnetIds: ["subnet-byo-1"], securityGroupIds: ["sg-0123456789abcdef0"] });
    assert.deepEqual((s.one(SVC).inputs.networkConfiguration as { securityGroups: string[] }).securityGroups, [`${s.prefix}-tasks-id`, "sg-0123456789abcdef0"]);
  });
});
