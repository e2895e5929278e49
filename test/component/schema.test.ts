import assert from "node:assert/strict";
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";

// Pulumi's schema inference (what publishes the component to Python/Go/.NET/YAML) rejects
// unions and intersections: keep WorkerEnvironmentArgs inferable.
describe("schema inference", function () {
  this.timeout(120000);
  it("infers WorkerEnvironment's inputs and outputs, with descriptions", () => {
    const root = path.resolve(__dirname, "../..");
    const result = new Analyzer(root, "sqsd-worker", { name: "sqsd-worker", main: "component/index.ts" }, new Set(["WorkerEnvironment"])).analyze();
    const component = result.components.WorkerEnvironment;
    assert.ok(component, "component not found");
    assert.equal(component.inputs.app?.optional, undefined);
    for (const [name, prop] of Object.entries(component.inputs)) assert.ok(prop.description, `input ${name} has no description`);
    for (const [name, prop] of Object.entries(component.outputs)) assert.ok(prop.description, `output ${name} has no description`);
    for (const name of ["queueUrl", "queueArn", "dlqUrl", "dlqArn", "clusterName", "clusterArn", "serviceName", "serviceArn", "taskDefinitionArn", "taskRoleArn", "executionRoleArn", "appLogGroupName", "sidecarLogGroupName", "securityGroupId", "vpcId", "subnetIds"]) {
      assert.ok(component.outputs[name], `missing output ${name}`);
    }
    for (const type of Object.values(result.typeDefinitions)) {
      for (const [name, prop] of Object.entries(type.properties ?? {})) assert.ok(prop.description, `${type.name}.${name} has no description`);
    }
    const minCount = result.typeDefinitions.ScalingSettings?.properties?.minCount;
    assert.ok(minCount && "type" in minCount && minCount.type === "number" && minCount.plain === true);
  });
});
