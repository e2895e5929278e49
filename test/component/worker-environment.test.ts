import assert from "node:assert/strict";
import { build, minimal, recorded, settled, valueOf, ACCOUNT, REGION } from "./mocks";
import { WorkerEnvironment } from "../../component";

describe("WorkerEnvironment", () => {
  it("parents every child to the component", async () => {
    const s = await build({ ...minimal(), scaling: { minCount: 0 }, periodicTasks: [{ name: "p", url: "/p", schedule: "@daily" }], vpcEndpoints: true });
    const children = s.all().filter((r) => r.type !== "sqsd-worker:index:WorkerEnvironment");
    assert.ok(children.length > 20, `only ${children.length} children`);
    // The component's transformation sees only resources in its parent chain; all must be direct children.
    const seen = s.seen.filter((r) => r.type !== "sqsd-worker:index:WorkerEnvironment");
    assert.deepEqual(seen.map((r) => `${r.type} ${r.name}`).sort(), children.map((r) => `${r.type} ${r.name}`).sort());
    for (const r of seen) assert.equal(r.parent, s.component, `${r.type} ${r.name}`);
  });

  it("registers the component type token", async () => {
    const s = await build(minimal());
    assert.equal(s.one("sqsd-worker:index:WorkerEnvironment").name, s.prefix);
  });

  it("exposes the outputs", async () => {
    const s = await build(minimal());
    const e = s.env;
    const p = s.prefix;
    assert.equal(await valueOf(e.queueUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${p}-queue`);
    assert.equal(await valueOf(e.queueArn), `arn:aws:sqs:${REGION}:${ACCOUNT}:${p}-queue`);
    assert.equal(await valueOf(e.dlqArn), `arn:aws:sqs:${REGION}:${ACCOUNT}:${p}-dlq`);
    assert.equal(await valueOf(e.dlqUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${p}-dlq`);
    assert.equal(await valueOf(e.clusterName), `${p}-cluster`);
    assert.equal(await valueOf(e.clusterArn), `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${p}-cluster`);
    assert.equal(await valueOf(e.serviceName), `${p}-service`);
    assert.equal(await valueOf(e.serviceArn), `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${p}-cluster/${p}-service`);
    assert.equal(await valueOf(e.taskDefinitionArn), `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${p}:1`);
    assert.equal(await valueOf(e.taskRoleArn), `arn:aws:iam::${ACCOUNT}:role/${p}-task`);
    assert.equal(await valueOf(e.executionRoleArn), `arn:aws:iam::${ACCOUNT}:role/${p}-execution`);
    assert.equal(await valueOf(e.appLogGroupName), `${p}-app`);
    assert.equal(await valueOf(e.sidecarLogGroupName), `${p}-sqsd`);
    assert.equal(await valueOf(e.securityGroupId), `${p}-tasks-id`);
    assert.equal(await valueOf(e.vpcId), "vpc-0fake");
    assert.deepEqual(await valueOf(e.subnetIds), ["subnet-priv-a", "subnet-priv-b"]);
  });

  it("fails at construction, before any child exists, on invalid args", async () => {
    const before = recorded.length;
    assert.throws(
      () => new WorkerEnvironment("invalid", { ...minimal(), cpu: 256, memory: 8192, vpcId: "vpc-1" }),
      /WorkerEnvironment "invalid" has invalid arguments:\n- subnetIds: required with vpcId.*\n- cpu\/memory: memory 8192 MiB/s,
    );
    await settled();
    // super() registers the component before the checks run; that registration is seen, no child's is.
    const registered = recorded.slice(before).filter((r) => r.name === "invalid" || r.name.startsWith("invalid-"));
    assert.deepEqual(registered.map((r) => `${r.type} ${r.name}`), ["sqsd-worker:index:WorkerEnvironment invalid"]);
  });
});
