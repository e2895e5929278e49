/**
 * Storage: Fargate ephemeral storage and Amazon EFS volumes. Their checks, the task
 * definition's `volumes` and the app's `mountPoints`, and the task role's EFS grants (ClientMount,
 * plus ClientWrite for a writable mount and ClientRootAccess when asked, on that file system only,
 * through its access point when one is given). Pure functions: no Pulumi.
 */
import type { EfsVolume, WorkerEnvironmentArgs } from "./args";
import { plain, type Problems } from "./problems";
import { partitionOf } from "./secrets";

/** Fargate's ephemeral storage bounds in GiB (20 is the default and needs no setting). */
export const EPHEMERAL_STORAGE_MIN_GIB = 21;
export const EPHEMERAL_STORAGE_MAX_GIB = 200;
/** NFS: what the tasks' security group must reach on the mount targets. */
export const NFS_PORT = 2049;

const VOLUME_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;
const ACCESS_POINT_ID = /^fsap-[0-9a-f]{8,40}$/;
/** EFS's root directory rule: at most 255 characters of a-zA-Z0-9.-_/, absolute. */
const ROOT_DIRECTORY = /^\/[A-Za-z0-9._\-/]{0,254}$/;

/** True when a container mounts the volume writable (the app through its own readOnly, extra containers through mountPoints). */
export function volumeWritable(args: WorkerEnvironmentArgs, v: EfsVolume): boolean {
  const app = v.containerPath !== undefined && v.readOnly === false;
  const extra = (args.extraContainers ?? []).some((c) => (c.mountPoints ?? []).some((m) => m.sourceVolume === v.name && m.readOnly === false));
  return app || extra;
}

/** Problems of `storage`. */
export function checkStorage(p: Problems, args: WorkerEnvironmentArgs): void {
  const s = args.storage;
  if (s === undefined) return;
  p.range("storage.ephemeralStorageGiB", s.ephemeralStorageGiB, EPHEMERAL_STORAGE_MIN_GIB, EPHEMERAL_STORAGE_MAX_GIB);
  const names = new Set<string>();
  const appPaths = new Set<string>();
  for (const [i, v] of (s.efsVolumes ?? []).entries()) {
    const arg = `storage.efsVolumes[${i}]`;
    if (!VOLUME_NAME.test(v.name)) p.add(`${arg}.name`, `"${v.name}" is not a volume name`, 'use 1-255 letters, digits, "-" and "_"');
    if (names.has(v.name)) p.add(`${arg}.name`, `"${v.name}" is used twice`, "give every volume a unique name");
    names.add(v.name);
    const fs = plain(v.fileSystemId);
    if (fs !== undefined && !FILE_SYSTEM_ID.test(fs)) p.add(`${arg}.fileSystemId`, `"${fs}" is not an EFS file system id`, 'give the id, "fs-" and hex digits (not the ARN or the DNS name)');
    const ap = plain(v.accessPointId);
    if (ap !== undefined && !ACCESS_POINT_ID.test(ap)) p.add(`${arg}.accessPointId`, `"${ap}" is not an EFS access point id`, 'give the id, "fsap-" and hex digits (not the ARN)');
    if (v.rootDirectory !== undefined) {
      if (!ROOT_DIRECTORY.test(v.rootDirectory)) {
        p.add(`${arg}.rootDirectory`, `"${v.rootDirectory}" is not an EFS directory path`, 'give an absolute path of at most 255 letters, digits, ".", "-", "_" and "/"');
      } else if (v.accessPointId !== undefined && v.rootDirectory !== "/") {
        p.add(`${arg}.rootDirectory`, "set with accessPointId, whose own root directory ECS then uses", 'drop rootDirectory (or set "/"), or set the access point\'s root directory');
      }
    }
    if (v.containerPath !== undefined) {
      if (!v.containerPath.startsWith("/")) p.add(`${arg}.containerPath`, `"${v.containerPath}" is not an absolute path`, 'start it with "/"');
      if (appPaths.has(v.containerPath)) p.add(`${arg}.containerPath`, `"${v.containerPath}" is where another volume is mounted in the app`, "give each volume its own path");
      appPaths.add(v.containerPath);
    } else {
      if (v.readOnly !== undefined) p.add(`${arg}.readOnly`, "applies to the app's mount, and containerPath is not set", "set containerPath, or drop readOnly (extra containers set it on their mountPoints)");
      const mounted = (args.extraContainers ?? []).some((c) => (c.mountPoints ?? []).some((m) => m.sourceVolume === v.name));
      if (!mounted) p.add(arg, `volume "${v.name}" is mounted nowhere`, "set containerPath to mount it in the app, or name it in an extra container's mountPoints");
    }
  }
}

/** One task definition volume (the shape of ECS's and @pulumi/aws's TaskDefinition `volumes`). */
export interface TaskVolume {
  name: string;
  efsVolumeConfiguration: {
    fileSystemId: string;
    rootDirectory?: string;
    transitEncryption: string;
    authorizationConfig: { iam: string; accessPointId?: string };
  };
}

/** The task definition's `volumes`: EFS with transit encryption and IAM authorization on. */
export function taskVolumes(volumes: ReadonlyArray<{ name: string; fileSystemId: string; accessPointId?: string; rootDirectory?: string }>): TaskVolume[] {
  return volumes.map((v) => ({
    name: v.name,
    efsVolumeConfiguration: {
      fileSystemId: v.fileSystemId,
      ...(v.accessPointId === undefined && v.rootDirectory !== undefined ? { rootDirectory: v.rootDirectory } : {}),
      transitEncryption: "ENABLED",
      authorizationConfig: { iam: "ENABLED", ...(v.accessPointId !== undefined ? { accessPointId: v.accessPointId } : {}) },
    },
  }));
}

/** The app's `mountPoints`: the volumes with a containerPath, read-only unless said otherwise. */
export function appMountPoints(args: WorkerEnvironmentArgs): Array<{ sourceVolume: string; containerPath: string; readOnly: boolean }> {
  return (args.storage?.efsVolumes ?? []).flatMap((v) => (v.containerPath === undefined ? [] : [{ sourceVolume: v.name, containerPath: v.containerPath, readOnly: v.readOnly ?? true }]));
}

/** What the task role needs on one file system. */
export interface EfsGrant {
  fileSystemArn: string;
  accessPointArn?: string;
  write: boolean;
  root: boolean;
}

/** The EFS grant of a volume whose ids are resolved. */
export function efsGrant(
  v: { fileSystemId: string; accessPointId?: string },
  write: boolean,
  root: boolean,
  region: string,
  accountId: string,
): EfsGrant {
  const prefix = `arn:${partitionOf(region)}:elasticfilesystem:${region}:${accountId}`;
  return {
    fileSystemArn: `${prefix}:file-system/${v.fileSystemId}`,
    ...(v.accessPointId !== undefined ? { accessPointArn: `${prefix}:access-point/${v.accessPointId}` } : {}),
    write,
    root,
  };
}
