/**
 * cron.yaml for local mode: the component's parser reads the Beanstalk shape (so both read
 * the file the same way); here we add the checks a local run needs before it can schedule
 * anything: unique names, paths starting with "/", and 5-field cron expressions that
 * cron-parser accepts. Pure: the caller reads the file.
 */
import { CronExpressionParser } from "cron-parser";
import { parseCronYaml, type CronEntry } from "../component/cron-file";
import { ConfigError } from "./errors";

export type { CronEntry };

/** Parse a 5-field UTC cron expression; throws a readable Error. */
export function parseSchedule(schedule: string, currentDate: Date = new Date()) {
  const fields = schedule.trim().split(/\s+/);
  // cron-parser also takes a 6-field form with seconds; Beanstalk's cron.yaml does not.
  if (fields.length !== 5) {
    throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}; write macros such as @daily as 5 fields (0 0 * * *)`);
  }
  return CronExpressionParser.parse(schedule, { tz: "UTC", currentDate, strict: false });
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
    if (!e.url.startsWith("/") || /[\s#]/.test(e.url)) problems.push(`${where}: url ${JSON.stringify(e.url)} must be a path starting with /, without spaces or #`);
    try {
      parseSchedule(e.schedule);
    } catch (err) {
      problems.push(`${where}: schedule ${JSON.stringify(e.schedule)} is not a valid cron expression (${(err as Error).message})`);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return entries;
}
