import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { validateArgs, WorkerEnvironmentArgsError } from "../../component/validation";

const base = (): WorkerEnvironmentArgs => ({ app: { image: "public.ecr.aws/fake/app:1" } });

function problems(extra: Partial<WorkerEnvironmentArgs>): string {
  try {
    validateArgs("t", { ...base(), ...extra });
  } catch (err) {
    assert.ok(err instanceof WorkerEnvironmentArgsError);
    return err.message;
  }
  assert.fail("expected a validation error");
}

describe("validation", () => {
  it("applies defaults", () => {
    const s = validateArgs("t", base());
    assert.equal(s.cpu, 256);
    assert.equal(s.memory, 512);
    assert.equal(s.cpuArchitecture, "X86_64");
    assert.equal(s.logRetentionDays, 30);
    assert.equal(s.maxRetries, 10);
    assert.equal(s.visibilityTimeout, 300);
    assert.equal(s.retentionSeconds, 345600);
    assert.equal(s.appPort, 80);
    assert.equal(s.httpPath, "/");
    assert.equal(s.drainTimeout, 25);
    assert.equal(s.stopTimeout, 30);
    assert.equal(s.natStrategy, "Single");
    assert.equal(s.desiredCount, 1);
    assert.equal(s.scaling, undefined);
    assert.deepEqual(s.periodicTasks, []);
  });

  it("resolves scaling with min 0 as the initial count", () => {
    const s = validateArgs("t", { ...base(), scaling: { minCount: 0, maxCount: 4, acceptableLatency: 60, messageProcessingTime: 2 } });
    assert.deepEqual(s.scaling, { minCount: 0, maxCount: 4, scaleInCooldown: 300, scaleOutCooldown: 60, targetBacklogPerTask: 30 });
    assert.equal(s.desiredCount, 0);
  });

  const cases: Array<[string, Partial<WorkerEnvironmentArgs>, RegExp]> = [
    ["vpc with vpcId", { vpc: {}, vpcId: "vpc-1", subnetIds: ["s"] }, /vpc: cannot be combined with vpcId; pass vpc to create a VPC, or vpcId \+ subnetIds/],
    ["subnetIds without vpcId", { subnetIds: ["s"] }, /subnetIds: given without vpcId; pass vpcId too/],
    ["vpcId without subnetIds", { vpcId: "vpc-1" }, /subnetIds: required with vpcId/],
    ["routeTableIds without vpcId", { routeTableIds: ["rtb"] }, /routeTableIds: given without vpcId/],
    ["unknown NAT strategy", { vpc: { natStrategy: "Many" } }, /vpc.natStrategy: "Many" is not supported; use one of "None", "Single", "OnePerAz"/],
    ["NAT None without endpoints", { vpc: { natStrategy: "None" } }, /vpc.natStrategy: "None" .* set vpcEndpoints: true/],
    ["queue with existingQueue", { queue: {}, existingQueue: { url: "u", arn: "a" } }, /queue: cannot be combined with existingQueue/],
    ["retention out of range", { queue: { retentionSeconds: 30 } }, /queue.retentionSeconds: 30 is out of range; use a whole number from 60 to 1209600/],
    ["visibility out of range", { queue: { visibilityTimeoutSeconds: 50000 } }, /queue.visibilityTimeoutSeconds/],
    ["delay out of range", { queue: { delaySeconds: 901 } }, /queue.delaySeconds/],
    ["dedup without FIFO", { queue: { contentBasedDeduplication: true } }, /contentBasedDeduplication: only applies to FIFO queues/],
    ["maxRetries from the sidecar table", { maxRetries: 0 }, /maxRetries: 0 is out of range; use a whole number from 1 to 100/],
    ["bad Fargate size", { cpu: 256, memory: 4096 }, /cpu\/memory: memory 4096 MiB is not valid with cpu 256/],
    ["bad Fargate cpu", { cpu: 300 }, /cpu 300 is not a Fargate size/],
    ["unknown cpuArchitecture", { cpuArchitecture: "x86" }, /cpuArchitecture: "x86" is not supported; use one of "X86_64", "ARM64"/],
    ["bad log retention", { logRetentionDays: 2 }, /logRetentionDays: 2 is not a CloudWatch Logs retention/],
    ["min > max", { scaling: { minCount: 5, maxCount: 2 } }, /scaling.minCount: 5 is above maxCount 2; make minCount <= maxCount/],
    ["negative min", { scaling: { minCount: -1 } }, /scaling.minCount: -1 is out of range/],
    ["zero processing time", { scaling: { messageProcessingTime: 0 } }, /messageProcessingTime must be a positive number/],
    ["scaling with desiredCount", { scaling: {}, desiredCount: 2 }, /desiredCount: cannot be combined with scaling/],
    ["scaling without Container Insights", { scaling: {}, containerInsights: false }, /containerInsights: scaling reads/],
    ["bad capacity provider", { capacityProviders: [{ capacityProvider: "EC2" }] }, /capacityProviders\[0\].capacityProvider: "EC2" is not supported/],
    ["empty capacity providers", { capacityProviders: [] }, /capacityProviders: is empty/],
    ["bad drain timeout", { sidecar: { drainTimeout: 200 } }, /sidecar.drainTimeout: 200 is out of range; use from 0 to 115/],
    ["bad taskProtection", { sidecar: { taskProtection: "yes" } }, /sidecar.taskProtection: "yes" is not supported; use one of "auto", "on", "off"/],
    ["bad httpConnections", { sidecar: { httpConnections: 101 } }, /sidecar.httpConnections: 101 is out of range/],
    ["unknown sidecar env", { sidecar: { environment: { NotAnOption: "1" } } }, /sidecar.environment.NotAnOption: is not a sidecar option/],
    ["periodic tasks on FIFO", { queue: { fifo: true }, periodicTasks: [{ name: "a", url: "/a", schedule: "@daily" }] }, /periodic tasks are not supported on FIFO queues/],
    ["periodic tasks on existing FIFO", { existingQueue: { url: "u", arn: "a", fifo: true }, periodicTasks: [{ name: "a", url: "/a", schedule: "@daily" }] }, /not supported on FIFO/],
    ["bad cron", { periodicTasks: [{ name: "a", url: "/a", schedule: "0 0 1 * 1" }] }, /periodic task "a": schedule is not valid: .*restricts both day of month/],
    ["duplicate task name", { periodicTasks: [{ name: "a", url: "/a", schedule: "@daily" }, { name: "a", url: "/b", schedule: "@hourly" }] }, /periodic task "a": duplicate name/],
    ["bad task name", { periodicTasks: [{ name: "a b", url: "/a", schedule: "@daily" }] }, /periodic task "a b": name "a b" is not valid: use 1-64 letters/],
    ["task url not a path", { periodicTasks: [{ name: "a", url: "a", schedule: "@daily" }] }, /periodic task "a": url: path "a" is not a URL path/],
    ["missing cron file", { cronFile: "/nonexistent/cron.yaml" }, /cronFile: .*ENOENT/],
    ["no image and no build", { app: {} }, /app: needs exactly one of image and build/],
    ["image and build", { app: { image: "x", build: { context: "." } } }, /app: needs exactly one of image and build/],
    ["bad port", { app: { image: "x", port: 70000 } }, /app.port: 70000 is out of range/],
    ["httpPath not a path", { app: { image: "x", httpPath: "work" } }, /app.httpPath: "work" is not a path/],
    ["duplicate event rule", { eventRules: [{ name: "r", eventPattern: "{}" }, { name: "r", eventPattern: "{}" }] }, /eventRules "r": duplicate name/],
    ["bad filter scope", { snsSubscriptions: [{ topicArn: "t", filterPolicyScope: "Body" }] }, /filterPolicyScope: "Body" is not supported/],
    ["bad alarm threshold", { alarms: { oldestMessageAgeThreshold: 0 } }, /oldestMessageAgeThreshold: 0 is not positive/],
  ];
  for (const [title, extra, message] of cases) {
    it(`rejects ${title}`, () => assert.match(problems(extra), message));
  }

  it("lists every problem at once, naming the component", () => {
    const message = problems({ cpu: 300, cpuArchitecture: "arm", scaling: { minCount: 3, maxCount: 1 } });
    assert.match(message, /^WorkerEnvironment "t" has invalid arguments:/);
    assert.equal(message.split("\n- ").length, 4);
  });

  it("merges cronFile with inline tasks and checks names across both", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cron-"));
    const file = path.join(dir, "cron.yaml");
    writeFileSync(file, 'version: 1\ncron:\n  - name: backup\n    url: /backup\n    schedule: "0 */12 * * *"\n');
    const s = validateArgs("t", { ...base(), cronFile: file, periodicTasks: [{ name: "audit", url: "/audit", schedule: "0 9 * * 1-5" }] });
    assert.deepEqual(
      s.periodicTasks.map((t) => [t.name, t.expression]),
      [["audit", "cron(0 9 ? * 2-6 *)"], ["backup", "cron(0 0/12 * * ? *)"]],
    );
    assert.match(problems({ cronFile: file, periodicTasks: [{ name: "backup", url: "/b", schedule: "@daily" }] }), /"backup": duplicate name/);
  });
});
