/**
 * The migrator's rules and the migration guides' tables say the same thing. Every option of
 * test/component/fixtures/beanstalk-worker-options.txt and every field of
 * copilot-worker-manifest-fields.txt has a rule; the arguments a rule may set are named in the
 * guide's row (docs/migrating-from-*.md, held to component/args.ts by the table tests); a row
 * the guide calls "not supported" has a rule that carries nothing; and every row the migrator
 * reports for the fixtures names only arguments its rule declares, and is mapped or changed only
 * where the guide has an equivalent. The simple-sqsd variables likewise, against the guide's
 * SQSD_* table. The order the programs list arguments in is args.ts's.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { APP_ORDER, ARGS_ORDER } from "../../migrate/arg-order";
import { BEANSTALK_RULES } from "../../migrate/beanstalk-rules";
import { COPILOT_RULES } from "../../migrate/copilot-rules";
import { migrate } from "../../migrate/migrate";
import type { Row } from "../../migrate/report-rows";
import { SQSD_VARIABLES, sqsdVariableArgs } from "../../migrate/sqsd-variables";
import { PEER_VARIABLES } from "../../sidecar/peer-variables";
import { fieldList, NOT_SUPPORTED, read, section } from "../component/mapping-table";
import { CASES, FIXTURES, OUT, REPO } from "./helpers";

/** One table row: the names of its first cell, the equivalent, and the argument paths of every other cell. */
interface DocRow {
  readonly fields: string[];
  readonly equivalent: string;
  readonly tokens: string[];
}

function docRows(text: string, equivalentColumn: number, prefix = ""): DocRow[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| ---"))
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()))
    .filter((cells) => cells.length > equivalentColumn && !["Beanstalk option", "option", "Copilot field", "key", "`simple-sqsd` variable"].includes(cells[0] ?? ""))
    .map((cells) => ({
      fields: [...(cells[0] ?? "").matchAll(/`([^`]+)`/g)].map((m) => `${prefix}${m[1] ?? ""}`),
      equivalent: cells[equivalentColumn] ?? "",
      tokens: cells.slice(1).flatMap((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => /^[A-Za-z][\w.[\]<>]*/.exec(m[1] ?? "")?.[0]?.replace(/\.$/, "") ?? "")).filter((t) => t !== ""),
    }));
}

/** Every row of the Beanstalk guide, fields as "<namespace> <option>" (as beanstalk-table.test.ts reads them). */
function beanstalkDoc(): DocRow[] {
  const doc = read("docs/migrating-from-beanstalk.md");
  const others = section(doc, "## Every other option a worker environment uses")
    .split("\n### ")
    .slice(1)
    .flatMap((part) => docRows(part, 1, `${/^`([^`]+)`/.exec(part)?.[1] ?? ""} `));
  return [...docRows(section(doc, "## The `aws:elasticbeanstalk:sqsd` options"), 2, "aws:elasticbeanstalk:sqsd "), ...docRows(section(doc, "## `cron.yaml`"), 1, "cron.yaml "), ...others];
}

/** The Copilot guide's manifest rows; a row that says "as the `X` rows" also gets their arguments. */
function copilotDoc(): DocRow[] {
  const rows = docRows(section(read("docs/migrating-from-copilot.md"), "## Manifest fields"), 1);
  return rows.map((r) => {
    const seeAlso = r.tokens.filter((t) => rows.some((o) => o !== r && o.fields.some((f) => f.startsWith(`${t}.`))));
    return { ...r, tokens: [...r.tokens, ...rows.filter((o) => seeAlso.some((t) => o.fields.some((f) => f.startsWith(`${t}.`)))).flatMap((o) => o.tokens)] };
  });
}

