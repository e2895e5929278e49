/**
 * Pulumi mocks shared by every component test (mocha runs all files in one process).
 * Import this module before the component: setMocks runs once, at import. Every registered
 * resource is recorded (type, name, inputs) so tests can find them by type and name prefix.
 * Values are obviously fake: account 123456789012, region us-east-1.
 *
 * `settled()` (and so `build()`) returns when nothing registered is outstanding, however slow
 * the machine: no test waits for a stretch of quiet.
 */
import * as pulumi from "@pulumi/pulumi";
import * as sdkSettings from "@pulumi/pulumi/runtime/settings";
import type { WorkerEnvironmentArgs } from "../../component/args";
// Safe to import before setMocks runs: the module registers nothing until constructed.
import { WorkerEnvironment } from "../../component";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const recorded: Recorded[] = [];

/** Resource options seen by a transformation on the component (children inherit it). */
export interface SeenOptions {
  name: string;
  type: string;
  parent: pulumi.Resource | undefined;
  ignoreChanges: string[] | undefined;
}

const arnFor = (type: string, name: string): string => {
  const service = type.split(":")[1]?.split("/")[0] ?? "x";
  return `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`;
};

/** Outputs of one mocked resource: its inputs plus the attributes our code reads. */
function outputsOf(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const physical = typeof inputs.name === "string" ? inputs.name : name;
  switch (type) {
    case "awsx:ec2:Vpc":
      return { vpcId: "vpc-0fake", privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"], publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], isolatedSubnetIds: [] };
    case "awsx:ecr:Repository":
      return { url: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` };
    case "awsx:ecr:Image":
      return { imageUri: `${String(inputs.repositoryUrl)}@sha256:${"0".repeat(64)}` };
    case "aws:sqs/queue:Queue": {
      const queueName = `${physical}${inputs.fifoQueue === true ? ".fifo" : ""}`;
      return { ...inputs, name: queueName, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`, url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}` };
    }
    case "aws:ecs/cluster:Cluster":
      return { ...inputs, name: physical, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${physical}` };
    case "aws:ecs/service:Service": {
      // ECS's long ARN format: service/<cluster name>/<service name>.
      const cluster = String(inputs.cluster ?? "default").split("/").pop() ?? "default";
      return { ...inputs, name: physical, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${physical}` };
    }
    case "aws:ecs/taskDefinition:TaskDefinition":
      return { ...inputs, revision: 1, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${String(inputs.family)}:1` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { ...inputs, name: physical, arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${physical}` };
    case "aws:iam/role:Role":
      return { ...inputs, name: physical, arn: `arn:aws:iam::${ACCOUNT}:role/${physical}` };
    case "aws:cloudwatch/eventRule:EventRule":
      return { ...inputs, name: physical, arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${physical}` };
    case "aws:appautoscaling/target:Target":
      return { ...inputs };
    default:
      return { ...inputs, name: physical, arn: arnFor(type, physical) };
  }
}

/**
 * Registrations the mocks answer late, in ms, by resource name or type token: a slow engine or
 * machine, for tests of the waiting itself. Delete the entry when done.
 */
export const registrationDelays = new Map<string, number>();

/** Calls into the mocks (newResource and call) so far: each is a registration or invoke seen. */
let mockCalls = 0;

let installed = false;

/** Install the mocks once; later calls are no-ops (safe across test files). */
export function installMocks(): void {
  if (installed) return;
  installed = true;
  void pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        mockCalls++;
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state = outputsOf(args.type, args.name, args.inputs as Record<string, unknown>);
        const delay = registrationDelays.get(args.name) ?? registrationDelays.get(args.type);
        if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        mockCalls++;
        switch (args.token) {
          case "aws:index/getRegion:getRegion":
            return { id: REGION, name: REGION, region: REGION };
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: "AIDAFAKE" };
          case "aws:ec2/getRouteTables:getRouteTables":
            return { id: "rtbs", ids: ["rtb-fake-a", "rtb-fake-b"] };
          default:
            return args.inputs as Record<string, unknown>;
        }
      },
    },
    "sqsd-worker",
    "test",
    false,
  );
}

installMocks();

/**
 * The SDK's own wait for every outstanding resource registration and invoke (what a real
 * program's exit waits for): each registration takes a keep-alive when its resource is
 * constructed and gives it back once the engine (here the mocks) answered and its outputs
 * resolved. Internal to @pulumi/pulumi (missing from its .d.ts), so looked up and checked here:
 * an SDK without it fails every test loudly instead of letting them pass unchecked.
 */
const waitForRPCs: () => Promise<void> = (() => {
  const fn = (sdkSettings as unknown as { waitForRPCs?: unknown }).waitForRPCs;
  if (typeof fn !== "function") throw new Error("@pulumi/pulumi/runtime/settings has no waitForRPCs: update test/component/mocks.ts settled() for this SDK");
  return fn as () => Promise<void>;
})();

/**
 * Wait until nothing constructed so far is still registering, including resources constructed
 * later by callbacks (applies) that run when a registration or invoke answers. Each round lets
 * pending callbacks run (one macrotask turn: every microtask first), then waits for every
 * registration outstanding (constructed resources hold the SDK's keep-alive until answered).
 * A round in which the mocks saw no new call means no answer arrived that could construct more.
 */
export async function settled(): Promise<void> {
  for (let before = -1; before !== mockCalls; ) {
    before = mockCalls;
    await new Promise((r) => setImmediate(r));
    await waitForRPCs();
  }
}

/** Resolve an Output's value (mocks run as an update, so values are known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Resources recorded for one component instance (children are named after it). */
export class Stack {
  constructor(
    readonly prefix: string,
    readonly component: pulumi.ComponentResource,
    readonly seen: SeenOptions[],
  ) {}
  all(): Recorded[] {
    return recorded.filter((r) => r.name === this.prefix || r.name.startsWith(`${this.prefix}-`));
  }
  ofType(type: string): Recorded[] {
    return this.all().filter((r) => r.type === type);
  }
  one(type: string, name?: string): Recorded {
    const found = this.ofType(type).filter((r) => name === undefined || r.name === `${this.prefix}-${name}`);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0] as Recorded;
  }
  count(type: string): number {
    return this.ofType(type).length;
  }
  /** An input that is a JSON string, parsed. */
  json<T = unknown>(type: string, name: string | undefined, input: string): T {
    return JSON.parse(String(this.one(type, name).inputs[input])) as T;
  }
}

let counter = 0;

/**
 * Build a WorkerEnvironment under mocks and wait until every resource it constructed (and
 * every one constructed by callbacks on their outputs) is registered. `opts` are added to the
 * component's options; its transformations run after the one that fills `seen`.
 */
export async function build(args: WorkerEnvironmentArgs, base = "env", opts: pulumi.ComponentResourceOptions = {}): Promise<Stack & { env: WorkerEnvironment }> {
  const name = `${base}${++counter}`;
  const seen: SeenOptions[] = [];
  const env = new WorkerEnvironment(name, args, {
    ...opts,
    transformations: [
      (t) => {
        seen.push({ name: t.name, type: t.type, parent: t.opts.parent, ignoreChanges: t.opts.ignoreChanges });
        return undefined;
      },
      ...(opts.transformations ?? []),
    ],
  });
  await settled();
  return Object.assign(new Stack(name, env, seen), { env });
}

/** Smallest valid args. */
export const minimal = (): WorkerEnvironmentArgs => ({ app: { image: "public.ecr.aws/fake/app:1" } });
