/**
 * What makes a periodic task (one cron.yaml entry) valid: its name, its URL path and its
 * schedule. One definition, used by the component (at preview), by local mode (before it
 * schedules anything) and by the daemon (before it POSTs a task message), so a task one of
 * them accepts is never refused by another. Pure: no Pulumi, no I/O.
 */
import { toSchedulerCron } from "../component/cron";

/** EventBridge Scheduler's schedule names (each task becomes one): 1-64 of these characters. */
export const TASK_NAME = /^[0-9A-Za-z._-]{1,64}$/;

/**
 * A path the daemon can append to the app's origin: one leading "/" (a second would read as a
 * host), no whitespace, control characters or "#" (a fragment is never sent). A query is fine.
 */
export const TASK_PATH = /^\/(?!\/)[^\s\x00-\x1f\x7f#]*$/;

/** The fields every source of periodic tasks has. */
export interface PeriodicTaskFields {
  readonly name: string;
  readonly url: string;
  readonly schedule: string;
}

/** Why `name` is not a valid task name (naming the fix), or undefined. */
export function taskNameProblem(name: string): string | undefined {
  if (TASK_NAME.test(name)) return undefined;
  return `name ${JSON.stringify(name)} is not valid: use 1-64 letters, digits, ".", "-" or "_" (it becomes an EventBridge Scheduler schedule name)`;
}

/** Why `path` is not a valid task path (naming the fix), or undefined. */
export function taskPathProblem(path: string): string | undefined {
  if (TASK_PATH.test(path)) return undefined;
  return `path ${JSON.stringify(path)} is not a URL path: start it with a single "/" and leave out spaces, control characters and "#", e.g. "/backup"`;
}

/** The schedule as an EventBridge Scheduler expression, or why it cannot be one. */
export function checkSchedule(schedule: string): { expression: string } | { problem: string } {
  try {
    return { expression: toSchedulerCron(schedule) };
  } catch (err) {
    return { problem: `schedule is not valid: ${(err as Error).message}; use a standard 5-field cron expression in UTC or an @macro such as @daily` };
  }
}

/** Every problem of one task (empty when valid) and its Scheduler expression when the schedule is valid. */
export function checkPeriodicTask(task: PeriodicTaskFields): { problems: string[]; expression?: string } {
  const problems: string[] = [];
  const name = taskNameProblem(task.name);
  if (name) problems.push(name);
  const path = taskPathProblem(task.url);
  if (path) problems.push(`url: ${path}`);
  const schedule = checkSchedule(task.schedule);
  if ("problem" in schedule) return { problems: [...problems, schedule.problem] };
  return { problems, expression: schedule.expression };
}
