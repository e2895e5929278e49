import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { defaultSidecarBuild } from "../../component/task";
import { WorkerEnvironmentArgsError } from "../../component/validation";
import { OPTIONS } from "../../sidecar/options";
import { build, minimal, ACCOUNT, REGION, type Stack } from "./mocks";

interface Container {
  name: string;
  image: string;
  essential: boolean;
  user?: string;
  readonlyRootFilesystem?: boolean;
  cpu?: number;
  memoryReservation?: number;
  stopTimeout: number;
  environment: Array<{ name: string; value: string }>;
  dependsOn?: Array<{ containerName: string; condition: string }>;
  healthCheck?: { command: string[]; interval: number };
  linuxParameters?: { initProcessEnabled?: boolean };
  portMappings?: Array<{ containerPort: number }>;
  logConfiguration: { logDriver: string; options: Record<string, string> };
}

const TD = "aws:ecs/taskDefinition:TaskDefinition";

function containers(s: Stack): { app: Container; sqsd: Container; all: Container[] } {
  const all = s.json<Container[]>(TD, "task", "containerDefinitions");
  const find = (n: string) => all.find((c) => c.name === n) ?? assert.fail(`no container ${n}`);
  return { app: find("app"), sqsd: find("sqsd"), all };
}

const env = (c: Container): Record<string, string> => Object.fromEntries(c.environment.map((e) => [e.name, e.value]));

