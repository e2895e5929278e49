/**
 * One row of the migration report per input setting: what it was, where it came from, and what
 * became of it. Every reader and mapper produces these; MIGRATION.md and --dry-run print them.
 */

/**
 * mapped: the value became an argument, same meaning. changed: it became an argument (or built-in
 * behaviour) by a stated rule. not carried over: nothing in the program, with the reason and what
 * to do instead. unknown: a namespace, option or field the migrator does not know.
 */
export type Outcome = "mapped" | "changed" | "not carried over" | "unknown";

export interface Row {
  /** The input key: "aws:elasticbeanstalk:sqsd HttpPath", "cron.yaml cron[0].name", "count.range". */
  readonly key: string;
  /** The value, as text (shortened; hidden for secrets). */
  readonly value: string;
  /** "file:line" it came from. */
  readonly source: string;
  readonly outcome: Outcome;
  /** WorkerEnvironment arguments it became, e.g. "app.httpPath" (a topic's own worker: "orders-events: queue.retentionSeconds"). */
  readonly args: readonly string[];
  /** The rule used, or the reason and what to do instead. */
  readonly note: string;
  /** The mapping rule that produced it (tests hold rules to the migration guides' tables). */
  readonly rule: string;
}

/** What a rule decided for one setting. */
export interface Disposition {
  readonly outcome: Outcome;
  readonly args: readonly string[];
  readonly note: string;
  /** Hide the value in the report (a secret). */
  readonly secret?: boolean;
  /** The rule that decided, when another than the field's own (a simple-sqsd variable's). */
  readonly rule?: string;
}

export const mapped = (args: readonly string[], note = ""): Disposition => ({ outcome: "mapped", args, note });
export const changed = (args: readonly string[], note: string): Disposition => ({ outcome: "changed", args, note });
export const notCarried = (note: string): Disposition => ({ outcome: "not carried over", args: [], note });
export const unknownSetting = (note: string): Disposition => ({ outcome: "unknown", args: [], note });

/** A value as one short line of text for the report. */
export function display(value: unknown, max = 60): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Counts per outcome ("not carried over" includes unknown). */
export function tally(rows: readonly Row[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { mapped: 0, changed: 0, "not carried over": 0, unknown: 0 };
  for (const r of rows) counts[r.outcome]++;
  return counts;
}
