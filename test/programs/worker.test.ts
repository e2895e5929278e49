/**
 * programs/worker under Pulumi mocks: the program's config rules, and what `pulumi up` at the
 * repository root registers (the app and sidecar containers, the image build, scaling).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { readFileSync } from "node:fs";
import { containers, envOf, loadProgram, registeredBy, setWorkerConfig, valueOf, ACCOUNT, REGION, type Resources } from "./program-mocks";
import { APP_DIR, APP_PORT, parseWorkerConfig, workerArgs, WORKER_DEFAULTS } from "../../programs/worker/worker";
import { REPO_ROOT } from "../support/sidecar-process";

type WorkerModule = typeof import("../../programs/worker/index");

describe("programs/worker: config", () => {
  it("defaults to scaling from 0 to 3 tasks, for a 60 s latency at 1 s a message", () => {
    const expected = { minCount: 0, maxCount: 3, acceptableLatency: 60, messageProcessingTime: 1 };
    assert.deepEqual(parseWorkerConfig({ region: "eu-west-1" }), { region: "eu-west-1", ...expected });
    assert.deepEqual(WORKER_DEFAULTS, expected);
  });

  it("parses numbers from config strings", () => {
    const c = parseWorkerConfig({ region: "us-east-1", minCount: "1", maxCount: "5", acceptableLatency: "30", messageProcessingTime: "0.5" });
    assert.deepEqual(c, { region: "us-east-1", minCount: 1, maxCount: 5, acceptableLatency: 30, messageProcessingTime: 0.5 });
  });

  it("lists every problem at once", () => {
    assert.throws(
      () => parseWorkerConfig({ minCount: "5", maxCount: "2", acceptableLatency: "soon", messageProcessingTime: "0" }),
      (err: Error) => {
        assert.match(err.message, /aws:region: required/);
        assert.match(err.message, /acceptableLatency: expected a non-negative number, got "soon"/);
        assert.match(err.message, /minCount \(5\) must not exceed maxCount \(2\)/);
        assert.match(err.message, /messageProcessingTime: must be positive/);
        return true;
      },
    );
    assert.throws(() => parseWorkerConfig({ region: "us-east-1", maxCount: "2.5" }), /maxCount: expected a non-negative integer/);
  });

  it("builds the app from programs/worker/app, an absolute context", () => {
    const args = workerArgs(parseWorkerConfig({ region: "us-east-1" }));
    assert.equal(args.app.build?.context, path.join(REPO_ROOT, "programs", "worker", "app"));
    assert.ok(path.isAbsolute(APP_DIR));
    assert.equal(args.app.image, undefined);
    assert.equal(args.app.port, 8080);
  });

  it("the app's Dockerfile serves on the port the sidecar posts to, as a non-root user", () => {
    const dockerfile = readFileSync(path.join(APP_DIR, "Dockerfile"), "utf8");
    assert.match(dockerfile, new RegExp(`--bind", "0\\.0\\.0\\.0:${APP_PORT}"`));
    assert.match(dockerfile, /^USER 10001$/m);
    const requirements = readFileSync(path.join(APP_DIR, "requirements.txt"), "utf8");
    assert.match(requirements, /^Flask==\d+\.\d+\.\d+$/m);
    assert.match(requirements, /^gunicorn==\d+\.\d+\.\d+$/m);
  });

  it("the root Pulumi.yaml runs this program", () => {
    const project = readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
    assert.match(project, /^name: sqsd-worker$/m);
    assert.match(project, /^main: programs\/worker\/index\.ts$/m);
    assert.match(project, /^ {2}name: nodejs$/m);
  });
});

describe("programs/worker: the program under mocks", function () {
  let program: WorkerModule;
  let r: Resources;

  before(async () => {
    setWorkerConfig();
    const loaded = await registeredBy(() => loadProgram<WorkerModule>("programs/worker/index"));
    program = loaded.module;
    r = loaded.resources;
  });

  it("registers one WorkerEnvironment named after the stack", () => {
    assert.equal(r.one("sqsd-worker:index:WorkerEnvironment").name, "worker-test");
  });

  it("builds the Flask app image from programs/worker/app for the task's platform", () => {
    const image = r.one("awsx:ecr:Image", "worker-test-app");
    assert.equal(image.inputs.context, APP_DIR);
    assert.equal(image.inputs.platform, "linux/amd64");
  });

  it("runs the app container on port 8080 with a health check on /health", () => {
    const app = containers(r).get("app");
    assert.ok(app, "app container");
    assert.equal(app.essential, true);
    assert.equal(app.image, `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/worker-test-app@sha256:${"0".repeat(64)}`);
    assert.deepEqual(app.portMappings, [{ containerPort: 8080, protocol: "tcp" }]);
    assert.deepEqual(app.healthCheck?.command.slice(0, 3), ["CMD", "python", "-c"]);
    assert.match(app.healthCheck?.command[3] ?? "", /http:\/\/127\.0\.0\.1:8080\/health/);
  });

  it("runs the sqsd sidecar posting to the app and waiting for it to be healthy", () => {
    const all = containers(r);
    assert.deepEqual([...all.keys()], ["app", "sqsd"]);
    const sqsd = all.get("sqsd");
    const env = envOf(sqsd);
    assert.equal(env.HttpUrl, "http://127.0.0.1:8080/");
    assert.equal(env.HttpPath, "/");
    assert.equal(env.HealthCheckPath, "/health");
    assert.equal(env.WorkerQueueURL, `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/worker-test-queue`);
    assert.equal(env.Region, REGION);
    assert.deepEqual(sqsd?.dependsOn, [{ containerName: "app", condition: "HEALTHY" }]);
    assert.match(sqsd?.image ?? "", /worker-test-sqsd@sha256:/);
  });

  it("scales between the configured counts", () => {
    const target = r.one("aws:appautoscaling/target:Target");
    assert.equal(target.inputs.minCapacity, 0);
    assert.equal(target.inputs.maxCapacity, 4);
    // minCount 0: the wake-from-zero and sleep-to-zero step policies exist next to target tracking.
    const policies = r.ofType("aws:appautoscaling/policy:Policy").map((p) => `${p.name} ${String(p.inputs.policyType)}`);
    assert.deepEqual(policies.sort(), ["worker-test-backlog TargetTrackingScaling", "worker-test-sleep StepScaling", "worker-test-wake StepScaling"]);
    const tracking = r.ofType("aws:appautoscaling/policy:Policy").find((p) => p.inputs.policyType === "TargetTrackingScaling");
    const config = tracking?.inputs.targetTrackingScalingPolicyConfiguration as { targetValue?: number } | undefined;
    assert.equal(config?.targetValue, 60, "floor(120 s / 2 s)");
  });

  it("exports where to send messages and where to read the logs", async () => {
    assert.equal(program.region, REGION);
    assert.equal(await valueOf(program.queueUrl), `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/worker-test-queue`);
    assert.equal(await valueOf(program.queueArn), `arn:aws:sqs:${REGION}:${ACCOUNT}:worker-test-queue`);
    assert.match((await valueOf(program.dlqUrl)) ?? "", /worker-test-dlq$/);
    assert.equal(await valueOf(program.appLogGroupName), "worker-test-app");
    assert.equal(await valueOf(program.sidecarLogGroupName), "worker-test-sqsd");
    assert.match((await valueOf(program.dashboardUrl)) ?? "", /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#dashboards\/dashboard\/.*worker-test$/);
    assert.equal(await valueOf(program.serviceName), "worker-test-service");
  });
});
