/**
 * cron.yaml for local mode: the component's parser reads the Beanstalk shape and the shared
 * periodic-task validator (sidecar/periodic-task.ts) decides what a valid name, path and
 * schedule are, so local mode accepts exactly what a deploy and the daemon accept. Here we add
 * what a local run needs on top: unique names and cron-parser's next run times. Pure: the
 * caller reads the file.
 */
import { CronExpressionParser } from "cron-parser";
import { expandCronMacro } from "../component/cron";
import { parseCronYaml, type CronEntry } from "../component/cron-file";
import { checkPeriodicTask } from "../sidecar/periodic-task";
import { ConfigError } from "./errors";

export type { CronEntry };

/**
 * Parse a schedule for its next run times (UTC). Macros become their 5 fields first, since
 * the component accepts them; callers validate with checkPeriodicTask before this.
 */
export function parseSchedule(schedule: string, currentDate: Date = new Date()) {
  const fields = expandCronMacro(schedule);
  // cron-parser also takes a 6-field form with seconds; Beanstalk's cron.yaml does not.
  if (fields.split(/\s+/).length !== 5) throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week)`);
  return CronExpressionParser.parse(fields, { tz: "UTC", currentDate, strict: false });
}

/**
 * Entries of a cron.yaml text, validated. Throws ConfigError listing every problem, each
 * naming the file and the entry (`cron.yaml: cron[1] "backup": ...`).
 */
export function loadCronYaml(text: string, source = "cron.yaml"): CronEntry[] {
  let entries: CronEntry[];
  try {
    entries = parseCronYaml(text, source);
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const where = `${source}: cron[${i}] "${e.name}"`;
    if (seen.has(e.name)) problems.push(`${where}: duplicate name (every task needs a unique name)`);
    seen.add(e.name);
    const check = checkPeriodicTask(e);
    for (const problem of check.problems) problems.push(`${where}: ${problem}`);
    if (check.problems.length > 0) return;
    try {
      parseSchedule(e.schedule);
    } catch (err) {
      // A schedule the shared validator accepts but cron-parser cannot run: a bug here, not in the file.
      problems.push(`${where}: schedule ${JSON.stringify(e.schedule)} cannot be scheduled locally (${(err as Error).message})`);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return entries;
}
