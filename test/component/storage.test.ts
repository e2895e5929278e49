/**
 * Storage: ephemeral storage and EFS volumes in the task definition, mounted into the app and
 * extra containers; the task role's EFS grants on that file system only (through its access
 * point); in a VPC the component creates, mount targets behind a security group admitting NFS
 * from the tasks.
 */
import assert from "node:assert/strict";
import type { WorkerEnvironmentArgs } from "../../component/args";
import { containerDefs, expectDecisions, rolePolicy } from "./helpers";
import { build, minimal, ACCOUNT, REGION } from "./mocks";

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const MT = "aws:efs/mountTarget:MountTarget";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const FS = "fs-0123456789abcdef0";
const AP = "fsap-0123456789abcdef0";
const fsArn = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`;
const apArn = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/${id}`;

const volumes = (extra: Partial<WorkerEnvironmentArgs> = {}): WorkerEnvironmentArgs => ({
  ...minimal(),
  storage: {
    ephemeralStorageGiB: 100,
    efsVolumes: [
      { name: "shared", fileSystemId: FS, accessPointId: AP, containerPath: "/mnt/shared", readOnly: false },
      { name: "models", fileSystemId: "fs-00000000000000001", rootDirectory: "/models", containerPath: "/models" },
    ],
  },
  ...extra,
});

