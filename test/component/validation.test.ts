import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { COMPONENT_SIDECAR_OPTIONS, sidecarEnvironment } from "../../component/sidecar-env";
import { validateArgs, WorkerEnvironmentArgsError } from "../../component/validation";

const base = (): WorkerEnvironmentArgs => ({ app: { image: "public.ecr.aws/fake/app:1" } });
const STD_TOPIC = "arn:aws:sns:us-east-1:123456789012:orders";
const HC = ["CMD-SHELL", "true"];
const CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/shared";

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
    assert.deepEqual(s.scaling, { minCount: 0, maxCount: 4, scaleInCooldown: 300, scaleOutCooldown: 360, targetBacklogPerTask: 30 });
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
    // SNS delivers to a FIFO queue only from a FIFO topic.
    ["FIFO queue, standard topic", { queue: { fifo: true }, snsSubscriptions: [{ topicArn: STD_TOPIC }] }, /snsSubscriptions\[0\]\.topicArn: "arn:aws:sns:us-east-1:123456789012:orders" is a standard topic, and SNS delivers to a FIFO queue only from a FIFO topic; subscribe a FIFO topic/],
    ["existing FIFO queue, standard topic", { existingQueue: { url: "u", arn: "a", fifo: true }, snsSubscriptions: [{ topicArn: STD_TOPIC }] }, /snsSubscriptions\[0\]\.topicArn: .* is a standard topic/],
    // ECS's health check ranges.
    ["health check interval", { app: { image: "x", healthCheck: { command: HC, interval: 4 } } }, /app\.healthCheck\.interval: 4 is out of range; use a whole number from 5 to 300/],
    ["health check timeout", { app: { image: "x", healthCheck: { command: HC, timeout: 61 } } }, /app\.healthCheck\.timeout: 61 is out of range; use a whole number from 2 to 60/],
    ["health check retries", { app: { image: "x", healthCheck: { command: HC, retries: 11 } } }, /app\.healthCheck\.retries: 11 is out of range; use a whole number from 1 to 10/],
    ["health check start period", { app: { image: "x", healthCheck: { command: HC, startPeriod: 301 } } }, /app\.healthCheck\.startPeriod: 301 is out of range; use a whole number from 0 to 300/],
    ["health check command", { app: { image: "x", healthCheck: { command: ["curl", "-f", "http://127.0.0.1/"] } } }, /app\.healthCheck\.command: .* is not an ECS health check command; start it with "CMD" .* or "CMD-SHELL"/],
    // A given cluster's Container Insights cannot be seen: scaling needs it stated.
    ["scaling on a given cluster without the statement", { clusterArn: CLUSTER, scaling: {} }, /containerInsights: .*whether the given clusterArn has Container Insights on cannot be checked at preview; turn it on .*aws ecs update-cluster-settings --cluster <cluster-name> --settings name=containerInsights,value=enabled.* and set containerInsights: true/],
    // sidecar.environment: what the daemon would refuse, and what the component sets itself.
    ["sidecar env the daemon refuses", { sidecar: { environment: { WaitTime: "0" } } }, /sidecar\.environment\.WaitTime: the sidecar refuses "0": must be a whole number from 1 to 20 seconds, and would exit on every task start; give a valid value/],
    ["sidecar env out of the option's range", { sidecar: { environment: { ReceiveAhead: "9" } } }, /sidecar\.environment\.ReceiveAhead: the sidecar refuses "9": must be a whole number from 1 to 5, and would exit on every task start; give a valid value/],
    ["sidecar env not a URL", { sidecar: { environment: { Endpoint: "localhost:4566" } } }, /sidecar\.environment\.Endpoint: the sidecar refuses "localhost:4566": must be an http:\/\/ or https:\/\/ URL/],
    ["sidecar env set by the component", { sidecar: { environment: { HttpConnections: "1000" } } }, /sidecar\.environment\.HttpConnections: the component sets HttpConnections itself; set sidecar\.httpConnections instead/],
    ["sidecar env queue URL", { sidecar: { environment: { WorkerQueueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/other" } } }, /sidecar\.environment\.WorkerQueueURL: the component sets WorkerQueueURL itself; set queue \(a new queue\) or existingQueue\.url instead/],
    ["sidecar status port off under the liveness check", { sidecar: { environment: { StatusPort: "0" } } }, /sidecar\.environment\.StatusPort: "0" turns off the \/livez endpoint .*; drop it, or set sidecar\.livenessCheck: false/],
  ];
  for (const [title, extra, message] of cases) {
    it(`rejects ${title}`, () => assert.match(problems(extra), message));
  }

  it("accepts what the new checks must not refuse", () => {
    const ok: Array<Partial<WorkerEnvironmentArgs>> = [
      { queue: { fifo: true }, snsSubscriptions: [{ topicArn: `${STD_TOPIC}.fifo` }] },
      // A FIFO topic may deliver to a standard queue.
      { snsSubscriptions: [{ topicArn: `${STD_TOPIC}.fifo` }] },
      // Known only at deploy time: left to SNS.
      { queue: { fifo: true }, snsSubscriptions: [{ topicArn: pulumi.output(STD_TOPIC) }] },
      { app: { image: "x", healthCheck: { command: ["CMD", "true"], interval: 5, timeout: 60, retries: 1, startPeriod: 0 } } },
      { app: { image: "x", healthCheck: { command: HC, interval: 300, timeout: 2, retries: 10, startPeriod: 300 } } },
      { clusterArn: CLUSTER, scaling: {}, containerInsights: true },
      // Without scaling nothing reads Container Insights.
      { clusterArn: CLUSTER },
      { sidecar: { environment: { HmacSecret: "fake-secret", MaxMessages: "5", WaitTime: "10", Endpoint: "http://127.0.0.1:4566" } } },
      // Values known only at deploy time are not parsed here.
      { sidecar: { environment: { WaitTime: pulumi.output("0") } } },
      { sidecar: { image: "ghcr.io/fake/sqsd:1", environment: { StatusPort: "0" } } },
    ];
    for (const extra of ok) assert.doesNotThrow(() => validateArgs("t", { ...base(), ...extra }), JSON.stringify(extra));
  });

  it("names every option the component sets, with the argument that sets it", () => {
    const settings = validateArgs("t", base());
    const env = sidecarEnvironment({ ...base(), app: { image: "x", healthCheckPath: "/h" } }, settings, "https://sqs.us-east-1.amazonaws.com/1/q", "us-east-1");
    assert.deepEqual(Object.keys(COMPONENT_SIDECAR_OPTIONS).sort(), Object.keys(env).sort());
  });

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
