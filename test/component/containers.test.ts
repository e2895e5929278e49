/**
 * Extra containers and tracing: their container definitions (image, entrypoint, command,
 * environment, dependsOn, essential, ports, cpu/memory, health check), one log group each, the
 * execution role writing exactly those groups and pulling their ECR images; with
 * `observability.tracing: "awsxray"` the ADOT collector (Copilot's container and config), the
 * app waiting for it, and the task role's X-Ray grants.
 */
import assert from "node:assert/strict";
import { COLLECTOR_COMMAND, DEFAULT_COLLECTOR_IMAGE } from "../../component/containers";
import { XRAY_ACTIONS } from "../../component/iam";
import { containerDefs, expectDecisions, rolePolicy } from "./helpers";
import { build, minimal, ACCOUNT, REGION } from "./mocks";

const LG = "aws:cloudwatch/logGroup:LogGroup";
const logStream = (group: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:log-stream:ecs/x/1`;
const repo = (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;

describe("extra containers and tracing", () => {
  it("adds each extra container as given, after the app and the sidecar", async () => {
    const s = await build({
      app: { image: "x", port: 8080, entryPoint: ["/bin/tini", "--"], command: ["serve"], dependsOn: [{ containerName: "proxy", condition: "HEALTHY" }], dockerLabels: { team: "a" } },
      extraContainers: [
        {
          name: "proxy",
          image: "fake/envoy:1",
          entryPoint: ["/docker-entrypoint.sh"],
          command: ["envoy", "-c", "/etc/envoy.yaml"],
          environment: { LEVEL: "info" },
          essential: true,
          portMappings: [{ containerPort: 9901 }, { containerPort: 8125, protocol: "udp" }],
          cpu: 64,
          memory: 256,
          memoryReservation: 128,
          healthCheck: { command: ["CMD", "/healthcheck"], interval: 30 },
          user: "101",
          readonlyRootFilesystem: true,
          dockerLabels: { role: "proxy" },
        },
        { name: "warmup", image: "fake/warmup:1", essential: false, dependsOn: [{ containerName: "proxy", condition: "HEALTHY" }] },
      ],
    });
    const c = containerDefs(s);
    assert.deepEqual(c.all.map((d) => d.name), ["app", "sqsd", "proxy", "warmup"]);
    const app = c.byName("app");
    assert.deepEqual([app.entryPoint, app.command, app.dockerLabels], [["/bin/tini", "--"], ["serve"], { team: "a" }]);
    assert.deepEqual(app.dependsOn, [{ containerName: "proxy", condition: "HEALTHY" }]);
    assert.deepEqual(c.byName("proxy"), {
      name: "proxy",
      image: "fake/envoy:1",
      essential: true,
      entryPoint: ["/docker-entrypoint.sh"],
      command: ["envoy", "-c", "/etc/envoy.yaml"],
      environment: [{ name: "LEVEL", value: "info" }],
      portMappings: [
        { containerPort: 9901, protocol: "tcp" },
        { containerPort: 8125, protocol: "udp" },
      ],
      cpu: 64,
      memory: 256,
      memoryReservation: 128,
      healthCheck: { command: ["CMD", "/healthcheck"], interval: 30, timeout: 5, retries: 3, startPeriod: 15 },
      readonlyRootFilesystem: true,
      user: "101",
      dockerLabels: { role: "proxy" },
      stopTimeout: 30,
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": `${s.prefix}-proxy`, "awslogs-region": REGION, "awslogs-stream-prefix": "proxy" } },
    });
    const warmup = c.byName("warmup");
    assert.equal(warmup.essential, false);
    assert.deepEqual(warmup.dependsOn, [{ containerName: "proxy", condition: "HEALTHY" }]);
    // The sidecar still waits for the app only.
    assert.deepEqual(c.byName("sqsd").dependsOn, [{ containerName: "app", condition: "START" }]);
  });

  it("gives each extra container its own log group, written (only) by the execution role", async () => {
    const s = await build({ ...minimal(), logRetentionDays: 14, extraContainers: [{ name: "proxy", image: "fake/envoy:1" }] });
    assert.deepEqual(
      s.ofType(LG).map((g) => [g.name, g.inputs.retentionInDays]),
      [[`${s.prefix}-app`, 14], [`${s.prefix}-sqsd`, 14], [`${s.prefix}-proxy`, 14]],
    );
    await expectDecisions(
      [rolePolicy(s, "execution")],
      [
        ["logs:PutLogEvents", logStream(`${s.prefix}-proxy`), "Allowed"],
        ["logs:PutLogEvents", logStream(`${s.prefix}-app`), "Allowed"],
        ["logs:PutLogEvents", logStream(`${s.prefix}-other`), "ImplicitlyDenied"],
      ],
    );
  });

  it("builds an extra container's image into its own ECR repository and lets the execution role pull it", async () => {
    const s = await build({ ...minimal(), sidecar: { image: "y" }, extraContainers: [{ name: "proxy", build: { context: "./proxy", args: { VERSION: "1.2" }, target: "runtime", cacheFrom: ["fake/proxy:cache"] } }] });
    const image = s.one("awsx:ecr:Image", "proxy").inputs;
    assert.deepEqual([image.context, image.args, image.target, image.cacheFrom], ["./proxy", { VERSION: "1.2" }, "runtime", ["fake/proxy:cache"]]);
    assert.match(containerDefs(s).byName("proxy").image, new RegExp(`^${ACCOUNT}\\.dkr\\.ecr\\.${REGION}\\.amazonaws\\.com/${s.prefix}-proxy@sha256:`));
    await expectDecisions(
      [rolePolicy(s, "execution")],
      [
        ["ecr:BatchGetImage", repo(`${s.prefix}-proxy`), "Allowed"],
        ["ecr:BatchGetImage", repo(`${s.prefix}-other`), "ImplicitlyDenied"],
      ],
    );
  });

  it('tracing "awsxray": the ADOT collector with its own log group, not essential, started before the app', async () => {
    const s = await build({ ...minimal(), observability: { tracing: "awsxray" } });
    const c = containerDefs(s);
    assert.deepEqual(c.all.map((d) => d.name), ["app", "sqsd", "aws-otel-collector"]);
    assert.deepEqual(c.byName("aws-otel-collector"), {
      name: "aws-otel-collector",
      image: DEFAULT_COLLECTOR_IMAGE,
      essential: false,
      command: COLLECTOR_COMMAND,
      stopTimeout: 30,
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": `${s.prefix}-aws-otel-collector`, "awslogs-region": REGION, "awslogs-stream-prefix": "aws-otel-collector" } },
    });
    assert.deepEqual(COLLECTOR_COMMAND, ["--config=/etc/ecs/ecs-xray.yaml"]);
    assert.equal(DEFAULT_COLLECTOR_IMAGE, "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3");
    assert.deepEqual(c.byName("app").dependsOn, [{ containerName: "aws-otel-collector", condition: "START" }]);
    assert.ok(s.ofType(LG).some((g) => g.name === `${s.prefix}-aws-otel-collector`));
    const mirrored = await build({ ...minimal(), observability: { tracing: "awsxray", collectorImage: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/adot:v0.43.3` } });
    assert.equal(containerDefs(mirrored).byName("aws-otel-collector").image, `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/adot:v0.43.3`);
    await expectDecisions([rolePolicy(mirrored, "execution")], [["ecr:BatchGetImage", repo("adot"), "Allowed"]]);
    // Without tracing: no collector, no dependency on it.
    const off = containerDefs(await build(minimal()));
    assert.deepEqual(off.all.map((d) => d.name), ["app", "sqsd"]);
    assert.equal(off.byName("app").dependsOn, undefined);
  });

  it("tracing: the task role may write traces and read sampling rules, nothing more of X-Ray", async () => {
    const s = await build({ ...minimal(), observability: { tracing: "awsxray" } });
    await expectDecisions(
      [rolePolicy(s, "task")],
      [
        ...XRAY_ACTIONS.map((action): [string, string, string] => [action, "*", "Allowed"]),
        ["xray:GetTraceSummaries", "*", "ImplicitlyDenied"],
        ["xray:BatchGetTraces", "*", "ImplicitlyDenied"],
        ["xray:CreateSamplingRule", `arn:aws:xray:${REGION}:${ACCOUNT}:sampling-rule/r`, "ImplicitlyDenied"],
        ["xray:DeleteSamplingRule", `arn:aws:xray:${REGION}:${ACCOUNT}:sampling-rule/r`, "ImplicitlyDenied"],
        ["logs:CreateLogGroup", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:x`, "ImplicitlyDenied"],
      ],
    );
    await expectDecisions([rolePolicy(await build(minimal()), "task")], [["xray:PutTraceSegments", "*", "ImplicitlyDenied"]]);
  });

  it("VPC endpoints for what the tasks then call: Secrets Manager, SSM, X-Ray", async () => {
    const services = async (args: Parameters<typeof build>[0]) =>
      (await build({ ...args, vpcEndpoints: true })).ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.inputs.serviceName).split(".").slice(3).join("."))
        .sort();
    assert.deepEqual(await services(minimal()), ["ecr.api", "ecr.dkr", "logs", "s3", "sqs", "sts"]);
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`;
    assert.deepEqual(
      await services({ app: { image: "x", secrets: { A: { secretsManagerArn: arn }, B: { ssmParameter: "/b" } } }, observability: { tracing: "awsxray" } }),
      ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager", "sqs", "ssm", "sts", "xray"],
    );
    assert.deepEqual(await services({ app: { image: "x", repositoryCredentials: { secretArn: arn } } }), ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager", "sqs", "sts"]);
  });
});
