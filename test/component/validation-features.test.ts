/**
 * The checks of issue 14's arguments (secrets, environment files, registry credentials, storage,
 * extra containers, tracing, high-throughput FIFO, CPU/memory scaling, deployment): each bad
 * input fails before any resource exists, naming the argument, the problem and the fix; the
 * good neighbours pass; all problems are listed at once.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { ExtraContainer, WorkerEnvironmentArgs } from "../../component/args";
import { validateArgs, WorkerEnvironmentArgsError } from "../../component/validation";

const A = "123456789012";
const DB = `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db-AbCdEf`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/11111111-2222-3333-4444-555555555555`;
const ENV_FILE = "arn:aws:s3:::fake-config-bucket/app.env";
const HC = { command: ["CMD-SHELL", "true"] };
const base = (): WorkerEnvironmentArgs => ({ app: { image: "public.ecr.aws/fake/app:1" } });
const app = (extra: Partial<WorkerEnvironmentArgs["app"]>): Partial<WorkerEnvironmentArgs> => ({ app: { image: "x", ...extra } });
const extra = (...containers: Array<Partial<ExtraContainer>>): Partial<WorkerEnvironmentArgs> => ({
  extraContainers: containers.map((c, i) => ({ name: `c${i}`, image: "fake/c:1", ...c })),
});
const efs = (volume: Record<string, unknown>): Partial<WorkerEnvironmentArgs> => ({
  storage: { efsVolumes: [{ name: "data", fileSystemId: "fs-0123456789abcdef0", containerPath: "/data", ...volume }] },
});

function problems(args: Partial<WorkerEnvironmentArgs>): string[] {
  try {
    validateArgs("t", { ...base(), ...args });
  } catch (err) {
    assert.ok(err instanceof WorkerEnvironmentArgsError, String(err));
    return [...err.problems];
  }
  return [];
}

describe("validation of the migration features (issue 14)", () => {
  const cases: Array<[string, Partial<WorkerEnvironmentArgs>, RegExp]> = [
    // Secrets.
    ["a secret with no source", app({ secrets: { DB: {} } }), /^app\.secrets\.DB: needs exactly one of secretsManagerArn and ssmParameter; name the Secrets Manager/],
    ["a secret with both sources", app({ secrets: { DB: { secretsManagerArn: DB, ssmParameter: "/db" } } }), /^app\.secrets\.DB: needs exactly one of/],
    ["a secret name that is no ARN", app({ secrets: { DB: { secretsManagerArn: "prod/db" } } }), /^app\.secrets\.DB\.secretsManagerArn: "prod\/db" is not a Secrets Manager secret ARN; give the full ARN of the secret, arn:aws:secretsmanager:/],
    ["a partial secret ARN", app({ secrets: { DB: { secretsManagerArn: `arn:aws:secretsmanager:us-east-1:${A}:secret:prod/db` } } }), /^app\.secrets\.DB\.secretsManagerArn: .* is a partial ARN \(no -<6 characters> suffix\), which an IAM grant does not match; give the full ARN/],
    ["a version stage and id", app({ secrets: { DB: { secretsManagerArn: DB, versionStage: "AWSCURRENT", versionId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" } } }), /^app\.secrets\.DB\.versionStage: cannot be combined with versionId/],
    ["a JSON key with a colon", app({ secrets: { DB: { secretsManagerArn: DB, jsonKey: "a:b" } } }), /^app\.secrets\.DB\.jsonKey: "a:b" is empty or holds ":"/],
    ["a JSON key on a parameter", app({ secrets: { DB: { ssmParameter: "/db", jsonKey: "password" } } }), /^app\.secrets\.DB\.jsonKey: applies to a Secrets Manager secret only; drop it/],
    ["a parameter name with spaces", app({ secrets: { DB: { ssmParameter: "my secret!" } } }), /^app\.secrets\.DB\.ssmParameter: "my secret!" is neither an SSM parameter ARN nor a parameter name; give the ARN, or the name/],
    ["a hierarchical name without its leading slash", app({ secrets: { DB: { ssmParameter: "app/db" } } }), /ssmParameter: "app\/db" is neither/],
    ["a reserved parameter prefix", app({ secrets: { DB: { ssmParameter: "/aws/reference/x" } } }), /ssmParameter: "\/aws\/reference\/x" starts with "aws", which Parameter Store reserves/],
    ["a malformed parameter ARN", app({ secrets: { DB: { ssmParameter: `arn:aws:ssm:us-east-1:${A}:param/db` } } }), /ssmParameter: .* is not an SSM parameter ARN/],
    ["a KMS alias", app({ secrets: { DB: { secretsManagerArn: DB, kmsKeyArn: `arn:aws:kms:us-east-1:${A}:alias/app` } } }), /^app\.secrets\.DB\.kmsKeyArn: .* is not a KMS key ARN; give the key's ARN/],
    ["a secret that is also a plain variable", app({ environment: { DB: "plain" }, secrets: { DB: { secretsManagerArn: DB } } }), /^app\.secrets\.DB: DB is also a plain variable in app\.environment; keep one: drop app\.environment\.DB or the secret$/],
    ["a sidecar secret that is no option", { sidecar: { secrets: { Password: { secretsManagerArn: DB } } } }, /^sidecar\.secrets\.Password: is not a sidecar option; use an option name, e\.g\. HmacSecret$/],
    ["a sidecar secret the component sets", { sidecar: { secrets: { WorkerQueueURL: { ssmParameter: "/q" } } } }, /^sidecar\.secrets\.WorkerQueueURL: the component sets WorkerQueueURL itself; set queue/],
    ["a sidecar secret also in its environment", { sidecar: { environment: { HmacSecret: "x" }, secrets: { HmacSecret: { secretsManagerArn: DB } } } }, /^sidecar\.secrets\.HmacSecret: HmacSecret is also a plain variable in sidecar\.environment/],
    ["an extra container's secret", extra({ environment: { T: "1" }, secrets: { T: { ssmParameter: "/t" } } }), /^extraContainers\[0\]\.secrets\.T: T is also a plain variable in extraContainers\[0\]\.environment/],
    // Environment files and registry credentials.
    ["an environment file that is no S3 ARN", app({ environmentFiles: ["s3://bucket/app.env"] }), /^app\.environmentFiles\[0\]: "s3:\/\/bucket\/app\.env" is not the S3 object ARN of a \.env file; give arn:aws:s3:::<bucket>\/<key>\.env/],
    ["an environment file without .env", app({ environmentFiles: ["arn:aws:s3:::bucket/app.txt"] }), /^app\.environmentFiles\[0\]: .* is not the S3 object ARN of a \.env file/],
    ["eleven environment files", app({ environmentFiles: Array.from({ length: 11 }, () => ENV_FILE) }), /^app\.environmentFiles: 11 files; ECS takes at most 10 per container/],
    ["registry credentials by name", app({ repositoryCredentials: { secretArn: "registry" } }), /^app\.repositoryCredentials\.secretArn: "registry" is not a Secrets Manager secret ARN/],
    ["a read-only app with ECS Exec", { ...app({ readonlyRootFilesystem: true }), enableExecuteCommand: true }, /^app\.readonlyRootFilesystem: ECS Exec needs a writable root file system/],
    // Storage.
    ["20 GiB of ephemeral storage", { storage: { ephemeralStorageGiB: 20 } }, /^storage\.ephemeralStorageGiB: 20 is out of range; use a whole number from 21 to 200$/],
    ["201 GiB of ephemeral storage", { storage: { ephemeralStorageGiB: 201 } }, /^storage\.ephemeralStorageGiB: 201 is out of range/],
    ["a file system ARN for its id", efs({ fileSystemId: `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-0123456789abcdef0` }), /^storage\.efsVolumes\[0\]\.fileSystemId: .* is not an EFS file system id; give the id, "fs-" and hex digits/],
    ["a bad access point id", efs({ accessPointId: "ap-1" }), /^storage\.efsVolumes\[0\]\.accessPointId: "ap-1" is not an EFS access point id/],
    ["a root directory with an access point", efs({ accessPointId: "fsap-0123456789abcdef0", rootDirectory: "/data" }), /^storage\.efsVolumes\[0\]\.rootDirectory: set with accessPointId/],
    ["a relative root directory", efs({ rootDirectory: "data" }), /^storage\.efsVolumes\[0\]\.rootDirectory: "data" is not an EFS directory path/],
    ["a relative mount path", efs({ containerPath: "data" }), /^storage\.efsVolumes\[0\]\.containerPath: "data" is not an absolute path; start it with "\/"/],
    ["a volume mounted nowhere", efs({ containerPath: undefined }), /^storage\.efsVolumes\[0\]: volume "data" is mounted nowhere; set containerPath/],
    ["readOnly without a mount in the app", { ...efs({ containerPath: undefined, readOnly: false }), ...extra({ mountPoints: [{ sourceVolume: "data", containerPath: "/d" }] }) }, /^storage\.efsVolumes\[0\]\.readOnly: applies to the app's mount, and containerPath is not set/],
    ["a bad volume name", efs({ name: "my data" }), /^storage\.efsVolumes\[0\]\.name: "my data" is not a volume name/],
    ["two volumes of one name", { storage: { efsVolumes: [{ name: "d", fileSystemId: "fs-01234567", containerPath: "/a" }, { name: "d", fileSystemId: "fs-01234567", containerPath: "/b" }] } }, /^storage\.efsVolumes\[1\]\.name: "d" is used twice/],
    ["two volumes at one path", { storage: { efsVolumes: [{ name: "a", fileSystemId: "fs-01234567", containerPath: "/d" }, { name: "b", fileSystemId: "fs-01234567", containerPath: "/d" }] } }, /^storage\.efsVolumes\[1\]\.containerPath: "\/d" is where another volume is mounted in the app/],
    ["a mount of an unknown volume", { ...efs({}), ...extra({ mountPoints: [{ sourceVolume: "cache", containerPath: "/c" }] }) }, /^extraContainers\[0\]\.mountPoints\[0\]\.sourceVolume: "cache" is not a volume of storage\.efsVolumes; name one of "data"$/],
    // Extra containers.
    ["an extra container named app", extra({ name: "app" }), /^extraContainers\[0\]\.name: "app" is the name of a container the component creates; choose another name$/],
    ["an extra container named like the collector", extra({ name: "aws-otel-collector" }), /^extraContainers\[0\]\.name: "aws-otel-collector" is the name of a container/],
    ["a bad container name", extra({ name: "my proxy" }), /^extraContainers\[0\]\.name: "my proxy" is not a container name/],
    ["two extra containers of one name", extra({ name: "p" }, { name: "p" }), /^extraContainers\[1\]\.name: "p" is used twice/],
    ["an extra container with image and build", extra({ build: { context: "." } }), /^extraContainers\[0\]: needs exactly one of image and build/],
    ["a dependency on no container", extra({ dependsOn: [{ containerName: "db" }] }), /^extraContainers\[0\]\.dependsOn\[0\]\.containerName: "db" is not a container of the task; name one of "app", "sqsd", "c0"$/],
    ["a dependency on itself", extra({ dependsOn: [{ containerName: "c0" }] }), /^extraContainers\[0\]\.dependsOn\[0\]\.containerName: "c0" cannot wait for itself/],
    ["a bad condition", extra({ dependsOn: [{ containerName: "app", condition: "READY" }] }), /^extraContainers\[0\]\.dependsOn\[0\]\.condition: "READY" is not supported; use one of "START", "COMPLETE", "SUCCESS", "HEALTHY"$/],
    ["HEALTHY without a health check", app({ dependsOn: [{ containerName: "c0", condition: "HEALTHY" }] }), /^app\.dependsOn\[0\]\.containerName: "c0" is not a container/],
    ["HEALTHY on a container without a health check", { ...app({ dependsOn: [{ containerName: "c0", condition: "HEALTHY" }] }), ...extra({}) }, /^app\.dependsOn\[0\]\.condition: HEALTHY, but "c0" has no health check; give "c0" a healthCheck, or wait for START$/],
    ["SUCCESS of an essential container", { ...app({ dependsOn: [{ containerName: "c0", condition: "SUCCESS" }] }), ...extra({}) }, /^app\.dependsOn\[0\]\.condition: SUCCESS, but "c0" is essential: it exiting stops the task; make "c0" essential: false/],
    ["a dependency cycle through the sidecar", { ...app({ dependsOn: [{ containerName: "c0" }] }), ...extra({ dependsOn: [{ containerName: "sqsd" }] }) }, /^app\.dependsOn: the containers wait for each other in a cycle \(app → c0 → sqsd → app; the sqsd sidecar always waits for the app\); remove one of these dependencies$/],
    ["a port the app uses", extra({ portMappings: [{ containerPort: 80 }] }), /^extraContainers\[0\]\.portMappings\[0\]\.containerPort: 80\/tcp is taken by the app \(app\.port\); the task's containers share one network namespace; use another port$/],
    ["the sidecar's status port", extra({ portMappings: [{ containerPort: 9321 }] }), /9321\/tcp is taken by the sqsd sidecar's StatusPort/],
    ["the collector's port", { ...extra({ portMappings: [{ containerPort: 4317 }] }), observability: { tracing: "awsxray" } }, /4317\/tcp is taken by the aws-otel-collector container/],
    ["one port in two containers", extra({ portMappings: [{ containerPort: 8125, protocol: "udp" }] }, { portMappings: [{ containerPort: 8125, protocol: "udp" }] }), /^extraContainers\[1\]\.portMappings\[0\]\.containerPort: 8125\/udp is taken by extraContainers\[0\] \("c0"\)/],
    ["a bad protocol", extra({ portMappings: [{ containerPort: 8125, protocol: "sctp" }] }), /^extraContainers\[0\]\.portMappings\[0\]\.protocol: "sctp" is not supported; use one of "tcp", "udp"$/],
    ["a port out of range", extra({ portMappings: [{ containerPort: 0 }] }), /^extraContainers\[0\]\.portMappings\[0\]\.containerPort: 0 is out of range/],
    ["more CPU than the task has", extra({ cpu: 200 }), /^extraContainers\[\]\.cpu: the containers reserve 264 CPU units \(the sqsd sidecar 64\), more than the task's cpu 256; reserve less, or raise cpu$/],
    ["more memory than the task has", extra({ memoryReservation: 300 }, { memory: 200 }), /^extraContainers\[\]\.memoryReservation: the containers reserve 564 MiB \(the sqsd sidecar 64\), more than the task's memory 512/],
    ["a reservation above the limit", extra({ memory: 100, memoryReservation: 100 }), /^extraContainers\[0\]\.memoryReservation: 100 MiB is not below memory 100 MiB/],
    ["less than 6 MiB", extra({ memory: 4 }), /^extraContainers\[0\]\.memory: 4 is out of range; use a whole number from 6 to 512$/],
    ["an extra container's health check", extra({ healthCheck: { command: ["true"] } }), /^extraContainers\[0\]\.healthCheck\.command: \["true"\] is not an ECS health check command/],
    // Tracing.
    ["an unknown tracing vendor", { observability: { tracing: "jaeger" } }, /^observability\.tracing: "jaeger" is not supported; use one of "awsxray"$/],
    ["a collector image without tracing", { observability: { collectorImage: "x" } }, /^observability\.collectorImage: given without tracing/],
    ["the public collector image without NAT", { observability: { tracing: "awsxray" }, vpc: { natStrategy: "None" }, vpcEndpoints: true }, /^observability\.collectorImage: vpc\.natStrategy "None" leaves the tasks no way to a registry outside ECR/],
    // High-throughput FIFO.
    ["an unknown deduplication scope", { queue: { fifo: true, deduplicationScope: "group" } }, /^queue\.deduplicationScope: "group" is not supported; use one of "queue", "messageGroup"$/],
    ["an unknown throughput limit", { queue: { fifo: true, deduplicationScope: "messageGroup", fifoThroughputLimit: "perGroup" } }, /^queue\.fifoThroughputLimit: "perGroup" is not supported/],
    ["FIFO settings on a standard queue", { queue: { deduplicationScope: "messageGroup" } }, /^queue\.deduplicationScope: only applies to FIFO queues; set queue\.fifo: true or drop it$/],
    ["high throughput on a standard queue", { queue: { highThroughput: true } }, /^queue\.highThroughput: only applies to FIFO queues/],
    ["perMessageGroupId with queue deduplication", { queue: { fifo: true, fifoThroughputLimit: "perMessageGroupId" } }, /^queue\.fifoThroughputLimit: "perMessageGroupId" needs deduplicationScope "messageGroup" \(SQS refuses it with the default "queue"\); set deduplicationScope: "messageGroup" too/],
    ["highThroughput beside the attributes", { queue: { fifo: true, highThroughput: true, deduplicationScope: "messageGroup" } }, /^queue\.highThroughput: sets deduplicationScope and fifoThroughputLimit itself/],
    // CPU and memory target tracking.
    ["a CPU target of 0", { scaling: { targetCpuPercent: 0 } }, /^scaling\.targetCpuPercent: 0 is out of range; use from 1 to 100$/],
    ["a memory target above 100", { scaling: { targetMemoryPercent: 120 } }, /^scaling\.targetMemoryPercent: 120 is out of range/],
    ["a security group name for its id", { securityGroupIds: ["db-clients"] }, /^securityGroupIds\[0\]: "db-clients" is not a security group id; give the id, "sg-" and hex digits$/],
    // Deployment.
    ["minHealthyPercent above 100", { deployment: { minHealthyPercent: 101 } }, /^deployment\.minHealthyPercent: 101 is out of range; use a whole number from 0 to 100$/],
    ["maxPercent below 100", { deployment: { maxPercent: 50, minHealthyPercent: 0 } }, /^deployment\.maxPercent: 50 is below 100 or not whole; give a whole number of at least 100/],
    ["a CPU rollback threshold above 100", { deployment: { rollbackOnCpuPercent: 150 } }, /^deployment\.rollbackOnCpuPercent: 150 is out of range; use from 1 to 100$/],
    ["a memory rollback threshold of 0", { deployment: { rollbackOnMemoryPercent: 0 } }, /^deployment\.rollbackOnMemoryPercent: 0 is out of range/],
    ["a fractional delayed-message count", { deployment: { rollbackOnMessagesDelayed: 2.5 } }, /^deployment\.rollbackOnMessagesDelayed: 2\.5 is not a count of messages; give a whole number of at least 1$/],
    ["an empty build target", app({ image: undefined, build: { context: ".", target: "" } }), /^app\.build\.target: is empty/],
    ["maxPercent equal to minHealthyPercent", { deployment: { maxPercent: 100 } }, /^deployment\.maxPercent: 100 is not above minHealthyPercent 100: ECS could neither start a new task nor stop an old one; raise maxPercent or lower minHealthyPercent$/],
    ["an alarm ARN for a name", { deployment: { rollbackAlarmNames: [`arn:aws:cloudwatch:us-east-1:${A}:alarm:x`] } }, /^deployment\.rollbackAlarmNames\[0\]: .* is not a CloudWatch alarm name; give the alarm's name/],
    ["no alarm names", { deployment: { rollbackAlarmNames: [] } }, /^deployment\.rollbackAlarmNames: is empty/],
  ];
  for (const [title, args, message] of cases) {
    it(`rejects ${title}`, () => {
      const found = problems(args);
      assert.ok(found.some((p) => message.test(p)), `expected ${message}, got:\n${found.join("\n")}`);
    });
  }

  it("accepts the good neighbours of each check", () => {
    const ok: Array<Partial<WorkerEnvironmentArgs>> = [
      app({ secrets: { DB: { secretsManagerArn: DB, jsonKey: "password", versionStage: "AWSPREVIOUS", kmsKeyArn: KEY } } }),
      app({ secrets: { DB: { ssmParameter: "/app/db" }, B: { ssmParameter: "db_url.v2" }, C: { ssmParameter: `arn:aws:ssm:eu-west-1:${A}:parameter/app/db` } } }),
      // Known only at deploy time (a secret resource's ARN): not parsed here.
      app({ secrets: { DB: { secretsManagerArn: pulumi.output("whatever") } }, environmentFiles: [pulumi.output("later")] }),
      app({ environmentFiles: Array.from({ length: 10 }, () => ENV_FILE), repositoryCredentials: { secretArn: DB, kmsKeyArn: KEY } }),
      { sidecar: { secrets: { HmacSecret: { secretsManagerArn: DB } } } },
      { ...app({ readonlyRootFilesystem: true }) },
      { storage: { ephemeralStorageGiB: 21 } },
      { storage: { ephemeralStorageGiB: 200 } },
      efs({ accessPointId: "fsap-0123456789abcdef0", rootDirectory: "/" }),
      efs({ rootDirectory: "/exports/data", readOnly: false, rootAccess: true }),
      { ...efs({ containerPath: undefined }), ...extra({ mountPoints: [{ sourceVolume: "data", containerPath: "/d", readOnly: false }] }) },
      extra({ healthCheck: HC, portMappings: [{ containerPort: 8080 }, { containerPort: 8080, protocol: "udp" }], cpu: 192, memoryReservation: 448 }),
      // The app waits for a helper that must finish first; the helper waits for nothing.
      { ...app({ dependsOn: [{ containerName: "c0", condition: "SUCCESS" }, { containerName: "c1", condition: "HEALTHY" }] }), ...extra({ essential: false }, { healthCheck: HC }) },
      { ...extra({ dependsOn: [{ containerName: "app", condition: "START" }, { containerName: "sqsd" }] }) },
      { observability: { tracing: "awsxray" }, ...extra({ portMappings: [{ containerPort: 2000, protocol: "udp" }] }) },
      { observability: { tracing: "awsxray", collectorImage: `${A}.dkr.ecr.us-east-1.amazonaws.com/adot:v0.43.3` }, vpc: { natStrategy: "None" }, vpcEndpoints: true },
      { queue: { fifo: true, highThroughput: true, contentBasedDeduplication: true } },
      { queue: { fifo: true, deduplicationScope: "messageGroup", fifoThroughputLimit: "perMessageGroupId" } },
      { queue: { fifo: true, deduplicationScope: "messageGroup", fifoThroughputLimit: "perQueue" } },
      { scaling: { targetCpuPercent: 1, targetMemoryPercent: 100 } },
      { deployment: { minHealthyPercent: 0, maxPercent: 100, rollbackAlarmNames: ["worker-errors", pulumi.output("later")] } },
      { deployment: { minHealthyPercent: 50, maxPercent: 150 } },
      { securityGroupIds: ["sg-0123456789abcdef0", "sg-01234567", pulumi.output("later")] },
      { deployment: { rollbackOnCpuPercent: 70, rollbackOnMemoryPercent: 100, rollbackOnMessagesDelayed: 1 } },
      app({ image: undefined, build: { context: ".", args: { VERSION: "1" }, target: "runtime", cacheFrom: ["x:latest"] } }),
    ];
    for (const args of ok) assert.deepEqual(problems(args), [], JSON.stringify(args));
  });

  it("lists the new problems with the others, all at once", () => {
    const found = problems({
      cpu: 300,
      app: { image: "x", environment: { DB: "1" }, secrets: { DB: { secretsManagerArn: "db" } } },
      storage: { ephemeralStorageGiB: 10 },
      extraContainers: [{ name: "app", image: "y" }],
      queue: { fifoThroughputLimit: "perMessageGroupId" },
      deployment: { minHealthyPercent: 120 },
    });
    for (const arg of ["cpu/memory", "app.secrets.DB", "app.secrets.DB.secretsManagerArn", "storage.ephemeralStorageGiB", "extraContainers[0].name", "queue.fifoThroughputLimit", "deployment.minHealthyPercent"]) {
      assert.ok(found.some((p) => p.startsWith(`${arg}: `)), `${arg} in:\n${found.join("\n")}`);
    }
  });

  it("carries the resolved FIFO, tracing and deployment settings", () => {
    const s = validateArgs("t", { ...base(), queue: { fifo: true, highThroughput: true }, observability: { tracing: "awsxray" }, deployment: { minHealthyPercent: 50 } });
    assert.deepEqual([s.deduplicationScope, s.fifoThroughputLimit, s.tracing, s.minHealthyPercent, s.maxPercent], ["messageGroup", "perMessageGroupId", true, 50, 200]);
    const d = validateArgs("t", base());
    assert.deepEqual([d.deduplicationScope, d.fifoThroughputLimit, d.tracing, d.minHealthyPercent, d.maxPercent], [undefined, undefined, false, 100, 200]);
    assert.deepEqual(validateArgs("t", { ...base(), scaling: { targetCpuPercent: 70 } }).scaling?.targetCpuPercent, 70);
  });
});
