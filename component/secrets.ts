/**
 * Secrets, private-registry credentials and environment files: what ECS reads with the
 * execution role when a task starts. Their checks (run before any resource exists), the
 * container definitions' `secrets` / `environmentFiles` / `repositoryCredentials` entries, and
 * the execution role's grants on exactly those ARNs. Pure functions: no Pulumi.
 */
import type { ContainerSecret, RegistryCredentials } from "./args";
import { plain, type Problems } from "./problems";

/** ARN partition of a region. */
export function partitionOf(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

const PARTITION = "(aws|aws-cn|aws-us-gov)";
/** A Secrets Manager secret ARN; group 2 is its region. */
const SECRET_ARN = new RegExp(`^arn:${PARTITION}:secretsmanager:([a-z0-9-]+):\\d{12}:secret:[A-Za-z0-9/_+=.@-]+$`);
/** The 6 random characters Secrets Manager appends to a secret's name in its full ARN. */
const SECRET_SUFFIX = /-[A-Za-z0-9]{6}$/;
/** An SSM parameter ARN; group 2 is its region. */
const PARAMETER_ARN = new RegExp(`^arn:${PARTITION}:ssm:([a-z0-9-]+):\\d{12}:parameter/[A-Za-z0-9_.\\-/]+$`);
/** A parameter name: one segment, or a path of segments with a leading "/" (Parameter Store's rules). */
const PARAMETER_NAME = /^(?:[A-Za-z0-9_.-]+|(?:\/[A-Za-z0-9_.-]+)+)$/;
/** A KMS key ARN (an alias ARN names no key an IAM policy can grant). */
const KMS_KEY_ARN = new RegExp(`^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$`);
/** An S3 object ARN of an environment file: bucket (group 2) and key (ECS requires the .env extension). */
const ENV_FILE_ARN = new RegExp(`^arn:${PARTITION}:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.+\\.env)$`);

/** ECS takes at most this many environment files per container. */
export const MAX_ENVIRONMENT_FILES = 10;

const SECRET_ARN_FIX = "give the full ARN of the secret, arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> (aws secretsmanager describe-secret --secret-id <name> --query ARN)";

/** Problems of a Secrets Manager ARN (plain strings only; an Output is the ARN of a secret resource). */
function checkSecretArn(p: Problems, arg: string, value: unknown): void {
  const arn = plain(value);
  if (arn === undefined) return;
  if (!SECRET_ARN.test(arn)) p.add(arg, `"${arn}" is not a Secrets Manager secret ARN`, SECRET_ARN_FIX);
  else if (!SECRET_SUFFIX.test(arn)) {
    p.add(arg, `"${arn}" is a partial ARN (no -<6 characters> suffix), which an IAM grant does not match`, SECRET_ARN_FIX);
  }
}

/** Problems of a KMS key ARN. */
export function checkKmsKeyArn(p: Problems, arg: string, value: unknown): void {
  const arn = plain(value);
  if (arn !== undefined && !KMS_KEY_ARN.test(arn)) {
    p.add(arg, `"${arn}" is not a KMS key ARN`, "give the key's ARN, arn:aws:kms:<region>:<account>:key/<key id> (an alias names no key a grant can use)");
  }
}

/** Problems of an SSM parameter given as an ARN or a name. */
function checkParameter(p: Problems, arg: string, value: unknown): void {
  const parameter = plain(value);
  if (parameter === undefined) return;
  if (parameter.startsWith("arn:")) {
    if (!PARAMETER_ARN.test(parameter)) p.add(arg, `"${parameter}" is not an SSM parameter ARN`, "give arn:aws:ssm:<region>:<account>:parameter/<name>, or the parameter's name");
    return;
  }
  const first = parameter.replace(/^\//, "").split("/")[0] ?? "";
  if (!PARAMETER_NAME.test(parameter) || parameter.length > 1011) {
    p.add(
      arg,
      `"${parameter}" is neither an SSM parameter ARN nor a parameter name`,
      'give the ARN, or the name: letters, digits, "_", "." and "-", in "/"-separated segments after a leading "/" (e.g. "/app/db-url" or "db-url")',
    );
  } else if (/^(aws|ssm)/i.test(first)) {
    p.add(arg, `"${parameter}" starts with "${first.slice(0, 3)}", which Parameter Store reserves`, "give the name of a parameter you created");
  }
}

/** Problems of one secret. */
export function checkSecret(p: Problems, arg: string, s: ContainerSecret): void {
  if ((s.secretsManagerArn === undefined) === (s.ssmParameter === undefined)) {
    p.add(arg, "needs exactly one of secretsManagerArn and ssmParameter", "name the Secrets Manager secret's ARN, or the SSM parameter");
    return;
  }
  if (s.secretsManagerArn !== undefined) {
    checkSecretArn(p, `${arg}.secretsManagerArn`, s.secretsManagerArn);
    if (s.versionStage !== undefined && s.versionId !== undefined) {
      p.add(`${arg}.versionStage`, "cannot be combined with versionId", "give the version stage or the version id");
    }
    for (const [field, value] of [["jsonKey", s.jsonKey], ["versionStage", s.versionStage], ["versionId", s.versionId]] as const) {
      if (value !== undefined && (value === "" || value.includes(":"))) {
        p.add(`${arg}.${field}`, `"${value}" is empty or holds ":", which separates the parts of ECS's valueFrom`, `give the ${field} without ":"`);
      }
    }
  } else {
    checkParameter(p, `${arg}.ssmParameter`, s.ssmParameter);
    for (const field of ["jsonKey", "versionStage", "versionId"] as const) {
      if (s[field] !== undefined) p.add(`${arg}.${field}`, "applies to a Secrets Manager secret only", "drop it, or use secretsManagerArn");
    }
  }
  checkKmsKeyArn(p, `${arg}.kmsKeyArn`, s.kmsKeyArn);
}

/** Problems of a container's secrets against its plain environment (a name in both is ambiguous). */
export function checkSecrets(
  p: Problems,
  arg: string,
  secrets: { [name: string]: ContainerSecret } | undefined,
  environment: { [name: string]: unknown } | undefined,
  environmentArg: string,
): void {
  for (const [name, secret] of Object.entries(secrets ?? {})) {
    if (name === "" || name.includes("=")) p.add(`${arg}.${name}`, "is not an environment variable name", 'give a name without "="');
    if (environment !== undefined && name in environment) {
      p.add(`${arg}.${name}`, `${name} is also a plain variable in ${environmentArg}`, `keep one: drop ${environmentArg}.${name} or the secret`);
    }
    checkSecret(p, `${arg}.${name}`, secret);
  }
}

/** Problems of private-registry credentials. */
export function checkRegistryCredentials(p: Problems, arg: string, c: RegistryCredentials | undefined): void {
  if (c === undefined) return;
  checkSecretArn(p, `${arg}.secretArn`, c.secretArn);
  checkKmsKeyArn(p, `${arg}.kmsKeyArn`, c.kmsKeyArn);
}

/** Problems of a container's environment files. */
export function checkEnvironmentFiles(p: Problems, arg: string, files: readonly unknown[] | undefined): void {
  if (files === undefined) return;
  if (files.length > MAX_ENVIRONMENT_FILES) p.add(arg, `${files.length} files`, `ECS takes at most ${MAX_ENVIRONMENT_FILES} per container: merge some`);
  for (const [i, file] of files.entries()) {
    const arn = plain(file);
    if (arn !== undefined && !ENV_FILE_ARN.test(arn)) {
      p.add(`${arg}[${i}]`, `"${arn}" is not the S3 object ARN of a .env file`, "give arn:aws:s3:::<bucket>/<key>.env (ECS loads only files with the .env extension)");
    }
  }
}

/** A secret whose Inputs are resolved. */
export interface PlainSecret {
  secretsManagerArn?: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
  ssmParameter?: string;
  kmsKeyArn?: string;
}

/** Where the task runs: the account and region an SSM parameter name is in. */
export interface DeployTarget {
  region: string;
  accountId: string;
}

/**
 * ECS's `valueFrom`: the parameter's ARN (also for a name, so it reads exactly what the grant
 * names), or `<secret ARN>[:<json key>:<version stage>:<version id>]`.
 */
export function secretValueFrom(s: PlainSecret, t: DeployTarget): string {
  if (s.secretsManagerArn === undefined) return parameterArn(s.ssmParameter ?? "", t);
  if (s.jsonKey === undefined && s.versionStage === undefined && s.versionId === undefined) return s.secretsManagerArn;
  return `${s.secretsManagerArn}:${s.jsonKey ?? ""}:${s.versionStage ?? ""}:${s.versionId ?? ""}`;
}

/** The parameter's ARN: as given, or built from a name in the deploy's account and region. */
export function parameterArn(parameter: string, t: DeployTarget): string {
  if (parameter.startsWith("arn:")) return parameter;
  return `arn:${partitionOf(t.region)}:ssm:${t.region}:${t.accountId}:parameter/${parameter.replace(/^\//, "")}`;
}

/** The region in an ARN's fourth field, else the deploy's. */
function regionOf(arn: string, t: DeployTarget): string {
  return arn.split(":")[3] || t.region;
}

/** What the execution role must be allowed, for the secrets, credentials and files of every container. */
export interface ExecutionGrants {
  secretArns: string[];
  parameterArns: string[];
  /** Customer keys, each with the services (kms:ViaService) that decrypt with it for the task. */
  kmsKeys: Array<{ keyArn: string; viaServices: string[] }>;
  environmentFileArns: string[];
}

/** The grants for resolved secrets, registry credentials and environment files. */
export function executionGrants(
  secrets: readonly PlainSecret[],
  credentials: ReadonlyArray<{ secretArn: string; kmsKeyArn?: string }>,
  environmentFiles: readonly string[],
  t: DeployTarget,
): ExecutionGrants {
  const secretArns = new Set<string>();
  const parameterArns = new Set<string>();
  const keys = new Map<string, Set<string>>();
  const useKey = (key: string | undefined, service: string, arn: string) => {
    if (key === undefined) return;
    const via = keys.get(key) ?? new Set<string>();
    via.add(`${service}.${regionOf(arn, t)}.amazonaws.com`);
    keys.set(key, via);
  };
  for (const s of secrets) {
    if (s.secretsManagerArn !== undefined) {
      secretArns.add(s.secretsManagerArn);
      useKey(s.kmsKeyArn, "secretsmanager", s.secretsManagerArn);
    } else if (s.ssmParameter !== undefined) {
      const arn = parameterArn(s.ssmParameter, t);
      parameterArns.add(arn);
      useKey(s.kmsKeyArn, "ssm", arn);
    }
  }
  for (const c of credentials) {
    secretArns.add(c.secretArn);
    useKey(c.kmsKeyArn, "secretsmanager", c.secretArn);
  }
  return {
    secretArns: [...secretArns].sort(),
    parameterArns: [...parameterArns].sort(),
    kmsKeys: [...keys].sort(([a], [b]) => a.localeCompare(b)).map(([keyArn, via]) => ({ keyArn, viaServices: [...via].sort() })),
    environmentFileArns: [...new Set(environmentFiles)].sort(),
  };
}

/** `arn:aws:s3:::bucket/key.env` → `arn:aws:s3:::bucket`. */
export function bucketArnOf(objectArn: string): string {
  const slash = objectArn.indexOf("/");
  return slash < 0 ? objectArn : objectArn.slice(0, slash);
}
