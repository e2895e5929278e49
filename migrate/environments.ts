/**
 * One program for every stack: where the arguments of the stacks differ, the program reads the
 * value from stack config and each Pulumi.<stack>.yaml holds that stack's. The split goes down
 * the option groups every stack has (a key some stacks lack becomes an optional value), and down
 * name → value maps (environment, secrets, tags) only when every stack has the same names;
 * anything else that differs (a scalar, a list, a group some stack lacks) becomes one config
 * value, named after its path.
 */
import { isDeepStrictEqual } from "node:util";
import { inArgsOrder } from "./arg-order";
import { camelKey } from "./names";
import type { WorkerPlan } from "./plan";
import { isArgMap, isSpecial, StackValue, type ArgMap, type ArgValue } from "./values";

/** A worker's arguments with stack values in place, and each stack's config values. */
export interface SplitWorker {
  readonly name: string;
  readonly args: ArgMap;
}

export interface Split {
  readonly workers: readonly SplitWorker[];
  /** Config values per stack, by key (plain JSON). */
  readonly stackConfig: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Every StackValue made, by key. */
  readonly values: ReadonlyMap<string, StackValue>;
}

function kindOf(values: readonly (ArgValue | undefined)[]): StackValue["kind"] {
  const defined = values.filter((v) => v !== undefined);
  for (const kind of ["string", "number", "boolean"] as const) if (defined.every((v) => typeof v === kind)) return kind;
  return "object";
}

/** Plain JSON of a value without special values (they cannot be stack config). */
function plain(v: ArgValue): unknown {
  if (isSpecial(v)) throw new Error("a stack-dependent value holds a value the input does not give (a required config value or a lookup)");
  if (Array.isArray(v)) return v.map(plain);
  if (isArgMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const sameKeys = (maps: readonly ArgMap[]): boolean => {
  const first = Object.keys(maps[0] ?? {}).sort().join("\n");
  return maps.every((m) => Object.keys(m).sort().join("\n") === first);
};

/** Arguments that map names of the user's choosing to values: split key by key only when every stack has the same keys. */
const DICTIONARIES = ["app.environment", "app.secrets", "app.dockerLabels", "app.build.args", "sidecar.environment", "sidecar.secrets", "tags"];

/** Split the workers' per-stack arguments; `stacks` in order. */
export function splitByStack(workers: readonly WorkerPlan[], stacks: readonly string[]): Split {
  const stackConfig = new Map<string, Record<string, unknown>>(stacks.map((s) => [s, {}]));
  const values = new Map<string, StackValue>();
  // The main worker's stack values by path: a topic's worker with the same values reads the same keys.
  const main = new Map<string, { perStack: readonly (ArgValue | undefined)[]; value: StackValue }>();
  const split = (perStack: readonly (ArgValue | undefined)[], path: readonly string[], prefix: string): ArgValue | undefined => {
    const first = perStack[0];
    if (perStack.every((v) => isDeepStrictEqual(v, first))) return first;
    const maps = perStack.every(isArgMap) ? (perStack as ArgMap[]) : undefined;
    if (maps !== undefined && (!DICTIONARIES.includes(path.join(".")) || sameKeys(maps))) {
      const out: ArgMap = {};
      for (const key of [...new Set(maps.flatMap((m) => Object.keys(m)))]) {
        const v = split(perStack.map((m) => (m as ArgMap)[key]), [...path, key], prefix);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    const same = main.get(path.join("."));
    if (same !== undefined && isDeepStrictEqual(same.perStack, perStack)) return same.value;
    const key = camelKey([prefix, ...path].filter((p) => p !== ""));
    const value = new StackValue(key, path, kindOf(perStack), perStack.every((v) => v !== undefined));
    values.set(key, value);
    if (prefix === "") main.set(path.join("."), { perStack, value });
    perStack.forEach((v, i) => {
      if (v !== undefined) (stackConfig.get(stacks[i] as string) as Record<string, unknown>)[key] = plain(v);
    });
    return value;
  };
  const out = workers.map((w, i) => {
    const perStack = stacks.map((s) => w.args.get(s) ?? {});
    const prefix = i === 0 ? "" : w.name;
    return { name: w.name, args: inArgsOrder((split(perStack, [], prefix) ?? {}) as ArgMap) };
  });
  return { workers: out, stackConfig, values };
}
