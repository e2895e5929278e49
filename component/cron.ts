/**
 * Standard 5-field cron (as in Beanstalk's cron.yaml, UTC) → EventBridge Scheduler's
 * 6-field `cron(minutes hours day-of-month month day-of-week year)`.
 *
 * The two dialects differ in ways that silently shift schedules if copied verbatim:
 * - day of week: standard 0-7 with 0 and 7 = Sunday; Scheduler 1-7 with 1 = Sunday, and no `/`;
 * - Scheduler needs exactly one of day-of-month / day-of-week to be `?`;
 * - standard cron ORs the two day fields when both are restricted, which Scheduler cannot
 *   express, so that case is rejected rather than approximated.
 * Pure: no Pulumi, so bad expressions fail at construction (i.e. at preview).
 */

export class CronError extends Error {
  override name = "CronError";
}

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers; index + nameBase = value. */
  readonly names?: readonly string[];
  readonly nameBase?: number;
}

const MINUTE: FieldSpec = { label: "minute", min: 0, max: 59 };
const HOUR: FieldSpec = { label: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: "day of month", min: 1, max: 31 };
const MONTH: FieldSpec = {
  label: "month",
  min: 1,
  max: 12,
  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  nameBase: 1,
};
const DAY_OF_WEEK: FieldSpec = {
  label: "day of week",
  min: 0,
  max: 7,
  names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
  nameBase: 0,
};

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

function parseValue(text: string, spec: FieldSpec, expr: string): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(text)) {
    throw new CronError(`"${expr}": "${text}" is not a valid ${spec.label} (use ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ""})`);
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronError(`"${expr}": ${spec.label} ${value} is out of range ${spec.min}-${spec.max}`);
  }
  return value;
}

/** Every value the field matches; throws CronError on bad syntax or ranges. */
export function parseField(field: string, spec: FieldSpec, expr: string): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const [base = "", stepText, extra] = item.split("/");
    if (extra !== undefined || base === "") throw new CronError(`"${expr}": bad ${spec.label} "${item}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronError(`"${expr}": step "${stepText}" in ${spec.label} must be a positive whole number`);
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (base === "*") {
      [from, to] = [spec.min, spec.max];
    } else if (base.includes("-")) {
      const [a = "", b = "", more] = base.split("-");
      if (more !== undefined) throw new CronError(`"${expr}": bad range "${base}" in ${spec.label}`);
      [from, to] = [parseValue(a, spec, expr), parseValue(b, spec, expr)];
      if (from > to) throw new CronError(`"${expr}": range "${base}" in ${spec.label} runs backwards`);
    } else {
      from = parseValue(base, spec, expr);
      to = stepText === undefined ? from : spec.max; // "5/15" = from 5 to the end, every 15
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Scheduler accepts `a/n` but `*\/n` is not documented there: anchor steps at the field minimum. */
function passThrough(field: string, spec: FieldSpec): string {
  return field.toUpperCase().replaceAll("*/", `${spec.min}/`);
}

/** Days (0 = Sunday) → Scheduler list in 1-7 = SUN-SAT numbering, runs of 3+ as ranges. */
function schedulerDaysOfWeek(days: ReadonlySet<number>): string {
  const sorted = [...new Set([...days].map((d) => (d % 7) + 1))].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const [first, last] = [sorted[i], sorted[j]];
    if (j - i >= 2) parts.push(`${first}-${last}`);
    else parts.push(...sorted.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return parts.join(",");
}

/** An @macro (`@daily`, ...) as its 5 fields; any other expression trimmed, as it is. */
export function expandCronMacro(expression: string): string {
  const trimmed = expression.trim();
  return MACROS[trimmed.toLowerCase()] ?? trimmed;
}

/**
 * Convert a standard 5-field cron expression (or an @macro) to an EventBridge Scheduler
 * expression, e.g. `"0 *\/12 * * *"` → `"cron(0 0/12 * * ? *)"`. Throws CronError.
 */
export function toSchedulerCron(expression: string): string {
  const fields = expandCronMacro(expression).split(/\s+/);
  if (fields.length !== 5) {
    throw new CronError(`"${expression}": expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  const [minute = "", hour = "", dom = "", month = "", dow = ""] = fields;
  parseField(minute, MINUTE, expression);
  parseField(hour, HOUR, expression);
  parseField(month, MONTH, expression);
  const domDays = parseField(dom, DAY_OF_MONTH, expression);
  const dowDays = new Set([...parseField(dow, DAY_OF_WEEK, expression)].map((d) => d % 7));
  const domAll = domDays.size === 31;
  const dowAll = dowDays.size === 7;

  // Vixie cron: when either day field starts with "*", both must match (AND); else either (OR).
  const andSemantics = dom.startsWith("*") || dow.startsWith("*");
  let domOut: string;
  let dowOut: string;
  if (dowAll && (andSemantics || domAll)) {
    [domOut, dowOut] = [passThrough(dom, DAY_OF_MONTH), "?"];
  } else if (domAll && andSemantics) {
    [domOut, dowOut] = ["?", schedulerDaysOfWeek(dowDays)];
  } else {
    throw new CronError(
      `"${expression}": restricts both day of month ("${dom}") and day of week ("${dow}"), which EventBridge Scheduler cannot express; set one of them to "*"`,
    );
  }
  return `cron(${passThrough(minute, MINUTE)} ${passThrough(hour, HOUR)} ${domOut} ${passThrough(month, MONTH)} ${dowOut} *)`;
}
