/**
 * The generated arguments checked by the component's own validation (validateArgs), stack by
 * stack, before anything is written: a problem it finds would fail `pulumi preview`, so the
 * report lists it. Values only a deploy knows get stand-ins of the right shape.
 */
import { parseCronYaml } from "../component/cron-file";
import type { WorkerEnvironmentArgs } from "../component/args";
import { validateArgs, WorkerEnvironmentArgsError } from "../component/validation";
import type { MigrationPlan } from "./plan";
import { isArgMap, RequiredConfig, SecretArnLookup, StackValue, type ArgValue } from "./values";

function standIn(v: ArgValue): unknown {
  if (v instanceof RequiredConfig) return v.example;
  if (v instanceof SecretArnLookup) return `arn:aws:secretsmanager:us-east-1:123456789012:secret:${v.name}-AbCdEf`;
  if (v instanceof StackValue) throw new Error("per-stack arguments hold no stack values");
  if (Array.isArray(v)) return v.map(standIn);
  if (isArgMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, standIn(x)]));
  return v;
}

/** Problems validateArgs finds, each naming the stack and the worker. */
export function argumentProblems(plan: MigrationPlan): string[] {
  const problems: string[] = [];
  const tasks = plan.cron !== undefined ? parseCronYaml(plan.cron.text, plan.cron.from) : [];
  for (const worker of plan.workers) {
    for (const [stack, args] of worker.args) {
      const checked = standIn(args) as WorkerEnvironmentArgs & { cronFile?: string };
      // The cron file is written with the program; its entries are checked here.
      if (checked.cronFile !== undefined) {
        delete checked.cronFile;
        checked.periodicTasks = [...(checked.periodicTasks ?? []), ...tasks];
      }
      try {
        validateArgs(worker.name, checked);
      } catch (err) {
        if (!(err instanceof WorkerEnvironmentArgsError)) throw err;
        for (const p of err.problems) problems.push(`stack ${stack}, ${worker.name}: ${p}`);
      }
    }
  }
  return problems;
}
