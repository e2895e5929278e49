/** Offline IAM evaluation with @cloud-copilot/iam-simulate. */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { ACCOUNT } from "./mocks";

export interface Request {
  action: string;
  resource: string;
  principal?: string;
  context?: Record<string, string>;
}

/** "Allowed", "ExplicitlyDenied" or "ImplicitlyDenied"; throws on invalid input (e.g. a misspelt action). */
export async function decide(identityPolicies: object[], req: Request, resourcePolicy?: object): Promise<string> {
  const principal = req.principal ?? `arn:aws:iam::${ACCOUNT}:role/under-test`;
  const result = await runSimulation(
    {
      request: { principal, action: req.action, resource: { resource: req.resource, accountId: ACCOUNT }, contextVariables: req.context ?? {} },
      identityPolicies: identityPolicies.map((policy, n) => ({ name: `p${n}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation error for ${req.action}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
