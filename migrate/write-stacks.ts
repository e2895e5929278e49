/**
 * Pulumi.<stack>.yaml per stack: the region when the input names it, each value that differs
 * between stacks, and, as comments, what the user still has to set (`pulumi config set …`).
 */
import { stringify } from "yaml";
import type { Split } from "./environments";
import type { MigrationPlan } from "./plan";
import { isArgMap, RequiredConfig, type ArgValue } from "./values";

/** Every RequiredConfig in the workers' arguments, by key. */
export function requiredConfig(split: Split): Map<string, RequiredConfig> {
  const found = new Map<string, RequiredConfig>();
  const visit = (v: ArgValue): void => {
    if (v instanceof RequiredConfig) found.set(v.key, v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isArgMap(v)) Object.values(v).forEach(visit);
  };
  for (const w of split.workers) visit(w.args);
  return found;
}

export function stackFile(plan: MigrationPlan, split: Split, stack: string): string {
  const values: Record<string, unknown> = {};
  const region = plan.regions.get(stack);
  if (region !== undefined) values["aws:region"] = region;
  for (const [k, v] of Object.entries(split.stackConfig.get(stack) ?? {})) values[`${plan.project}:${k}`] = v;
  const todo = [...requiredConfig(split).values()].map((r) => `#   pulumi config set${r.secret ? " --secret" : ""} --stack ${stack} ${r.key} <value>   # ${r.hint}`);
  if (region === undefined) todo.unshift(`#   pulumi config set --stack ${stack} aws:region <region>`);
  const header = [`# Stack ${stack}${plan.tool === "copilot" ? ` (Copilot environment ${stack})` : ""}, written by sqsd-worker migrate.`, ...(todo.length > 0 ? ["# Still to set:", ...todo] : [])];
  const body = Object.keys(values).length > 0 ? stringify({ config: values }, { lineWidth: 0 }) : "config: {}\n";
  return `${header.join("\n")}\n${body}`;
}
