/**
 * Secrets in the inputs: a plain value whose name says it is a secret is not written into the
 * program or the report (it becomes secret stack config), and Secrets Manager and SSM references
 * become the component's ContainerSecret.
 */
import { RequiredConfig, SecretArnLookup, type ArgMap } from "./values";

/** Names of variables that hold secrets by convention. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL/i;

export const looksSecret = (name: string): boolean => SECRET_NAME.test(name);

/** Secret stack config for the variable `name` (`pulumi config set --secret <name> …`). */
export const secretConfig = (name: string): RequiredConfig => new RequiredConfig(name, `the value of ${name} (a secret: pulumi config set --secret ${name} <value>)`, true);

const SECRETS_MANAGER_ARN = /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:(.+)$/;
const FULL_SECRET_ARN = /-[A-Za-z0-9]{6}$/;
const SSM_ARN = /^arn:aws[\w-]*:ssm:[\w-]+:\d{12}:parameter\/.+$/;

/**
 * A ContainerSecret for a reference: a Secrets Manager ARN (a partial one, without the 6
 * characters IAM needs, is looked up by name at deploy), an SSM parameter ARN, or otherwise an SSM
 * parameter name. `extra` adds jsonKey/versionStage/versionId.
 */
export function containerSecret(ref: string, extra: ArgMap = {}): { secret: ArgMap; rule: string } {
  const sm = SECRETS_MANAGER_ARN.exec(ref);
  if (sm) {
    if (FULL_SECRET_ARN.test(ref)) return { secret: { secretsManagerArn: ref, ...extra }, rule: "a Secrets Manager secret ARN" };
    return { secret: { secretsManagerArn: new SecretArnLookup(sm[1] as string), ...extra }, rule: "a partial Secrets Manager ARN: the full ARN (which IAM grants need) is looked up by name at deploy" };
  }
  if (SSM_ARN.test(ref)) return { secret: { ssmParameter: ref }, rule: "an SSM parameter ARN" };
  return { secret: { ssmParameter: ref }, rule: "an SSM parameter name" };
}

/**
 * Copilot's `secretsmanager` reference: `<name or ARN>[:<json-key>[:<version-stage>[:<version-id>]]]`
 * (an ARN itself has six colons).
 */
export function copilotSecretsManager(ref: string): { secret: ArgMap; rule: string } {
  const parts = ref.split(":");
  const idParts = ref.startsWith("arn:") ? 7 : 1;
  const id = parts.slice(0, idParts).join(":");
  const [jsonKey, stage, version] = parts.slice(idParts);
  const extra: ArgMap = {
    ...(jsonKey ? { jsonKey } : {}),
    ...(stage ? { versionStage: stage } : {}),
    ...(version ? { versionId: version } : {}),
  };
  if (id.startsWith("arn:")) return containerSecret(id, extra);
  return { secret: { secretsManagerArn: new SecretArnLookup(id), ...extra }, rule: "a secret named in Secrets Manager: its full ARN is looked up by name at deploy" };
}