describe("storage", () => {
  it("sizes ephemeral storage and declares the EFS volumes with transit encryption and IAM authorization", async () => {
    const s = await build(volumes());
    const td = s.one(TD, "task").inputs;
    assert.deepEqual(td.ephemeralStorage, { sizeInGib: 100 });
    assert.deepEqual(td.volumes, [
      { name: "shared", efsVolumeConfiguration: { fileSystemId: FS, transitEncryption: "ENABLED", authorizationConfig: { iam: "ENABLED", accessPointId: AP } } },
      { name: "models", efsVolumeConfiguration: { fileSystemId: "fs-00000000000000001", rootDirectory: "/models", transitEncryption: "ENABLED", authorizationConfig: { iam: "ENABLED" } } },
    ]);
    assert.deepEqual(containerDefs(s).byName("app").mountPoints, [
      { sourceVolume: "shared", containerPath: "/mnt/shared", readOnly: false },
      { sourceVolume: "models", containerPath: "/models", readOnly: true },
    ]);
    assert.equal(containerDefs(s).byName("sqsd").mountPoints, undefined, "the sidecar mounts nothing");
    const plain = await build(minimal());
    assert.equal(plain.one(TD, "task").inputs.ephemeralStorage, undefined);
    assert.equal(plain.one(TD, "task").inputs.volumes, undefined);
    assert.equal(containerDefs(plain).byName("app").mountPoints, undefined);
  });

  it("mounts a volume into an extra container, read-only unless said otherwise", async () => {
    const s = await build({
      ...minimal(),
      storage: { efsVolumes: [{ name: "shared", fileSystemId: FS }] },
      extraContainers: [{ name: "sync", image: "fake/sync:1", mountPoints: [{ sourceVolume: "shared", containerPath: "/in" }] }],
    });
    assert.deepEqual(containerDefs(s).byName("sync").mountPoints, [{ sourceVolume: "shared", containerPath: "/in", readOnly: true }]);
    assert.equal(containerDefs(s).byName("app").mountPoints, undefined);
    await expectDecisions([rolePolicy(s, "task")], [["elasticfilesystem:ClientMount", fsArn(FS), "Allowed"], ["elasticfilesystem:ClientWrite", fsArn(FS), "ImplicitlyDenied"]]);
  });

  it("task role: mount (and write where a mount is writable) that file system, through its access point only", async () => {
    const s = await build(volumes());
    const viaAp = { "elasticfilesystem:AccessPointArn": apArn(AP) };
    await expectDecisions(
      [rolePolicy(s, "task")],
      [
        ["elasticfilesystem:ClientMount", fsArn(FS), "Allowed", viaAp],
        ["elasticfilesystem:ClientWrite", fsArn(FS), "Allowed", viaAp],
        ["elasticfilesystem:ClientMount", fsArn(FS), "ImplicitlyDenied"],
        ["elasticfilesystem:ClientMount", fsArn(FS), "ImplicitlyDenied", { "elasticfilesystem:AccessPointArn": apArn("fsap-99999999999999999") }],
        ["elasticfilesystem:ClientRootAccess", fsArn(FS), "ImplicitlyDenied", viaAp],
        // The read-only volume without an access point: mount, not write.
        ["elasticfilesystem:ClientMount", fsArn("fs-00000000000000001"), "Allowed"],
        ["elasticfilesystem:ClientWrite", fsArn("fs-00000000000000001"), "ImplicitlyDenied"],
        ["elasticfilesystem:ClientMount", fsArn("fs-99999999999999999"), "ImplicitlyDenied"],
        ["elasticfilesystem:DeleteFileSystem", fsArn(FS), "ImplicitlyDenied"],
      ],
    );
    const root = await build({ ...minimal(), storage: { efsVolumes: [{ name: "r", fileSystemId: FS, containerPath: "/r", rootAccess: true }] } });
    await expectDecisions(
      [rolePolicy(root, "task")],
      [["elasticfilesystem:ClientRootAccess", fsArn(FS), "Allowed"], ["elasticfilesystem:ClientWrite", fsArn(FS), "ImplicitlyDenied"]],
    );
    await expectDecisions([rolePolicy(await build(minimal()), "task")], [["elasticfilesystem:ClientMount", fsArn(FS), "ImplicitlyDenied"]]);
  });

  it("in its own VPC: mount targets in each private subnet, reached on NFS from the tasks only", async () => {
    const s = await build(volumes());
    const targets = s.ofType(MT);
    // One set per file system (two here), one target per private subnet (the mocks' VPC has two).
    assert.deepEqual(
      targets.map((t) => [t.name, t.inputs.fileSystemId, t.inputs.subnetId]),
      [
        [`${s.prefix}-efs-shared-0`, FS, "subnet-priv-a"],
        [`${s.prefix}-efs-shared-1`, FS, "subnet-priv-b"],
        [`${s.prefix}-efs-models-0`, "fs-00000000000000001", "subnet-priv-a"],
        [`${s.prefix}-efs-models-1`, "fs-00000000000000001", "subnet-priv-b"],
      ],
    );
    for (const t of targets) assert.deepEqual(t.inputs.securityGroups, [`${s.prefix}-efs-id`]);
    const sg = s.one(SG, "efs").inputs;
    assert.equal(sg.vpcId, "vpc-0fake");
    assert.deepEqual(sg.ingress, [{ protocol: "tcp", fromPort: 2049, toPort: 2049, securityGroups: [`${s.prefix}-tasks-id`], description: "tasks" }]);
    // Two volumes (access points) of one file system share its mount targets.
    const shared = await build({
      ...minimal(),
      storage: { efsVolumes: [{ name: "a", fileSystemId: FS, containerPath: "/a" }, { name: "b", fileSystemId: FS, accessPointId: AP, containerPath: "/b" }] },
      vpc: { numberOfAvailabilityZones: 2 },
    });
    assert.deepEqual(shared.ofType(MT).map((t) => t.name), [`${shared.prefix}-efs-a-0`, `${shared.prefix}-efs-a-1`]);
  });

  it("in a given VPC: no mount targets and no EFS security group (the file system's own admit the tasks' group)", async () => {
    assert.equal((await build(volumes())).count(MT), 4, "they are seen in the component's own VPC");
    const s = await build(volumes({ vpcId: "vpc-byo", subnetIds: ["subnet-byo-1"] }));
    assert.equal(s.count(MT), 0);
    assert.deepEqual(s.ofType(SG).map((g) => g.name), [`${s.prefix}-tasks`]);
    assert.equal(s.one(TD, "task").inputs.volumes === undefined, false, "the volumes are still declared");
    assert.equal((await build(minimal())).count(MT), 0, "no volumes, no mount targets");
  });
});
