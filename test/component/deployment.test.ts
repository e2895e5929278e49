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
});