/** `pattern` (with `<name>` and `[]`) names `arg` or a part of it. */
function covers(pattern: string, arg: string): boolean {
  const re = pattern.replace(/[.*+?^${}()|\\]/g, "\\$&").replace(/\\\$\\\{/g, "").replace(/<\w+>/g, "[^.]+").replace(/\[\]/g, "\\[\\d*\\]");
  return new RegExp(`^${re}($|\\.|\\[)`).test(arg);
}

/** A report row's argument as a rule declares it: without a topic worker's "<name>: ", list indexes as []. */
const normal = (arg: string): string => arg.replace(/^[\w-]+: /, "").replace(/\[\d+\]/g, "[]");

const rowFor = (rows: DocRow[], field: string): DocRow => rows.find((r) => r.fields.includes(field)) ?? assert.fail(`no row for ${field} in the guide`);

function uncovered(declared: readonly string[], row: DocRow): string[] {
  return declared.filter((a) => !row.tokens.some((t) => covers(t, a)));
}

/** Every row the migrator reports for the fixtures (and the bad inputs that still migrate). */
function reported(): Row[] {
  const extra = [
    { tool: "beanstalk" as const, paths: [path.join(FIXTURES, "bad", "unknown")] },
    { tool: "copilot" as const, paths: [path.join(FIXTURES, "bad", "unknown-fields.yml")] },
  ];
  return [...CASES, ...extra].flatMap((c) => migrate({ tool: c.tool, paths: c.paths, outDir: OUT, format: "ts", command: "test" }).plan.rows);
}

describe("migrate: the rules and the migration guides' tables agree", () => {
  const beanstalk = beanstalkDoc();
  const copilot = copilotDoc();
  const rows = reported();

  it("Beanstalk: one rule per option of a worker environment (cron.yaml aside, carried as a file)", () => {
    const options = fieldList("test/component/fixtures/beanstalk-worker-options.txt").filter((o) => !o.startsWith("cron.yaml "));
    assert.deepEqual([...BEANSTALK_RULES.keys()].sort(), [...options].sort());
  });

  it("Beanstalk: a rule sets only arguments its guide row names, and none where the guide says not supported", () => {
    const problems: string[] = [];
    for (const [option, rule] of BEANSTALK_RULES) {
      const row = rowFor(beanstalk, option);
      if (row.equivalent.startsWith(NOT_SUPPORTED) && rule.args.length > 0) problems.push(`${option}: the guide says not supported, the rule sets ${rule.args.join(", ")}`);
      for (const a of uncovered(rule.args, row)) problems.push(`${option}: sets ${a}, which the guide's row does not name`);
    }
    assert.deepEqual(problems, []);
  });

  it("Copilot: every field of the manifest has a rule, and every rule a field", () => {
    const fields = fieldList("test/component/fixtures/copilot-worker-manifest-fields.txt");
    const ruled = new Set([...COPILOT_RULES.values()].map((r) => r.field));
    assert.deepEqual(fields.filter((f) => !ruled.has(f)), [], "fields without a rule");
    assert.deepEqual([...ruled].filter((f) => !fields.includes(f)), [], "rules of no field");
  });

  it("Copilot: a rule sets only arguments its field's guide row names, and none where the guide says not supported", () => {
    const problems: string[] = [];
    for (const [pattern, rule] of COPILOT_RULES) {
      const row = rowFor(copilot, rule.field);
      if (row.equivalent.startsWith(NOT_SUPPORTED) && rule.args.length > 0) problems.push(`${pattern}: the guide says not supported, the rule sets ${rule.args.join(", ")}`);
      for (const a of uncovered(rule.args, row)) problems.push(`${pattern}: sets ${a}, which the guide's row for ${rule.field} does not name`);
    }
    assert.deepEqual(problems, []);
  });

  it("simple-sqsd: each SQSD_* variable in the guide sets the argument its row names", () => {
    const table = docRows(section(read("docs/migrating-from-copilot.md"), "## The sidecar's `SQSD_*` variables"), 1);
    assert.ok(table.length >= 12);
    const problems: string[] = [];
    const peers = PEER_VARIABLES.map((p) => p.variable);
    for (const row of table) {
      for (const variable of row.fields) {
        if (!SQSD_VARIABLES.includes(variable) && !peers.includes(variable)) problems.push(`${variable}: neither an alias in sidecar/options.ts nor in sidecar/peer-variables.ts`);
        for (const a of uncovered(sqsdVariableArgs(variable), row)) problems.push(`${variable}: sets ${a}, which the guide's row does not name`);
      }
    }
    const listed = new Set(table.flatMap((row) => row.fields));
    for (const variable of [...SQSD_VARIABLES, ...peers]) if (!listed.has(variable)) problems.push(`${variable}: no row in the guide`);
    assert.deepEqual(problems, []);
  });

  it("every reported row names only arguments its rule declares, and is carried only where the guide has an equivalent", () => {
    const problems: string[] = [];
    for (const r of rows) {
      const [kind, id] = [r.rule.slice(0, r.rule.indexOf(":")), r.rule.slice(r.rule.indexOf(":") + 1)];
      let declared: readonly string[] | undefined;
      let row: DocRow | undefined;
      if (kind === "beanstalk" && BEANSTALK_RULES.has(id)) [declared, row] = [BEANSTALK_RULES.get(id)?.args, rowFor(beanstalk, id)];
      else if (kind === "beanstalk" && id.startsWith("cron.yaml ")) [row] = [rowFor(beanstalk, id)];
      else if (kind === "copilot" && COPILOT_RULES.has(id)) {
        const rule = COPILOT_RULES.get(id);
        [declared, row] = [rule?.args, rowFor(copilot, rule?.field ?? "")];
      } else if (kind === "sqsd") declared = sqsdVariableArgs(id);
      else if (r.args.length > 0) problems.push(`${r.key}: rule ${r.rule} is no table's, yet it sets ${r.args.join(", ")}`);
      for (const a of r.args.map(normal)) {
        if (declared !== undefined && !declared.some((d) => covers(d, a))) problems.push(`${r.key}: sets ${a}, which rule ${r.rule} does not declare`);
        if (declared === undefined && row !== undefined && !row.tokens.some((t) => covers(t, a))) problems.push(`${r.key}: sets ${a}, which the guide's row does not name`);
      }
      if (row !== undefined && r.outcome !== "not carried over" && r.outcome !== "unknown" && row.equivalent.startsWith(NOT_SUPPORTED)) problems.push(`${r.key}: ${r.outcome}, but the guide says not supported`);
    }
    assert.deepEqual(problems, []);
    assert.ok(rows.some((r) => r.rule.startsWith("sqsd:")) && rows.some((r) => r.rule.startsWith("copilot:")) && rows.some((r) => r.rule.startsWith("beanstalk:aws:")));
  });

  it("programs list the arguments in args.ts's order", () => {
    const file = path.join(REPO, "component", "args.ts");
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const props = (name: string): string[] =>
      source.statements
        .filter((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name)
        .flatMap((s) => s.members.filter(ts.isPropertySignature).map((m) => (m.name as ts.Identifier).text));
    // In args.ts's order; one added there later only goes last in a program until listed here.
    for (const [order, name] of [[ARGS_ORDER, "WorkerEnvironmentArgs"], [APP_ORDER, "AppContainer"]] as const) {
      assert.deepEqual(order, props(name).filter((p) => order.includes(p)), name);
      assert.deepEqual(order.filter((p) => !props(name).includes(p)), [], `${name} has every argument listed`);
    }
  });
});
