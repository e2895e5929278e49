/**
 * The migration guides' mapping tables (docs/migrating-from-copilot.md,
 * docs/migrating-from-beanstalk.md) against field lists derived from the tools they migrate from
 * (test/component/fixtures): every field exactly one row, each row an equivalent or
 * "not supported, because …", and the arguments a row names existing in component/args.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { argumentPathProblem, namesAnArgument } from "./args-paths";

const ROOT = path.resolve(__dirname, "../..");
export const read = (rel: string): string => readFileSync(path.join(ROOT, rel), "utf8");
export const NOT_SUPPORTED = "not supported, because ";

/** The non-comment lines of a field list. */
export function fieldList(rel: string): string[] {
  return read(rel)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** The text under a heading line (e.g. "## Manifest fields"), up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0] ?? "##";
  const after = markdown.split(`\n${heading}\n`)[1] ?? assert.fail(`no section ${heading}`);
  return after.split(new RegExp(`\\n#{1,${level.length}} `))[0] ?? "";
}

export interface Row {
  /** The backticked names of the first cell, each after `prefix`. */
  fields: string[];
  /** The cell holding the equivalent. */
  equivalent: string;
}

/** The rows of the tables in `text` (header rows skipped). */
export function tableRows(text: string, equivalentColumn = 1, prefix = ""): Row[] {
  const rows: Row[] = [];
  let header = true;
  for (const line of text.split("\n")) {
    if (!line.startsWith("| ")) {
      header = true;
      continue;
    }
    if (header || line.startsWith("| ---")) {
      header = line.startsWith("| ---") ? false : header;
      continue;
    }
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    rows.push({ fields: [...(cells[0] ?? "").matchAll(/`([^`]+)`/g)].map((m) => `${prefix}${m[1] ?? ""}`), equivalent: cells[equivalentColumn] ?? "" });
  }
  return rows;
}

/** Problems of the rows against the list: missing, unknown or repeated fields, empty or unknown equivalents. */
export function tableProblems(rows: readonly Row[], fields: readonly string[]): string[] {
  const problems: string[] = [];
  const listed = new Set(fields);
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (row.fields.length === 0) problems.push(`a row names no field: ${row.equivalent}`);
    for (const f of row.fields) {
      if (!listed.has(f)) problems.push(`${f}: not a field of the list`);
      seen.set(f, (seen.get(f) ?? 0) + 1);
    }
    const label = row.fields.join(", ");
    if (row.equivalent.startsWith("not supported")) {
      if (!row.equivalent.startsWith(NOT_SUPPORTED) || row.equivalent.length < NOT_SUPPORTED.length + 20) problems.push(`${label}: "not supported" without a reason`);
    } else if (!/`[^`]+`/.test(row.equivalent)) {
      problems.push(`${label}: neither an equivalent (in backticks) nor "not supported, because …"`);
    }
    for (const token of [...row.equivalent.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "")) {
      const argPath = /^[A-Za-z][\w.[\]<>]*/.exec(token)?.[0]?.replace(/\.$/, "");
      if (argPath === undefined || !namesAnArgument(argPath)) continue;
      const problem = argumentPathProblem(argPath);
      if (problem !== undefined) problems.push(`${label}: ${problem}`);
    }
  }
  for (const f of fields) {
    const n = seen.get(f) ?? 0;
    if (n !== 1) problems.push(`${f}: ${n === 0 ? "no row" : `${n} rows`}`);
  }
  return problems;
}

/** Fields with an equivalent, and fields not supported. */
export function coverage(rows: readonly Row[]): { covered: number; notSupported: number } {
  const count = (supported: boolean) => rows.filter((r) => r.equivalent.startsWith(NOT_SUPPORTED) !== supported).reduce((n, r) => n + r.fields.length, 0);
  return { covered: count(true), notSupported: count(false) };
}

/** The counts a doc states ("<covered> of the <total> … have an equivalent; the other <n> are not supported"), checked against the rows. */
export function assertStatedCoverage(doc: string, rows: readonly Row[], total: number): void {
  const { covered, notSupported } = coverage(rows);
  assert.equal(covered + notSupported, total);
  const stated = /(\d+)\s+of\s+the\s+(\d+)\s+\w+\s+have\s+an\s+equivalent;\s+the\s+other\s+(\d+)\s+are\s+not\s+supported/.exec(doc) ?? assert.fail("the doc states no counts");
  assert.deepEqual(stated.slice(1).map(Number), [covered, total, notSupported]);
}