describe("task definition", () => {
  it("has the app and the hardened sidecar", async () => {
    const s = await build(minimal());
    const { app, sqsd, all } = containers(s);
    assert.equal(all.length, 2);
    assert.equal(app.image, "public.ecr.aws/fake/app:1");
    assert.deepEqual(app.portMappings, [{ containerPort: 80, protocol: "tcp" }]);
    assert.equal(sqsd.user, "1000:1000");
    assert.equal(sqsd.readonlyRootFilesystem, true);
    assert.equal(sqsd.essential, true);
    assert.equal(sqsd.cpu, 64);
    assert.equal(sqsd.memoryReservation, 64);
    assert.deepEqual(sqsd.dependsOn, [{ containerName: "app", condition: "START" }]);
    assert.equal(sqsd.stopTimeout, 30);
    assert.equal(app.stopTimeout, 30);
    for (const c of all) {
      assert.equal(c.logConfiguration.logDriver, "awslogs");
      assert.equal(c.logConfiguration.options["awslogs-region"], REGION);
      assert.equal(c.logConfiguration.options["awslogs-group"], `${s.prefix}-${c.name}`);
    }
    const td = s.one(TD, "task").inputs;
    assert.equal(td.networkMode, "awsvpc");
    assert.deepEqual(td.requiresCompatibilities, ["FARGATE"]);
    assert.equal(td.cpu, "256");
    assert.equal(td.memory, "512");
    assert.deepEqual(td.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" });
  });

  it("maps args to the sidecar's Beanstalk option names", async () => {
    const s = await build({
      app: { image: "x", port: 8080, httpPath: "/work", healthCheckPath: "/health" },
      queue: { visibilityTimeoutSeconds: 120, retentionSeconds: 86400 },
      maxRetries: 4,
      sidecar: { image: "fake/sqsd:1", mimeType: "text/plain", httpConnections: 8, connectTimeout: 3, inactivityTimeout: 100, errorVisibilityTimeout: 9, drainTimeout: 50, taskProtection: "auto", successStatus: "2xx", logLevel: "debug", environment: { HmacSecret: "fake-secret" } },
    });
    const { sqsd, app } = containers(s);
    assert.deepEqual(env(sqsd), {
      WorkerQueueURL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${s.prefix}-queue`,
      Region: REGION,
      HttpUrl: "http://127.0.0.1:8080/",
      HttpPath: "/work",
      MimeType: "text/plain",
      HttpConnections: "8",
      ConnectTimeout: "3",
      InactivityTimeout: "100",
      VisibilityTimeout: "120",
      ErrorVisibilityTimeout: "9",
      RetentionPeriod: "86400",
      MaxRetries: "4",
      DrainTimeout: "50",
      TaskProtection: "auto",
      SuccessStatus: "2xx",
      LogLevel: "debug",
      HealthCheckPath: "/health",
      HmacSecret: "fake-secret",
    });
    assert.equal(sqsd.image, "fake/sqsd:1");
    assert.equal(sqsd.stopTimeout, 55);
    assert.equal(app.stopTimeout, 55);
  });

  it("uses Beanstalk defaults and turns task protection on", async () => {
    const { sqsd } = containers(await build(minimal()));
    const e = env(sqsd);
    assert.equal(e.TaskProtection, "on");
    assert.equal(e.MaxRetries, "10");
    assert.equal(e.VisibilityTimeout, "300");
    assert.equal(e.HttpConnections, "50");
    assert.equal(e.InactivityTimeout, "299");
    assert.equal(e.MimeType, "application/json");
    assert.equal(e.HttpPath, "/");
    assert.equal(e.HealthCheckPath, undefined);
  });

  it("sets only env names that exist in the sidecar's OPTIONS table", async () => {
    const known = new Set<string>(OPTIONS.map((o) => o.name));
    const { sqsd } = containers(await build({ ...minimal(), app: { image: "x", healthCheckPath: "/h" } }));
    const names = sqsd.environment.map((e) => e.name);
    assert.ok(names.includes("WorkerQueueURL") && names.includes("HealthCheckPath"), names.join(", "));
    for (const name of names) assert.ok(known.has(name), `${name} is not a sidecar option`);
  });

  it("waits for HEALTHY when the app has a health check", async () => {
    const { app, sqsd } = containers(await build({ app: { image: "x", healthCheck: { command: ["CMD-SHELL", "true"] }, environment: { A: "1" } } }));
    assert.deepEqual(sqsd.dependsOn, [{ containerName: "app", condition: "HEALTHY" }]);
    assert.deepEqual(app.healthCheck, { command: ["CMD-SHELL", "true"], interval: 10, timeout: 5, retries: 3, startPeriod: 15 });
    assert.deepEqual(app.environment, [{ name: "A", value: "1" }]);
  });

  it("builds the sidecar from sidecar/Dockerfile by default and the app when asked, for ARM64", async () => {
    const tags = { team: "fake-team" };
    const s = await build({ app: { build: { context: "./app" } }, cpuArchitecture: "ARM64", cpu: 1024, memory: 2048, tags });
    const images = s.ofType("awsx:ecr:Image");
    assert.deepEqual(images.map((i) => i.name).sort(), [`${s.prefix}-app`, `${s.prefix}-sqsd`]);
    assert.equal(s.count("awsx:ecr:Repository"), 2);
    for (const repo of s.ofType("awsx:ecr:Repository")) assert.deepEqual(repo.inputs.tags, tags, `${repo.name} carries the tags`);
    const sidecar = s.one("awsx:ecr:Image", "sqsd").inputs;
    assert.equal(sidecar.context, path.resolve(__dirname, "../.."));
    assert.equal(sidecar.dockerfile, path.resolve(__dirname, "../../sidecar/Dockerfile"));
    assert.equal(sidecar.platform, "linux/arm64");
    assert.deepEqual(containers(s).sqsd.healthCheck?.command.slice(0, 3), ["CMD", "node", "-e"]);
    assert.equal(s.one("awsx:ecr:Image", "app").inputs.context, "./app");
    const { app } = containers(s);
    assert.match(app.image, new RegExp(`${ACCOUNT}\\.dkr\\.ecr\\.${REGION}\\.amazonaws\\.com/${s.prefix}-app@sha256:`));
    const td = s.one(TD, "task").inputs;
    assert.deepEqual(td.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" });
    assert.equal(td.cpu, "1024");
  });

  it("builds nothing when both images are given", async () => {
    const built = await build(minimal());
    assert.deepEqual(built.ofType("awsx:ecr:Image").map((i) => i.name), [`${built.prefix}-sqsd`], "the sidecar is built by default");
    assert.equal(built.count("awsx:ecr:Repository"), 1);
    assert.notEqual(containers(built).sqsd.healthCheck, undefined);
    const s = await build({ app: { image: "x" }, sidecar: { image: "y" } });
    assert.equal(s.count("awsx:ecr:Image"), 0);
    assert.equal(s.count("awsx:ecr:Repository"), 0);
    assert.equal(containers(s).sqsd.healthCheck, undefined);
  });

  it("adds the liveness check to a given image when asked (the published sqsd image has Node and /livez)", async () => {
    const s = await build({ app: { image: "x" }, sidecar: { image: "ghcr.io/example/sqsd:0.1.0", livenessCheck: true } });
    assert.equal(s.count("awsx:ecr:Image"), 0);
    assert.equal(containers(s).sqsd.image, "ghcr.io/example/sqsd:0.1.0");
    assert.deepEqual(containers(s).sqsd.healthCheck?.command.slice(0, 3), ["CMD", "node", "-e"]);
    const off = await build({ ...minimal(), sidecar: { livenessCheck: false } });
    assert.equal(containers(off).sqsd.healthCheck, undefined);
  });

  it("fails the preview, saying what to run, when the package's sidecar bundle is not built", () => {
    const root = mkdtempSync(path.join(tmpdir(), "sqsd-nobundle-"));
    mkdirSync(path.join(root, "sidecar"));
    writeFileSync(path.join(root, "sidecar", "Dockerfile"), "FROM scratch\n");
    assert.throws(
      () => defaultSidecarBuild("w", root),
      (err: Error) => err instanceof WorkerEnvironmentArgsError && /dist\/sqsd\.cjs is missing: run `npm run build`.*or set sidecar\.image/.test(err.message),
    );
    mkdirSync(path.join(root, "dist"));
    writeFileSync(path.join(root, "dist", "sqsd.cjs"), "");
    assert.throws(() => defaultSidecarBuild("w", root), /dist\/sqsd-sdk\.cjs is missing: run `npm run build`/, "the SDK file the image copies too");
    writeFileSync(path.join(root, "dist", "sqsd-sdk.cjs"), "");
    assert.deepEqual(defaultSidecarBuild("w", root), { context: root, dockerfile: path.join(root, "sidecar", "Dockerfile") });
  });

  it("ECS Exec: an init process in both containers, the app exec-able, the sidecar still read-only", async () => {
    const on = containers(await build({ ...minimal(), enableExecuteCommand: true }));
    for (const c of on.all) assert.deepEqual(c.linuxParameters, { initProcessEnabled: true }, c.name);
    assert.equal(on.sqsd.readonlyRootFilesystem, true);
    assert.equal(on.app.readonlyRootFilesystem, undefined, "ECS Exec needs a writable root file system");
    const off = containers(await build(minimal()));
    for (const c of off.all) assert.equal(c.linuxParameters, undefined, c.name);
  });

  it("keeps logs for the configured days", async () => {
    const retention = (s: Stack) => s.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => [g.name, g.inputs.retentionInDays]);
    const s = await build({ ...minimal(), logRetentionDays: 7 });
    assert.deepEqual(retention(s), [[`${s.prefix}-app`, 7], [`${s.prefix}-sqsd`, 7]]);
    const d = await build(minimal());
    assert.deepEqual(retention(d), [[`${d.prefix}-app`, 30], [`${d.prefix}-sqsd`, 30]]);
  });
});
