/**
 * Secrets (Secrets Manager: whole, JSON key, version; SSM Parameter Store), private-registry
 * credentials and environment files: the container definitions ECS reads, and an execution role
 * allowed exactly those reads (iam-simulate: the intended calls allowed, their neighbours denied).
 */
import assert from "node:assert/strict";
import { executionGrants, parameterArn, secretValueFrom } from "../../component/secrets";
import { containerDefs, expectDecisions, rolePolicy } from "./helpers";
import { build, minimal, ACCOUNT, REGION } from "./mocks";

const SM = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`;
const PARAM = (path: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${path}`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-2222-3333-4444-555555555555`;
const DB = SM("prod/db-AbCdEf");
const HMAC = SM("hmac-Gh1jKl");
const REGISTRY = SM("registry-Mn0pQr");
const ENV_FILE = "arn:aws:s3:::fake-config-bucket/workers/app.env";
const VIA_SM = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };
const VIA_SSM = { "kms:ViaService": `ssm.${REGION}.amazonaws.com` };

describe("secrets, registry credentials and environment files", () => {
  it("ECS's valueFrom: the secret ARN, with key, stage or id appended; a parameter's ARN, also for a name", () => {
    const t = { region: REGION, accountId: ACCOUNT };
    assert.equal(secretValueFrom({ secretsManagerArn: DB }, t), DB);
    assert.equal(secretValueFrom({ secretsManagerArn: DB, jsonKey: "password" }, t), `${DB}:password::`);
    assert.equal(secretValueFrom({ secretsManagerArn: DB, versionStage: "AWSPREVIOUS" }, t), `${DB}::AWSPREVIOUS:`);
    assert.equal(secretValueFrom({ secretsManagerArn: DB, jsonKey: "user", versionId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" }, t), `${DB}:user::a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`);
    assert.equal(secretValueFrom({ ssmParameter: "/app/db-url" }, t), PARAM("app/db-url"));
    assert.equal(secretValueFrom({ ssmParameter: "db-url" }, t), PARAM("db-url"));
    assert.equal(parameterArn(PARAM("x/y"), t), PARAM("x/y"));
    assert.equal(parameterArn("/x", { region: "cn-north-1", accountId: ACCOUNT }), `arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:parameter/x`);
  });

  it("grants: each ARN once, a key with the services that decrypt with it for the task", () => {
    const g = executionGrants(
      [{ secretsManagerArn: DB, kmsKeyArn: KEY }, { secretsManagerArn: DB, jsonKey: "user", kmsKeyArn: KEY }, { ssmParameter: "/app/x", kmsKeyArn: KEY }],
      [{ secretArn: REGISTRY }],
      [ENV_FILE, ENV_FILE],
      { region: REGION, accountId: ACCOUNT },
    );
    assert.deepEqual(g, {
      secretArns: [DB, REGISTRY],
      parameterArns: [PARAM("app/x")],
      kmsKeys: [{ keyArn: KEY, viaServices: [`secretsmanager.${REGION}.amazonaws.com`, `ssm.${REGION}.amazonaws.com`] }],
      environmentFileArns: [ENV_FILE],
    });
  });

  it("puts the secrets, files and credentials into the app, the sidecar and an extra container", async () => {
    const s = await build({
      app: {
        image: "registry.example.com/team/app:1",
        environment: { PLAIN: "1" },
        secrets: { DB_PASSWORD: { secretsManagerArn: DB, jsonKey: "password" }, API_URL: { ssmParameter: "/app/api-url" } },
        environmentFiles: [ENV_FILE],
        repositoryCredentials: { secretArn: REGISTRY },
      },
      sidecar: { image: "ghcr.io/fake/sqsd:1", secrets: { HmacSecret: { secretsManagerArn: HMAC } } },
      extraContainers: [{ name: "shipper", image: "fake/shipper:1", secrets: { TOKEN: { ssmParameter: PARAM("shipper/token") } } }],
    });
    const c = containerDefs(s);
    const app = c.byName("app");
    assert.deepEqual(app.secrets, [
      { name: "API_URL", valueFrom: PARAM("app/api-url") },
      { name: "DB_PASSWORD", valueFrom: `${DB}:password::` },
    ]);
    assert.deepEqual(app.environment, [{ name: "PLAIN", value: "1" }]);
    assert.deepEqual(app.environmentFiles, [{ value: ENV_FILE, type: "s3" }]);
    assert.deepEqual(app.repositoryCredentials, { credentialsParameter: REGISTRY });
    const sqsd = c.byName("sqsd");
    assert.deepEqual(sqsd.secrets, [{ name: "HmacSecret", valueFrom: HMAC }]);
    assert.ok(!(sqsd.environment as Array<{ name: string }>).some((e) => e.name === "HmacSecret"), "the key is not in the plain environment");
    assert.deepEqual(c.byName("shipper").secrets, [{ name: "TOKEN", valueFrom: PARAM("shipper/token") }]);
    // Without any, the definitions carry none of the keys.
    const plain = containerDefs(await build(minimal()));
    for (const def of plain.all) for (const key of ["secrets", "environmentFiles", "repositoryCredentials"]) assert.equal(def[key], undefined, `${def.name}.${key}`);
  });

  it("execution role: exactly those secrets, parameters, files and keys, and nothing next to them", async () => {
    const s = await build({
      app: {
        image: "x",
        secrets: { DB_PASSWORD: { secretsManagerArn: DB, jsonKey: "password", kmsKeyArn: KEY }, API_URL: { ssmParameter: "/app/api-url", kmsKeyArn: KEY } },
        environmentFiles: [ENV_FILE],
        repositoryCredentials: { secretArn: REGISTRY },
      },
      sidecar: { image: "y", secrets: { HmacSecret: { secretsManagerArn: HMAC } } },
    });
    await expectDecisions(
      [rolePolicy(s, "execution")],
      [
        ["secretsmanager:GetSecretValue", DB, "Allowed"],
        ["secretsmanager:GetSecretValue", HMAC, "Allowed"],
        ["secretsmanager:GetSecretValue", REGISTRY, "Allowed"],
        ["secretsmanager:GetSecretValue", SM("prod/other-AbCdEf"), "ImplicitlyDenied"],
        ["secretsmanager:GetSecretValue", SM("prod/db-AbCdEf-xyz123"), "ImplicitlyDenied"],
        ["secretsmanager:DescribeSecret", DB, "ImplicitlyDenied"],
        ["secretsmanager:PutSecretValue", DB, "ImplicitlyDenied"],
        ["ssm:GetParameters", PARAM("app/api-url"), "Allowed"],
        ["ssm:GetParameters", PARAM("app/other"), "ImplicitlyDenied"],
        ["ssm:GetParametersByPath", PARAM("app"), "ImplicitlyDenied"],
        ["ssm:PutParameter", PARAM("app/api-url"), "ImplicitlyDenied"],
        ["kms:Decrypt", KEY, "Allowed", VIA_SM],
        ["kms:Decrypt", KEY, "Allowed", VIA_SSM],
        ["kms:Decrypt", KEY, "ImplicitlyDenied"],
        ["kms:Decrypt", KEY, "ImplicitlyDenied", { "kms:ViaService": `s3.${REGION}.amazonaws.com` }],
        ["kms:Decrypt", OTHER_KEY, "ImplicitlyDenied", VIA_SM],
        ["kms:Encrypt", KEY, "ImplicitlyDenied", VIA_SM],
        ["s3:GetObject", ENV_FILE, "Allowed"],
        ["s3:GetBucketLocation", "arn:aws:s3:::fake-config-bucket", "Allowed"],
        ["s3:GetObject", "arn:aws:s3:::fake-config-bucket/workers/other.env", "ImplicitlyDenied"],
        ["s3:GetObject", "arn:aws:s3:::other-bucket/workers/app.env", "ImplicitlyDenied"],
        ["s3:GetBucketLocation", "arn:aws:s3:::other-bucket", "ImplicitlyDenied"],
        ["s3:PutObject", ENV_FILE, "ImplicitlyDenied"],
        ["s3:ListBucket", "arn:aws:s3:::fake-config-bucket", "ImplicitlyDenied"],
      ],
    );
    // None of this reaches the task role: the app reads nothing through ECS's grants.
    await expectDecisions([rolePolicy(s, "task")], [["secretsmanager:GetSecretValue", DB, "ImplicitlyDenied"], ["s3:GetObject", ENV_FILE, "ImplicitlyDenied"]]);
  });

  it("execution role: no secret, parameter, KMS or S3 grant without them", async () => {
    const s = await build(minimal());
    await expectDecisions(
      [rolePolicy(s, "execution")],
      [
        ["secretsmanager:GetSecretValue", DB, "ImplicitlyDenied"],
        ["ssm:GetParameters", PARAM("app/api-url"), "ImplicitlyDenied"],
        ["kms:Decrypt", KEY, "ImplicitlyDenied", VIA_SM],
        ["s3:GetObject", ENV_FILE, "ImplicitlyDenied"],
      ],
    );
  });
});
