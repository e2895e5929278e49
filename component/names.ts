/**
 * Physical names. Pulumi's default auto-naming turns a logical name into
 * `<logical name>-<7 random characters>`, and AWS caps some names well below what a component
 * name may be (IAM roles and EventBridge rules and schedule groups at 64, queues at 80 with
 * ".fifo"). This computes each auto-named child's longest physical name from the component
 * name, so a name too long fails the preview, naming the limit and how much to shorten, instead
 * of failing `pulumi up` halfway. Pure: no Pulumi.
 *
 * The logical names here must match the modules that create the resources; a test builds the
 * component with the longest accepted names and checks every recorded name against its limit.
 */
import type { WorkerEnvironmentArgs } from "./args";

/** "-" plus the 7 random characters of Pulumi's default auto-name. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** Shown in messages where the random part goes. */
const RANDOM = "-<7 random>";

/** Characters every name derived from the component name accepts (ECS family, cluster, service; SQS). */
const COMPONENT_NAME = /^[A-Za-z0-9_-]+$/;

/** One auto-named child whose physical name AWS caps. */
export interface CappedName {
  /** What AWS calls it, e.g. "IAM role". */
  readonly kind: string;
  /** The logical name after the component name, e.g. "-execution". */
  readonly suffix: string;
  /** AWS's limit on the physical name. */
  readonly max: number;
  /** Appended after the random part (".fifo" on FIFO queues). */
  readonly extra: string;
}

/** The capped children this component creates for `args` (event rules apart: they add their own name). */
export function cappedNames(args: WorkerEnvironmentArgs, fifo: boolean, periodicTasks: boolean): CappedName[] {
  const role = (suffix: string): CappedName => ({ kind: "IAM role", suffix, max: 64, extra: "" });
  const queue = (suffix: string, extra: string): CappedName => ({ kind: "SQS queue", suffix, max: 80, extra });
  const names = [role("-task"), role("-execution")];
  if (args.existingQueue === undefined) {
    const fifoSuffix = fifo ? ".fifo" : "";
    names.push(queue("-queue", fifoSuffix), queue("-dlq", fifoSuffix));
  }
  if ((args.eventRules ?? []).length > 0) names.push(queue("-rules-dlq", ""));
  if (periodicTasks) {
    names.push(role("-scheduler"), { kind: "EventBridge Scheduler schedule group", suffix: "-schedules", max: 64, extra: "" });
  }
  return names;
}

/** The longest physical name of `c` for a component named `name`. */
export function physicalName(name: string, c: CappedName): string {
  return `${name}${c.suffix}${RANDOM}${c.extra}`;
}

const chars = (n: number): string => `${n} character${n === 1 ? "" : "s"}`;

const lengthOf = (name: string, c: CappedName): number => name.length + c.suffix.length + AUTONAME_SUFFIX_LENGTH + c.extra.length;

/** Every naming problem, each naming the limit and how many characters to drop. */
export function nameProblems(name: string, args: WorkerEnvironmentArgs, fifo: boolean, periodicTasks: boolean): string[] {
  const problems: string[] = [];
  if (!COMPONENT_NAME.test(name)) {
    problems.push(
      `component name "${name}": it names the ECS task definition family, cluster and service and the queues, which allow only letters, digits, "-" and "_"; rename the component`,
    );
  }
  // The tightest cap decides how long the component name may be: one message, not one per child.
  const worst = cappedNames(args, fifo, periodicTasks)
    .map((c) => ({ c, over: lengthOf(name, c) - c.max }))
    .sort((a, b) => b.over - a.over)[0];
  if (worst && worst.over > 0) {
    const { c, over } = worst;
    problems.push(
      `component name "${name}" is ${name.length} characters: the ${c.kind} "${physicalName(name, c)}" would be ${lengthOf(name, c)}, over AWS's limit of ${c.max}; shorten the component name by ${chars(over)} (to at most ${name.length - over})`,
    );
  }
  for (const rule of args.eventRules ?? []) {
    const c: CappedName = { kind: "EventBridge rule", suffix: `-rule-${rule.name}`, max: 64, extra: "" };
    const over = lengthOf(name, c) - c.max;
    if (over > 0) {
      problems.push(
        `eventRules "${rule.name}": the EventBridge rule "${physicalName(name, c)}" would be ${lengthOf(name, c)} characters, over AWS's limit of ${c.max}; shorten the rule name or the component name by ${chars(over)} together`,
      );
    }
  }
  return problems;
}

/** CloudWatch's limit on a dashboard name, and the characters it takes. */
export const DASHBOARD_NAME_MAX = 255;
const DASHBOARD_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The default dashboard name, "<project>-<stack>-<component>". Dashboards have no auto-naming
 * and are global to the account, so the name carries the project and stack; Pulumi allows "."
 * in both, which CloudWatch refuses: it becomes "_", as does any other character it refuses.
 */
export function defaultDashboardName(project: string, stack: string, component: string): string {
  return `${project}-${stack}-${component}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** The Pulumi project and stack a component is deployed in. */
export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}

/** The dashboard's name: `dashboard.name`, else the default. */
export function dashboardName(args: WorkerEnvironmentArgs, component: string, stack: StackIdentity): string {
  return args.dashboard?.name ?? defaultDashboardName(stack.project, stack.stack, component);
}

/**
 * Problems of a dashboard name: length (1-255) and characters. `arg` names where it comes from:
 * `dashboard.name` when given; for the default, the project, stack and component names.
 */
export function dashboardNameProblems(name: string, given: boolean): string[] {
  const arg = given ? "dashboard.name" : "dashboard";
  const fix = given ? "give a shorter name" : "set dashboard.name to a shorter name";
  const what = given ? `"${name}"` : `the default name "${name}" (<project>-<stack>-<component name>)`;
  const problems: string[] = [];
  if (name.length === 0) problems.push(`${arg}: is empty; give a name of 1-${DASHBOARD_NAME_MAX} letters, digits, "-" and "_"`);
  else if (!DASHBOARD_NAME.test(name)) problems.push(`${arg}: ${what} has characters CloudWatch refuses in a dashboard name; use only letters, digits, "-" and "_"`);
  if (name.length > DASHBOARD_NAME_MAX) {
    problems.push(`${arg}: ${what} is ${name.length} characters, over CloudWatch's limit of ${DASHBOARD_NAME_MAX}; ${fix} (by ${chars(name.length - DASHBOARD_NAME_MAX)})`);
  }
  return problems;
}
