/**
 * Running a whole program (its index.ts) under the component tests' Pulumi mocks. The mocks
 * are installed once per mocha process by test/component/mocks.ts; this adds the stack config
 * a program reads and a way to load a program and collect what it registered.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { recorded, settled, REGION, type Recorded } from "../component/mocks";

export { ACCOUNT, REGION, recorded, registrationDelays, settled, valueOf, type Recorded } from "../component/mocks";

/** The mocks' project and stack (see test/component/mocks.ts). */
export const MOCK_PROJECT = "sqsd-worker";
export const MOCK_STACK = "test";

/** Set stack config (`key` without a namespace goes into the mocks' project namespace). */
export function setStackConfig(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    pulumi.runtime.setConfig(key.includes(":") ? key : `${MOCK_PROJECT}:${key}`, value);
  }
}

/** The default worker config every program test starts from. */
export function setWorkerConfig(extra: Record<string, string> = {}): void {
  setStackConfig({ "aws:region": REGION, minCount: "0", maxCount: "4", acceptableLatency: "120", messageProcessingTime: "2", ...extra });
}

/** Wait until every resource constructed so far is registered (see settled() in test/component/mocks.ts). */
export function settle(): Promise<void> {
  return settled();
}

const requireFromHere = createRequire(__filename);

/**
 * Load a program's entry module as the Pulumi runtime does: require() it (CommonJS, so
 * tsx's hook compiles it; a dynamic import() would go to Node's ESM loader instead).
 * `relPath` is relative to the repository root.
 */
export function loadProgram<T>(relPath: string): Promise<T> {
  return Promise.resolve(requireFromHere(path.join(__dirname, "..", "..", relPath)) as T);
}

/** Resources registered by `load` (run after earlier registrations have settled). */
export async function registeredBy<T>(load: () => Promise<T>): Promise<{ module: T; resources: Resources }> {
  await settle();
  const start = recorded.length;
  const module = await load();
  await settle();
  return { module, resources: new Resources(recorded.slice(start)) };
}

/** A set of recorded registrations with lookups that fail loudly. */
export class Resources {
  constructor(readonly all: Recorded[]) {}
  ofType(type: string): Recorded[] {
    return this.all.filter((r) => r.type === type);
  }
  one(type: string, name?: string): Recorded {
    const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) {
      throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    }
    return found[0] as Recorded;
  }
  /** A JSON-string input, parsed. */
  json<T = unknown>(type: string, name: string | undefined, input: string): T {
    return JSON.parse(String(this.one(type, name).inputs[input])) as T;
  }
}

/** One container definition (the fields the tests read). */
export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  portMappings?: Array<{ containerPort: number; protocol: string }>;
  environment: Array<{ name: string; value: string }>;
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  dependsOn?: Array<{ containerName: string; condition: string }>;
  user?: string;
}

/** The container definitions of the one task definition in `resources`, by container name. */
export function containers(resources: Resources): Map<string, ContainerDefinition> {
  const defs = resources.json<ContainerDefinition[]>("aws:ecs/taskDefinition:TaskDefinition", undefined, "containerDefinitions");
  return new Map(defs.map((d) => [d.name, d]));
}

/** A container's environment as an object. */
export function envOf(def: ContainerDefinition | undefined): Record<string, string> {
  if (!def) throw new Error("no such container");
  return Object.fromEntries(def.environment.map((e) => [e.name, e.value]));
}
