/**
 * Parse a Beanstalk `cron.yaml` (version 1) into periodic task entries.
 * Pure: the caller reads the file, so tests need no file system.
 */
import { parse } from "yaml";

export interface CronEntry {
  readonly name: string;
  readonly url: string;
  readonly schedule: string;
}

function fail(source: string, message: string): never {
  throw new Error(`${source}: ${message}`);
}

/** Entries of a cron.yaml text; throws with the source name and entry index on bad shape. */
export function parseCronYaml(text: string, source = "cron.yaml"): CronEntry[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    fail(source, `not valid YAML (${(err as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null) fail(source, "expected a mapping with `version: 1` and a `cron` list");
  const { version, cron } = doc as Record<string, unknown>;
  if (version !== 1 && version !== "1") fail(source, `unsupported version ${String(version)}; expected 1`);
  if (!Array.isArray(cron)) fail(source, "`cron` must be a list of {name, url, schedule}");
  return cron.map((entry: unknown, i) => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    for (const key of ["name", "url", "schedule"]) {
      if (typeof e[key] !== "string" || e[key] === "") fail(source, `cron[${i}] needs a non-empty string \`${key}\``);
    }
    return { name: e.name as string, url: e.url as string, schedule: e.schedule as string };
  });
}
