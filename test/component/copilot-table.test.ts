/**
 * docs/migrating-from-copilot.md's manifest table against the field list derived from
 * aws/copilot-cli (test/component/fixtures/copilot-worker-manifest-fields.txt): every field has
 * exactly one row, no row names a field that does not exist, every row gives an equivalent or
 * "not supported, because …", the arguments it names exist in component/args.ts, and the
 * covered / not supported counts the doc states are the table's.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { argumentPathProblem, namesAnArgument } from "./args-paths";

const ROOT = path.resolve(__dirname, "../..");
const read = (rel: string): string => readFileSync(path.join(ROOT, rel), "utf8");
const NOT_SUPPORTED = "not supported, because ";

/** The non-comment lines of a field list. */
export function fieldList(rel: string): string[] {
  return read(rel)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

export interface Row {
  fields: string[];
  equivalent: string;
}

/** The rows of the first table under `heading`: the backticked names of the first cell and the second cell. */
export function tableRows(markdown: string, heading: string): Row[] {
  const section = markdown.split(`\n${heading}\n`)[1]?.split(/\n## /)[0] ?? assert.fail(`no section ${heading}`);
  return section
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| ---"))
    .slice(1)
    .map((l) => {
      const [first = "", second = ""] = l.slice(2, -2).split(" | ");
      return { fields: [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ""), equivalent: second.trim() };
    });
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

describe("docs/migrating-from-copilot.md: every Copilot Worker Service manifest field", () => {
  const fields = fieldList("test/component/fixtures/copilot-worker-manifest-fields.txt");
  const doc = read("docs/migrating-from-copilot.md");
  const rows = tableRows(doc, "## Manifest fields");

  it("the field list is the manifest's (spot checks of each part, no duplicates)", () => {
    assert.equal(new Set(fields).size, fields.length, "no field twice");
    for (const f of ["image.build.cache_from", "count.range.spot_from", "count.queue_delay.cooldown.out", "deployment.rollback_alarms.messages_delayed", "storage.volumes.<volume>.efs.auth.access_point_id", "subscribe.queue.fifo.high_throughput", "sidecars.<name>.credentialsParameter", "observability.tracing", "taskdef_overrides[].value", "environments.<env>"]) {
      assert.ok(fields.includes(f), f);
    }
    assert.ok(!fields.includes("count.requests") && !fields.includes("subscribe.queue.kms"), "not fields of a Worker Service");
  });

  it("has one row per field, each with an equivalent or a reason, naming only arguments that exist", () => {
    assert.deepEqual(tableProblems(rows, fields), []);
  });

  it("states the counts the table has", () => {
    const { covered, notSupported } = coverage(rows);
    assert.equal(covered + notSupported, fields.length);
    const stated = /(\d+) of the (\d+) fields have an equivalent; the other (\d+) are not supported/.exec(doc) ?? assert.fail("the doc states no counts");
    assert.deepEqual(stated.slice(1).map(Number), [covered, fields.length, notSupported]);
  });

  it("catches a missing field, an unknown field, a bare 'not supported' and an argument that does not exist", () => {
    const broken: Row[] = [
      ...rows.filter((r) => !r.fields.includes("cpu")),
      { fields: ["image.kms"], equivalent: "`app.image`" },
      { fields: ["name"], equivalent: "not supported" },
      { fields: ["memory"], equivalent: "`app.secrets.<name>.jsonkey`" },
    ];
    const problems = tableProblems(broken, fields);
    for (const expected of ["cpu: no row", "image.kms: not a field of the list", 'name: "not supported" without a reason', "name: 2 rows", "memory: app.secrets.<name>.jsonkey: ContainerSecret has no jsonkey", "memory: 2 rows"]) {
      assert.ok(problems.includes(expected), `${expected} in:\n${problems.join("\n")}`);
    }
    assert.equal(argumentPathProblem("extraContainers[].mountPoints[].readOnly"), undefined);
    assert.equal(argumentPathProblem("storage.efsVolumes[].containerPath"), undefined);
    assert.equal(argumentPathProblem("sidecar.secrets.<name>.ssmParameter"), undefined);
    assert.match(argumentPathProblem("cpu.units") ?? "", /cpu\.units: units follows a plain value/);
  });
});
