// Runs ./index under Pulumi mocks and prints one JSON line: what was registered, and the
// inputs of the sidecar's image build (its Docker context must be the installed package).
import * as pulumi from "@pulumi/pulumi";

interface Seen {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const seen: Seen[] = [];
const ACCOUNT = "000000000000";

void pulumi.runtime.setMocks(
  {
    newResource(a) {
      const inputs = a.inputs as Record<string, unknown>;
      seen.push({ type: a.type, name: a.name, inputs });
      const name = typeof inputs.name === "string" ? inputs.name : a.name;
      const extra: Record<string, unknown> =
        a.type === "aws:ecs/cluster:Cluster"
          ? { name, arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${name}` }
          : a.type === "awsx:ecr:Repository"
          ? { url: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${a.name}` }
          : a.type === "awsx:ecr:Image"
            ? { imageUri: `${String(inputs.repositoryUrl)}@sha256:${"0".repeat(64)}` }
            : { name, arn: `arn:aws:${a.type.split(":")[1]?.split("/")[0] ?? "x"}:us-east-1:${ACCOUNT}:${name}`, url: `https://sqs.invalid/${ACCOUNT}/${name}` };
      return { id: `${a.name}-id`, state: { ...inputs, ...extra } };
    },
    call(a) {
      if (a.token === "aws:index/getRegion:getRegion") return { name: "us-east-1", region: "us-east-1", id: "us-east-1" };
      if (a.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "mock", id: ACCOUNT };
      return a.inputs as Record<string, unknown>;
    },
  },
  "consumer",
  "test",
  false,
);

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("./index") as typeof import("./index");
  const outputs = await new Promise<unknown[]>((resolve) =>
    pulumi.all([program.queueUrl, program.worker.taskDefinitionArn, program.worker.serviceName]).apply((v) => resolve(v)),
  );
  const taskDefinition = seen.find((s) => s.type === "aws:ecs/taskDefinition:TaskDefinition");
  const report = {
    outputs,
    types: seen.map((s) => s.type),
    sidecarImageBuild: seen.find((s) => s.type === "awsx:ecr:Image" && s.name.endsWith("-sqsd"))?.inputs,
    containerDefinitions: taskDefinition ? (JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as unknown) : undefined,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
