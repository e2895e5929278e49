/**
 * Beanstalk's order of precedence, from AWS's "Configuration options" page (section
 * "Precedence"), highest first: settings applied directly to the environment (what
 * describe-configuration-settings returns), a saved configuration, then configuration files in
 * .ebextensions, which run in alphabetical order of their names, so a later file's value wins
 * over an earlier one's. Defaults come last (left to WorkerEnvironment's own, which are
 * Beanstalk's for the sqsd options). Here: every setting of every file, the winner per option,
 * and the values it overrode.
 */
import * as path from "node:path";
import type { BeanstalkFile, OptionSetting } from "./beanstalk-input";

/** The rule as MIGRATION.md states it. */
export const PRECEDENCE =
  "Beanstalk's precedence, lowest first: .ebextensions/*.config in alphabetical order (a later file wins), then the saved configuration, then the settings applied to the environment (describe-configuration-settings); a setting in a later file overrides the same option in an earlier one.";

const RANK: Record<BeanstalkFile["kind"], number> = { ebextension: 0, "saved configuration": 1, "environment settings": 2, "cron.yaml": 3 };

/** Files lowest precedence first: by kind, and ebextensions by file name (Beanstalk runs them alphabetically). */
export function precedenceOrder(files: readonly BeanstalkFile[]): BeanstalkFile[] {
  return [...files].sort((a, b) => RANK[a.kind] - RANK[b.kind] || path.basename(a.source.file).localeCompare(path.basename(b.source.file), "en") || a.source.file.localeCompare(b.source.file));
}

/** One option's winning setting and the ones it overrode (lowest first). */
export interface ResolvedOption {
  readonly winner: OptionSetting;
  readonly overridden: readonly OptionSetting[];
}

/** Scheduled actions are told apart by their resource name; every other option is one per environment. */
export function optionKey(s: Pick<OptionSetting, "namespace" | "option" | "resource">): string {
  return s.namespace === "aws:autoscaling:scheduledaction" && s.resource !== undefined ? `${s.namespace} ${s.option} (${s.resource})` : `${s.namespace} ${s.option}`;
}

/** Every option, resolved; the map keeps the order in which options first appear (lowest file first). */
export function resolveOptions(files: readonly BeanstalkFile[]): Map<string, ResolvedOption> {
  const all = new Map<string, OptionSetting[]>();
  for (const file of precedenceOrder(files)) {
    for (const s of file.options) {
      const key = optionKey(s);
      all.set(key, [...(all.get(key) ?? []), s]);
    }
  }
  const resolved = new Map<string, ResolvedOption>();
  for (const [key, settings] of all) resolved.set(key, { winner: settings[settings.length - 1] as OptionSetting, overridden: settings.slice(0, -1) });
  return resolved;
}
