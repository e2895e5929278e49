/**
 * The argument tree a migration builds: plain JSON values, plus the few values the input cannot
 * give, which the program writers turn into stack config or a lookup.
 */

/** A value the user sets as stack config because the input does not hold it (`pulumi config set <key>`). */
export class RequiredConfig {
  constructor(
    readonly key: string,
    /** What to set, e.g. "the VPC id of the subnets". */
    readonly hint: string,
    /** Set with `pulumi config set --secret`, read with requireSecret. */
    readonly secret = false,
    /** A value of the right shape, standing in when the migrator checks the arguments. */
    readonly example = "stand-in",
  ) {}
}

/** The ARN of a Secrets Manager secret known by name, looked up at deploy time. */
export class SecretArnLookup {
  constructor(readonly name: string) {}
}

/** A value that differs between stacks, read from stack config (made by environments.ts). */
export class StackValue {
  constructor(
    readonly key: string,
    /** The argument path, e.g. ["scaling", "maxCount"]. */
    readonly path: readonly string[],
    readonly kind: "string" | "number" | "boolean" | "object",
    /** Set in every stack (require…) or only in some (get…). */
    readonly required: boolean,
  ) {}
}

export type Special = RequiredConfig | SecretArnLookup | StackValue;
export type ArgValue = string | number | boolean | Special | ArgValue[] | ArgMap;
export interface ArgMap {
  [key: string]: ArgValue;
}

export const isSpecial = (v: unknown): v is Special => v instanceof RequiredConfig || v instanceof SecretArnLookup || v instanceof StackValue;
export const isArgMap = (v: unknown): v is ArgMap => typeof v === "object" && v !== null && !Array.isArray(v) && !isSpecial(v);

/** A path as segments: "app.environment" or ["app", "environment", "MY.VAR"]. */
export type ArgPath = string | readonly string[];
const segments = (path: ArgPath): readonly string[] => (typeof path === "string" ? path.split(".") : path);

function parentOf(root: ArgMap, path: readonly string[]): ArgMap {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!isArgMap(node[key])) node[key] = {};
    node = node[key] as ArgMap;
  }
  return node;
}

/** Set the value at `path` under `root`, creating the maps on the way. */
export function setIn(root: ArgMap, path: ArgPath, value: ArgValue): void {
  const s = segments(path);
  parentOf(root, s)[s[s.length - 1] as string] = value;
}

/** The arguments of one WorkerEnvironment, built setting by setting. */
export class ArgsTree {
  readonly root: ArgMap = {};


  set(path: ArgPath, value: ArgValue): void {
    setIn(this.root, path, value);
  }

  /** Append to the list at `path` (created when missing). */
  push(path: ArgPath, value: ArgValue): void {
    const list = this.get(path);
    if (Array.isArray(list)) list.push(value);
    else this.set(path, [value]);
  }

  get(path: ArgPath): ArgValue | undefined {
    let node: ArgValue | undefined = this.root;
    for (const key of segments(path)) node = isArgMap(node) ? node[key] : undefined;
    return node;
  }

  delete(path: ArgPath): void {
    const s = segments(path);
    delete parentOf(this.root, s)[s[s.length - 1] as string];
  }

  /** The item of the list at `path` whose `key` is `name`, created (with that key) when missing. */
  item(path: ArgPath, key: string, name: string): ArgMap {
    const list = this.get(path);
    const found = Array.isArray(list) ? list.find((i): i is ArgMap => isArgMap(i) && i[key] === name) : undefined;
    if (found !== undefined) return found;
    const created: ArgMap = { [key]: name };
    this.push(path, created);
    return created;
  }
}
