/** Shared readers of what the mocks recorded: container definitions and role policies, and IAM decisions on them. */
import assert from "node:assert/strict";
import { ACCOUNT, type Stack } from "./mocks";
import { decide } from "./simulate";

const TD = "aws:ecs/taskDefinition:TaskDefinition";
const RP = "aws:iam/rolePolicy:RolePolicy";

/** One container definition, as the component writes it (ECS JSON shape; every field optional here). */
export interface ContainerDef {
  name: string;
  image: string;
  essential: boolean;
  [field: string]: unknown;
}

/** The task definition's containers, by name, and in order. */
export function containerDefs(s: Stack): { byName: (name: string) => ContainerDef; all: ContainerDef[] } {
  const all = s.json<ContainerDef[]>(TD, "task", "containerDefinitions");
  return { all, byName: (name) => all.find((c) => c.name === name) ?? assert.fail(`no container ${name}: ${all.map((c) => c.name).join(", ")}`) };
}

/** An inline role policy (`<prefix>-task`, `-execution`, …), parsed. */
export const rolePolicy = (s: Stack, name: string): object => s.json<object>(RP, name, "policy");

/** KMS needs a key policy too: the default one, which delegates to the account's IAM policies. */
export const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
};

/** [action, resource, expected decision, request context?] */
export type Case = [string, string, string, Record<string, string>?];

/** Each request decided against the identity policies (KMS calls with the default key policy). */
export async function expectDecisions(policies: object[], cases: Case[]): Promise<void> {
  for (const [action, resource, expected, context] of cases) {
    const resourcePolicy = action.startsWith("kms:") ? DEFAULT_KEY_POLICY : undefined;
    assert.equal(await decide(policies, { action, resource, context }, resourcePolicy), expected, `${action} on ${resource}${context ? ` with ${JSON.stringify(context)}` : ""}`);
  }
}
